"""Case studies."""
