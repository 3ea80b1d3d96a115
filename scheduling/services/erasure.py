"""What erasing an account means for scheduling: the person's pairings end, their availability and future
places go; past sessions stay as the other person's history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from scheduling.models import AvailabilityWindow, EndKind, Pairing, PairingStatus, SlotBooking, SlotSignup
from scheduling.services.pairings import pairing_end


@transaction.atomic
def scheduling_erase(user: User) -> None:
    current = Pairing.objects.current().filter(volunteer__user=user) | Pairing.objects.current().filter(
        mentee__user=user
    )
    for pairing_id in current.values_list("pk", flat=True).order_by("pk"):
        pairing_end(
            pairing_id=pairing_id,
            by=user,
            kind=EndKind.CANCELLED,
            reason=gettext_noop("One of the two erased their account."),
        )
    Pairing.objects.filter(status=PairingStatus.PROPOSED).filter(volunteer__user=user).delete()
    Pairing.objects.filter(status=PairingStatus.PROPOSED).filter(mentee__user=user).delete()
    AvailabilityWindow.objects.filter(user=user).delete()
    now = timezone.now()
    SlotSignup.objects.filter(volunteer__user=user, slot__start__gt=now).delete()
    SlotBooking.objects.filter(mentee__user=user, slot__start__gt=now).delete()


def scheduling_export(user: User) -> dict:
    return {
        "availability": [
            {"day": w.day, "start_minute": w.start_minute, "end_minute": w.end_minute}
            for w in AvailabilityWindow.objects.filter(user=user)
        ],
    }
