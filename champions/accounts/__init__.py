"""Accounts: registration, sign-in, passwords, roles and the audit log."""
