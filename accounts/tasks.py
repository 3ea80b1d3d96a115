"""E-mails about accounts, sent in the background, each in the person's language."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _


@shared_task
def email_signup_welcome(user_id: int) -> int:
    from accounts.models import User
    from accounts.signup import user_language

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    with translation.override(user_language(user)):
        subject = _("Your account is ready")
        body = _(
            "Hello %(name)s,\n\nYour account has been created with this e-mail address. You can now log in.\n\n"
            "If you did not sign up, tell the organisation you chose, and we will remove the account.\n"
        ) % {"name": user.display_name}
    return send_mail(subject, body, None, [user.email])


@shared_task
def email_signup_existing(user_id: int) -> int:
    from accounts.models import User
    from accounts.signup import user_language

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with translation.override(user_language(user)):
        subject = _("Someone tried to sign up with your e-mail address")
        body = _(
            "Hello %(name)s,\n\nSomeone tried to sign up with your e-mail address, which already has an "
            "account. Nothing was changed.\n\nIf it was you: log in with this address instead, or reset your "
            "password if you have forgotten it. If it was not you, you can ignore this message.\n"
        ) % {"name": user.display_name}
    return send_mail(subject, body, None, [user.email])
