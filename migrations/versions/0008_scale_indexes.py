"""Indexes for pages that must stay flat as the network grows

Revision ID: 0008_scale_indexes
Revises: 0007_site_search
"""

from alembic import op

revision = "0008_scale_indexes"
down_revision = "0007_site_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_events_not_ended", "events", ["ends_at", "status"])
    op.create_index("ix_events_in_order", "events", ["starts_at", "id", "ends_at", "status"])
    op.create_index("ix_case_studies_listing", "case_studies", ["published_at", "id", "status", "visibility"])
    op.create_index("ix_case_studies_visible", "case_studies", ["id", "status", "visibility"])
    op.create_index("ix_users_id_active", "users", ["id", "active"])
    op.create_index("ix_champion_profiles_listed", "champion_profiles", ["status", "listing_consent_at", "user_id"])
    op.create_index("ix_champion_profiles_by_name", "champion_profiles",
                    ["display_name", "id", "status", "listing_consent_at", "user_id"])


def downgrade():
    op.drop_index("ix_champion_profiles_by_name", table_name="champion_profiles")
    op.drop_index("ix_champion_profiles_listed", table_name="champion_profiles")
    op.drop_index("ix_users_id_active", table_name="users")
    op.drop_index("ix_case_studies_visible", table_name="case_studies")
    op.drop_index("ix_case_studies_listing", table_name="case_studies")
    op.drop_index("ix_events_in_order", table_name="events")
    op.drop_index("ix_events_not_ended", table_name="events")
