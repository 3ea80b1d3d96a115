from django.utils.translation import gettext_lazy as _


class SchedulingError(Exception):
    """A rule refused the change; `field` names the input it is about (for a 400 with a field message)."""

    field = "non_field_errors"
    default_message = _("This cannot be done.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = str(message or self.default_message)
        if field:
            self.field = field
        super().__init__(self.message)


class SlotFull(SchedulingError):
    default_message = _("This slot has no free place left.")


class Overlapping(SchedulingError):
    default_message = _("You are already signed up for another slot at that time.")


class InvalidTransition(SchedulingError):
    field = "status"
    default_message = _("This is not possible in the current state.")


class CapacityExceeded(SchedulingError):
    default_message = _("The volunteer has no free capacity left.")


class SafeguardingRefusal(SchedulingError):
    default_message = _("A minor can only be paired with a vetted volunteer and with a guardian's consent.")
