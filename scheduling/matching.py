"""Exact mentee-volunteer matching, as specified in shared/contracts/matching.md.

Plain Python (no Django): the web app builds an instance from its database and calls :func:`solve`;
analysts replay a run from a JSON file with::

    python -m scheduling.matching INSTANCE.json [--candidates] [--weights JSON] > RESULT.json

What is optimised
-----------------
Among all assignments where each mentee gets at most one volunteer and each volunteer at most
``capacity`` mentees, and every pair is allowed by the contract's five hard rules, the matcher returns
one that matches the largest number of mentees and, among those, has the largest total score. It is
exact: a min-cost max-flow (OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost``) on the lean
graph source -> mentee (cap 1) -> volunteer (cap 1 per allowed pair) -> sink (cap = capacity).
Maximum flow gives cardinality first; minimum cost (cost = -score) then gives the best total score.

The score
---------
For an allowed pair the score (0 .. sum of the three weights; 100 with the defaults) is::

    need_weight     * (needs covered by the volunteer's skills) / (number of needs)
  + language_weight * LEVEL[best shared level]
  + overlap_weight  * min(minutes in common, overlap_saturation_minutes) / overlap_saturation_minutes

- The best shared level of a pair is the largest, over the languages both speak, of the lower of the
  two levels; ``LEVEL`` is basic 0.4, fluent 0.8, native 1.0.
- A mentee with no needs gets no need points: when the number matched is tied, mentees whose needs
  a volunteer can cover are preferred.
- Scores are rounded to 0.001 (the solver works on integer thousandths, so it is exact); the
  reported ``total_score`` is the sum of the reported pair scores.

The weights (:class:`Weights`) are settings a coordinator can change per run (``--weights`` on the
command line, e.g. ``--weights '{"need_weight": 70}'``). Defaults: need_weight 50, language_weight 20,
overlap_weight 30, overlap_saturation_minutes 180.

Time grain
----------
Weekly availability is converted to UTC on the actual dates of the reference week (so daylight-saving
time is handled; an ambiguous or skipped local time uses the offset in force before the change) and
stored as a Python int used as a bitset of 15-minute cells: 672 cells from Monday 00:00 UTC, cyclic
(Sunday night runs into Monday). A window whose UTC ends are not on the grain is rounded inward, so
overlap is never overstated; for times on the grain (all current time zones, including +05:30 and
+05:45, have offsets on it) the overlap and the ``min_overlap_minutes`` rule are exact.

Project additions to the contract
---------------------------------
- ``languages`` entries may be objects ``{"code": "ar", "level": "native"}`` (levels basic, fluent,
  native); a plain string means fluent. Any shared language, at any level, satisfies hard rule 1.
- ``"forbidden": [["m1", "v1"], ...]``: pairs (mentee id, volunteer id) a coordinator rejected; they
  are never proposed nor listed as candidates.
- ``"pinned": [["m2", "v3"], ...]``: pairs a coordinator fixed; they are always in the result (even if
  they break a hard rule), consume the volunteer's capacity, and carry the reason
  "pinned by a coordinator". A mentee may be pinned once; a volunteer may not have more pinned mentees
  than its capacity.
- The capacity given is the capacity left for this run (the web app subtracts existing matches).
- ``candidates`` (with ``--candidates``) lists every allowed pair, pinned mentees' included.
- ``allowed_pairs`` in the result counts the pairs the hard rules allow (the candidates' number).

Reasons
-------
Each proposed pair carries short English reasons: the best shared language ("speaks Arabic", or
"speaks Arabic (native level)" when the shared level is not fluent), the needs covered
("covers cv-writing, python"), the minutes in common ("90 min a week in common"), and for pinned
pairs "pinned by a coordinator".

Public API
----------
:class:`Weights`, :func:`parse_instance` (raises :class:`InvalidInstance`), :func:`build_candidates`,
:func:`solve` and :func:`main` (the command line).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time as _time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # numpy is imported lazily: plain parsing and --help stay fast
    import numpy as np

GRAIN_MINUTES = 15
WEEK_MINUTES = 7 * 24 * 60
CELLS = WEEK_MINUTES // GRAIN_MINUTES  # 672 cells per week
WORDS = -(-CELLS // 64)  # 11 uint64 words hold a week
COARSE_CELLS = 12  # 3-hour blocks for the cheap pre-filter: 56 blocks fit in one uint64
DEFAULT_MIN_OVERLAP = 60

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVEL_NAMES = ("basic", "fluent", "native")  # index + 1 is the level number
LEVEL_FACTOR = {1: 0.4, 2: 0.8, 3: 1.0}
DEFAULT_LEVEL = 2  # a plain string means fluent

LANGUAGE_NAMES = {
    "am": "Amharic",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bs": "Bosnian",
    "ca": "Catalan",
    "ckb": "Sorani Kurdish",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "eu": "Basque",
    "fa": "Persian",
    "ff": "Fula",
    "fi": "Finnish",
    "fr": "French",
    "gl": "Galician",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kmr": "Kurmanji Kurdish",
    "ko": "Korean",
    "ku": "Kurdish",
    "ln": "Lingala",
    "mn": "Mongolian",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "prs": "Dari",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "wo": "Wolof",
    "yo": "Yoruba",
    "zh": "Chinese",
}

_HHMM = re.compile(r"^(\d\d):(\d\d)$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def language_name(code: str) -> str:
    """English name of an ISO 639 code (falls back to the code itself)."""
    return LANGUAGE_NAMES.get(code, LANGUAGE_NAMES.get(code.split("-")[0], code))


# --------------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------------


class InvalidInstance(ValueError):
    """The instance is invalid; ``problems`` holds one ``place: reason`` line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Weights:
    """Score weights, settable per run. See the module docstring for the formula."""

    need_weight: float = 50.0  # points when every need is covered by the volunteer's skills
    language_weight: float = 20.0  # points for a shared language at native level on both sides
    overlap_weight: float = 30.0  # points when the weekly overlap reaches the saturation
    overlap_saturation_minutes: float = 180.0  # more overlap than this earns nothing more

    def __post_init__(self) -> None:
        problems = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"weights.{f.name}: expected a number, got {value!r}")
            elif not math.isfinite(value) or value < 0 or value > 1e6:
                problems.append(f"weights.{f.name}: must be between 0 and 1000000, got {value!r}")
        if not problems and self.overlap_saturation_minutes <= 0:
            problems.append("weights.overlap_saturation_minutes: must be positive")
        if problems:
            raise InvalidInstance(problems)

    @classmethod
    def from_mapping(cls, data: Any) -> Weights:
        """Build from a JSON-like mapping; unknown keys are problems, missing keys keep defaults."""
        if not isinstance(data, Mapping):
            raise InvalidInstance([f"weights: expected a JSON object, got {type(data).__name__}"])
        known = {f.name for f in fields(cls)}
        unknown = [f"weights.{k}: unknown weight (known: {', '.join(sorted(known))})" for k in data if k not in known]
        if unknown:
            raise InvalidInstance(unknown)
        return cls(**dict(data))


@dataclass(frozen=True, slots=True)
class Volunteer:
    id: str
    languages: Mapping[str, int]  # code -> level (1 basic, 2 fluent, 3 native)
    skills: frozenset[str]
    capacity: int
    vetted: bool
    timezone: str
    availability: int  # bitset of UTC 15-minute cells of the reference week


@dataclass(frozen=True, slots=True)
class Mentee:
    id: str
    languages: Mapping[str, int]
    needs: frozenset[str]
    minor: bool
    timezone: str
    availability: int


@dataclass(frozen=True)
class Instance:
    """A validated instance; build it with :func:`parse_instance`."""

    reference_week: date
    min_overlap_minutes: int
    volunteers: tuple[Volunteer, ...]
    mentees: tuple[Mentee, ...]
    forbidden: frozenset[tuple[str, str]] = frozenset()  # (mentee id, volunteer id)
    pinned: tuple[tuple[str, str], ...] = ()  # (mentee id, volunteer id)
    load_s: float = 0.0  # time spent reading and parsing, reported in ``timings``


@dataclass(frozen=True, slots=True)
class Candidate:
    """An allowed pair with its score and the reasons behind it."""

    mentee: str
    volunteer: str
    score: float
    reasons: tuple[str, ...]
    overlap_minutes: int


# --------------------------------------------------------------------------------------------------
# Parsing and validation
# --------------------------------------------------------------------------------------------------


def this_monday() -> date:
    """Monday of the current week (UTC)."""
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday())


class _Parser:
    """Collects every problem instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._zones: dict[str, ZoneInfo | None] = {}
        self._utc_minute: dict[tuple[str, int, int], int] = {}
        self._window_bits: dict[tuple[str, ...], int] = {}  # (zone, day, start, end) -> cells
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
            here = f"{place}.availability[{i}]"
            if not isinstance(window, Mapping):
                self.problem(here, f"expected an object with day, start and end, got {_json_type(window)}")
                continue
            day = self.field(window, "day", here, (str,), "a day mon..sun")
            if day is not None and day not in DAYS:
                self.problem(f"{here}.day", f"unknown day {day!r} (use mon, tue, wed, thu, fri, sat or sun)")
                day = None
            start = self.clock(window, "start", here, allow_24=False)
            end = self.clock(window, "end", here, allow_24=True)
            if start is not None and end is not None and start >= end:
                self.problem(here, f"start {window['start']} is not before end {window['end']}")
                continue
            if day is None or start is None or end is None or tz is None or week is None:
                continue
            d = DAYS.index(day)
            cells = _cells(self.utc_minute(tz, week, d, start), self.utc_minute(tz, week, d, end))
            if key is not None:
                self._window_bits[key] = cells
            bits |= cells
        return bits

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
    t0 = _time.perf_counter()
    p = _Parser()
    if not isinstance(data, Mapping):
        raise InvalidInstance([f"instance: expected a JSON object, got {_json_type(data)}"])

    week: date | None = this_monday()
    if "reference_week" in data:
        raw = data["reference_week"]
        try:
            week = date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
        except ValueError:
            week = None
        if week is None:
            p.problem("reference_week", f"expected a date as YYYY-MM-DD, got {raw!r}")
        elif week.weekday() != 0:
            p.problem("reference_week", f"{raw} is a {week.strftime('%A')}, not a Monday")
            week = None

    min_overlap = DEFAULT_MIN_OVERLAP
    if "min_overlap_minutes" in data:
        raw = data["min_overlap_minutes"]
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= WEEK_MINUTES:
            p.problem(
                "min_overlap_minutes", f"expected a whole number of minutes from 0 to {WEEK_MINUTES}, got {raw!r}"
            )
        else:
            min_overlap = raw

    volunteers: list[Volunteer] = []
    mentees: list[Mentee] = []
    for kind in ("volunteers", "mentees"):
        people = data.get(kind)
        if people is None:
            p.problem(kind, "missing")
            continue
        if not isinstance(people, list):
            p.problem(kind, f"expected a list, got {_json_type(people)}")
            continue
        seen: dict[str, int] = {}
        for i, obj in enumerate(people):
            place = f"{kind}[{i}]"
            if not isinstance(obj, Mapping):
                p.problem(place, f"expected an object, got {_json_type(obj)}")
                continue
            pid = p.field(obj, "id", place, (str,), "a string")
            if pid is not None:
                if not pid:
                    p.problem(f"{place}.id", "empty")
                elif pid in seen:
                    p.problem(f"{place}.id", f"duplicate id {pid!r} (also {kind}[{seen[pid]}])")
                else:
                    seen[pid] = i
            langs = p.languages(obj, place)
            tz = p.zone(obj, place)
            avail = p.availability(obj, place, tz, week)
            if kind == "volunteers":
                skills = p.string_set(obj, "skills", place)
                capacity = p.field(obj, "capacity", place, (int,), "a whole number")
                if capacity is not None and capacity < 0:
                    p.problem(f"{place}.capacity", f"must not be negative, got {capacity}")
                vetted = p.field(obj, "vetted", place, (bool,), "true or false")
                volunteers.append(
                    Volunteer(pid, langs, skills, capacity or 0, bool(vetted), tz.key if tz else "", avail)
                )
            else:
                needs = p.string_set(obj, "needs", place)
                minor = p.field(obj, "minor", place, (bool,), "true or false")
                # an unknown minor flag is a problem anyway; treat it as a minor meanwhile
                mentees.append(Mentee(pid, langs, needs, minor is not False, tz.key if tz else "", avail))

    mentee_ids = {m.id for m in mentees}
    volunteer_ids = {v.id: v for v in volunteers}
    pairs: dict[str, list[tuple[str, str]]] = {}
    for key in ("forbidden", "pinned"):
        raw = data.get(key, [])
        pairs[key] = []
        if not isinstance(raw, list):
            p.problem(key, f"expected a list of [mentee id, volunteer id] pairs, got {_json_type(raw)}")
            continue
        for i, pair in enumerate(raw):
            here = f"{key}[{i}]"
            if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
                p.problem(here, f"expected [mentee id, volunteer id], got {pair!r}")
                continue
            m, v = pair
            ok = True
            if m not in mentee_ids:
                p.problem(here, f"unknown mentee {m!r}")
                ok = False
            if v not in volunteer_ids:
                p.problem(here, f"unknown volunteer {v!r}")
                ok = False
            if ok:
                pairs[key].append((m, v))

    forbidden = frozenset(pairs["forbidden"])
    pinned_of: dict[str, int] = {}
    load: dict[str, int] = {}
    for i, (m, v) in enumerate(pairs["pinned"]):
        here = f"pinned[{i}]"
        if m in pinned_of:
            p.problem(here, f"mentee {m!r} is already pinned (pinned[{pinned_of[m]}])")
            continue
        pinned_of[m] = i
        if (m, v) in forbidden:
            p.problem(here, f"pair ({m!r}, {v!r}) is also forbidden")
        load[v] = load.get(v, 0) + 1
        if load[v] == volunteer_ids[v].capacity + 1:
            p.problem(here, f"volunteer {v!r} has capacity {volunteer_ids[v].capacity} but more pinned mentees")

    if p.problems:
        raise InvalidInstance(p.problems)
    assert week is not None
    return Instance(
        week,
        min_overlap,
        tuple(volunteers),
        tuple(mentees),
        forbidden,
        tuple(pairs["pinned"]),
        _time.perf_counter() - t0,
    )


# --------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------


def _score_milli(
    w: Weights, covered: np.ndarray, n_needs: np.ndarray, level: np.ndarray, overlap_min: np.ndarray
) -> np.ndarray:
    """Pair scores in integer thousandths; the single definition used for every pair."""
    import numpy as np

    need_frac = np.divide(covered, n_needs, out=np.zeros(len(covered)), where=n_needs > 0)
    lang = np.asarray([0.0, *LEVEL_FACTOR.values()])[level]
    sat = float(w.overlap_saturation_minutes)
    over = np.minimum(overlap_min, sat) / sat
    score = w.need_weight * need_frac + w.language_weight * lang + w.overlap_weight * over
    return np.rint(score * 1000).astype(np.int64)


def _scorer(w: Weights, max_needs: int) -> Callable[..., np.ndarray]:
    """Vectorised ``_score_milli`` through a lookup table of every input combination it can see.

    The table is filled by ``_score_milli`` itself, so both give identical integers; overlap
    beyond the saturation scores the same, so cells are capped there.
    """
    import numpy as np

    cap = min(CELLS, math.ceil(w.overlap_saturation_minutes / GRAIN_MINUTES))
    n_keys = (max_needs + 1) * (max_needs + 2) // 2  # (needs, covered) with covered <= needs
    if n_keys * 4 * (cap + 1) > 4_000_000:  # absurdly many needs: compute directly instead
        return lambda n, c, lv, cells: _score_milli(w, c, n, lv, cells.astype(np.int64) * GRAIN_MINUTES)
    n = np.repeat(np.arange(max_needs + 1), np.arange(1, max_needs + 2))
    c = np.arange(n_keys) - n * (n + 1) // 2
    grid = np.meshgrid(np.arange(n_keys), np.arange(4), np.arange(cap + 1), indexing="ij")
    key, lv, cells = (g.ravel() for g in grid)
    table = _score_milli(w, c[key], n[key], lv, cells * GRAIN_MINUTES)

    def lookup(n_needs: np.ndarray, covered: np.ndarray, level: np.ndarray, cells: np.ndarray) -> np.ndarray:
        need_key = n_needs * (n_needs + 1) // 2 + covered
        return table[(need_key * 4 + level) * (cap + 1) + np.minimum(cells, cap)]

    return lookup


def _best_language(m: Mentee, v: Volunteer) -> tuple[str | None, int]:
    best: tuple[int, str] | None = None
    for code, lm in m.languages.items():
        lv = v.languages.get(code)
        if lv is not None:
            key = (min(lm, lv), code)
            # prefer the higher level; on ties the alphabetically first code, for stable reasons
            if best is None or key[0] > best[0] or (key[0] == best[0] and code < best[1]):
                best = key
    return (best[1], best[0]) if best else (None, 0)


def _reasons(m: Mentee, v: Volunteer, overlap_minutes: int) -> list[str]:
    reasons = []
    code, level = _best_language(m, v)
    if code is not None:
        name = language_name(code)
        reasons.append(
            f"speaks {name}" if level == DEFAULT_LEVEL else f"speaks {name} ({LEVEL_NAMES[level - 1]} level)"
        )
    covered = sorted(m.needs & v.skills)
    if covered:
        reasons.append("covers " + ", ".join(covered))
    if overlap_minutes:
        reasons.append(f"{overlap_minutes} min a week in common")
    return reasons


def _pair_score(m: Mentee, v: Volunteer, w: Weights) -> tuple[int, int]:
    """(score in thousandths, overlap minutes) of any pair, allowed or not."""
    import numpy as np

    overlap = (m.availability & v.availability).bit_count() * GRAIN_MINUTES
    score = _score_milli(
        w,
        np.array([len(m.needs & v.skills)]),
        np.array([len(m.needs)]),
        np.array([_best_language(m, v)[1]]),
        np.array([overlap]),
    )
    return int(score[0]), overlap


# --------------------------------------------------------------------------------------------------
# Candidate generation (vectorised, blocked by language)
# --------------------------------------------------------------------------------------------------


def _words(masks: Sequence[int], nwords: int) -> np.ndarray:
    """Python int bitsets -> (n, nwords) uint64 array, little-endian words."""
    import numpy as np

    nbytes = 8 * nwords
    buf = b"".join(x.to_bytes(nbytes, "little") for x in masks)
    return np.frombuffer(buf, dtype="<u8").reshape(len(masks), nwords).astype(np.uint64)


@dataclass
class _Pairs:
    """Allowed pairs as parallel arrays (indices into instance.mentees / instance.volunteers)."""

    mentee: np.ndarray  # int32
    volunteer: np.ndarray  # int32
    score: np.ndarray  # int64 thousandths
    overlap: np.ndarray  # int32 minutes

    def take(self, index: np.ndarray) -> _Pairs:
        return _Pairs(self.mentee[index], self.volunteer[index], self.score[index], self.overlap[index])


def _allowed_pairs(inst: Instance, w: Weights, chunk: int = 1 << 17) -> _Pairs:
    """Every pair allowed by the hard rules (minus forbidden ones), with scores, in no set order.

    Never compares all pairs: only pairs sharing a language are compared (each pair once, under its
    first shared language). Within a language block, mentees are grouped by (minor, has needs, has
    an earlier language) so that the minor rule becomes a column slice (vetted volunteers first)
    and the need and de-duplication tests run only where they can fail. A one-word summary of the
    availability (3-hour blocks) filters the block densely, in chunks; the exact 11-word bitset
    overlap and the score are computed only for the pairs left.
    """
    import numpy as np

    ms, vs = inst.mentees, inst.volunteers
    min_cells = -(-inst.min_overlap_minutes // GRAIN_MINUTES)
    eligible = np.array([v.capacity >= 1 for v in vs], dtype=bool)  # rule 5

    langs = sorted({c for m in ms for c in m.languages} & {c for v in vs if v.capacity >= 1 for c in v.languages})
    skills = sorted({s for m in ms for s in m.needs} & {s for v in vs if v.capacity >= 1 for s in v.skills})
    lang_bit = {c: i for i, c in enumerate(langs)}
    skill_bit = {s: i for i, s in enumerate(skills)}
    wl, ws = max(1, -(-len(langs) // 64)), max(1, -(-len(skills) // 64))

    # word-major arrays (words, people): per-word gathers are then plain 1-D takes
    def lang_masks(people: Sequence[Mentee | Volunteer], at_least: int) -> np.ndarray:
        return _words(
            [
                sum(1 << lang_bit[c] for c, lv in p.languages.items() if lv >= at_least and c in lang_bit)
                for p in people
            ],
            wl,
        ).T.copy()

    def tag_masks(tags: Iterable[frozenset[str]]) -> np.ndarray:
        return _words([sum(1 << skill_bit[s] for s in t if s in skill_bit) for t in tags], ws).T.copy()

    m_lang, v_lang = lang_masks(ms, 1), lang_masks(vs, 1)
    m_lv = {lv: lang_masks(ms, lv) for lv in (2, 3)}
    v_lv = {lv: lang_masks(vs, lv) for lv in (2, 3)}
    m_need, v_skill = tag_masks(m.needs for m in ms), tag_masks(v.skills for v in vs)
    m_av = _words([m.availability for m in ms], WORDS)  # row-major: a pair's 11 words are contiguous
    v_av = _words([v.availability for v in vs], WORDS)
    m_coarse, v_coarse = _coarse(m_av), _coarse(v_av)
    n_needs = np.array([len(m.needs) for m in ms], dtype=np.int64)
    has_needs = n_needs > 0
    minor = np.array([m.minor for m in ms], dtype=bool)
    vetted = np.array([v.vetted for v in vs], dtype=bool)

    scorer = _scorer(w, int(n_needs.max(initial=0)))
    out: list[tuple[np.ndarray, ...]] = []
    ok_buf = np.empty(chunk + max(1, len(vs)), dtype=bool)
    tmp_buf = np.empty(chunk + max(1, len(vs)), dtype=np.uint64)
    ones = np.ones(WORDS, dtype=np.float32)
    for li in range(len(langs)):
        word, bit = divmod(li, 64)
        bit_v = np.uint64(1 << bit)
        rows = np.flatnonzero(m_lang[word] & bit_v)
        cols = np.flatnonzero(((v_lang[word] & bit_v) != 0) & eligible)
        if not len(rows) or not len(cols):
            continue
        cols = cols[np.argsort(~vetted[cols], kind="stable")]  # vetted first: minors take a prefix
        n_vetted = int(vetted[cols].sum())
        # a pair that also shares an earlier language was already handled in that language's block
        below = _words([(1 << li) - 1], wl)[0]
        earlier = np.zeros(len(rows), dtype=bool)
        for k in range(wl):
            earlier |= (m_lang[k, rows] & below[k]) != 0
        c_coarse, c_av = v_coarse[cols], v_av[cols]
        c_skill = [v_skill[k, cols] for k in range(ws)]
        c_lang = [v_lang[k, cols] & below[k] for k in range(wl)]
        for is_minor in (False, True):
            ncols = n_vetted if is_minor else len(cols)
            if ncols == 0:
                continue
            sel_m = minor[rows] == is_minor
            for needs in (False, True):
                for dedupe in (False, True):
                    group = rows[sel_m & (has_needs[rows] == needs) & (earlier == dedupe)]
                    step = max(1, chunk // ncols)
                    for s in range(0, len(group), step):
                        r = group[s : s + step]
                        ok = ok_buf[: len(r) * ncols].reshape(len(r), ncols)
                        tmp = tmp_buf[: len(r) * ncols].reshape(len(r), ncols)
                        if min_cells > 0:
                            np.bitwise_and(m_coarse[r, None], c_coarse[None, :ncols], out=tmp)
                            np.not_equal(tmp, 0, out=ok)
                        else:
                            ok.fill(True)
                        if needs:
                            _and_intersects(
                                ok, tmp, [m_need[k, r] for k in range(ws)], [c[:ncols] for c in c_skill], want=True
                            )
                        if dedupe:
                            _and_intersects(
                                ok, tmp, [m_lang[k, r] for k in range(wl)], [c[:ncols] for c in c_lang], want=False
                            )
                        flat = np.flatnonzero(ok)
                        if not len(flat):
                            continue
                        ii, jj = np.divmod(flat, ncols)
                        # exact overlap: popcount of the 11-word AND, summed by a float32 matvec
                        both = np.take(m_av[r], ii, axis=0)
                        both &= np.take(c_av, jj, axis=0)
                        cells = (np.bitwise_count(both).astype(np.float32) @ ones).astype(np.int16)
                        keep = np.flatnonzero(cells >= min_cells)
                        mi, vj, cells = r[ii[keep]], cols[jj[keep]], cells[keep]
                        covered = np.bitwise_count(m_need[0, mi] & v_skill[0, vj])
                        for k in range(1, ws):
                            covered += np.bitwise_count(m_need[k, mi] & v_skill[k, vj])
                        level = np.ones(len(mi), dtype=np.int8)
                        for lv in (2, 3):
                            shared = np.zeros(len(mi), dtype=bool)
                            for k in range(wl):
                                shared |= (m_lv[lv][k, mi] & v_lv[lv][k, vj]) != 0
                            level[shared] = lv
                        out.append(
                            (
                                mi.astype(np.int32),
                                vj.astype(np.int32),
                                scorer(n_needs[mi], covered, level, cells),
                                cells,
                            )
                        )

    if out:
        mi, vj, score, cells = (np.concatenate(x) for x in zip(*out, strict=True))
    else:
        mi = vj = np.zeros(0, dtype=np.int32)
        score, cells = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    del out
    pairs = _Pairs(mi, vj, score, cells.astype(np.int32) * GRAIN_MINUTES)

    if inst.forbidden and len(mi):
        m_pos = {m.id: i for i, m in enumerate(ms)}
        v_pos = {v.id: j for j, v in enumerate(vs)}
        bad = np.array([m_pos[m] * len(vs) + v_pos[v] for m, v in inst.forbidden], dtype=np.int64)
        pairs = pairs.take(~np.isin(mi.astype(np.int64) * len(vs) + vj, bad))
    return pairs


def _and_intersects(ok: np.ndarray, tmp: np.ndarray, a: list[np.ndarray], b: list[np.ndarray], want: bool) -> None:
    """ok &= (bitsets a[r] and b[c] intersect) == want, for word lists a (rows) and b (columns)."""
    import numpy as np

    np.bitwise_and(a[0][:, None], b[0][None, :], out=tmp)
    for k in range(1, len(a)):
        tmp |= a[k][:, None] & b[k][None, :]
    if want:
        np.logical_and(ok, tmp, out=ok)
    else:
        ok &= tmp == 0


def _sorted(pairs: _Pairs) -> _Pairs:
    """Pairs by mentee, then volunteer (input order): deterministic output."""
    import numpy as np

    return pairs.take(np.lexsort((pairs.volunteer, pairs.mentee)))


def _coarse(av: np.ndarray) -> np.ndarray:
    """(n, 11) cell words -> (n,) uint64 with bit k set if any cell of 3-hour block k is set."""
    import numpy as np

    bits = np.unpackbits(av.view(np.uint8), axis=1, bitorder="little")[:, :CELLS]
    blocks = bits.reshape(len(av), CELLS // COARSE_CELLS, COARSE_CELLS).any(axis=2)
    packed = np.packbits(blocks, axis=1, bitorder="little")
    packed = np.pad(packed, ((0, 0), (0, 8 - packed.shape[1])))
    return np.ascontiguousarray(packed).view("<u8").reshape(len(av)).astype(np.uint64)


def build_candidates(instance: Instance, weights: Weights | None = None) -> list[Candidate]:
    """Every allowed pair (hard rules, minus forbidden pairs) with its score and reasons."""
    w = weights or Weights()
    pairs = _sorted(_allowed_pairs(instance, w))
    ms, vs = instance.mentees, instance.volunteers
    out = []
    for i, j, s, o in zip(
        pairs.mentee.tolist(), pairs.volunteer.tolist(), pairs.score.tolist(), pairs.overlap.tolist(), strict=True
    ):
        out.append(Candidate(ms[i].id, vs[j].id, s / 1000, tuple(_reasons(ms[i], vs[j], o)), o))
    return out


# --------------------------------------------------------------------------------------------------
# Solver
# --------------------------------------------------------------------------------------------------


def _max_matching(
    n_m: int, n_v: int, pairs: _Pairs, capacity: np.ndarray, free_mentee: np.ndarray, block: int = 1 << 20
) -> np.ndarray:
    """Indices of the chosen pairs: maximum cardinality, then maximum total score (exact).

    Lean graph: source -> mentee (cap 1, only free mentees with a candidate), mentee -> volunteer
    (cap 1, cost -score), volunteer -> sink (cap = remaining capacity, at most its degree).
    ``solve_max_flow_with_min_cost`` finds a maximum flow and, among maximum flows, the cheapest.
    """
    import numpy as np

    if not len(pairs.mentee):
        return np.zeros(0, dtype=np.int64)
    from ortools.graph.python import min_cost_flow

    # nodes: 0 source, 1..n_m mentees, then volunteers, then the sink
    source, v_base, sink = 0, n_m + 1, n_m + n_v + 1
    m_nodes = np.flatnonzero((np.bincount(pairs.mentee, minlength=n_m) > 0) & free_mentee).astype(np.int32)
    degree = np.bincount(pairs.volunteer, minlength=n_v)
    v_caps = np.minimum(np.maximum(capacity, 0), degree).astype(np.int64)
    v_nodes = np.flatnonzero(v_caps).astype(np.int32)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(len(m_nodes), np.int32), m_nodes + 1, np.ones(len(m_nodes), np.int64), np.zeros(len(m_nodes), np.int64)
    )
    first_pair_arc = len(m_nodes)
    n_pairs = len(pairs.mentee)
    ones = np.ones(min(block, n_pairs), np.int64)
    for s in range(0, n_pairs, block):  # in blocks: no full-size temporaries
        e = min(s + block, n_pairs)
        flow.add_arcs_with_capacity_and_unit_cost(
            pairs.mentee[s:e] + np.int32(1),
            pairs.volunteer[s:e] + np.int32(v_base),
            ones[: e - s],
            np.negative(pairs.score[s:e]),
        )
    flow.add_arcs_with_capacity_and_unit_cost(
        v_nodes + np.int32(v_base),
        np.full(len(v_nodes), sink, np.int32),
        v_caps[v_nodes],
        np.zeros(len(v_nodes), np.int64),
    )
    flow.set_node_supply(source, len(m_nodes))
    flow.set_node_supply(sink, -len(m_nodes))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    chosen = [
        np.flatnonzero(
            flow.flows(np.arange(first_pair_arc + s, first_pair_arc + min(s + block, n_pairs), dtype=np.int32))
        )
        + s
        for s in range(0, n_pairs, block)
    ]
    return np.concatenate(chosen)


def solve(
    instance: Instance | Mapping[str, Any], weights: Weights | None = None, *, include_candidates: bool = False
) -> dict[str, Any]:
    """Match optimally and return the contract's result dict.

    ``instance`` is an :class:`Instance` or a JSON-like mapping (validated; may raise
    :class:`InvalidInstance`). ``candidates`` is included only if ``include_candidates``.
    """
    import numpy as np

    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    w = weights or Weights()
    ms, vs = inst.mentees, inst.volunteers

    t0 = _time.perf_counter()
    pairs = _allowed_pairs(inst, w)
    t1 = _time.perf_counter()

    m_pos = {m.id: i for i, m in enumerate(ms)}
    v_pos = {v.id: j for j, v in enumerate(vs)}
    capacity = np.array([v.capacity for v in vs], dtype=np.int64)
    pinned_rows = np.zeros(len(ms), dtype=bool)
    for m, v in inst.pinned:
        pinned_rows[m_pos[m]] = True
        capacity[v_pos[v]] -= 1
    chosen = _max_matching(len(ms), len(vs), pairs, capacity, ~pinned_rows)
    t2 = _time.perf_counter()

    result_pairs: dict[int, tuple[int, int, int]] = {}  # mentee -> (volunteer, milli, minutes)
    for i, j, s, o in zip(
        pairs.mentee[chosen].tolist(),
        pairs.volunteer[chosen].tolist(),
        pairs.score[chosen].tolist(),
        pairs.overlap[chosen].tolist(),
        strict=True,
    ):
        result_pairs[i] = (j, s, o)
    pinned_ids = set()
    for m, v in inst.pinned:
        i, j = m_pos[m], v_pos[v]
        s, o = _pair_score(ms[i], vs[j], w)
        result_pairs[i] = (j, s, o)
        pinned_ids.add(i)

    out_pairs = []
    total = 0
    for i in sorted(result_pairs):
        j, s, o = result_pairs[i]
        reasons = _reasons(ms[i], vs[j], o)
        if i in pinned_ids:
            reasons.append("pinned by a coordinator")
        out_pairs.append({"mentee": ms[i].id, "volunteer": vs[j].id, "score": s / 1000, "reasons": reasons})
        total += s
    result: dict[str, Any] = {
        "pairs": out_pairs,
        "unmatched": [m.id for i, m in enumerate(ms) if i not in result_pairs],
        "matched": len(out_pairs),
        "total_score": total / 1000,
        "allowed_pairs": len(pairs.mentee),
    }
    if include_candidates:
        pairs = _sorted(pairs)
        result["candidates"] = [
            {"mentee": ms[i].id, "volunteer": vs[j].id, "score": s / 1000}
            for i, j, s in zip(pairs.mentee.tolist(), pairs.volunteer.tolist(), pairs.score.tolist(), strict=True)
        ]
    result["timings"] = {
        "load_s": round(inst.load_s, 4),
        "candidates_s": round(t1 - t0, 4),
        "solve_s": round(t2 - t1, 4),
    }
    return result


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------

_EPILOG = """\
The instance is the JSON of shared/contracts/matching.md: reference_week (a Monday, optional),
min_overlap_minutes (default 60), volunteers (id, languages, skills, capacity, vetted, timezone,
availability) and mentees (id, languages, needs, minor, timezone, availability); availability is a
list of {"day": "mon".."sun", "start": "HH:MM", "end": "HH:MM" or "24:00"} in local time. Project
additions: languages may be {"code": "ar", "level": "basic|fluent|native"}; "forbidden" and "pinned"
are lists of [mentee id, volunteer id].

The result on stdout: pairs (with score and reasons), unmatched, matched, total_score, timings, and
with --candidates every allowed pair with its score. The matching is exact: the most mentees
matched, then the largest total score. Score = need_weight * share of needs covered
+ language_weight * best shared level (basic 0.4, fluent 0.8, native 1) + overlap_weight *
min(overlap, saturation) / saturation. Availability is compared on a 15-minute UTC grid.

Exit status: 0 on success; 2 on invalid input, with one "place: reason" line per problem on
stderr and nothing on stdout.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    t0 = _time.perf_counter()
    parser = argparse.ArgumentParser(
        prog="python -m scheduling.matching",
        description="Pair mentees with volunteers optimally (exact: most matched, then best total score).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("instance", help="instance JSON file ('-' reads standard input)")
    parser.add_argument("--candidates", action="store_true", help="also list every allowed pair with its score")
    parser.add_argument(
        "--weights",
        metavar="JSON",
        default=None,
        help="score weights as a JSON object, e.g. '{\"need_weight\": 70}'; "
        "keys: " + ", ".join(f"{f.name} (default {f.default:g})" for f in fields(Weights)),
    )
    args = parser.parse_args(argv)

    problems: list[str] = []
    weights = Weights()
    if args.weights is not None:
        try:
            weights = Weights.from_mapping(json.loads(args.weights))
        except json.JSONDecodeError as e:
            problems.append(f"--weights: malformed JSON: {e.msg} at column {e.colno}")
        except InvalidInstance as e:
            problems.extend(f"--{p}" for p in e.problems)

    place = "<stdin>" if args.instance == "-" else args.instance
    data: Any = None
    try:
        if args.instance == "-":
            text = sys.stdin.read()
        else:
            with open(args.instance, encoding="utf-8") as fh:
                text = fh.read()
        data = json.loads(text)
    except OSError as e:
        problems.append(f"{place}: cannot read: {e.strerror or e}")
    except UnicodeDecodeError as e:
        problems.append(f"{place}: not UTF-8 text: {e.reason} at byte {e.start}")
    except json.JSONDecodeError as e:
        problems.append(f"{place}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}")
    else:
        try:
            instance = parse_instance(data)
        except InvalidInstance as e:
            problems.extend(e.problems)
    if problems:
        sys.stderr.write("".join(f"{p}\n" for p in problems))
        return 2

    del data, text
    load_s = _time.perf_counter() - t0
    instance = replace(instance, load_s=load_s)
    result = solve(instance, weights, include_candidates=args.candidates)
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
