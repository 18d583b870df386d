"""Counters on discussion categories: threads, posts and the latest post, filled from what is there

Revision ID: 0009_discussion_counters
Revises: 0008_scale_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_discussion_counters"
down_revision = "0008_scale_indexes"
branch_labels = None
depends_on = None

# Plain table shapes, not the app's models: this migration must keep working as the models change.
categories = sa.table(
    "discussion_categories",
    sa.column("id", sa.Integer),
    sa.column("thread_count", sa.Integer),
    sa.column("post_count", sa.Integer),
    sa.column("last_post_at", sa.DateTime),
)
threads = sa.table(
    "discussion_threads",
    sa.column("id", sa.Integer),
    sa.column("category_id", sa.Integer),
    sa.column("post_count", sa.Integer),
    sa.column("last_post_at", sa.DateTime),
)


def fill_counters(connection) -> None:
    """Set every category's counters from its threads: one UPDATE ... SELECT per column."""

    def per_category(value):
        return sa.select(value).where(threads.c.category_id == categories.c.id).scalar_subquery()

    all_posts = sa.func.coalesce(sa.func.sum(threads.c.post_count), 0)
    connection.execute(categories.update().values(thread_count=per_category(sa.func.count(threads.c.id))))
    connection.execute(categories.update().values(post_count=per_category(all_posts)))
    connection.execute(categories.update().values(last_post_at=per_category(sa.func.max(threads.c.last_post_at))))


def upgrade():
    with op.batch_alter_table("discussion_categories") as batch:
        batch.add_column(sa.Column("thread_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("post_count", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("last_post_at", sa.DateTime(), nullable=True))
    fill_counters(op.get_bind())


def downgrade():
    with op.batch_alter_table("discussion_categories") as batch:
        batch.drop_column("last_post_at")
        batch.drop_column("post_count")
        batch.drop_column("thread_count")
