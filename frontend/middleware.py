"""Dates and times on the web pages are shown in the viewer's own time zone."""

import contextlib
import zoneinfo

from django.utils import timezone


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
