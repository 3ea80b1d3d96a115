"""The rules for a birth year a person gives, for the API's serializers and the pages' forms alike."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mentees.models import Mentee, minor_birth_year_floor


def validate_birth_year(value: int, *, mentee: Mentee | None = None) -> int:
    """Ten to 99 years ago; and a minor (`mentee`, when it is a change) may only give another minor's year:
    saying they are an adult would skip guardian consent and the contact rules."""
    year = timezone.localdate().year
    if not year - 99 <= value <= year - 10:
        raise ValidationError(
            _("Enter a birth year between %(first)d and %(last)d.") % {"first": year - 99, "last": year - 10}
        )
    if mentee is not None and mentee.is_minor and value < minor_birth_year_floor():
        raise ValidationError(_("A minor's birth year can only change to another minor's year. Ask your coordinator."))
    return value
