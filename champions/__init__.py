"""Trauma Champions Network: the portal for Scotland's trauma champions."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from champions import (
    cli,
    connection_checks,
    errors,
    http_cache,
    ratelimit_storage,  # noqa: F401 - registers the database:// limiter store
    security,
    small_numbers,
    sqlite_tuning,
)
from champions import config as settings
from champions.accounts import organisation_sign_in
from champions.accounts import views as accounts_views
from champions.accounts.models import AnonymousUser
from champions.accounts.services import load_user
from champions.admin import views as admin_views
from champions.assessments import views as assessments_views
from champions.buddies import services as buddies_services
from champions.buddies import views as buddies_views
from champions.casestudies import views as casestudies_views
from champions.clock import format_london
from champions.dashboard import views as dashboard_views
from champions.directory import services as directory_services
from champions.directory import views as directory_views
from champions.discussions import views as discussions_views
from champions.events import views as events_views
from champions.extensions import csrf, db, limiter, login_manager, migrate
from champions.home import views as home_views
from champions.lifecycle import views as lifecycle_views
from champions.links import external_url, link
from champions.manage import views as manage_views
from champions.markup import render_markdown
from champions.messages import views as messages_views
from champions.privacy import views as privacy_views
from champions.privacy.services import consents as privacy_consents
from champions.resources import views as resources_views
from champions.returns import views as returns_views
from champions.search import hooks as search_hooks
from champions.search import views as search_views
from champions.security import DatabaseInteger

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the portal: settings, extensions, blueprints, error pages and commands."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings.from_environment(Path(app.instance_path)))
    app.config.from_mapping(config or {})
    if app.config["PROXY_COUNT"]:
        # Behind N trusted proxies, take the visitor's address from X-Forwarded-For.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.url_map.converters["int"] = DatabaseInteger

    db.init_app(app)
    sqlite_tuning.init_app(app)
    connection_checks.init_app(app)
    search_hooks.init_app(app)
    privacy_consents.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.anonymous_user = AnonymousUser
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    organisation_sign_in.init_app(app)

    for blueprint in (
        home_views.bp,
        accounts_views.bp,
        admin_views.bp,
        directory_views.bp,
        discussions_views.bp,
        casestudies_views.bp,
        events_views.bp,
        resources_views.bp,
        search_views.bp,
        privacy_views.bp,
        lifecycle_views.bp,
        manage_views.bp,
        messages_views.bp,
        returns_views.bp,
        buddies_views.bp,
        assessments_views.bp,
        dashboard_views.bp,
    ):
        app.register_blueprint(blueprint)

    # A champion whose role ends leaves their buddy pairings (the directory calls what is listed here).
    app.extensions[directory_services.ROLE_ENDS] = [buddies_services.end_for_former_champion]

    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(format_london, "london")
    for counting in (small_numbers.display_count, small_numbers.count_people, small_numbers.plural):
        app.add_template_filter(counting)
    app.add_template_global(link)
    app.add_template_global(external_url)  # emails link to pages, such as writing to a coordinator
    http_cache.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
