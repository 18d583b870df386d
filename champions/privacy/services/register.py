"""The data register: what personal data each table holds and why, written out as docs/data-register.md.

Every column of every table is named here, either with why it holds personal data or among the columns
that hold none, so a test (tests/privacy/test_register.py) fails as soon as a model gains a column
nobody has described.
"""

from dataclasses import dataclass, field

from sqlalchemy import MetaData

KEPT_WITH_ACCOUNT = "While the account is open; erased or anonymised when it closes."
REFERENCE = "Reference data, kept while it is current (no personal data)."


@dataclass
class Entry:
    """One table: what it is for, how long its rows are kept, and its columns."""

    purpose: str
    retention: str
    personal: dict[str, str] = field(default_factory=dict)  # column -> why it holds personal data
    other: str = ""  # the columns that hold no personal data, separated by spaces


def _reference(purpose: str, columns: str) -> Entry:
    return Entry(purpose, REFERENCE, other=columns)


def _link(purpose: str, columns: str, retention: str = KEPT_WITH_ACCOUNT) -> Entry:
    """A table of a person's choices or marks: only its user_id points at the person."""
    names = columns.split()
    personal = {"user_id": "Whose it is."} if "user_id" in names else {}
    return Entry(purpose, retention, personal, " ".join(n for n in names if n != "user_id"))


REGISTER: dict[str, Entry] = {
    "users": Entry(
        "Accounts: who can sign in, and with which role.",
        KEPT_WITH_ACCOUNT + " Unconfirmed accounts are deleted after 14 days; accounts unused for "
        "3 years are warned, then closed.",
        {
            "email": "To sign in and to send the emails the person asked for.",
            "name": "Shown beside what the person writes and does.",
            "password_hash": "To check the password (a one-way hash, never the password).",
            "organisation_id": "Where the person works, to find local colleagues.",
            "council_area_id": "Where the person works, to find local champions and events.",
            "health_board_id": "Where the person works, to find local champions and events.",
            "role": "What the person may do on the portal.",
            "active": "Whether the account may sign in.",
            "email_verified_at": "When the person proved the email address is theirs.",
            "password_changed_at": "Security: when the password last changed.",
            "created_at": "When the account was made (for retention).",
            "last_signed_in_at": "Security, and to close accounts unused for years.",
            "closed_at": "When the account was closed (the row stays, emptied, so posts keep an author).",
            "retention_warned_at": "When the person was told an unused account will close.",
            "unread_conversations": "How many of their conversations have messages they have not read.",
        },
        "id session_version is_demo version",
    ),
    "champion_profiles": Entry(
        "Champion profiles: the directory, and applications to become a champion.",
        KEPT_WITH_ACCOUNT + " Unlisted at once when listing consent is withdrawn.",
        {
            "user_id": "Whose profile it is.",
            "display_name": "Shown in the directory, with consent.",
            "job_title": "Shown in the directory, with consent.",
            "organisation_id": "Shown in the directory, with consent.",
            "health_board_id": "The area the champion covers.",
            "bio": "The champion's own words about themselves.",
            "phone": "Contact details, shown only as the champion chose.",
            "contact_audience": "Who the champion lets see their contact details.",
            "stilt_completed": "The champion's training, shown in the directory.",
            "listing_consent_at": "When the champion agreed to be listed (consent on record).",
            "status": "Where the application stands.",
            "decision_reason": "Why a coordinator decided as they did; told to the champion.",
            "decided_at": "When the decision was made.",
            "decided_by_id": "Which coordinator decided (accountability).",
            "applied_at": "When the person applied.",
            "updated_at": "When the profile last changed.",
        },
        "id scope version",
    ),
    "champion_profile_areas": _link(
        "The council areas a champion covers.", "champion_profile_id council_area_id"
    ),
    "champion_profile_sectors": _link("The sectors a champion works in.", "champion_profile_id sector_id"),
    "champion_profile_levels": _link("A champion's NTTP levels.", "champion_profile_id nttp_level_id"),
    "consent_records": Entry(
        "Consents on record: the exact wording version a person agreed to, when, and when they withdrew.",
        KEPT_WITH_ACCOUNT,
        {
            "user_id": "Whose consent it is.",
            "given_at": "When the consent was given.",
            "withdrawn_at": "When it was withdrawn.",
        },
        "id kind version",
    ),
    "data_exports": Entry(
        "Copies of a person's data that they (or the DPO) asked for, and their one-time download links.",
        "The copy is deleted once downloaded or after 7 days; the row stays as a record that one was made.",
        {
            "subject_id": "Whose data was copied.",
            "requested_by_id": "Who asked for the copy and may download it.",
            "reason": "Why the DPO asked for someone else's data (accountability).",
            "requested_at": "When the copy was asked for.",
            "ready_at": "When it was made.",
            "expires_at": "When the link stops working.",
            "used_at": "When it was downloaded.",
            "data": "The copy itself: everything held about the person, until downloaded or expired.",
        },
        "id status token_hash size claimed_at",
    ),
    "form_submissions": Entry(
        "One-time keys of forms that make or send something, so a form sent twice acts once.",
        "Deleted after 7 days, and when the account closes.",
        {"user_id": "Who sent the form."},
        "id key action target_id created_at",
    ),
    "second_factors": Entry(
        "A second factor: the key a person's authenticator app shares with the portal.",
        "Until the person switches it off, an admin resets it, or the account closes.",
        {
            "user_id": "Whose it is.",
            "secret": "The shared key (security; never shown again after set-up).",
            "last_used_step": "The last code used, so no code works twice (security).",
            "confirmed_at": "When it was switched on.",
        },
    ),
    "recovery_codes": Entry(
        "Single-use recovery codes for a lost phone, kept only as one-way digests.",
        "Until used, replaced, the second factor is switched off, or the account closes.",
        {"user_id": "Whose they are.", "used_at": "When one was used (security)."},
        "id digest",
    ),
    "user_identities": Entry(
        "Organisation accounts (OpenID Connect, e.g. an NHS Scotland account) a person signs in with.",
        "Kept while linked: the person can unlink one on their account page; all go when the account closes.",
        {
            "user_id": "Whose organisation account it is.",
            "provider": "Which configured organisation (OIDC_PROVIDERS slug) vouches for the person.",
            "subject": "The organisation's fixed identifier for the person (the `sub` claim), used to "
            "recognise them at each sign-in.",
            "email": "The verified email address the organisation gave when the accounts were linked.",
            "linked_at": "When the organisation account was linked.",
            "last_used_at": "When it was last used to sign in.",
        },
        "id",
    ),
    "user_sessions": Entry(
        "Where a person is signed in, so they can see and end their sessions.",
        "Deleted 30 days (RETENTION_SESSION_DAYS) after the session ended or was last used, and all go "
        "when the account closes.",
        {
            "user_id": "Whose session it is.",
            "created_at": "When the sign-in began.",
            "last_seen_at": "When it was last used (written at most every 5 minutes).",
            "device": 'The browser and system in plain words, e.g. "Firefox on Windows".',
            "method": "How the person signed in.",
            "second_factor": "Whether a second factor was shown.",
            "ended_at": "When it was ended.",
        },
        "id session_version",
    ),
    "audit_entries": Entry(
        "The audit log: who did what to what, for accountability and safety.",
        "12 months.",
        {
            "actor_id": "Who acted.",
            "target_id": "What was acted on, which may be a person or their content.",
            "detail": "What was done, which may quote a reason or a title.",
            "created_at": "When.",
        },
        "id action target_type",
    ),
    "outbox_messages": Entry(
        "Emails the portal sends, queued with the change that causes them.",
        "Bodies are deleted after 90 days; the rest is kept as a record of what was sent.",
        {
            "to_address": "Where the email goes.",
            "subject": "May name the person's event, post or case study.",
            "body": "The email, addressed to the person by name.",
            "headers": "May carry the person's unsubscribe link.",
            "created_at": "When it was queued.",
            "sent_at": "When it was sent.",
        },
        "id status attempts next_attempt_at claimed_at last_error",
    ),
    "rate_limit_counters": Entry(
        "Counters that stop password guessing and floods of requests.",
        "Each counter expires with its window (minutes to a day); none is kept beyond 12 months.",
        {"key": "The address, account or device being counted (email addresses as a digest)."},
        "count expires_at",
    ),
    "search_documents": Entry(
        "The site search index, copied from what pages already show.",
        "Rebuilt from the content: gone when the content goes.",
        {
            "title": "May hold a champion's name or a post's thread title.",
            "body": "May quote what a person wrote, or a champion's profile.",
            "context": "May name an organisation or area.",
        },
        "id kind object_id audience link dated_at",
    ),
    "discussion_threads": Entry(
        "Discussion threads.",
        "Kept so discussions make sense; the author is shown as a former member once their account closes.",
        {"author_id": "Who started the thread.", "title": "The author's words.", "created_at": "When."},
        "id category_id post_count is_locked is_pinned last_post_at",
    ),
    "discussion_posts": Entry(
        "Discussion posts, anonymous ones too (the author is kept for safety, shown to nobody).",
        "Kept so discussions make sense, unless the author deletes them or chooses to when closing.",
        {
            "author_id": "Who wrote it, even when posted anonymously (coordinators may look, audited).",
            "body": "What the person wrote, which may be about their own experience.",
            "body_html": "The same, made ready to show.",
            "content_note": "The author's warning about the content.",
            "is_anonymous": "Whether the author chose to hide their name.",
            "created_at": "When.",
            "edited_at": "When last edited.",
            "deleted_at": "When the author deleted it.",
            "hidden_at": "When a moderator hid it.",
        },
        "id thread_id form_key version",
    ),
    "discussion_post_revisions": Entry(
        "Earlier versions of edited posts, for moderation.",
        "Kept with the post.",
        {
            "body": "What the person wrote before editing.",
            "content_note": "The earlier warning.",
            "created_at": "When.",
        },
        "id post_id",
    ),
    "discussion_thread_follows": _link("Threads a person follows.", "user_id thread_id created_at"),
    "discussion_category_follows": _link("Categories a person follows.", "user_id category_id created_at"),
    "discussion_thread_reads": _link(
        "How far a person has read each thread.", "user_id thread_id last_read_post_id"
    ),
    "discussion_reports": Entry(
        "Posts reported to moderators.",
        "Kept while the post is kept, for safety.",
        {
            "reporter_id": "Who reported it (never shown to the author).",
            "reason": "The reporter's words.",
            "created_at": "When.",
            "resolved_by_id": "Which moderator dealt with it.",
            "resolved_at": "When.",
        },
        "id post_id outcome",
    ),
    "discussion_settings": _link(
        "A person's choice of discussion emails (an optional email: consent on record).",
        "user_id email_mode auto_follow",
    ),
    "discussion_notifications": Entry(
        "Posts a person should hear about, for their emails and digest.",
        KEPT_WITH_ACCOUNT,
        {"user_id": "Who is told.", "created_at": "When.", "emailed_at": "When they were emailed."},
        "id post_id reason",
    ),
    "discussion_digest_runs": _link(
        "One digest a day at most, per person.", "id user_id day post_count created_at"
    ),
    "conversations": Entry(
        "Conversations between two people inside the portal, and reports of them to coordinators.",
        "While either person's account is open; deleted when both have closed. A person who closes their "
        "account leaves it, and the other keeps their copy with the author shown as a former member.",
        {
            "subject": "The words of the person who started it.",
            "started_by_id": "Who started it.",
            "created_at": "When.",
            "last_message_at": "When the latest message was sent.",
            "reported_at": "When one of them asked a coordinator to look.",
            "reported_by_id": "Who asked (never shown to the other person).",
            "report_reason": "The reporter's words.",
            "report_closed_at": "When a coordinator closed the report.",
            "report_closed_by_id": "Which coordinator closed it.",
        },
        "id",
    ),
    "conversation_members": Entry(
        "Each person's place in a conversation: news waiting, and whether they were emailed about it.",
        KEPT_WITH_ACCOUNT,
        {"user_id": "Whose place it is.", "last_read_at": "When they last read it."},
        "conversation_id unread emailed",
    ),
    "messages": Entry(
        "Messages between two people.",
        "Kept with the conversation; emptied when the author closes their account and asks for their "
        "words to be removed.",
        {"author_id": "Who wrote it.", "body": "The author's words.", "created_at": "When."},
        "id conversation_id",
    ),
    "message_blocks": Entry(
        "People a person has blocked from writing to them (never shown to the person blocked).",
        KEPT_WITH_ACCOUNT,
        {"blocker_id": "Who blocked.", "blocked_id": "Whom.", "created_at": "When."},
    ),
    "message_settings": _link(
        "A person's choice of message emails, and whether members may start conversations with a champion.",
        "user_id email_on contact_on",
    ),
    "received_mail": Entry(
        "A log of the replies by email the portal received, and what became of each (never their words).",
        "Deleted after 90 days.",
        {"user_id": "Whose reply it was, when the reply address was genuine.", "received_at": "When."},
        "id kind target_id outcome message_key",
    ),
    "return_windows": Entry(
        "The weeks in which champions send their quarterly return, one window per quarter.",
        "Kept while the returns are used for the programme's picture.",
        {"opened_by_id": "Which coordinator opened it.", "created_at": "When."},
        "id year quarter opens_on closes_on version",
    ),
    "quarterly_returns": Entry(
        "A champion's quarterly return: what they did, what helped and got in the way, support they would "
        "like, and an optional answer on how they find the role (shown only to them; counted only in "
        "groups of at least 5).",
        "Kept with the account. When it closes, drafts are deleted and a sent return keeps only its figures "
        "and ticked themes, for the totals; the person's words and wellbeing answer are erased.",
        {
            "user_id": "Whose return it is.",
            "helped_words": "The champion's words.",
            "hindered_words": "The champion's words.",
            "support_wanted": "The champion's words.",
            "wellbeing": "How they find the role: seen by them alone, counted only in groups of 5 or more.",
            "created_at": "When.",
            "updated_at": "When.",
            "submitted_at": "When it was sent.",
            "late": "Whether it was sent after the window closed.",
        },
        "id window_id status sessions_run events_attended case_studies_shared helped hindered version",
    ),
    "return_reach": Entry(
        "How many people a return says the champion reached at each NTTP practice level.",
        "Kept with the return.",
        other="return_id nttp_level_id people",
    ),
    "return_emails": Entry(
        "Which champions were emailed as a window opened and a week before it closed (never twice).",
        KEPT_WITH_ACCOUNT,
        {"user_id": "Who was emailed.", "sent_at": "When."},
        "window_id kind",
    ),
    "return_chases": Entry(
        "A coordinator's one-click reminder to a champion about their return (at most one a day).",
        KEPT_WITH_ACCOUNT,
        {
            "user_id": "Who was reminded.",
            "sent_by_id": "Which coordinator sent it.",
            "sent_on": "Which day.",
            "sent_at": "When.",
        },
        "id window_id",
    ),
    "buddy_settings": _link(
        "A champion's choice to be another champion's buddy, and how far their organisation has come with "
        "the Roadmap (their own view).",
        "user_id willing roadmap_stage",
    ),
    "buddy_requests": Entry(
        "A champion asking for a buddy, with what they would like.",
        "Kept as the person's history; when their account closes an open request is withdrawn and their "
        "words are emptied.",
        {
            "user_id": "Who asked.",
            "open_key": "Who asked, while the request is open (one open request per person).",
            "note": "The person's words to the coordinators.",
            "created_at": "When.",
        },
        "id different_sector nearby further_on council_board status closed_at",
    ),
    "buddy_pairings": Entry(
        "Two champions paired as buddies by a coordinator.",
        "Kept as the pair's history once ended; closing an account ends its pairings, and the other keeps "
        "theirs with the closed account shown as a former member.",
        {
            "asker_id": "Who asked for a buddy.",
            "buddy_id": "Who was paired with them.",
            "active_key": "The two people, while the pairing is active (one active pairing per two people).",
            "paired_by_id": "Which coordinator paired them.",
            "paired_at": "When.",
            "ended_at": "When it ended.",
            "ended_by_id": "Which of the two ended it.",
        },
        "id request_id",
    ),
    "assessments": Entry(
        "Organisational self-assessments: one organisation's cycle on one framework version.",
        "Kept as the organisation's record; the people named are shown as former members once their "
        "accounts close.",
        {
            "started_by_id": "Which champion started it.",
            "submitted_by_id": "Which champion submitted it.",
            "reopen_reason": "The words of the champion who reopened it (also in the audit log).",
        },
        "id organisation_id framework_id status version created_at updated_at submitted_at reopened_at "
        "chart_svg shared_with_network",
    ),
    "assessment_contributors": Entry(
        "Colleagues invited to help with an organisation's self-assessment.",
        KEPT_WITH_ACCOUNT,
        {"user_id": "Who helps.", "added_at": "When they joined."},
        "assessment_id",
    ),
    "assessment_invitations": Entry(
        "Invitations to help with a self-assessment, sent by email.",
        "Kept with the assessment.",
        {
            "email": "The address the invitation went to.",
            "invited_by_id": "Which champion invited them.",
            "created_at": "When.",
            "accepted_at": "When it was taken up.",
        },
        "id assessment_id token_hash",
    ),
    "assessment_answers": Entry(
        "One domain's rating, evidence and links in a self-assessment.",
        "Kept with the assessment.",
        {
            "evidence": "The organisation's words (about the organisation, not people).",
            "updated_by_id": "Who saved it last.",
            "updated_at": "When.",
        },
        "id assessment_id domain_id rating links saved_in_version",
    ),
    "assessment_actions": Entry(
        "Next actions of a self-assessment, each with an owner and a date.",
        "Kept with the assessment; the owner is cleared when their account row is deleted.",
        {"owner_id": "Who owns the action, and is reminded when it falls due."},
        "id assessment_id domain_id description due_on reminded_at",
    ),
    "case_studies": Entry(
        "Case studies of practice, and their review.",
        "Kept so the library stays whole; the author is shown as a former member once their account closes.",
        {
            "author_id": "Who wrote it.",
            "contact_name": "Whom readers may contact, as the author chose.",
            "contact_email": "How readers may contact them, as the author chose.",
            "summary": "The author's words (the checklist asks that no one else is identifiable).",
            "challenge": "The author's words.",
            "approach": "The author's words.",
            "involvement": "The author's words.",
            "impact": "The author's words.",
            "learning": "The author's words.",
            "advice": "The author's words.",
            "pending_changes": "An edit of the author's waiting for review.",
            "created_at": "When.",
            "updated_at": "When.",
            "submitted_at": "When.",
            "published_at": "When.",
        },
        "id organisation_id status visibility title co_produced review_by pending_status form_key",
    ),
    "attachments": Entry(
        "Files attached to case studies.",
        "Kept with the case study.",
        {"filename": "The author's name for the file.", "created_at": "When."},
        "id case_study_id kind size pending",
    ),
    "attachment_blobs": Entry(
        "The bytes of the files.",
        "Kept with the case study.",
        {"data": "The file the author attached; it may name the author (reviewers check no one else)."},
        "attachment_id",
    ),
    "case_study_transitions": Entry(
        "Each step of a case study's review.",
        "Kept with the case study.",
        {
            "actor_id": "Who moved it (the author or a reviewer).",
            "comment": "The reviewer's words to the author.",
            "checklist": "What the reviewer confirmed.",
            "created_at": "When.",
        },
        "id case_study_id from_status to_status",
    ),
    "case_study_bookmarks": _link("Case studies a person saved.", "id user_id case_study_id created_at"),
    "case_study_useful_marks": _link(
        "Case studies a person found useful.", "id user_id case_study_id created_at"
    ),
    "events": Entry(
        "Events, their organisers and their reports.",
        "Kept as a record of the network's learning.",
        {"created_by_id": "Who organised it.", "created_at": "When.", "updated_at": "When."},
        "id title description event_type format status starts_at ends_at registration_deadline capacity "
        "joining_link venue address council_area_id accessibility report_key_messages report_summary "
        "report_published_at version",
    ),
    "event_organisers": _link("Who helps organise each event.", "event_id user_id"),
    "registrations": Entry(
        "Places at events.",
        KEPT_WITH_ACCOUNT + " Access and dietary needs are deleted 30 days after the event.",
        {
            "user_id": "Who has the place.",
            "needs": "Access or dietary needs the person told the organisers (may be health data).",
            "sector_id": "The sector the person works in, for the event's report (counted, never named).",
            "attended": "Whether they came.",
            "feedback_given": "Whether they gave feedback.",
            "created_at": "When.",
            "updated_at": "When.",
        },
        "id event_id status",
    ),
    "reminders_sent": _link(
        "Reminders sent before events, so none is sent twice.", "id registration_id days_before sent_at"
    ),
    "feedback": Entry(
        "Feedback on events.",
        "Kept for the event's report; the name is dropped when the person chose to be anonymous.",
        {
            "user_id": "Who gave it, unless they chose to be anonymous.",
            "barriers": "The person's words.",
            "enablers": "The person's words.",
            "created_at": "When.",
        },
        "id event_id rating",
    ),
    "pledges": Entry(
        "Actions people pledged after an event, and how they got on.",
        "Kept for the learning report; follow-ups stop when the person asks.",
        {
            "user_id": "Who pledged, for the follow-up emails.",
            "text": "The person's own words, for an action of their own.",
            "progress": "The person's answer to a follow-up.",
            "progress_at": "When.",
            "created_at": "When.",
        },
        "id feedback_id kind followups_stopped",
    ),
    "statistics_runs": Entry(
        "When the dashboards' figures were last worked out (`flask refresh-statistics`), and which months.",
        "Replaced by each refresh.",
        other="id first_month last_month finished_at",
    ),
    "statistics_figures": Entry(
        "The dashboards' month-by-month counts per scope, sector and group: totals, never a person. Counts "
        "of people are written under the rule of five wherever they are shown.",
        "Replaced by each refresh, so a closed account drops out of the figures by the next night.",
        other="id measure month scope sector_id label value",
    ),
    "statistics_charts": Entry(
        "The dashboard's charts per view (its months, scope and sector), drawn from the figures by each "
        "refresh or on a chart's first request (small groups left out).",
        "Replaced by each refresh.",
        other="view key ahead title summary svg drawn_at",
    ),
    "pledge_followups": _link("Follow-ups sent, so none is sent twice.", "id pledge_id days_after sent_at"),
    "organisations": _reference(
        "Organisations people work for.", "id name kind council_area_id health_board_id status"
    ),
    "organisation_council_areas": _reference(
        "The council areas each organisation works in.", "organisation_id council_area_id"
    ),
    "council_areas": _reference(
        "Scotland's council areas.", "id slug name gss_code health_board_id hscp_name approx_lat approx_lon"
    ),
    "health_boards": _reference("NHS boards.", "id slug name gss_code kind"),
    "nttp_levels": _reference("NTTP practice levels.", "id slug name who_it_is_for position"),
    "principles": _reference("Trauma-informed principles.", "id slug name position"),
    "implementation_domains": _reference(
        "Implementation domains, to tag content with.", "id slug name position"
    ),
    "event_domains": _reference("Event implementation domain tags.", "event_id implementation_domain_id"),
    "resource_domains": _reference(
        "Resource implementation domain tags.", "resource_id implementation_domain_id"
    ),
    "case_study_domains": _reference(
        "Case study implementation domain tags.", "case_study_id implementation_domain_id"
    ),
    "assessment_frameworks": _reference(
        "Self-assessment framework versions.", "id name version_number is_published wording_note created_at"
    ),
    "assessment_domains": _reference(
        "Self-assessment domains.", "id framework_id slug name position version"
    ),
    "assessment_statements": _reference(
        "Self-assessment statements.", "id domain_id principle_id text position"
    ),
    "sectors": _reference("Sectors.", "id slug name position"),
    "topics": _reference("Case study topic tags.", "id slug name"),
    "resources": _reference(
        "Learning resources.", "id title provider format url description created_at updated_at version"
    ),
    "resource_levels": _reference("Resource levels.", "resource_id level_id"),
    "discussion_categories": _reference(
        "Discussion categories.",
        "id slug name description position created_at thread_count post_count last_post_at version",
    ),
    "event_levels": _reference("Event levels.", "event_id level_id"),
    "event_sectors": _reference("Event sectors.", "event_id sector_id"),
    "event_resources": _reference("Event resources.", "event_id resource_id"),
    "case_study_areas": _reference("Case study areas.", "case_study_id council_area_id"),
    "case_study_levels": _reference("Case study levels.", "case_study_id nttp_level_id"),
    "case_study_principles": _reference("Case study principles.", "case_study_id principle_id"),
    "case_study_sectors": _reference("Case study sectors.", "case_study_id sector_id"),
    "case_study_topics": _reference("Case study topics.", "case_study_id topic_id"),
}


def undescribed(metadata: MetaData) -> list[str]:
    """Every table.column of the models that the register does not describe, and every stale entry."""
    problems = []
    for table in metadata.sorted_tables:
        entry = REGISTER.get(table.name)
        if entry is None:
            problems.append(f"{table.name} (the whole table)")
            continue
        described = set(entry.personal) | set(entry.other.split())
        problems += [f"{table.name}.{c.name}" for c in table.columns if c.name not in described]
        problems += [
            f"{table.name}.{name} (no such column)" for name in described - set(table.columns.keys())
        ]
    problems += [f"{name} (no such table)" for name in REGISTER.keys() - set(metadata.tables)]
    return problems


def as_markdown(metadata: MetaData) -> str:
    """The register as Markdown: tables holding personal data first, then the rest."""
    lines = [
        "# Data register",
        "",
        "What personal data each table of the Trauma Champions Network holds, why, and for how long.",
        "Generated from the models by `flask data-register`; do not edit by hand (edit",
        "`champions/privacy/services/register.py` and run the command again).",
        "",
    ]
    tables = sorted(metadata.tables, key=lambda name: (not REGISTER[name].personal, name))
    for name in tables:
        entry = REGISTER[name]
        lines += [f"## `{name}`", "", entry.purpose, "", f"**Kept:** {entry.retention}", ""]
        if entry.personal:
            lines += ["| Column | Personal data, and why |", "| --- | --- |"]
            lines += [f"| `{column}` | {why} |" for column, why in entry.personal.items()]
            lines.append("")
        if entry.other:
            lines += [
                "Other columns (no personal data): " + ", ".join(f"`{c}`" for c in entry.other.split()),
                "",
            ]
    return "\n".join(lines)
