"""Factories for discussion tests, and the shared XSS payload list from tests/test_markup.py."""

import importlib.util
import uuid
from pathlib import Path

import pytest

from champions.accounts.models import Role
from champions.discussions import services
from champions.discussions.models import Category
from champions.extensions import db

_spec = importlib.util.spec_from_file_location("markup_cases", Path(__file__).parents[1] / "test_markup.py")
markup_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(markup_cases)


@pytest.fixture
def xss():
    return markup_cases


@pytest.fixture
def make_category(app):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, **overrides) -> Category:
        n = next(counter)
        category = Category(
            slug=f"category-{n}",
            name=name or f"Category {n}",
            description="About things",
            position=n,
            **overrides,
        )
        db.session.add(category)
        db.session.commit()
        return category

    return make


@pytest.fixture
def make_thread(make_category, make_user):
    def make(category=None, author=None, title="A thread", body="First post", replies: int = 0, **options):
        category = category or make_category()
        author = author or make_user(role=Role.CHAMPION)
        post = services.start_thread(category, author, title, body, form_key=str(uuid.uuid4()), **options)
        for n in range(replies):
            services.reply(post.thread, author, f"Reply {n}", form_key=str(uuid.uuid4()))
        return post.thread

    return make


@pytest.fixture
def form_key():
    return lambda: str(uuid.uuid4())
