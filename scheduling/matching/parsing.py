"""Validation of a JSON-like instance into an :class:`~scheduling.matching.instance.Instance`.

Every problem is collected (``place: reason``, in the order of the file) before one
:class:`~scheduling.matching.instance.InvalidInstance` is raised.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduling.matching.instance import (
    CELLS,
    DAYS,
    DEFAULT_LEVEL,
    DEFAULT_MIN_OVERLAP,
    GRAIN_MINUTES,
    LEVEL_NAMES,
    WEEK_MINUTES,
    Instance,
    InvalidInstance,
    Mentee,
    Volunteer,
    this_monday,
)

_HHMM = re.compile(r"^(\d\d):(\d\d)$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

PairList = list[tuple[str, str]]


class _Parser:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._zones: dict[str, ZoneInfo | None] = {}
        self._utc_minute: dict[tuple[str, int, int], int] = {}
        self._window_bits: dict[tuple[Any, ...], int] = {}  # (zone, day, start, end) -> cells
        self._codes: dict[str, str] = {}  # valid language code as given -> normalised

    def problem(self, place: str, reason: str) -> None:
        self.problems.append(f"{place}: {reason}")

    # -- generic field helpers -------------------------------------------------------------------

    def field(self, obj: Mapping[str, Any], key: str, place: str, kinds: tuple[type, ...], what: str) -> Any:
        if key not in obj:
            self.problem(f"{place}.{key}", "missing")
            return None
        value = obj[key]
        # bool is an int subclass: never accept it where a number is expected, and vice versa
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.problem(f"{place}.{key}", f"expected {what}, got {_json_type(value)}")
            return None
        return value

    def string_set(self, obj: Mapping[str, Any], key: str, place: str) -> frozenset[str]:
        items = self.field(obj, key, place, (list,), "a list of strings")
        if items is None:
            return frozenset()
        out = set()
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.problem(f"{place}.{key}[{i}]", f"expected a non-empty string, got {item!r}")
            else:
                out.add(item.strip())
        return frozenset(out)

    def languages(self, obj: Mapping[str, Any], place: str) -> dict[str, int]:
        items = self.field(obj, "languages", place, (list,), "a list of languages")
        out: dict[str, int] = {}
        for i, item in enumerate(items or ()):
            here = f"{place}.languages[{i}]"
            level = DEFAULT_LEVEL
            if isinstance(item, Mapping):
                code = item.get("code")
                if "level" in item:
                    if item["level"] in LEVEL_NAMES:
                        level = LEVEL_NAMES.index(item["level"]) + 1
                    else:
                        self.problem(f"{here}.level", f"unknown level {item['level']!r} (use basic, fluent or native)")
                        continue
                if code is None:
                    self.problem(f"{here}.code", "missing")
                    continue
                here += ".code"
            else:
                code = item
            norm = self._codes.get(code) if type(code) is str else None
            if norm is None:
                if not isinstance(code, str) or not _LANG_CODE.match(code.strip().lower()):
                    self.problem(here, f"expected an ISO 639 language code, got {code!r}")
                    continue
                norm = self._codes[code] = code.strip().lower()
            out[norm] = max(out.get(norm, 0), level)
        return out

    def zone(self, obj: Mapping[str, Any], place: str) -> ZoneInfo | None:
        key = self.field(obj, "timezone", place, (str,), "an IANA time zone name")
        if key is None:
            return None
        if key not in self._zones:
            try:
                self._zones[key] = ZoneInfo(key) if key else None
            except (ZoneInfoNotFoundError, ValueError):
                self._zones[key] = None
        if self._zones[key] is None:
            self.problem(f"{place}.timezone", f"unknown time zone {key!r}")
        return self._zones[key]

    # -- availability ----------------------------------------------------------------------------

    def clock(self, window: Mapping[str, Any], key: str, place: str, allow_24: bool) -> int | None:
        value = self.field(window, key, place, (str,), "a time as HH:MM")
        if value is None:
            return None
        m = _HHMM.match(value)
        if m:
            hh, mm = int(m.group(1)), int(m.group(2))
            if (hh < 24 and mm < 60) or (allow_24 and hh == 24 and mm == 0):
                return hh * 60 + mm
        allowed = "00:00 to 24:00" if allow_24 else "00:00 to 23:59"
        self.problem(f"{place}.{key}", f"expected a time as HH:MM from {allowed}, got {value!r}")
        return None

    def availability(self, obj: Mapping[str, Any], place: str, tz: ZoneInfo | None, week: date | None) -> int:
        windows = self.field(obj, "availability", place, (list,), "a list of weekly windows")
        bits = 0
        for i, window in enumerate(windows or ()):
            key = None
            if type(window) is dict and tz is not None and week is not None:
                key = (tz.key, window.get("day"), window.get("start"), window.get("end"))
                if all(type(x) is str for x in key):
                    cached = self._window_bits.get(key)  # windows seen before, already valid
                    if cached is not None:
                        bits |= cached
                        continue
                else:
                    key = None
            cells = self.window(window, f"{place}.availability[{i}]", tz, week)
            if cells is None:
                continue
            if key is not None:
                self._window_bits[key] = cells
            bits |= cells
        return bits

    def window(self, window: Any, here: str, tz: ZoneInfo | None, week: date | None) -> int | None:
        """Cells of one window, or None when it is invalid (problems recorded) or cannot be placed."""
        if not isinstance(window, Mapping):
            self.problem(here, f"expected an object with day, start and end, got {_json_type(window)}")
            return None
        day = self.field(window, "day", here, (str,), "a day mon..sun")
        if day is not None and day not in DAYS:
            self.problem(f"{here}.day", f"unknown day {day!r} (use mon, tue, wed, thu, fri, sat or sun)")
            day = None
        start = self.clock(window, "start", here, allow_24=False)
        end = self.clock(window, "end", here, allow_24=True)
        if start is not None and end is not None and start >= end:
            self.problem(here, f"start {window['start']} is not before end {window['end']}")
            return None
        if day is None or start is None or end is None or tz is None or week is None:
            return None
        d = DAYS.index(day)
        return _cells(self.utc_minute(tz, week, d, start), self.utc_minute(tz, week, d, end))

    def utc_minute(self, tz: ZoneInfo, week: date, day: int, minute: int) -> int:
        """Minutes from Monday 00:00 UTC of ``week`` to local ``day`` + ``minute`` in ``tz``."""
        key = (tz.key, day, minute)
        cached = self._utc_minute.get(key)
        if cached is None:
            # aware + timedelta is wall-clock arithmetic, so 24:00 is the next day's 00:00 local
            local = datetime.combine(week + timedelta(days=day), datetime.min.time(), tzinfo=tz)
            local += timedelta(minutes=minute)
            origin = datetime.combine(week, datetime.min.time(), tzinfo=UTC)
            cached = int((local - origin).total_seconds()) // 60
            self._utc_minute[key] = cached
        return cached

    # -- people and pairs ------------------------------------------------------------------------

    def person_id(self, obj: Mapping[str, Any], place: str, seen: dict[str, str]) -> str:
        """The person's id; an empty or duplicate one is a problem (``seen``: id -> first place)."""
        pid = self.field(obj, "id", place, (str,), "a string")
        if pid is None:
            return ""
        if not pid:
            self.problem(f"{place}.id", "empty")
        elif pid in seen:
            self.problem(f"{place}.id", f"duplicate id {pid!r} (also {seen[pid]})")
        else:
            seen[pid] = place
        return str(pid)

    def volunteer(self, obj: Mapping[str, Any], place: str, week: date | None, seen: dict[str, str]) -> Volunteer:
        pid = self.person_id(obj, place, seen)
        langs = self.languages(obj, place)
        tz = self.zone(obj, place)
        avail = self.availability(obj, place, tz, week)
        skills = self.string_set(obj, "skills", place)
        capacity = self.field(obj, "capacity", place, (int,), "a whole number")
        if capacity is not None and capacity < 0:
            self.problem(f"{place}.capacity", f"must not be negative, got {capacity}")
        vetted = self.field(obj, "vetted", place, (bool,), "true or false")
        return Volunteer(pid, langs, skills, capacity or 0, bool(vetted), tz.key if tz else "", avail)

    def mentee(self, obj: Mapping[str, Any], place: str, week: date | None, seen: dict[str, str]) -> Mentee:
        pid = self.person_id(obj, place, seen)
        langs = self.languages(obj, place)
        tz = self.zone(obj, place)
        avail = self.availability(obj, place, tz, week)
        needs = self.string_set(obj, "needs", place)
        minor = self.field(obj, "minor", place, (bool,), "true or false")
        # an unknown minor flag is a problem anyway; treat it as a minor meanwhile
        return Mentee(pid, langs, needs, minor is not False, tz.key if tz else "", avail)

    def people(self, data: Mapping[str, Any], kind: str, week: date | None) -> list[Any]:
        """The ``volunteers`` or ``mentees`` (as :class:`Volunteer` or :class:`Mentee`)."""
        people = data.get(kind)
        if people is None:
            self.problem(kind, "missing")
            return []
        if not isinstance(people, list):
            self.problem(kind, f"expected a list, got {_json_type(people)}")
            return []
        seen: dict[str, str] = {}
        out: list[Any] = []
        for i, obj in enumerate(people):
            place = f"{kind}[{i}]"
            if not isinstance(obj, Mapping):
                self.problem(place, f"expected an object, got {_json_type(obj)}")
            elif kind == "volunteers":
                out.append(self.volunteer(obj, place, week, seen))
            else:
                out.append(self.mentee(obj, place, week, seen))
        return out

    def pair_list(self, data: Mapping[str, Any], key: str, mentee_ids: set[str], volunteer_ids: set[str]) -> PairList:
        """The ``forbidden`` or ``pinned`` pairs whose ids are known."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.problem(key, f"expected a list of [mentee id, volunteer id] pairs, got {_json_type(raw)}")
            return []
        out: PairList = []
        for i, pair in enumerate(raw):
            here = f"{key}[{i}]"
            if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
                self.problem(here, f"expected [mentee id, volunteer id], got {pair!r}")
                continue
            m, v = pair
            if m not in mentee_ids:
                self.problem(here, f"unknown mentee {m!r}")
            if v not in volunteer_ids:
                self.problem(here, f"unknown volunteer {v!r}")
            if m in mentee_ids and v in volunteer_ids:
                out.append((m, v))
        return out

    def check_pins(self, pinned: PairList, forbidden: frozenset[tuple[str, str]], capacity: Mapping[str, int]) -> None:
        """A mentee is pinned once, never to a forbidden volunteer, and pins fit in capacities."""
        pinned_at: dict[str, int] = {}
        load: dict[str, int] = {}
        for i, (m, v) in enumerate(pinned):
            here = f"pinned[{i}]"
            if m in pinned_at:
                self.problem(here, f"mentee {m!r} is already pinned (pinned[{pinned_at[m]}])")
                continue
            pinned_at[m] = i
            if (m, v) in forbidden:
                self.problem(here, f"pair ({m!r}, {v!r}) is also forbidden")
            load[v] = load.get(v, 0) + 1
            if load[v] == capacity[v] + 1:
                self.problem(here, f"volunteer {v!r} has capacity {capacity[v]} but more pinned mentees")

    # -- instance-wide settings ------------------------------------------------------------------

    def reference_week(self, data: Mapping[str, Any]) -> date | None:
        if "reference_week" not in data:
            return this_monday()
        raw = data["reference_week"]
        try:
            week = date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
        except ValueError:
            week = None
        if week is None:
            self.problem("reference_week", f"expected a date as YYYY-MM-DD, got {raw!r}")
        elif week.weekday() != 0:
            self.problem("reference_week", f"{raw} is a {week.strftime('%A')}, not a Monday")
            week = None
        return week

    def min_overlap(self, data: Mapping[str, Any]) -> int:
        if "min_overlap_minutes" not in data:
            return DEFAULT_MIN_OVERLAP
        raw = data["min_overlap_minutes"]
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= WEEK_MINUTES:
            self.problem(
                "min_overlap_minutes", f"expected a whole number of minutes from 0 to {WEEK_MINUTES}, got {raw!r}"
            )
            return DEFAULT_MIN_OVERLAP
        return int(raw)


def _cells(start: int, end: int) -> int:
    """Bitset of the UTC interval [start, end) minutes, rounded inward to the grain, cyclic."""
    first = -(-start // GRAIN_MINUTES)
    n = end // GRAIN_MINUTES - first
    if n <= 0:
        return 0
    first %= CELLS
    run = (1 << n) - 1
    if first + n <= CELLS:
        return run << first
    head = CELLS - first  # wraps past Sunday 24:00 into Monday
    return ((run >> head) | (run << first)) & ((1 << CELLS) - 1)


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def parse_instance(data: Any) -> Instance:
    """Validate a JSON-like instance and build an :class:`Instance`.

    Raises :class:`InvalidInstance` listing every problem as ``place: reason``.
    """
    t0 = time.perf_counter()
    p = _Parser()
    if not isinstance(data, Mapping):
        raise InvalidInstance([f"instance: expected a JSON object, got {_json_type(data)}"])
    week = p.reference_week(data)
    min_overlap = p.min_overlap(data)
    volunteers: list[Volunteer] = p.people(data, "volunteers", week)
    mentees: list[Mentee] = p.people(data, "mentees", week)
    mentee_ids = {m.id for m in mentees}
    capacity = {v.id: v.capacity for v in volunteers}
    forbidden = frozenset(p.pair_list(data, "forbidden", mentee_ids, set(capacity)))
    pinned = p.pair_list(data, "pinned", mentee_ids, set(capacity))
    p.check_pins(pinned, forbidden, capacity)
    if p.problems or week is None:
        raise InvalidInstance(p.problems)
    return Instance(
        week, min_overlap, tuple(volunteers), tuple(mentees), forbidden, tuple(pinned), time.perf_counter() - t0
    )
