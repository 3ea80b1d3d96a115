"""The web pages: as thin as the API views. Read through a selector, write through a service, render a
template; an htmx request gets the partial (`request.htmx`), anything else the whole page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import services as account_services
from accounts.models import Role
from accounts.serializers import signup_accepted_answer
from accounts.signup import signup_or_notify
from frontend import forms
from mentees.models import minor_birth_year_floor
from mentees.selectors import help_request_list, mentee_list
from mentees.services import consent_record, help_request_create, mentee_signup
from safeguarding.selectors import entry_list
from volunteers.selectors import volunteer_list
from volunteers.services import vetting_record, volunteer_signup, volunteer_update

PAGE_SIZE = 20


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
        return redirect("volunteer-profile")
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
        requests = help_request_list(user=request.user, filters=filters, with_mentee=True)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "frontend/coordinator/help_requests.html",
        {"form": form, "page": page, "query": query.urlencode()},
        partial="frontend/coordinator/_help_requests.html",
    )


def _signup(request, form_class, template: str, *, account, next_step):
    """`account(form)` creates the account; `next_step(form)` says what comes next, from the form alone.
    The answer is the same whether the address is new or already has one (whose owner is e-mailed), so the
    page tells nobody who has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_or_notify(email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                         create=lambda: account(form))
        messages.success(request, signup_accepted_answer()["detail"])
        messages.info(request, next_step(form))
        return redirect("login")
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
def signup_mentee(request):
    def next_step(form):
        if form.cleaned_data["birth_year"] >= minor_birth_year_floor():
            return _("Because you are under 18, your coordinator will ask a parent or guardian to agree. You can "
                     "log in now; we will look for a mentor once they agree.")
        return _("Log in to ask for help.")

    return _signup(request, forms.MenteeSignupForm, "frontend/signup_mentee.html", next_step=next_step,
                   account=lambda form: mentee_signup(**form.account_fields(),
                                                      birth_year=form.cleaned_data["birth_year"]))


@require_http_methods(["GET", "POST"])
def signup_volunteer(request):
    def account(form):
        data = form.cleaned_data
        return volunteer_signup(**form.account_fields(), skills=data["skills"], bio=data["bio"],
                                capacity=data["capacity"])

    return _signup(request, forms.VolunteerSignupForm, "frontend/signup_volunteer.html", account=account,
                   next_step=lambda form: _("Log in to add your availability. A coordinator will check your "
                                            "background before you meet anyone under 18."))


@require_http_methods(["GET", "POST"])
@role_required(Role.MENTEE)
def mentee_help_requests(request):
    """The mentee's own help requests, and a form to file a new one."""
    form = forms.HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        help_request_create(mentee=request.user.mentee, **form.cleaned_data)
        messages.success(request, _("Your request was sent. A coordinator will look for a mentor."))
        return redirect("mentee-help-requests")
    requests = help_request_list(user=request.user)
    return render(request, "frontend/mentee/help_requests.html", {"form": form, "requests": requests})


@require_http_methods(["GET", "POST"])
@role_required(Role.VOLUNTEER)
def volunteer_profile(request):
    """The volunteer's profile: name, bio, skills, time zone, and capacity (0 pauses new matches)."""
    volunteer = volunteer_list(user=request.user).get()
    initial = {"display_name": request.user.display_name, "bio": volunteer.bio, "capacity": volunteer.capacity,
               "timezone": request.user.timezone, "skills": list(volunteer.skills.all())}
    form = forms.VolunteerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer_update(volunteer=volunteer, user={"display_name": data["display_name"], "timezone": data["timezone"]},
                         skills=data["skills"], bio=data["bio"], capacity=data["capacity"])
        messages.success(request, _("Your profile was saved."))
        return redirect("volunteer-profile")
    return render(request, "frontend/volunteer/profile.html", {"form": form, "volunteer": volunteer})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_queues(request):
    """Who waits for a coordinator: volunteers whose background check is pending, minors without consent."""
    volunteers = volunteer_list(user=request.user, filters={"vetting_status": "pending"})
    minors = mentee_list(user=request.user, filters={"age_group": "minor", "active": "false"})
    return render(request, "frontend/coordinator/queues.html", {"volunteers": volunteers, "minors": minors})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_vetting(request, volunteer_id: int):
    volunteer = get_object_or_404(volunteer_list(user=request.user), pk=volunteer_id)
    form = forms.VettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vetting_record(volunteer=volunteer, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The background check of %(name)s was recorded.") % {"name": volunteer.user})
        return redirect("coordinator-queues")
    return render(request, "frontend/coordinator/record.html",
                  {"form": form, "title": _("Background check of %(name)s") % {"name": volunteer.user}})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator_consent(request, mentee_id: int):
    mentee = get_object_or_404(mentee_list(user=request.user), pk=mentee_id)
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_record(mentee=mentee, recorded_by=request.user, **form.cleaned_data)
        messages.success(request, _("The guardian's consent for %(name)s was recorded.") % {"name": mentee.user})
        return redirect("coordinator-queues")
    return render(request, "frontend/coordinator/record.html",
                  {"form": form, "title": _("Guardian's consent for %(name)s") % {"name": mentee.user}})


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
    page = Paginator(entries.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "frontend/coordinator/log.html", {"form": form, "page": page, "query": query.urlencode()})
