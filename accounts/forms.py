"""Log-in forms for pages (the admin and any Django LoginView): they say when the failed log-in limit,
not the password, refused the attempt."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext

from accounts.backends import login_refusal


class LimitedLoginMixin:
    def get_invalid_login_error(self):
        refusal = login_refusal(self.request) if self.request is not None else None
        if refusal is None:
            return super().get_invalid_login_error()
        if refusal.retry_after >= 60:
            minutes = math.ceil(refusal.retry_after / 60)
            message = ngettext(
                "Too many failed attempts. Try again in %(count)d minute.",
                "Too many failed attempts. Try again in %(count)d minutes.",
                minutes,
            ) % {"count": minutes}
        else:
            message = ngettext(
                "Too many failed attempts. Try again in %(count)d second.",
                "Too many failed attempts. Try again in %(count)d seconds.",
                refusal.retry_after,
            ) % {"count": refusal.retry_after}
        return forms.ValidationError(message, code="too_many_attempts")


class LoginForm(LimitedLoginMixin, AuthenticationForm):
    """For django.contrib.auth.views.LoginView(authentication_form=LoginForm)."""


class AdminLoginForm(LimitedLoginMixin, AdminAuthenticationForm):
    pass
