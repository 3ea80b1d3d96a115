"""The web pages: as thin as the API views. Read through a selector, write through a service, render a
template; an htmx request gets the partial (`request.htmx`), anything else the whole page."""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import personal_data
from accounts import services as account_services
from accounts.models import Language, Role, UserLanguage
from accounts.serializers import signup_accepted_answer
from accounts.signup import signup_or_notify
from accounts.throttles import SignupThrottle
from chat import selectors as chat_selectors
from chat import services as chat_services
from chat.models import MessageStatus, ReportStatus
from config.pagination import BoundedCountPaginator, count_key
from frontend import forms, rows
from frontend.charts import Bar, bar_chart
from mentees.models import HelpRequest, HelpRequestStatus, Urgency, minor_birth_year_floor
from mentees.selectors import help_request_list, mentee_list
from mentees.services import consent_record, help_request_create, mentee_signup, mentee_update
from safeguarding.models import Action
from safeguarding.selectors import entry_list
from scheduling import reports
from scheduling import selectors as scheduling_selectors
from scheduling.models import CURRENT_STATUSES, LIVE_STATUSES, MatchRunStatus, PairingStatus, SessionStatus, Slot
from scheduling.services import match_runs, pairings, sessions, slots
from scheduling.services.availability import availability_replace
from volunteers.selectors import volunteer_list
from volunteers.services import vetting_record, volunteer_signup, volunteer_update

PAGE_SIZE = 20
OVERVIEW_SECONDS = 60  # how old the overview's figures may be


def role_required(*roles: str):
    """Anonymous visitors go to the log-in page; people of another role get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def paginate(request, found, param: str = "page"):
    """One page of `found` (PAGE_SIZE rows, from `?<param>=`; a bad number gives the first or last page) and
    the query string without `param`, for the page links: a page costs a count and a slice, whatever the
    organisation's size (the count is the API's: exact up to 1,000 rows, then kept for 30 s and read first)."""
    page = BoundedCountPaginator(found, PAGE_SIZE, count_key=count_key(request, param)).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


def render_page(request, template: str, context: dict, partial: str | None = None):
    """The whole page, or only `partial` for an htmx request; caches keep the two apart."""
    response = render(request, partial if partial and request.htmx else template, context)
    if partial:
        patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def landing(request):
    return render(request, "frontend/landing.html")


@login_required
def home(request):
    """Where log-in leads: each role's first page."""
    if request.user.role == Role.COORDINATOR:
        return redirect("coordinator-help-requests")
    if request.user.role == Role.MENTEE:
        return redirect("mentee-help-requests")
    if request.user.role == Role.VOLUNTEER:
        return redirect("profile")
    return redirect("landing")


class LoginView(auth_views.LoginView):
    template_name = "frontend/auth/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out here and everywhere: every session, API token and socket of the person ends (as the API)."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            account_services.sessions_end_all(user=request.user)
        logout(request)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "frontend/auth/password_change.html"
    form_class = forms.PasswordChangeForm


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "frontend/auth/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "frontend/auth/password_reset.html"
    form_class = forms.PasswordResetForm


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "frontend/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "frontend/auth/password_reset_confirm.html"
    form_class = forms.SetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "frontend/auth/password_reset_complete.html"


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_help_requests(request):
    """The organisation's help requests by need, language, urgency and status."""
    form = forms.HelpRequestFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        requests = help_request_list(user=request.user).none()
    else:
        requests = help_request_list(user=request.user, filters=filters)
    columns = rows.rows(requests, "pk", "urgency", "status", "created_at", mentee_name=F("mentee__user__display_name"))
    page, query = paginate(request, columns)
    found = rows.page_rows(page, urgency=Urgency, status=HelpRequestStatus)
    rows.attach_many(found, "needs", HelpRequest.needs, "label", display=_)
    rows.attach_many(found, "languages", HelpRequest.languages, "native_name")
    return render_page(
        request,
        "frontend/coordinator/help_requests.html",
        {"form": form, "page": page, "query": query},
        partial="frontend/coordinator/_help_requests.html",
    )


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_overview(request):
    """The organisation at a glance: unmet demand, time to a match and a session, sessions held, capacity.
    The figures are aggregates over the whole organisation (about 30 ms of queries at 5,000 mentees), so
    they are kept for a minute per organisation, language (the labels) and time zone (the weeks)."""
    key = ":".join(
        [
            "frontend-overview",
            str(request.user.organisation_id),
            translation.get_language(),
            timezone.get_current_timezone_name(),
        ]
    )
    figures = cache.get(key)
    if figures is None:
        figures = reports.overview(organisation_id=request.user.organisation_id)
        cache.set(key, figures, OVERVIEW_SECONDS)
    rtl = translation.get_language_bidi()

    def demand_chart(rows, title, chart_id):
        return bar_chart(
            title=title,
            chart_id=chart_id,
            rtl=rtl,
            bars=[Bar(row.label, row.open_requests, muted=not row.covered) for row in rows],
        )

    charts = {
        "needs": demand_chart(figures.needs, _("Open help requests by need"), "chart-needs"),
        "languages": demand_chart(figures.languages, _("Open help requests by language"), "chart-languages"),
        "weeks": bar_chart(
            title=_("Sessions held per week"),
            chart_id="chart-weeks",
            rtl=rtl,
            bars=[Bar(formats.date_format(monday, "SHORT_DATE_FORMAT"), held) for monday, held in figures.weeks],
        ),
    }
    return render(request, "frontend/coordinator/overview.html", {"figures": figures, "charts": charts})


def _back(request, default: str):
    """Where a form posted from a list goes back to: the `next` it carries (this site only), or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _signup(request, form_class, template: str, *, account, next_step):
    """`account(form)` creates the account; `next_step(form)` says what comes next, from the form alone.
    The answer is the same whether the address is new or already has one (whose owner is e-mailed), so the
    page tells nobody who has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    # The API's per-address counter: pages and API together get THROTTLE_SIGNUP attempts.
    if request.method == "POST" and not SignupThrottle().allow_request(request, None):
        messages.error(request, _("Too many sign-ups from this address. Try again later."))
        return render(request, template, {"form": form_class()}, status=429)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_or_notify(
            email=form.cleaned_data["email"], password=form.cleaned_data["password"], create=lambda: account(form)
        )
        messages.success(request, signup_accepted_answer()["detail"])
        messages.info(request, next_step(form))
        return redirect("login")
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
def signup_mentee(request):
    def next_step(form):
        if form.cleaned_data["birth_year"] >= minor_birth_year_floor():
            return _(
                "Because you are under 18, your coordinator will ask a parent or guardian to agree. You can "
                "log in now; we will look for a mentor once they agree."
            )
        return _("Log in to ask for help.")

    return _signup(
        request,
        forms.MenteeSignupForm,
        "frontend/signup_mentee.html",
        next_step=next_step,
        account=lambda form: mentee_signup(**form.account_fields(), birth_year=form.cleaned_data["birth_year"]),
    )


@require_http_methods(["GET", "POST"])
def signup_volunteer(request):
    def account(form):
        data = form.cleaned_data
        return volunteer_signup(
            **form.account_fields(), skills=data["skills"], bio=data["bio"], capacity=data["capacity"]
        )

    return _signup(
        request,
        forms.VolunteerSignupForm,
        "frontend/signup_volunteer.html",
        account=account,
        next_step=lambda form: _(
            "Log in to add your availability. A coordinator will check your background before you meet anyone under 18."
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.MENTEE)
def mentee_help_requests(request):
    """The mentee's own help requests, and a form to file a new one."""
    form = forms.HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        help_request_create(mentee=request.user.mentee, **form.cleaned_data)
        messages.success(request, _("Your request was sent. A coordinator will look for a mentor."))
        return redirect("mentee-help-requests")
    requests = rows.rows(help_request_list(user=request.user), "pk", "status", "urgency", "created_at")
    found = rows.labelled(requests, status=HelpRequestStatus, urgency=Urgency)
    rows.attach_many(found, "needs", HelpRequest.needs, "label", display=_)
    return render(request, "frontend/mentee/help_requests.html", {"form": form, "requests": found})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request):
    """The person's own profile: name, time zone, the language of the pages and e-mails, the languages they
    speak with how well; a volunteer also their bio, skills and capacity (0 pauses new matches). Saved
    through the services the API's profile endpoints use, so the same rules hold."""
    user = request.user
    volunteer = volunteer_list(user=user).get() if user.role == Role.VOLUNTEER else None
    person = volunteer.user if volunteer is not None else user  # a volunteer's languages come prefetched
    initial = {"display_name": user.display_name, "timezone": user.timezone, "language": user.language}
    if volunteer is not None:
        initial.update(bio=volunteer.bio, capacity=volunteer.capacity, skills=list(volunteer.skills.all()))
        form = forms.VolunteerProfileForm(request.POST or None, initial=initial)
    elif user.role == Role.MENTEE:
        initial.update(birth_year=user.mentee.birth_year)
        form = forms.MenteeProfileForm(request.POST or None, initial=initial, mentee=user.mentee)
    else:
        form = forms.ProfileForm(request.POST or None, initial=initial)
    spoken = forms.SpokenLanguageFormSet(
        request.POST or None,
        initial=[{"language": item.language_id, "level": item.level} for item in person.languages.all()],
        prefix="languages",
        form_kwargs={"languages": [(language.code, language.native_name) for language in Language.objects.all()]},
    )
    if request.method == "POST" and all([form.is_valid(), spoken.is_valid()]):  # both, so both show errors
        chosen, chosen_before = form.cleaned_data["language"], user.language
        _profile_save(user, volunteer, form, spoken.kept())
        with translation.override(chosen or translation.get_language()):  # said in the language chosen
            messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        if chosen != chosen_before:
            _remember_language(response, chosen)
        return response
    template = "frontend/profile.html"
    return render(request, template, {"form": form, "spoken": spoken, "volunteer": volunteer})


def _profile_save(user, volunteer, form, languages: list[dict]) -> None:
    user_fields = {**form.user_fields(), "languages": languages}
    if volunteer is not None:
        data = form.cleaned_data
        volunteer_update(
            volunteer=volunteer, user=user_fields, skills=data["skills"], bio=data["bio"], capacity=data["capacity"]
        )
    elif user.role == Role.MENTEE:
        mentee_update(mentee=user.mentee, user=user_fields, birth_year=form.cleaned_data["birth_year"])
    else:
        with transaction.atomic():
            account_services.user_update(user=user, **user_fields)


def _remember_language(response, language: str) -> None:
    """This browser shows the pages in the language the person chose (the switcher's cookie, which wins
    over the stored choice); choosing none leaves it to the browser again."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN
        )


def set_language(request):
    """Django's language switcher; a logged-in person's choice is also stored on their account, so their
    e-mails and their pages on another device follow it."""
    response = i18n_views.set_language(request)
    chosen = request.POST.get("language") if request.method == "POST" else None
    if request.user.is_authenticated and chosen in dict(settings.LANGUAGES) and check_for_language(chosen):
        account_services.user_update(user=request.user, language=chosen)
    return response


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_queues(request):
    """Who waits for a coordinator: volunteers whose background check is pending, minors without consent."""
    # Each queue pages on its own (`?vetting=`, `?consent=`), oldest first; the page shows languages, not skills.
    volunteers = volunteer_list(user=request.user, filters={"vetting_status": "pending"}).order_by("id")
    minors = mentee_list(user=request.user, filters={"age_group": "minor", "active": "false"}).order_by("id")
    name = F("user__display_name")
    volunteers_page, volunteers_query = paginate(request, rows.rows(volunteers, "pk", "user_id", name=name), "vetting")
    minors_page, minors_query = paginate(request, rows.rows(minors, "pk", "birth_year", name=name), "consent")
    languages = UserLanguage.objects.order_by("language_id")
    rows.attach_related(
        rows.page_rows(volunteers_page), "languages", languages, "user_id", "language_id", key="user_id"
    )
    return render(
        request,
        "frontend/coordinator/queues.html",
        {
            "volunteers": volunteers_page,
            "volunteers_query": volunteers_query,
            "minors": minors_page,
            "minors_query": minors_query,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_vetting(request, volunteer_id: int):
    volunteer = get_object_or_404(volunteer_list(user=request.user), pk=volunteer_id)
    form = forms.VettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vetting_record(volunteer=volunteer, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The background check of %(name)s was recorded.") % {"name": volunteer.user})
        return redirect("coordinator-queues")
    return render(
        request,
        "frontend/coordinator/record.html",
        {"form": form, "title": _("Background check of %(name)s") % {"name": volunteer.user}},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_consent(request, mentee_id: int):
    mentee = get_object_or_404(mentee_list(user=request.user), pk=mentee_id)
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_record(mentee=mentee, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The guardian's consent for %(name)s was recorded.") % {"name": mentee.user})
        return redirect("coordinator-queues")
    return render(
        request,
        "frontend/coordinator/record.html",
        {"form": form, "title": _("Guardian's consent for %(name)s") % {"name": mentee.user}},
    )


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_log(request):
    """The organisation's safeguarding log, newest first, by kind of decision."""
    form = forms.LogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = entry_list(user=request.user).none()
    else:
        action = form.cleaned_data.get("action") if form.is_bound else ""
        entries = entry_list(user=request.user, filters={"action": [action]} if action else None)
    columns = rows.rows(
        entries.order_by("-at", "-id"),
        *("pk", "at", "action", "reason"),
        actor_name=F("actor__display_name"),  # None when the system decided
        subject_name=F("subject__display_name"),
    )
    page, query = paginate(request, columns)
    rows.page_rows(page, action=Action)
    return render(request, "frontend/coordinator/log.html", {"form": form, "page": page, "query": query})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_match_runs(request):
    """Start a match run (it runs in the background) and list the organisation's recent runs."""
    form = forms.MatchRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = match_runs.match_run_start(
            organisation=request.user.organisation, started_by=request.user, **form.run_fields()
        )
        messages.success(request, _("The match run has started."))
        return redirect("coordinator-match-run", run_id=run.pk)
    latest = scheduling_selectors.match_run_list(user=request.user).order_by("-id")[:10]
    runs = rows.labelled(rows.rows(latest, "pk", "status", "created_at", "matched"), status=MatchRunStatus)
    return render(request, "frontend/coordinator/match_runs.html", {"form": form, "runs": runs})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_match_run(request, run_id: int):
    """A run's progress: htmx polls the status partial while it runs; without JavaScript, reload the page."""
    run = get_object_or_404(scheduling_selectors.match_run_list(user=request.user), pk=run_id)
    running = run.status in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)
    return render_page(
        request,
        "frontend/coordinator/match_run.html",
        {"run": run, "running": running},
        partial="frontend/coordinator/_match_run.html",
    )


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_proposals(request):
    """Pairings by status and run, with the matcher's reasons, to approve, reject or pin."""
    form = forms.ProposalFilterForm(request.GET or {"status": PairingStatus.PROPOSED})
    if form.is_valid():
        found = scheduling_selectors.pairing_list(user=request.user, filters=form.filters())
    else:
        found = scheduling_selectors.pairing_list(user=request.user).none()
    columns = rows.rows(
        found.order_by("-score", "id"),
        *("pk", "status", "score", "pinned", "reasons", "rejection_reason"),
        mentee_name=F("mentee__user__display_name"),
        volunteer_name=F("volunteer__user__display_name"),
    )
    page, query = paginate(request, columns)
    rows.page_rows(page, status=PairingStatus)
    return render_page(
        request,
        "frontend/coordinator/proposals.html",
        {"form": form, "page": page, "query": query, "here": request.get_full_path()},
        partial="frontend/coordinator/_proposals.html",
    )


def _proposal(request, pairing_id: int):
    return get_object_or_404(scheduling_selectors.pairing_list(user=request.user), pk=pairing_id)


@require_POST
@role_required(Role.COORDINATOR)
def coordinator_pairing_approve(request, pairing_id: int):
    pairing = pairings.pairing_approve(pairing_id=_proposal(request, pairing_id).pk, by=request.user)
    messages.success(
        request,
        _("%(mentee)s and %(volunteer)s are paired.")
        % {"mentee": pairing.mentee.user.display_name, "volunteer": pairing.volunteer.user.display_name},
    )
    return _back(request, "coordinator-proposals")


@require_POST
@role_required(Role.COORDINATOR)
def coordinator_pairing_pin(request, pairing_id: int):
    pinned = request.POST.get("pinned") == "1"
    pairings.pairing_pin(pairing_id=_proposal(request, pairing_id).pk, pinned=pinned)
    messages.success(request, _("The proposal is pinned.") if pinned else _("The proposal is no longer pinned."))
    return _back(request, "coordinator-proposals")


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_pairing_reject(request, pairing_id: int):
    """Reject a proposal with a reason (later runs do not propose the pair again)."""
    pairing = _proposal(request, pairing_id)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pairings.pairing_reject(pairing_id=pairing.pk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The proposal was rejected."))
        return redirect("coordinator-proposals")
    return render(request, "frontend/coordinator/reject.html", {"form": form, "pairing": pairing})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_held_messages(request):
    """Messages held for a coordinator (for example contact details sent to a minor): release or reject."""
    held = rows.rows(
        chat_selectors.held_messages(user=request.user).order_by("id"),
        *("pk", "body", "held_reason", "created_at", "conversation_id"),
        sender_name=F("sender__display_name"),
        mentee_name=F("conversation__pairing__mentee__user__display_name"),
        volunteer_name=F("conversation__pairing__volunteer__user__display_name"),
    )
    page, query = paginate(request, held)
    return render(request, "frontend/coordinator/held_messages.html", {"page": page, "query": query})


@require_POST
@role_required(Role.COORDINATOR)
def coordinator_held_message(request, message_id: int):
    message = get_object_or_404(chat_selectors.held_messages(user=request.user), pk=message_id)
    release = request.POST.get("decision") == "release"
    chat_services.message_review(message=message, by=request.user, release=release)
    messages.success(
        request,
        _("The message was released to the conversation.")
        if release
        else _("The message was rejected; the other person will never see it."),
    )
    return redirect("coordinator-held-messages")


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_reports(request):
    """Open reports of messages, oldest first, each with the reported message."""
    reports = chat_selectors.report_list(user=request.user).filter(status=ReportStatus.OPEN)
    columns = rows.rows(
        reports.order_by("id"),
        *("pk", "created_at", "reason"),
        reporter_name=F("reporter__display_name"),
        sender_name=F("message__sender__display_name"),
        body=F("message__body"),
        conversation_id=F("message__conversation_id"),
    )
    page, query = paginate(request, columns)
    return render(request, "frontend/coordinator/reports.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_report(request, report_id: int):
    """Close a report, saying what was done."""
    report = get_object_or_404(chat_selectors.report_list(user=request.user), pk=report_id)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chat_services.report_resolve(report=report, by=request.user, resolution=form.cleaned_data["reason"])
        messages.success(request, _("The report is closed."))
        return redirect("coordinator-reports")
    return render(request, "frontend/coordinator/report.html", {"form": form, "report": report})


CHAT_PAGE = 50


def _conversation(request, conversation_id: int):
    return get_object_or_404(chat_selectors.conversation_list(user=request.user), pk=conversation_id)


@require_http_methods(["GET", "POST"])
@login_required
def conversation(request, conversation_id: int):
    """The chat: the newest history drawn on the server, a plain form that posts (without JavaScript), and
    the chat script that speaks the WebSocket protocol when there is JavaScript."""
    chat = _conversation(request, conversation_id)
    form = forms.MessageForm(request.POST or None, initial={"client_id": f"page-{uuid.uuid4().hex}"})
    if request.method == "POST" and form.is_valid():
        posted = chat_services.message_post(conversation=chat, sender=request.user, **form.cleaned_data)
        if posted.message.status == MessageStatus.HELD:
            messages.warning(request, _("Your message waits for a coordinator before the other person sees it."))
        return redirect("conversation", conversation_id=chat.pk)
    if request.method == "GET":
        chat_services.access_record(conversation=chat, user=request.user, via="page")
    newest = list(
        chat_selectors.messages_visible_to(user=request.user)
        .filter(conversation=chat)
        .select_related("sender")
        .order_by("-id")[:CHAT_PAGE]
    )[::-1]
    pairing = chat.pairing
    return render(
        request,
        "frontend/chat/conversation.html",
        {
            "chat": chat,
            "pairing": pairing,
            "history": newest,
            "form": form,
            "live": chat_services.may_connect(request.user, chat),
            "last_id": newest[-1].pk if newest else 0,
            "is_coordinator": request.user.role == Role.COORDINATOR,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def message_report(request, conversation_id: int, message_id: int):
    """Report a message to the coordinators (the chat script does it in one tap over the socket)."""
    chat = _conversation(request, conversation_id)
    message = chat_selectors.message_in(chat, message_id)
    if message is None or not chat_services.may_see_message(request.user, message):
        raise Http404
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chat_services.message_report(message=message, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you. A coordinator will look at this message."))
        return redirect("conversation", conversation_id=chat.pk)
    return render(request, "frontend/chat/report.html", {"form": form, "chat": chat, "message": message})


MEMBERS = (Role.MENTEE, Role.VOLUNTEER)


@require_GET
@role_required(*MEMBERS)
def my_pairings(request):
    """A mentee's mentor and why they were paired; a volunteer's mentees. Each with the chat, the next
    times both are free (to book a session), and the sessions to come and to mark."""
    found = (
        scheduling_selectors.pairing_list(user=request.user)
        .filter(status__in=CURRENT_STATUSES)
        .select_related("conversation")
        .order_by("id")
    )
    booked = scheduling_selectors.session_list(user=request.user).exclude(status=SessionStatus.CANCELLED)
    by_pairing: dict[int, list] = {}
    for session in booked.order_by("start"):
        by_pairing.setdefault(session.pairing_id, []).append(session)
    now = timezone.now()
    # Objects, not rows: each card's booking form offers the times both people are free, which
    # suggested_times reads from the pairing's two users (their windows and time zones).
    cards = []
    for pairing in found:
        live = pairing.status in LIVE_STATUSES
        times = scheduling_selectors.suggested_times(pairing=pairing) if live else []
        cards.append(
            {
                "pairing": pairing,
                "live": live,
                "sessions": by_pairing.get(pairing.pk, []),
                "book": forms.BookSessionForm(times=times, prefix=f"p{pairing.pk}"),
            }
        )
    return render(request, "frontend/member/pairings.html", {"cards": cards, "now": now})


def _live_pairing(request, pairing_id: int):
    pairing = get_object_or_404(scheduling_selectors.pairing_list(user=request.user), pk=pairing_id)
    if pairing.status not in LIVE_STATUSES:
        raise PermissionDenied
    return pairing


@require_POST
@role_required(*MEMBERS)
def session_book(request, pairing_id: int):
    pairing = _live_pairing(request, pairing_id)
    form = forms.BookSessionForm(
        request.POST, times=scheduling_selectors.suggested_times(pairing=pairing), prefix=f"p{pairing.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the suggested times."))
        return redirect("my-pairings")
    start, end = form.chosen()
    sessions.session_book(pairing=pairing, by=request.user, start=start, end=end)
    messages.success(request, _("The session is booked."))
    return redirect("my-pairings")


@require_POST
@role_required(*MEMBERS)
def session_change(request, session_id: int):
    """Mark a session held or missed, or cancel it (with an optional reason)."""
    session = get_object_or_404(scheduling_selectors.session_list(user=request.user), pk=session_id)
    action = request.POST.get("action")
    if action == "cancel":
        form = forms.CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        sessions.session_cancel(session=session, by=request.user, reason=reason)
        messages.success(request, _("The session is cancelled."))
    elif action in ("held", "missed"):
        sessions.session_mark(session=session, by=request.user, held=action == "held")
        messages.success(request, _("Thank you, the session is marked."))
    else:
        messages.error(request, _("Choose what to do with the session."))
    return redirect("my-pairings")


@require_GET
@role_required(Role.VOLUNTEER, Role.MENTEE, Role.COORDINATOR)
def slot_list(request):
    """The organisation's slots to come, by day, language, topic and free places; volunteers sign up or
    withdraw, mentees book a place or give it back."""
    volunteer = request.user.role == Role.VOLUNTEER
    form = forms.SlotFilterForm(request.GET or None, volunteer=volunteer)
    if form.is_bound and not form.is_valid():
        found = scheduling_selectors.slot_list(user=request.user).none()
    else:
        filters = form.filters() if form.is_bound else {"starts_after": timezone.now().isoformat()}
        found = scheduling_selectors.slot_list(user=request.user, filters=filters)
    columns = rows.rows(
        found,
        *("pk", "topic", "start", "end", "online", "place", "mentee_places", "volunteers_needed"),
        *("booking_count", "signup_count"),
        host_name=F("host__user__display_name"),  # a one-to-one slot names its host
    )
    page, query = paginate(request, columns)
    found_rows = rows.page_rows(page)
    rows.attach_many(found_rows, "languages", Slot.languages, "native_name")
    rows.attach_many(found_rows, "skills", Slot.skills, "label", display=_)
    joined = scheduling_selectors.slot_ids_joined(user=request.user)
    return render_page(
        request,
        "frontend/slots/list.html",
        {"form": form, "page": page, "query": query, "joined": joined, "here": request.get_full_path()},
        partial="frontend/slots/_list.html",
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR, Role.VOLUNTEER)
def slot_create(request):
    """Publish a slot: a coordinator's group slot, or a volunteer's own one-to-one slot (they are its host)."""
    host = request.user.volunteer if request.user.role == Role.VOLUNTEER else None
    form = forms.SlotForm(request.POST or None, one_to_one=host is not None)
    if request.method == "POST" and form.is_valid():
        fields = form.slot_fields()
        if host is not None:
            fields["volunteers_needed"] = 0  # the host is the volunteer, as in the API
        slot = slots.slot_create(organisation=request.user.organisation, created_by=request.user, host=host, **fields)
        messages.success(request, _("“%(topic)s” is published.") % {"topic": slot.topic})
        return redirect("slots")
    return render(request, "frontend/slots/create.html", {"form": form, "one_to_one": host is not None})


@require_POST
@role_required(Role.VOLUNTEER, Role.MENTEE)
def slot_join(request, slot_id: int):
    """Sign up (volunteer) or book a place (mentee); `leave` withdraws or gives the place back."""
    slot = get_object_or_404(scheduling_selectors.slot_list(user=request.user), pk=slot_id)
    leave = request.POST.get("leave") == "1"
    if request.user.role == Role.VOLUNTEER:
        volunteer = request.user.volunteer
        if leave:
            slots.slot_signup_delete(slot=slot, volunteer=volunteer)
        else:
            slots.slot_signup_create(slot_id=slot.pk, volunteer=volunteer)
    else:
        mentee = request.user.mentee
        if leave:
            slots.slot_booking_delete(slot=slot, mentee=mentee)
        else:
            slots.slot_booking_create(slot_id=slot.pk, mentee=mentee)
    messages.success(
        request,
        _("You are no longer in “%(topic)s”.") % {"topic": slot.topic}
        if leave
        else _("You are in “%(topic)s”.") % {"topic": slot.topic},
    )
    return _back(request, "slots")


@require_http_methods(["GET", "POST"])
@role_required(Role.VOLUNTEER, Role.MENTEE)
def availability(request):
    """The weekly availability as a grid of hours in the person's own time zone (checkboxes: keyboard and
    touch work without any script)."""
    form = forms.AvailabilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        availability_replace(user=request.user, windows=form.windows())
        messages.success(request, _("Your availability was saved."))
        return redirect("availability")
    windows = scheduling_selectors.windows_of(request.user)
    checked = {
        (day, hour) for day, start, end in windows for hour in range(24) if start <= hour * 60 and hour * 60 + 60 <= end
    }
    if form.is_bound:  # a refused grid is shown as it was sent
        checked = {
            tuple(int(part) for part in value.split("-"))
            for value in form.data.getlist("hours")
            if value in dict(form.fields["hours"].choices)
        }
    uneven = any(start % 60 or end % 60 for _day, start, end in windows)
    # Django's own translated day names (0 is Monday, as in the windows)
    grid = [
        (hour, f"{hour:02d}:00", [(day, WEEKDAYS[day], (day, hour) in checked) for day in range(7)])
        for hour in range(24)
    ]
    days = [(WEEKDAYS[day], WEEKDAYS_ABBR[day]) for day in range(7)]
    return render(
        request, "frontend/member/availability.html", {"form": form, "grid": grid, "days": days, "uneven": uneven}
    )


@require_http_methods(["GET", "POST"])
@login_required
def my_data(request):
    """Download everything held about me; erase my account (with my password)."""
    form = forms.EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.erase_user(user)
        messages.success(request, _("Your account was erased."))
        return redirect("landing")
    return render(request, "frontend/member/my_data.html", {"form": form})


@require_GET
@login_required
def my_data_export(request):
    response = JsonResponse(personal_data.export_user_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response
