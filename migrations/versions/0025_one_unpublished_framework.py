"""One unpublished version per framework, kept by the database

Revision ID: 0025_one_unpublished_framework
Revises: 0024_organisation_places

Two admins asking for a new version at once made two drafts when the second's checks straddled the
first's commit. A partial unique index makes the second insert fail, and the service returns the first.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025_one_unpublished_framework"
down_revision = "0024_organisation_places"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessment_frameworks", schema=None) as batch_op:
        batch_op.create_index(
            "uq_assessment_frameworks_one_unpublished",
            ["name"],
            unique=True,
            sqlite_where=sa.text("NOT is_published"),
            postgresql_where=sa.text("NOT is_published"),
        )


def downgrade():
    with op.batch_alter_table("assessment_frameworks", schema=None) as batch_op:
        batch_op.drop_index("uq_assessment_frameworks_one_unpublished")
