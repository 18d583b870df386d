"""Forms on the admin pages."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from champions.accounts.models import Role


class RoleForm(FlaskForm):
    role = SelectField("Role", coerce=int, choices=[SelectChoice(r.value, r.label) for r in Role])
