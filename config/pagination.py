import hashlib
import time
from typing import Any

from django.core.cache import cache, caches
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
# may lag changes by that long; the rows themselves never do. It is kept in the shared cache with the moment
# it ends, and each process copies it until then (the "process" cache): a page of a long list then asks
# Redis nothing either.
EXACT_COUNT_UP_TO = 1000
COUNT_CACHE_SECONDS = 30


def plain_rows(queryset: QuerySet, *fields: str, **expressions: Any) -> QuerySet:
    """A list's queryset (filtered, ordered) as plain rows of `fields` (and named expressions), without its
    joins and prefetches, which a row of columns does not need. Its count (BoundedCountPaginator) stays the
    queryset's own, without the joins the columns add."""
    rows = queryset.select_related(None).prefetch_related(None).values(*fields, **expressions)
    rows.counted_as = queryset  # type: ignore[attr-defined]
    return rows


def count_key(request, page_param: str = "page") -> str:
    """What a list's count depends on, read from the request: the list (its path, and its page parameter
    where a page shows two lists), who asks (whose rows they may see) and its filters, but not which page
    or how many rows a page shows. Cheaper than the query's SQL, which the ORM would compile for it on
    every request."""
    user = request.user
    skipped = {*PAGE_PARAMS, page_param}
    filters = sorted((name, value) for name, value in request.GET.lists() if name not in skipped)
    who = (user.pk, getattr(user, "role", None), getattr(user, "organisation_id", None))
    return "list-count:" + hashlib.sha256(repr((request.path, page_param, who, filters)).encode()).hexdigest()


class BoundedCountPaginator(Paginator):
    """A Paginator whose count is exact up to EXACT_COUNT_UP_TO rows (one bounded query) and past it kept
    for COUNT_CACHE_SECONDS under the request's `count_key`, which is read first: a page of a large list
    then counts nothing."""

    def __init__(self, object_list, per_page, *, count_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        rows = getattr(self.object_list, "counted_as", self.object_list)  # see plain_rows
        if not hasattr(rows, "query"):
            return super().count
        kept = _kept_count(self.count_key)
        if kept is not None:
            return kept
        # any rows, in no order (no sort), of their ids only: annotations that no filter uses (a slot's counts
        # of sign-ups and bookings) are not computed for each of the 1,001 rows
        bounded = rows.order_by().values("pk")[: EXACT_COUNT_UP_TO + 1].count()
        if bounded <= EXACT_COUNT_UP_TO:
            return bounded
        count = rows.count()
        _keep_count(self.count_key, count, time.time() + COUNT_CACHE_SECONDS)
        return count


def _kept_count(key: str) -> int | None:
    """The count kept under `key`: this process' copy, else the shared one (copied until it ends)."""
    kept = caches["process"].get(key)
    if kept is None:
        kept = cache.get(key)
        if not isinstance(kept, tuple):  # none, or kept by an older release as a bare number
            return None
        _keep_count(key, *kept, shared=False)
    count, ends = kept
    return count if ends > time.time() else None


def _keep_count(key: str, count: int, ends: float, shared: bool = True) -> None:
    left = ends - time.time()
    if left > 0:
        if shared:
            cache.set(key, (count, ends), left)
        caches["process"].set(key, (count, ends), left)


class PageNumberPagination(pagination.PageNumberPagination):
    # DRF sets self.request before it builds the paginator
    def django_paginator_class(self, object_list, per_page) -> BoundedCountPaginator:
        return BoundedCountPaginator(object_list, per_page, count_key=count_key(self.request))

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


# the API's query parameters that choose a page of a list, not which rows it holds (a web page names its
# own page parameter: count_key's page_param)
PAGE_PARAMS = {PageNumberPagination.page_query_param, PageNumberPagination.page_size_query_param}


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
