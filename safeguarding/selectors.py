"""Reads of the safeguarding log: coordinators see their own organisation's entries."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from config.filtering import apply_filters
from safeguarding.filters import EntryFilter
from safeguarding.models import Entry

if TYPE_CHECKING:
    from accounts.models import User


def entry_list(*, user: "User", filters: dict | None = None) -> QuerySet[Entry]:
    qs = Entry.objects.visible_to(user).select_related("actor", "subject")
    return apply_filters(EntryFilter, filters, qs)
