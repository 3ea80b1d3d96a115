"""Weekly availability arithmetic: plain values in and out, no Django.

A window is (day, start, end): day 0 = Monday .. 6 = Sunday, start and end in minutes after local
midnight (end may be 1440, i.e. 24:00), local to the person's IANA time zone. Conversions are done on
the real dates of a given week, so daylight-saving changes are honoured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Window = tuple[int, int, int]
Interval = tuple[datetime, datetime]

_HHMM = re.compile(r"^(\d{2}):(\d{2})$")


def parse_hhmm(text: str) -> int:
    """'18:30' -> 1110; '24:00' is the end of the day. Raises ValueError on anything else."""
    match = _HHMM.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a time as HH:MM")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day")
    return hours * 60 + minutes


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def merge(windows: Iterable[Window]) -> list[Window]:
    """Sort and merge overlapping or touching windows of the same day."""
    merged: list[list[int]] = []
    for day, start, end in sorted(windows):
        if merged and merged[-1][0] == day and start <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], end)
        else:
            merged.append([day, start, end])
    return [(day, start, end) for day, start, end in merged]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def absolute_intervals(windows: Iterable[Window], tz: str, monday: date) -> list[Interval]:
    """The windows of the week starting on `monday` (local dates) as aware UTC datetime intervals."""
    zone = ZoneInfo(tz)
    intervals = []
    for day, start, end in windows:
        midnight = datetime.combine(monday + timedelta(days=day), datetime.min.time())
        begin = (midnight + timedelta(minutes=start)).replace(tzinfo=zone).astimezone(UTC)
        finish = (midnight + timedelta(minutes=end)).replace(tzinfo=zone).astimezone(UTC)
        if begin < finish:
            intervals.append((begin, finish))
    return sorted(intervals)


def intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted lists of intervals."""
    result, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            result.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


def _merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _around(windows: Sequence[Window], tz: str, monday: date, weeks: range) -> list[Interval]:
    return _merge_intervals(
        interval for offset in weeks for interval in absolute_intervals(windows, tz, monday + timedelta(weeks=offset))
    )


def convert(windows: Sequence[Window], from_tz: str, to_tz: str, monday: date) -> list[Window]:
    """The same weekly windows as seen from another time zone, on the week starting `monday`.

    A window may move to another day or be split at midnight; the week is cyclic, so what spills past
    Sunday night reappears on Monday.
    """
    if from_tz == to_tz:
        return merge(windows)
    zone = ZoneInfo(to_tz)
    week_start = datetime.combine(monday, datetime.min.time())
    result: list[Window] = []
    for start, end in absolute_intervals(windows, from_tz, monday):
        local_start = start.astimezone(zone).replace(tzinfo=None)
        local_end = end.astimezone(zone).replace(tzinfo=None)
        begin = round((local_start - week_start).total_seconds() / 60) % WEEK_MINUTES
        length = round((local_end - local_start).total_seconds() / 60)
        while length > 0:
            day, minute = divmod(begin, DAY_MINUTES)
            piece = min(length, DAY_MINUTES - minute)
            result.append((day % 7, minute, minute + piece))
            begin, length = (begin + piece) % WEEK_MINUTES, length - piece
    return merge(result)


def next_common_times(
    first: Sequence[Window],
    first_tz: str,
    second: Sequence[Window],
    second_tz: str,
    *,
    after: datetime,
    min_minutes: int = 60,
    count: int = 5,
) -> list[Interval]:
    """The next `count` stretches after `after` when both people are available, each at least
    `min_minutes` long, as aware UTC intervals (cut to start no earlier than `after`)."""
    monday = monday_of(after.astimezone(ZoneInfo(first_tz)).date())
    weeks = range(-1, 4)
    common = intersect(_around(first, first_tz, monday, weeks), _around(second, second_tz, monday, weeks))
    found = []
    for start, end in common:
        start = max(start, after)
        if (end - start) >= timedelta(minutes=min_minutes):
            found.append((start, end))
        if len(found) == count:
            break
    return found


def covers(windows: Sequence[Window], tz: str, start: datetime, end: datetime) -> bool:
    """Whether the person's weekly availability contains the whole of [start, end)."""
    monday = monday_of(start.astimezone(ZoneInfo(tz)).date())
    return any(begin <= start and end <= finish for begin, finish in _around(windows, tz, monday, range(-1, 2)))
