"""Discussion workflows, one module per concern; views call them as `services.<name>`."""

from champions.discussions.services.moderation import (
    ReportMissing, dismiss_report, hide_post, lock_thread, move_thread, open_report_count,
    open_reports, pin_thread, report_post, restore_post, reveal_author,
)
from champions.discussions.services.notify import (
    UnsubscribeInvalid, follow_category, follow_thread, handle_for, is_following_category, is_following_thread,
    save_settings, send_digests, settings_for, unfollow_category, unfollow_thread, unsubscribe,
    unsubscribe_url, user_for_unsubscribe_token,
)
from champions.discussions.services.posting import (
    POSTS_PER_PAGE, ThreadLocked, category_by_slug, delete_post, edit_post, list_categories,
    post_by_form_key, quote_text, render_preview, reply, save_category, start_thread,
)
from champions.discussions.services.reading import (
    category_overview, first_unread_post, mark_read, post_page, recent_posts_by, thread_page, threads_page, unread_for,
)

__all__ = [
    "POSTS_PER_PAGE", "ReportMissing", "ThreadLocked", "UnsubscribeInvalid", "category_by_slug",
    "category_overview", "delete_post", "dismiss_report", "edit_post", "first_unread_post",
    "follow_category", "follow_thread", "handle_for", "hide_post", "is_following_category",
    "is_following_thread", "list_categories", "lock_thread", "mark_read", "move_thread",
    "open_report_count", "open_reports", "pin_thread", "post_by_form_key", "post_page", "quote_text",
    "recent_posts_by", "render_preview", "reply", "report_post", "restore_post", "reveal_author", "save_category",
    "save_settings", "send_digests", "settings_for", "start_thread", "thread_page", "threads_page",
    "unfollow_category", "unfollow_thread", "unread_for", "unsubscribe", "unsubscribe_url",
    "user_for_unsubscribe_token",
]
