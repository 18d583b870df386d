"""The account lifecycle: closing an account (by its owner or an admin on request) and retention."""
