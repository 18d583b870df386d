"""Peer buddies: a champion's page, settings and request; the coordinators' list; pairings and ending them."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from champions.accounts.models import Role
from champions.accounts.permissions import role_required
from champions.accounts.queries import responsible_area_ids
from champions.buddies import forms, queries, services
from champions.buddies.models import RequestStatus
from champions.buddies.permissions import (
    own_pairing_or_404,
    pairing_or_404,
    request_or_404,
    verified_profile_or_403,
)

bp = Blueprint("buddies", __name__, url_prefix="/buddies")


@bp.route("")
@login_required
def index():
    profile = queries.verified_profile(current_user)
    open_request = queries.open_request_for(current_user.id) if profile else None
    waiting = None
    if current_user.is_coordinator:
        waiting = queries.open_request_counts(responsible_area_ids(current_user))[1]
    return render_template(
        "buddies/index.html",
        profile=profile,
        setting=queries.settings_for(current_user.id),
        open_request=open_request,
        pairings=queries.pairings_for(current_user.id),
        waiting=waiting,
    )


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    verified_profile_or_403(current_user)
    form = forms.SettingsForm(obj=queries.settings_for(current_user.id))
    if form.validate_on_submit():
        services.save_settings(current_user, form.willing.data, form.roadmap_stage.data or 0)
        flash("Your buddy settings have been saved.", "success")
        return redirect(url_for(".index"))
    return render_template("buddies/settings.html", form=form)


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask():
    verified_profile_or_403(current_user)
    existing = queries.open_request_for(current_user.id)
    if existing is not None:
        flash("You have already asked for a buddy. A coordinator will be in touch.", "info")
        return redirect(url_for(".request_detail", request_id=existing.id))
    form = forms.AskForm()
    if form.validate_on_submit():
        buddy_request = services.ask(
            current_user,
            form.different_sector.data,
            form.nearby.data,
            form.further_on.data,
            form.council_board.data,
            form.note.data or "",
        )
        flash("Thank you. A coordinator will look for a buddy for you and email you both.", "success")
        return redirect(url_for(".request_detail", request_id=buddy_request.id))
    return render_template("buddies/ask.html", form=form)


@bp.route("/requests")
@role_required(Role.COORDINATOR)
def requests():
    area_ids = responsible_area_ids(current_user)
    return render_template(
        "buddies/requests.html", requests=queries.open_requests(area_ids), has_areas=bool(area_ids)
    )


def _request_page(buddy_request, status: int = 200):
    coordinator = current_user.is_coordinator and buddy_request.user_id != current_user.id
    return render_template(
        "buddies/request.html",
        buddy_request=buddy_request,
        suggestions=queries.suggestions(buddy_request) if coordinator and buddy_request.is_open else [],
        coordinator=coordinator,
        pairing=None if buddy_request.is_open else queries.pairing_for_request(buddy_request.id),
        rules=queries.RULES,
        pair_form=forms.PairForm(),
        withdraw_form=forms.ConfirmForm(),
    ), status


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    return _request_page(request_or_404(request_id, current_user))


@bp.post("/requests/<int:request_id>/withdraw")
@login_required
def withdraw(request_id: int):
    buddy_request = request_or_404(request_id, current_user)
    if buddy_request.user_id != current_user.id:
        abort(404)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    if services.withdraw(buddy_request):
        flash("Your request is withdrawn. You can ask again at any time.", "success")
        return redirect(url_for(".index"))
    if buddy_request.status == RequestStatus.PAIRED:
        flash(
            "A coordinator had already paired you from this request, so there was nothing to withdraw. "
            "If you would rather not go ahead, you can end the pairing: no reason needed.",
            "info",
        )
    else:
        flash("This request was withdrawn already. You can ask again at any time.", "info")
    return redirect(url_for(".request_detail", request_id=buddy_request.id))


@bp.post("/requests/<int:request_id>/pair")
@role_required(Role.COORDINATOR)
def pair(request_id: int):
    buddy_request = request_or_404(request_id, current_user)
    if buddy_request.user_id == current_user.id:
        abort(404)  # nobody pairs themselves
    form = forms.PairForm()
    if not form.validate_on_submit():
        flash("Choose who to pair them with.", "warning")
        return _request_page(buddy_request, 400)
    try:
        pairing = services.pair(current_user, buddy_request, form.buddy)
    except services.RequestNotOpen:
        flash("This request has been dealt with already, perhaps by another coordinator just now.", "info")
        made = queries.pairing_for_request(buddy_request.id)
        if made is not None:  # a second sending lands where the first did
            return redirect(url_for(".pairing", pairing_id=made.id))
        return redirect(url_for(".request_detail", request_id=buddy_request.id))
    except services.CannotPair:
        flash("That person cannot be this champion's buddy now. Please choose from the list.", "warning")
        return _request_page(buddy_request, 409)
    except services.AskerNotAvailable:
        flash(
            f"{buddy_request.user.name} is no longer a verified champion, so they cannot be paired now.",
            "warning",
        )
        return _request_page(buddy_request, 409)
    flash("They are paired. We have emailed them both each other's contact details.", "success")
    return redirect(url_for(".pairing", pairing_id=pairing.id))


@bp.route("/pairings/<int:pairing_id>")
@login_required
def pairing(pairing_id: int):
    return render_template("buddies/pairing.html", pairing=pairing_or_404(pairing_id, current_user))


@bp.route("/pairings/<int:pairing_id>/end", methods=["GET", "POST"])
@login_required
def end(pairing_id: int):
    pairing = own_pairing_or_404(pairing_id, current_user)
    form = forms.ConfirmForm()
    if not pairing.is_active:
        flash("This pairing has ended already.", "info")
        return redirect(url_for(".index"))
    if form.validate_on_submit():
        services.end(pairing, current_user)
        flash("Your pairing has ended. Thank you for the time you gave each other.", "success")
        return redirect(url_for(".index"))
    other = pairing.other_person(current_user)
    return render_template("buddies/end.html", pairing=pairing, other=other, form=form)
