"""The authentication backend every log-in passes through, with the failed log-in limits."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import login_limits
from config.client_address import client_address

_REFUSAL_ATTRIBUTE = "login_refusal"


def login_refusal(request) -> login_limits.Refusal | None:
    """Why the last authenticate() on this request was refused before its password was checked."""
    return getattr(request, _REFUSAL_ATTRIBUTE, None)


class LimitedModelBackend(ModelBackend):
    """Django's ModelBackend behind accounts.login_limits. Used by the API (session and token log-in),
    the admin and any Django LoginView, so they all share one limit.

    A refused attempt raises PermissionDenied, which makes authenticate() answer None without asking
    another backend, and leaves the refusal on the request for the caller to explain (429 on the API,
    a form error on pages)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get(self._username_field())
        if email is None or password is None:
            return None
        address = client_address(request) if request is not None else ""
        refusal = login_limits.check(email=email, address=address)
        if refusal is not None:
            if request is not None:
                setattr(request, _REFUSAL_ATTRIBUTE, refusal)
            raise PermissionDenied
        kwargs.pop(self._username_field(), None)
        user = super().authenticate(request, username=email.strip().lower(), password=password, **kwargs)
        if user is None:
            login_limits.failure_record(email=email, address=address)
        else:
            login_limits.success_record(email=email, address=address)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
