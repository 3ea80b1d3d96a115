"""Page middleware: pages in the viewer's chosen language, dates in their own time zone; a service's refusal
shown as a notice."""

import contextlib
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from common.errors import DomainError


class UserTimezoneMiddleware:
    """Activates the logged-in person's time zone for the views of `frontend` only, so API requests (token
    authenticated, query counts pinned) never pay for a session lookup here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "__module__", "").startswith("frontend."):
            return None
        user = request.user
        if user.is_authenticated:
            with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
        return None


class UserLanguageMiddleware:
    """Shows the pages (`frontend` views only, as for the time zone) in the language the logged-in person
    stored, unless this browser chose one with the language switcher: its cookie wins, and the switcher
    stores a logged-in person's choice too (frontend.views.set_language). LocaleMiddleware has already
    chosen from the cookie or Accept-Language; it runs before the user is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "__module__", "").startswith("frontend."):
            return None
        user = request.user
        if not user.is_authenticated or not user.language or _switcher_choice(request):
            return None
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


def _switcher_choice(request) -> str | None:
    """The language this browser chose with the switcher, if it is one the site speaks."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    try:
        return translation.get_supported_language_variant(chosen) if chosen else None
    except LookupError:
        return None


class RefusalMiddleware:
    """A service's refusal on a page (a full slot, an approval a rule forbids, a held message already
    decided) becomes a notice on the page the form came from, as the API turns it into a 400: the views
    hold no try/except, and the service's transaction has already rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") or not isinstance(exception, DomainError):
            return None
        messages.error(request, exception.message)
        # back to the page the form was on: its `next`, else the page that posted (this site only)
        for back in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
        return redirect("home")
