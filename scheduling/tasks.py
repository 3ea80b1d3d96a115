"""Background work: match runs, approval e-mails, the periodic safeguarding sweep."""

from celery import shared_task
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _


@shared_task(acks_late=True)
def match_run_execute(run_id: int) -> str:
    from scheduling.services.match_runs import match_run_execute as execute

    return execute(run_id).status


@shared_task
def notify_pairing_approved(pairing_id: int) -> int:
    """Tell both people they have been paired, each by e-mail in their own language."""
    from accounts.signup import user_language
    from scheduling.models import Pairing

    pairing = Pairing.objects.select_related("mentee__user", "volunteer__user").get(pk=pairing_id)
    sent = 0
    for person, other in ((pairing.mentee.user, pairing.volunteer.user), (pairing.volunteer.user, pairing.mentee.user)):
        with translation.override(user_language(person)):
            subject = _("You have a new mentoring partner")
            body = _(
                "Hello %(name)s,\n\nA coordinator has paired you with %(other)s. You can now chat in the app "
                "and book a first session together.\n"
            ) % {"name": person.display_name, "other": other.display_name}
        sent += send_mail(subject, body, None, [person.email])
    return sent


@shared_task
def suspend_unvetted_pairings() -> int:
    from scheduling.services.pairings import pairings_suspend_unvetted

    return pairings_suspend_unvetted()
