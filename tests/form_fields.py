"""Every text field of every form in champions, found by walking the feature packages."""

import importlib
import inspect
import pkgutil
from collections.abc import Iterator

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField

import champions


def form_classes() -> Iterator[type[FlaskForm]]:
    """Yield each FlaskForm subclass defined in a champions forms module."""
    for info in pkgutil.walk_packages(champions.__path__, "champions."):
        if info.name.rpartition(".")[2] != "forms" or info.name == "champions.forms":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, FlaskForm) and value.__module__ == info.name:
                yield value


def text_fields() -> Iterator[tuple[str, type[FlaskForm], str, object]]:
    """Yield ("feature.Form.field", form class, field name, unbound field) for each typed-in field."""
    for form in form_classes():
        for name in dir(form):
            unbound = getattr(form, name)
            kind = getattr(unbound, "field_class", None)
            if kind and issubclass(kind, StringField) and not issubclass(kind, (PasswordField, HiddenField)):
                feature = form.__module__.split(".")[1]
                yield f"{feature}.{form.__name__}.{name}", form, name, unbound
