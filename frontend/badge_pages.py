"""The badges' pages: the wallet (downloads, sharing), the public page of a shared badge, the verification
page, and the coordinator's badge classes, nominations and awards. As thin as the other pages: reads through
`badges.selectors`, writes through `badges.services`, credentials from `badges.issuing`."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from badges import issuing, selectors, services
from badges.api import BadgesPublicThrottle
from badges.models import Award, Contribution, NominationStatus, badge_criteria, badge_description, badge_name
from frontend import forms, rows
from frontend.views import _back, paginate, role_required

# The wallet -----------------------------------------------------------------------------------------------


@require_GET
@login_required
def wallet(request):
    """My badges, newest first: each with its evidence, its downloads and whether it is shared; revoked
    ones stay, marked revoked, without downloads or sharing."""
    columns = rows.rows(
        selectors.wallet(user=request.user),
        *("pk", "issued_at", "evidence_text", "evidence_url", "revoked_at", "revoked_reason"),
        *("share_slug", "share_name"),
        *("badge_class__name", "badge_class__description", "badge_class__milestone", "badge_class__language"),
        organisation_name=F("organisation__name"),
    )
    page, query = paginate(request, columns)
    for award in rows.page_rows(page):
        milestone = award["badge_class__milestone"]
        award["badge_name"] = badge_name(award["badge_class__name"], milestone)
        award["badge_description"] = badge_description(award["badge_class__description"], milestone)
    return render(request, "frontend/badges/wallet.html", {"page": page, "query": query})


def _mine(request, award_id: int) -> Award:
    return get_object_or_404(selectors.wallet(user=request.user), pk=award_id)


@require_POST
@login_required
def award_share(request, award_id: int):
    """Share (or rename) the badge's public page, or stop sharing it (`stop`): the old link then dies."""
    award = _mine(request, award_id)
    if request.POST.get("stop") == "1":
        services.award_unshare(award=award, by=request.user)
        messages.success(request, _("The badge is no longer shared; its link shows nothing now."))
        return redirect("wallet")
    form = forms.ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the name to show with the badge."))
        return redirect("wallet")
    services.award_share(award=award, by=request.user, display_name=form.cleaned_data["display_name"])
    messages.success(request, _("The badge is shared. Anyone with its link can see it."))
    return redirect("wallet")


def _download(request, award_id: int) -> Award:
    """The holder's own award, or for a coordinator one of their organisation's (as the API)."""
    try:
        return selectors.award_for_download(user=request.user, award_id=award_id)
    except Award.DoesNotExist:
        raise Http404 from None


def _attachment(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def award_download(request, award_id: int, form: str):
    award = _download(request, award_id)
    if form == "jwt":
        return _attachment(issuing.credential_jwt(award), "application/vc+jwt", f"badge-{award.pk}.jwt")
    if form == "json":
        body = json.dumps(issuing.credential_json(award), ensure_ascii=False, indent=2)
        return _attachment(body, "application/vc+ld+json", f"badge-{award.pk}.json")
    # the badge image with the signed credential baked in
    return _attachment(issuing.baked_svg(award), "image/svg+xml", f"badge-{award.pk}.svg")


# Public -------------------------------------------------------------------------------------------------


@require_GET
def shared_badge(request, slug: str):
    """A badge its holder shared: the badge and the name they chose; nothing else. No log-in."""
    try:
        award = selectors.shared_award(slug=slug)
    except Award.DoesNotExist:
        raise Http404 from None
    shown = selectors.shared_award_public(award)
    return render(request, "frontend/badges/shared.html", {"shown": shown, "badge_class_id": award.badge_class_id})


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone pastes or uploads a credential (JWT, JSON or baked SVG) and is told whether it is valid, or
    exactly why not. Counted against the same per-address limit as the API's verifier."""
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        if not BadgesPublicThrottle().allow_request(request, None):
            messages.error(request, _("Too many checks from this address. Try again in a minute."))
            return render(request, "frontend/badges/verify.html", {"form": forms.VerifyForm()}, status=429)
        if form.is_valid():
            result = issuing.verify(form.cleaned_data["text"])
    return render(request, "frontend/badges/verify.html", {"form": form, "result": result})


# Badge classes ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_badge_classes(request):
    """The organisation's badges, active ones first, with a form to create one and a button to retire each
    (as the API: `badge_class_create`, `badge_class_retire`)."""
    # a new badge's texts are most likely written in the language the coordinator reads the page in
    form = forms.BadgeClassForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        badge_class = services.badge_class_create(
            organisation=request.user.organisation, by=request.user, **form.badge_class_fields()
        )
        messages.success(request, _("The badge “%(name)s” is created.") % {"name": badge_class.name})
        return redirect("coordinator-badge-classes")
    found = selectors.badge_class_list(user=request.user).order_by(
        F("retired_at").asc(nulls_first=True), F("milestone").asc(nulls_first=True), "name", "id"
    )
    columns = rows.rows(
        found,
        *("pk", "name", "description", "criteria", "tags", "language", "colour", "milestone", "contribution"),
        "retired_at",
    )
    page, query = paginate(request, columns)
    # the form's choices are the languages already read: their names cost no other query
    languages = dict(form.fields["language"].choices)
    for badge_class in rows.page_rows(page, contribution=Contribution):
        milestone = badge_class["milestone"]
        badge_class["display_name"] = badge_name(badge_class["name"], milestone)
        badge_class["display_description"] = badge_description(badge_class["description"], milestone)
        badge_class["display_criteria"] = badge_criteria(badge_class["criteria"], milestone)
        badge_class["language_name"] = languages.get(badge_class["language"], badge_class["language"])
    return render(
        request,
        "frontend/badges/badge_classes.html",
        {"form": form, "page": page, "query": query, "here": request.get_full_path()},
    )


@require_POST
@role_required(Role.COORDINATOR)
def coordinator_badge_class_retire(request, badge_class_id: int):
    """Retire a badge: it is awarded no more (milestones included); awards already made stay valid."""
    badge_class = get_object_or_404(selectors.badge_class_list(user=request.user), pk=badge_class_id)
    services.badge_class_retire(badge_class=badge_class, by=request.user)
    messages.success(request, _("“%(name)s” is retired: it is awarded no more.") % {"name": badge_class.display_name})
    return _back(request, "coordinator-badge-classes")


# Nominations --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.VOLUNTEER, Role.COORDINATOR)
def nomination_create(request):
    """Nominate a mentee for what they did for others; a coordinator approves or rejects it."""
    by_email = request.user.role == Role.COORDINATOR
    initial = {"mentee": request.GET.get("mentee")} if not by_email and request.GET.get("mentee") else None
    # a volunteer picks among their mentees; a coordinator (thousands of them) gives an e-mail address
    mentees = selectors.nominatable_mentees(user=request.user)
    form = forms.NominationForm(request.POST or None, mentees=mentees, by_email=by_email, initial=initial)
    if request.method == "POST" and form.is_valid():
        nomination = services.nomination_create(by=request.user, **form.nomination_fields())
        messages.success(
            request,
            _("%(name)s is nominated. A coordinator will decide.") % {"name": nomination.mentee.user.display_name},
        )
        return redirect("coordinator-nominations" if by_email else "nomination-create")
    made = None
    if not by_email:
        made = selectors.nomination_list(user=request.user).order_by("-created_at", "-id")[:10]
    return render(request, "frontend/badges/nominate.html", {"form": form, "made": made})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_nominations(request):
    """The organisation's nominations (pending first by default), oldest first, to approve or reject."""
    form = forms.NominationFilterForm(request.GET or {"status": NominationStatus.PENDING})
    if form.is_valid():
        status = form.cleaned_data["status"]
        found = selectors.nomination_list(user=request.user, filters={"status": status} if status else None)
    else:
        found = selectors.nomination_list(user=request.user).none()
    columns = rows.rows(
        found.order_by("created_at", "id"),
        *("pk", "category", "status", "created_at", "evidence_text", "evidence_url", "reason", "award_id"),
        *("nominated_by_id", "award__badge_class__name", "award__badge_class__milestone"),
        mentee_name=F("mentee__user__display_name"),
        nominated_by_name=F("nominated_by__display_name"),
    )
    page, query = paginate(request, columns)
    for nomination in rows.page_rows(page, category=Contribution, status=NominationStatus):
        if nomination["award_id"] is not None:
            badge = (nomination["award__badge_class__name"], nomination["award__badge_class__milestone"])
            nomination["award_badge_name"] = badge_name(*badge)
    return render(
        request,
        "frontend/badges/nominations.html",
        {"form": form, "page": page, "query": query, "here": request.get_full_path()},
    )


def _nomination(request, nomination_id: int):
    return get_object_or_404(selectors.nomination_list(user=request.user), pk=nomination_id)


@require_POST
@role_required(Role.COORDINATOR)
def coordinator_nomination_approve(request, nomination_id: int):
    nomination = services.nomination_approve(nomination_id=_nomination(request, nomination_id).pk, by=request.user)
    messages.success(request, _("%(name)s is awarded the badge.") % {"name": nomination.mentee.user.display_name})
    return _back(request, "coordinator-nominations")


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_nomination_reject(request, nomination_id: int):
    nomination = _nomination(request, nomination_id)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.nomination_reject(nomination_id=nomination.pk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The nomination was rejected."))
        return redirect("coordinator-nominations")
    return render(request, "frontend/badges/nomination_reject.html", {"form": form, "nomination": nomination})


# Awards -------------------------------------------------------------------------------------------------


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_awards(request):
    """The organisation's awards, newest first, each to revoke with a reason."""
    columns = rows.rows(
        selectors.award_list(user=request.user).order_by("-issued_at", "-id"),
        *("pk", "issued_at", "revoked_at", "revoked_reason", "badge_class__name", "badge_class__milestone"),
        recipient_name=F("recipient__display_name"),
    )
    page, query = paginate(request, columns)
    for award in rows.page_rows(page):
        award["badge_name"] = badge_name(award["badge_class__name"], award["badge_class__milestone"])
    return render(request, "frontend/badges/awards.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_award_revoke(request, award_id: int):
    """Revoke an award, saying why: its credentials stop verifying (the status list says so at once)."""
    award = get_object_or_404(selectors.award_list(user=request.user), pk=award_id)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.award_revoke(award_id=award.pk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The badge is revoked."))
        return redirect("coordinator-awards")
    return render(request, "frontend/badges/revoke.html", {"form": form, "award": award})
