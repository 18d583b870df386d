"""Helpers for the privacy tests: ask for an export, build it, and download it through its emailed link."""

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from champions.accounts.models import Role
from champions.discussions.models import Category
from champions.discussions.services import posting
from champions.extensions import db
from champions.mail import OutboxMessage
from champions.privacy.services import exports


def link_token(address: str) -> str:
    """The token in the newest export link emailed to this address."""
    body = db.session.scalar(
        select(OutboxMessage.body)
        .where(OutboxMessage.to_address == address)
        .order_by(OutboxMessage.id.desc())
    )
    return re.search(r"/account/data/([\w\-]+)", body).group(1)


@pytest.fixture
def export_zip(client):
    """Ask for the signed-in person's export, build it as cron would, and download it: the opened ZIP."""

    def take(user) -> zipfile.ZipFile:
        assert client.post("/account/data").status_code == 302
        assert exports.build_pending()["built"] == 1
        token = link_token(user.email)
        assert client.get(f"/account/data/{token}").status_code == 200
        response = client.post(f"/account/data/{token}")
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.mimetype == "application/zip"
        return zipfile.ZipFile(io.BytesIO(response.data))

    return take


@pytest.fixture
def make_thread(make_user):
    """A thread started by someone else, for the person under test to reply in."""

    def make():
        category = Category(slug="privacy-talk", name="Privacy talk")
        db.session.add(category)
        db.session.commit()
        post = posting.start_thread(
            category, make_user(role=Role.CHAMPION), "A thread", "First", form_key="k"
        )
        return post.thread

    return make
