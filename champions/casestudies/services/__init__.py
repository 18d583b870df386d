"""Case study workflows, one module per concern; views call them as `services.<name>`."""

from champions.casestudies.services.marks import mark_useful, published_by_author, saved_by, toggle_bookmark
from champions.casestudies.services.workflow import (
    CHECKLIST,
    ChecklistIncomplete,
    NotAllowedNow,
    TooManyFiles,
    archive,
    changed_fields,
    content_of,
    create,
    default_review_by,
    publish,
    return_for_changes,
    submit,
    topic_slug,
    topics_from_names,
    unpublish,
    update,
)

__all__ = [
    "CHECKLIST",
    "ChecklistIncomplete",
    "NotAllowedNow",
    "TooManyFiles",
    "archive",
    "changed_fields",
    "content_of",
    "create",
    "default_review_by",
    "mark_useful",
    "publish",
    "published_by_author",
    "return_for_changes",
    "saved_by",
    "submit",
    "toggle_bookmark",
    "topic_slug",
    "topics_from_names",
    "unpublish",
    "update",
]
