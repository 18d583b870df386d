"""Your data: data exports waiting to be built or downloaded, and consents on record

Revision ID: 0012_privacy
Revises: 0011_submit_once
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_privacy"
down_revision = "0011_submit_once"
branch_labels = None
depends_on = None

# Plain table shapes, not the app's models: this migration must keep working as the models change.
profiles = sa.table(
    "champion_profiles",
    sa.column("user_id", sa.Integer),
    sa.column("listing_consent_at", sa.DateTime),
)


def upgrade():
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consent_records_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_records_user_id"), ["user_id"], unique=False)

    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("ready_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_data_exports_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(["subject_id"], ["users.id"], name=op.f("fk_data_exports_subject_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_data_exports_token_hash")),
    )
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_exports_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_data_exports_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_exports_subject_id"), ["subject_id"], unique=False)

    # Champions listed before consents were recorded agreed to the directory's wording, version 1.
    records = sa.table(
        "consent_records",
        sa.column("user_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("version", sa.String),
        sa.column("given_at", sa.DateTime),
    )
    listed = sa.select(
        profiles.c.user_id, sa.literal("directory-listing"), sa.literal("1"), profiles.c.listing_consent_at
    ).where(profiles.c.listing_consent_at.is_not(None))
    op.execute(records.insert().from_select(["user_id", "kind", "version", "given_at"], listed))


def downgrade():
    with op.batch_alter_table("data_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_exports_subject_id"))
        batch_op.drop_index(batch_op.f("ix_data_exports_status"))
        batch_op.drop_index(batch_op.f("ix_data_exports_requested_by_id"))
    op.drop_table("data_exports")
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_records_user_id"))
    op.drop_table("consent_records")
