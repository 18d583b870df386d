"""The WSGI entry point: `gunicorn wsgi:app` and `flask --app wsgi ...`."""

from champions import create_app

app = create_app()
