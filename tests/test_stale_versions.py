"""The version kernel: one version is claimed once, and a form's version is read only from the form."""

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from champions import versions
from champions.extensions import db


class VersionedForm(FlaskForm):
    version = versions.VersionField()


def test_one_version_is_claimed_once(app, make_user):
    user = make_user()
    versions.claim(user, 1)
    db.session.commit()
    assert user.version == 2
    with pytest.raises(versions.Stale) as refused:
        versions.claim(user, 1)
    assert refused.value.status == 409
    assert user.version == 2


@pytest.mark.parametrize(
    "posted, read", [("3", 3), ("", None), ("3.0", None), ("-1", None), ("٣", None), ("9" * 12, None)]
)
def test_a_form_names_a_version_only_as_plain_digits(app, posted, read):
    with app.test_request_context(method="POST"):
        form = VersionedForm(
            formdata=MultiDict({"version": posted}), data={"version": 7}, meta={"csrf": False}
        )
        assert form.version.data == read


def test_a_form_without_the_field_names_no_version(app):
    with app.test_request_context(method="POST"):
        form = VersionedForm(formdata=MultiDict({"other": "x"}), data={"version": 7}, meta={"csrf": False})
        with pytest.raises(versions.Stale) as refused:
            versions.required(form.version)
        assert refused.value.status == 400
