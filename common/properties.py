"""Model properties that are functions of columns, for objects and plain rows alike."""

import functools
from collections.abc import Callable
from typing import Any


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
