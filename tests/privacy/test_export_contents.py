"""What a person's export holds, as each demo role: all of their data, and nobody else's private data."""

import json
import re
import uuid

import pytest
from sqlalchemy import or_, select

from champions import audit, demo, mail
from champions.accounts.models import User
from champions.audit import AuditEntry
from champions.casestudies.models import Attachment, AttachmentBlob, CaseStudy
from champions.discussions.models import Post, Thread
from champions.discussions.services import posting
from champions.events.models import Feedback, Pledge, Registration
from champions.extensions import db

ROLES = ["member", "champion", "coordinator", "admin"]


def _everything(archive) -> str:
    return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def _add_own_data(user: User) -> None:
    """Give the person an anonymous post, an email, and a registration need, beyond the demo content."""
    thread = db.session.scalar(select(Thread).order_by(Thread.id))
    posting.reply(
        thread, user, f"My own anonymous words {user.id}", anonymous=True, form_key=str(uuid.uuid4())
    )
    mail.queue(user.email, "A message just for you", "accounts/password_changed", user=user, reset_url="x")
    registration = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
    if registration is not None:
        registration.needs = f"A quiet room, please ({user.id})"
    audit.record(None, "test.about_you", user, "something the portal did")
    db.session.commit()


@pytest.fixture
def demo_person(app, client):
    demo.seed_demo()

    def become(role: str) -> User:
        user = db.session.scalar(select(User).where(User.email == f"{role}@example.org"))
        _add_own_data(user)
        response = client.post("/account/sign-in", data={"email": user.email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302
        return user

    return become


@pytest.mark.parametrize("role", ROLES)
def test_the_export_as_each_demo_role(demo_person, export_zip, role):
    """Each demo role finds all of their data and no private data of anyone else (one seed, two checks)."""
    user = demo_person(role)
    archive = export_zip(user)
    _holds_everything_about(user, archive)
    _holds_nothing_private_of_others(user, archive)


def _holds_everything_about(user: User, archive) -> None:
    assert {"README.txt", "data.json", "index.html"} <= set(archive.namelist())
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == user.email and data["account"]["name"] == user.name

    posts = db.session.scalars(select(Post).where(Post.author_id == user.id)).all()
    assert {p["id"] for p in data["discussions"]["posts"]} == {p.id for p in posts}
    assert f"My own anonymous words {user.id}" in [
        p["body"] for p in data["discussions"]["posts"] if p["anonymous"]
    ]

    studies = db.session.scalars(select(CaseStudy).where(CaseStudy.author_id == user.id)).all()
    assert {s["id"] for s in data["case_studies"]["written"]} == {s.id for s in studies}
    for study in data["case_studies"]["written"]:
        assert all("checklist" not in step for step in study["review_history"])
        for attachment in study["attachments"]:
            blob = db.session.get(AttachmentBlob, attachment["id"])
            assert archive.read(attachment["file"]) == blob.data

    registrations = db.session.scalars(select(Registration).where(Registration.user_id == user.id)).all()
    assert {r["event_id"] for r in data["events"]["registrations"]} == {r.event_id for r in registrations}
    assert {r.needs for r in registrations} <= {
        r["needs_told_to_organisers"] for r in data["events"]["registrations"]
    }
    feedback = db.session.scalars(select(Feedback).where(Feedback.user_id == user.id)).all()
    assert len(data["events"]["feedback"]) == len(feedback)
    pledges = db.session.scalars(select(Pledge).where(Pledge.user_id == user.id)).all()
    assert sum(len(f["pledges"]) for f in data["events"]["feedback"]) == len(pledges)

    assert "A message just for you" in [e["subject"] for e in data["emails_sent_to_you"]]
    assert "test.about_you" in [e["action"] for e in data["audit_entries"]]
    # Every entry made before the download (the download's own entry comes after the copy was made).
    about = select(AuditEntry.id).where(
        AuditEntry.action != "privacy.export.download",
        or_(
            AuditEntry.actor_id == user.id,
            (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id),
        ),
    )
    assert len(data["audit_entries"]) >= len(db.session.scalars(about).all())

    html = archive.read("index.html").decode()
    assert user.name in html and f"My own anonymous words {user.id}" in html
    assert (
        user.email in archive.read("README.txt").decode() or user.name in archive.read("README.txt").decode()
    )


def _holds_nothing_private_of_others(user: User, archive) -> None:
    everything = _everything(archive)
    data = json.loads(archive.read("data.json"))

    others = db.session.scalars(select(User).where(User.id != user.id)).all()
    assert len(others) > 10
    leaked = [other.email for other in others if other.email in everything]
    assert leaked == []

    # Names the person could already see beside their own work: the reviewers of their case studies.
    seen = {step["by"] for study in data["case_studies"]["written"] for step in study["review_history"]}
    anonymous_authors = db.session.scalars(
        select(User)
        .join(Post, Post.author_id == User.id)
        .where(Post.is_anonymous, User.id != user.id)
        .distinct()
    ).all()
    assert anonymous_authors, "the demo content has anonymous posts by others"
    named = [a.name for a in anonymous_authors if a.name not in seen and a.name in everything]
    assert named == []
    others_anonymous = db.session.scalars(
        select(Post.body).where(Post.is_anonymous, Post.author_id != user.id)
    )
    assert [body for body in others_anonymous if body in everything] == []


def test_the_readable_page_needs_nothing_from_the_internet(app, make_user, sign_in, export_zip):
    user = make_user(name="Ailsa <b>Bold</b>")
    sign_in(user)
    html = export_zip(user).read("index.html").decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html


def test_attachments_are_in_the_zip(app, make_user, sign_in, export_zip):
    user = make_user()
    sign_in(user)
    assert db.session.scalar(select(Attachment.id)) is None
    archive = export_zip(user)
    assert [n for n in archive.namelist() if n.startswith("attachments/")] == []
