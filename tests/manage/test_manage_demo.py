"""The demo's coordinator sees the demo's waiting work at /manage, their own area first."""

from champions import demo
from champions.accounts.models import User
from champions.extensions import db


def test_the_demo_coordinator_sees_their_area_first(app, client, sign_in):
    demo.seed_demo()
    sign_in(
        db.session.scalar(db.select(User).where(User.email == "coordinator@example.org")), demo.DEMO_PASSWORD
    )
    body = client.get("/manage").get_data(as_text=True)
    assert body.index("<h2>In your area</h2>") < body.index("<h2>Elsewhere</h2>")
    assert "Nothing is waiting for you" not in body
