"""Organisations carry their council areas (several) and an NHS board

Revision ID: 0024_organisation_places
Revises: 0023_assessments

Each organisation's one council_area_id is copied into organisation_council_areas, and its board is set
from that area's board. council_area_id stays (the first area it was made with).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024_organisation_places"
down_revision = "0023_assessments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisation_council_areas",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("council_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_area_id"],
            ["council_areas.id"],
            name=op.f("fk_organisation_council_areas_council_area_id_council_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_council_areas_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "council_area_id", name=op.f("pk_organisation_council_areas")
        ),
    )
    with op.batch_alter_table("organisation_council_areas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_council_areas_council_area_id"), ["council_area_id"], unique=False
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_board_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organisations_health_board_id_health_boards"),
            "health_boards",
            ["health_board_id"],
            ["id"],
        )

    # Plain SQL that both SQLite and PostgreSQL run.
    op.execute(
        "INSERT INTO organisation_council_areas (organisation_id, council_area_id) "
        "SELECT id, council_area_id FROM organisations WHERE council_area_id IS NOT NULL"
    )
    op.execute(
        "UPDATE organisations SET health_board_id = (SELECT council_areas.health_board_id FROM council_areas "
        "WHERE council_areas.id = organisations.council_area_id) WHERE council_area_id IS NOT NULL"
    )


def downgrade():
    # An organisation without its one area yet keeps the first of its areas (the lowest id).
    op.execute(
        "UPDATE organisations SET council_area_id = (SELECT MIN(organisation_council_areas.council_area_id) "
        "FROM organisation_council_areas WHERE organisation_council_areas.organisation_id = organisations.id) "
        "WHERE council_area_id IS NULL"
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organisations_health_board_id_health_boards"), type_="foreignkey"
        )
        batch_op.drop_column("health_board_id")

    with op.batch_alter_table("organisation_council_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_council_areas_council_area_id"))

    op.drop_table("organisation_council_areas")
