"""The home page, the service's own pages and the health check."""
