"""Keys for reads that two requests at once could both pass: one waiting data copy per person and asker

Revision ID: 0027_race_keys
Revises: 0028_case_study_vector

Asking for a copy of someone's data from two tabs at once made two copies (and two emails) when both
checks ("is one waiting?") ran before either insert. A partial unique index makes the second insert fail,
and the service answers as for a copy already on its way. Copies made twice before this are resolved first:
the newest of each pair stays waiting, the older ones are marked expired (their stored ZIP dropped).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0027_race_keys"
down_revision = "0028_case_study_vector"
branch_labels = None
depends_on = None

WAITING = "status IN ('queued', 'building', 'ready')"


def upgrade():
    op.execute(
        sa.text(
            f"""
            UPDATE data_exports SET status = 'expired', data = NULL
            WHERE {WAITING} AND id NOT IN (
                SELECT newest FROM (
                    SELECT max(id) AS newest FROM data_exports WHERE {WAITING}
                    GROUP BY subject_id, requested_by_id
                ) AS kept
            )
            """
        )
    )
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.create_index(
            "uq_data_exports_one_waiting",
            ["subject_id", "requested_by_id"],
            unique=True,
            sqlite_where=sa.text(WAITING),
            postgresql_where=sa.text(WAITING),
        )


def downgrade():
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.drop_index("uq_data_exports_one_waiting")
