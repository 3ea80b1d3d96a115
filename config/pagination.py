import hashlib
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

# Integer ids are PostgreSQL bigints; SQLite refuses anything larger with an OverflowError.
MAX_ID = 2**63 - 1

# Up to this many rows a list's count is exact and costs a bounded query; past it, the exact count is
# kept for COUNT_CACHE_SECONDS, so a page of a large organisation costs what a page of a small one does
# (a COUNT reads every row of the organisation: ~2 ms at 20,000, on every page). Past the cap the count
# may lag changes by that long; the rows themselves never do.
EXACT_COUNT_UP_TO = 1000
COUNT_CACHE_SECONDS = 30


def plain_rows(queryset: QuerySet, *fields: str, **expressions: Any) -> QuerySet:
    """A list's queryset (filtered, ordered) as plain rows of `fields` (and named expressions), without its
    joins and prefetches, which a row of columns does not need. Its count (BoundedCountPaginator) stays the
    queryset's own, without the joins the columns add."""
    rows = queryset.select_related(None).prefetch_related(None).values(*fields, **expressions)
    rows.counted_as = queryset  # type: ignore[attr-defined]
    return rows


class BoundedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        rows = getattr(self.object_list, "counted_as", self.object_list)  # see plain_rows
        if not hasattr(rows, "query"):
            return super().count
        # any rows, in no order (no sort), of their ids only: annotations that no filter uses (a slot's counts
        # of sign-ups and bookings) are not computed for each of the 1,001 rows
        bounded = rows.order_by().values("pk")[: EXACT_COUNT_UP_TO + 1].count()
        if bounded <= EXACT_COUNT_UP_TO:
            return bounded
        sql, params = rows.query.sql_with_params()
        key = "list-count:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        count = cache.get(key)
        if count is None:
            count = rows.count()
            cache.set(key, count, COUNT_CACHE_SECONDS)
        return count


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = BoundedCountPaginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class IdCursorPagination(pagination.CursorPagination):
    """Cursor pagination over an integer id. The cursor comes from the client: a forged one (not base64,
    a position that is not an id, a huge or negative one) is a 400, never a 500."""

    ordering = "-id"
    invalid_cursor_message = _("Invalid cursor.")

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not (position.isascii() and position.isdigit()) or not 0 <= int(position) <= MAX_ID:
                raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor
