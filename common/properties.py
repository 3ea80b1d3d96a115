"""Model properties that are functions of columns, for objects and plain rows alike."""

import datetime
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

_today: ContextVar[datetime.date | None] = ContextVar("row_property_today", default=None)


class RowProperty(property):
    """A model property computed from columns alone (also through foreign keys: "user__is_active"): an
    object gives it from its attributes, a lean list (config.lean) from its plain row, through the one
    function."""

    def __init__(self, function: Callable[..., Any], *columns: str):
        self.function = function
        self.columns = columns
        paths = [column.split("__") for column in columns]
        super().__init__(
            lambda obj: function(*(functools.reduce(getattr, path, obj) for path in paths)), doc=function.__doc__
        )


def today() -> datetime.date:
    """The local date, as a property that depends on it reads it: inside `one_day`, the date read when it
    began."""
    return _today.get() or timezone.localdate()


@contextmanager
def one_day() -> Iterator[None]:
    """A page of rows judged on one date: the date is read once (in the active time zone), not for every
    row's property (a minor's age, a current vetting), and a page read across midnight agrees with itself."""
    token = _today.set(timezone.localdate())
    try:
        yield
    finally:
        _today.reset(token)
