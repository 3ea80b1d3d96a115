"""The matcher's data model: constants of the time grain, weights, people, the instance, a candidate."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeAlias, TypedDict

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


class LanguageReason(TypedDict):
    """The best shared language, at the lower of the two sides' levels."""

    kind: Literal["language"]
    code: str  # ISO 639, as in the instance
    level: str  # basic, fluent or native


class NeedReason(TypedDict):
    """A need of the mentee's that the volunteer's skills cover (one reason per need)."""

    kind: Literal["need"]
    code: str  # skill slug


class OverlapReason(TypedDict):
    """Weekly availability in common, in minutes (on the 15-minute UTC grid)."""

    kind: Literal["overlap"]
    minutes: int


class PinnedReason(TypedDict):
    """A coordinator fixed the pair."""

    kind: Literal["pinned"]


Reason: TypeAlias = LanguageReason | NeedReason | OverlapReason | PinnedReason


class InvalidInstance(ValueError):
    """The instance is invalid; ``problems`` holds one ``place: reason`` line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Weights:
    """Score weights, settable per run. See the package docstring for the formula."""

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
    """A validated instance; build it with :func:`scheduling.matching.parse_instance`."""

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
    reasons: tuple[Reason, ...]
    overlap_minutes: int


def this_monday() -> date:
    """Monday of the current week (UTC)."""
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday())
