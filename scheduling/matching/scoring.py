"""The score of a pair (one definition, vectorised) and the reasons behind it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from scheduling.matching.instance import (
    CELLS,
    GRAIN_MINUTES,
    LEVEL_FACTOR,
    LEVEL_NAMES,
    Mentee,
    Reason,
    Volunteer,
    Weights,
)

Array: TypeAlias = npt.NDArray[Any]
Scorer: TypeAlias = Callable[[Array, Array, Array, Array], Array]


def score_milli(w: Weights, covered: Array, n_needs: Array, level: Array, overlap_min: Array) -> Array:
    """Pair scores in integer thousandths; the single definition used for every pair."""
    need_frac = np.divide(covered, n_needs, out=np.zeros(len(covered)), where=n_needs > 0)
    lang = np.asarray([0.0, *LEVEL_FACTOR.values()])[level]
    sat = float(w.overlap_saturation_minutes)
    over = np.minimum(overlap_min, sat) / sat
    score = w.need_weight * need_frac + w.language_weight * lang + w.overlap_weight * over
    return np.rint(score * 1000).astype(np.int64)


def scorer(w: Weights, max_needs: int) -> Scorer:
    """Vectorised :func:`score_milli` of (needs, covered, level, overlap cells), through a lookup table
    of every input combination it can see.

    The table is filled by :func:`score_milli` itself, so both give identical integers; overlap
    beyond the saturation scores the same, so cells are capped there.
    """
    cap = min(CELLS, math.ceil(w.overlap_saturation_minutes / GRAIN_MINUTES))
    n_keys = (max_needs + 1) * (max_needs + 2) // 2  # (needs, covered) with covered <= needs
    if n_keys * 4 * (cap + 1) > 4_000_000:  # absurdly many needs: compute directly instead

        def direct(n_needs: Array, covered: Array, level: Array, cells: Array) -> Array:
            return score_milli(w, covered, n_needs, level, cells.astype(np.int64) * GRAIN_MINUTES)

        return direct
    n = np.repeat(np.arange(max_needs + 1), np.arange(1, max_needs + 2))
    c = np.arange(n_keys) - n * (n + 1) // 2
    grid = np.meshgrid(np.arange(n_keys), np.arange(4), np.arange(cap + 1), indexing="ij")
    key, lv, cells = (g.ravel() for g in grid)
    table = score_milli(w, c[key], n[key], lv, cells * GRAIN_MINUTES)

    def lookup(n_needs: Array, covered: Array, level: Array, cells: Array) -> Array:
        need_key = n_needs * (n_needs + 1) // 2 + covered
        found: Array = table[(need_key * 4 + level) * (cap + 1) + np.minimum(cells, cap)]
        return found

    return lookup


def best_language(m: Mentee, v: Volunteer) -> tuple[str | None, int]:
    """The shared language at the best shared level (the lower of the two sides), and that level."""
    best: tuple[int, str] | None = None
    for code, lm in m.languages.items():
        lv = v.languages.get(code)
        if lv is not None:
            key = (min(lm, lv), code)
            # prefer the higher level; on ties the alphabetically first code, for stable reasons
            if best is None or key[0] > best[0] or (key[0] == best[0] and code < best[1]):
                best = key
    return (best[1], best[0]) if best else (None, 0)


def reasons(m: Mentee, v: Volunteer, overlap_minutes: int) -> list[Reason]:
    """Why the pair fits: the best shared language, each need covered, the minutes in common."""
    out: list[Reason] = []
    code, level = best_language(m, v)
    if code is not None:
        out.append({"kind": "language", "code": code, "level": LEVEL_NAMES[level - 1]})
    out.extend({"kind": "need", "code": need} for need in sorted(m.needs & v.skills))
    if overlap_minutes:
        out.append({"kind": "overlap", "minutes": overlap_minutes})
    return out


def pair_score(m: Mentee, v: Volunteer, w: Weights) -> tuple[int, int]:
    """(score in thousandths, overlap minutes) of any pair, allowed or not."""
    overlap = (m.availability & v.availability).bit_count() * GRAIN_MINUTES
    score = score_milli(
        w,
        np.array([len(m.needs & v.skills)]),
        np.array([len(m.needs)]),
        np.array([best_language(m, v)[1]]),
        np.array([overlap]),
    )
    return int(score[0]), overlap
