"""The events blueprint, shared by the modules that add routes to it."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
