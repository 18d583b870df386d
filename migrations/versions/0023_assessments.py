"""Organisational self-assessment: framework versions (version 1 shipped here), assessments and their parts

Revision ID: 0023_assessments
Revises: 0022_reply_mail
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op


revision = "0023_assessments"
down_revision = "0022_reply_mail"
branch_labels = None
depends_on = None


FRAMEWORK_NAME = "Trauma-informed organisation self-assessment"
WORDING_NOTE = (
    "The portal's own wording, drawn from the five trauma-informed principles and the ten implementation "
    "domains of the Trauma Informed Practice Toolkit for Scotland. It is not an official NTTP text."
)
PRINCIPLE_ORDER = ["safety", "trust", "choice", "collaboration", "empowerment"]
DOMAINS = [
    (
        "governance-and-leadership",
        "Governance and leadership",
        [
            "Leaders name trauma-informed practice in the plans they sign, and people can see them acting on it.",
            "Leaders say what they will do, do it, and report back openly when something changes.",
            "Staff have real options about how they take part in change, and leaders ask before deciding for them.",
            "Decisions about trauma-informed change are made with staff, partners and people who use services.",
            "Leaders give staff at every level the time, authority and backing to try new ways of working.",
        ],
    ),
    (
        "policy",
        "Policy",
        [
            "Policies are checked for anything that could frighten, shame or re-traumatise staff or the public.",
            "Policies are written in plain words, and people are told why each rule exists.",
            "Where a policy allows it, people are offered choices about how things are done for them.",
            "Policies are reviewed with the staff and people who live with them every day.",
            "Policies help staff use their judgement and help people speak up for what they need.",
        ],
    ),
    (
        "lived-experience",
        "Engagement of people with lived experience",
        [
            "People with lived experience can take part safely, with support before, during and after.",
            "We tell people what happened to what they told us, and we are honest about what did not change.",
            "People choose how and how much they take part, and can step back at any time.",
            "People with lived experience help shape services and decisions, not only comment on them.",
            "People with lived experience are paid or thanked fairly, and their skills are recognised.",
        ],
    ),
    (
        "workforce-development",
        "Workforce development",
        [
            "Staff wellbeing and support after difficult work are planned for, not left to chance.",
            "Managers are consistent and fair, and staff know what support they can count on.",
            "Staff can choose learning that fits their role, at the practice level they need.",
            "Training is planned with teams, and learning is shared across the organisation.",
            "Staff are encouraged to grow, use what they learn and lead change in their own teams.",
        ],
    ),
    (
        "environment",
        "Physical and emotional environment",
        [
            "Buildings, rooms and online spaces feel calm, welcoming and safe to the people who use them.",
            "Signs, letters and first contacts are clear and kind, so people know what will happen next.",
            "People have choices about where and how they meet us, including quiet or private spaces.",
            "Staff and people who use services help decide how spaces look and work.",
            "Spaces and information help people feel in control of their visit or contact.",
        ],
    ),
    (
        "cross-sector-collaboration",
        "Cross-sector collaboration",
        [
            "Partners agree how they keep people safe when care or support passes between them.",
            "Partners share information openly and respectfully, and keep their promises to each other.",
            "People are not asked to tell their story again and again to each partner they meet.",
            "We plan and learn together with other sectors working in the same area.",
            "Partners pool what they know, so each can do more than it could alone.",
        ],
    ),
    (
        "screening-assessment-treatment",
        "Screening, assessment and treatment",
        [
            "Questions about difficult experiences are asked only when needed, sensitively and in private.",
            "People are told why we ask each question, and what happens to their answers.",
            "People can choose what they share, and when, and decline without losing a service.",
            "Assessments and plans are made with people, and they have a copy they understand.",
            "Support builds on people's strengths as well as their needs.",
        ],
    ),
    (
        "finance",
        "Finance",
        [
            "Budgets protect the staff support and the time that safe, trauma-informed work needs.",
            "Spending on trauma-informed change is reported openly to staff and partners.",
            "Funding allows some choice and flexibility in how support is offered to people.",
            "Funding decisions are made with partners and with the people services are for.",
            "Money is set aside for ideas that come from staff and people with lived experience.",
        ],
    ),
    (
        "monitoring-quality",
        "Progress monitoring and quality assurance",
        [
            "We check that changes have not made anything less safe for people or staff.",
            "We share what we find, good and bad, with the people it concerns.",
            "People can choose how they give feedback, including in confidence.",
            "Staff, partners and people with lived experience help decide what we measure.",
            "Teams use what the checks show to make their own improvements.",
        ],
    ),
    (
        "evaluation",
        "Evaluation",
        [
            "Evaluation is planned so that taking part is safe and never harms those asked.",
            "We say openly why we evaluate, who will see the results and what we will do with them.",
            "People can choose whether to take part in an evaluation and how.",
            "Evaluation is designed and read with staff, partners and people with lived experience.",
            "What we learn is used to change how we work, and people are told what changed.",
        ],
    ),
]


def _seed_first_version():
    """Version 1, published: ten domains, one statement per principle in each."""
    bind = op.get_bind()
    frameworks = sa.table(
        "assessment_frameworks",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("version_number", sa.Integer),
        sa.column("is_published", sa.Boolean),
        sa.column("wording_note", sa.String),
        sa.column("created_at", sa.DateTime),
    )
    domains = sa.table(
        "assessment_domains",
        sa.column("id", sa.Integer),
        sa.column("framework_id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("name", sa.String),
        sa.column("position", sa.Integer),
    )
    statements = sa.table(
        "assessment_statements",
        sa.column("domain_id", sa.Integer),
        sa.column("principle_id", sa.Integer),
        sa.column("text", sa.String),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        frameworks,
        [
            {
                "id": 1,
                "name": FRAMEWORK_NAME,
                "version_number": 1,
                "is_published": True,
                "wording_note": WORDING_NOTE,
                "created_at": datetime(2026, 12, 1),
            }
        ],
    )
    op.bulk_insert(
        domains,
        [
            {"id": n, "framework_id": 1, "slug": slug, "name": name, "position": n}
            for n, (slug, name, _texts) in enumerate(DOMAINS, start=1)
        ],
    )
    principle_ids = dict(bind.execute(sa.text("SELECT slug, id FROM principles")).all())
    op.bulk_insert(
        statements,
        [
            {"domain_id": n, "principle_id": principle_ids.get(slug), "text": words, "position": p}
            for n, (_slug, _name, texts) in enumerate(DOMAINS, start=1)
            for p, (slug, words) in enumerate(zip(PRINCIPLE_ORDER, texts, strict=True), start=1)
        ],
    )
    if bind.dialect.name == "postgresql":  # the ids were given, so move the sequences past them
        for table in ("assessment_frameworks", "assessment_domains", "implementation_domains"):
            bind.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            )


def upgrade():
    op.create_table(
        "assessment_frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("wording_note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_frameworks")),
        sa.UniqueConstraint("name", "version_number", name=op.f("uq_assessment_frameworks_name")),
    )
    op.create_table(
        "assessment_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["assessment_frameworks.id"],
            name=op.f("fk_assessment_domains_framework_id_assessment_frameworks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_domains")),
        sa.UniqueConstraint("framework_id", "slug", name=op.f("uq_assessment_domains_framework_id")),
    )
    op.create_table(
        "assessment_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("principle_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["assessment_domains.id"],
            name=op.f("fk_assessment_statements_domain_id_assessment_domains"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["principle_id"], ["principles.id"], name=op.f("fk_assessment_statements_principle_id_principles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_statements")),
    )
    with op.batch_alter_table("assessment_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_statements_domain_id"), ["domain_id"], unique=False)

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.Column("chart_svg", sa.Text(), nullable=True),
        sa.Column("shared_with_network", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["assessment_frameworks.id"],
            name=op.f("fk_assessments_framework_id_assessment_frameworks"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_assessments_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_assessments_started_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_assessments_submitted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(
            "uq_assessments_one_draft",
            ["organisation_id"],
            unique=True,
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )

    op.create_table(
        "assessment_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_actions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["assessment_domains.id"],
            name=op.f("fk_assessment_actions_domain_id_assessment_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_assessment_actions_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_actions")),
    )
    with op.batch_alter_table("assessment_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_actions_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index("ix_assessment_actions_due", ["due_on", "reminded_at"], unique=False)

    op.create_table(
        "assessment_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=20), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("saved_in_version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_answers_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["assessment_domains.id"],
            name=op.f("fk_assessment_answers_domain_id_assessment_domains"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_assessment_answers_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_answers")),
        sa.UniqueConstraint("assessment_id", "domain_id", name=op.f("uq_assessment_answers_assessment_id")),
    )
    op.create_table(
        "assessment_contributors",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_contributors_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_assessment_contributors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "user_id", name=op.f("pk_assessment_contributors")),
    )
    with op.batch_alter_table("assessment_contributors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_contributors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "assessment_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_invitations_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name=op.f("fk_assessment_invitations_invited_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_invitations")),
        sa.UniqueConstraint("assessment_id", "email", name=op.f("uq_assessment_invitations_assessment_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_assessment_invitations_token_hash")),
    )
    op.create_table(
        "implementation_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_implementation_domains")),
        sa.UniqueConstraint("slug", name=op.f("uq_implementation_domains_slug")),
    )
    op.bulk_insert(
        sa.table(
            "implementation_domains",
            sa.column("id", sa.Integer),
            sa.column("slug", sa.String),
            sa.column("name", sa.String),
            sa.column("position", sa.Integer),
        ),
        [
            {"id": n, "slug": slug, "name": name, "position": n}
            for n, (slug, name, _texts) in enumerate(DOMAINS, start=1)
        ],
    )
    op.create_table(
        "case_study_domains",
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("implementation_domain_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_study_id"],
            ["case_studies.id"],
            name=op.f("fk_case_study_domains_case_study_id_case_studies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["implementation_domain_id"],
            ["implementation_domains.id"],
            name=op.f("fk_case_study_domains_implementation_domain_id_implementation_domains"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_study_id", "implementation_domain_id", name=op.f("pk_case_study_domains")),
    )
    with op.batch_alter_table("case_study_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_study_domains_implementation_domain_id"), ["implementation_domain_id"], unique=False
        )
    op.create_table(
        "resource_domains",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("implementation_domain_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_domains_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["implementation_domain_id"],
            ["implementation_domains.id"],
            name=op.f("fk_resource_domains_implementation_domain_id_implementation_domains"),
        ),
        sa.PrimaryKeyConstraint("resource_id", "implementation_domain_id", name=op.f("pk_resource_domains")),
    )
    with op.batch_alter_table("resource_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_domains_implementation_domain_id"), ["implementation_domain_id"], unique=False
        )
    op.create_table(
        "event_domains",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("implementation_domain_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_domains_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["implementation_domain_id"],
            ["implementation_domains.id"],
            name=op.f("fk_event_domains_implementation_domain_id_implementation_domains"),
        ),
        sa.PrimaryKeyConstraint("event_id", "implementation_domain_id", name=op.f("pk_event_domains")),
    )
    with op.batch_alter_table("event_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_domains_implementation_domain_id"), ["implementation_domain_id"], unique=False
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), server_default="listed", nullable=False))
    _seed_first_version()


def downgrade():
    op.drop_table("event_domains")
    op.drop_table("resource_domains")
    op.drop_table("case_study_domains")
    op.drop_table("implementation_domains")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("status")
    op.drop_table("assessment_invitations")
    with op.batch_alter_table("assessment_contributors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_contributors_user_id"))

    op.drop_table("assessment_contributors")
    op.drop_table("assessment_answers")
    with op.batch_alter_table("assessment_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_actions_due")
        batch_op.drop_index(batch_op.f("ix_assessment_actions_assessment_id"))

    op.drop_table("assessment_actions")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_assessments_one_draft",
            sqlite_where=sa.text("status = 'draft'"),
            postgresql_where=sa.text("status = 'draft'"),
        )
        batch_op.drop_index(batch_op.f("ix_assessments_organisation_id"))

    op.drop_table("assessments")
    with op.batch_alter_table("assessment_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_statements_domain_id"))

    op.drop_table("assessment_statements")
    op.drop_table("assessment_domains")
    op.drop_table("assessment_frameworks")
