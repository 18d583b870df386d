"""Messages inside the portal: conversations between two people, blocking, reports and mail settings."""
