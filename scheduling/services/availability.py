from django.db import transaction

from accounts.models import User
from scheduling.availability import Window, merge
from scheduling.models import AvailabilityWindow


@transaction.atomic
def availability_replace(*, user: User, windows: list[Window]) -> list[AvailabilityWindow]:
    """Replace the person's weekly windows; overlapping or touching ones are merged."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one replacement at a time per person
    AvailabilityWindow.objects.filter(user=user).delete()
    return AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(user=user, day=day, start_minute=start, end_minute=end) for day, start, end in merge(windows)
    )
