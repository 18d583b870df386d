"""Admin pages: people, roles and the audit log."""
