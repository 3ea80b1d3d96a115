from django.utils.translation import gettext_lazy as _

from common.errors import DomainError


class SchedulingError(DomainError):
    """A scheduling rule refused the change; `field` names the input it is about."""

    code = "scheduling"


class SlotFull(SchedulingError):
    code = "slot_full"
    default_message = _("This slot has no free place left.")


class Overlapping(SchedulingError):
    code = "overlapping"
    default_message = _("You are already signed up for another slot at that time.")


class InvalidTransition(SchedulingError):
    code = "invalid_transition"
    field = "status"
    default_message = _("This is not possible in the current state.")


class CapacityExceeded(SchedulingError):
    code = "capacity_exceeded"
    default_message = _("The volunteer has no free capacity left.")


class SafeguardingRefusal(SchedulingError):
    code = "safeguarding"
    default_message = _("A minor can only be paired with a vetted volunteer and with a guardian's consent.")
