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
  ``{"kind": "pinned"}``. A mentee may be pinned once; a volunteer may not have more pinned mentees
  than its capacity.
- The capacity given is the capacity left for this run (the web app subtracts existing matches).
- ``candidates`` (with ``--candidates``) lists every allowed pair, pinned mentees' included.
- ``allowed_pairs`` in the result counts the pairs the hard rules allow (the candidates' number).

Reasons
-------
Each proposed pair carries structured reasons (JSON objects, so the web app words them in the
reader's language from its own vocabulary; the matcher knows codes, not names), in this order:

- ``{"kind": "language", "code": "ar", "level": "native"}``: the best shared language (the one with
  the best shared level, the lower of the two sides'; on a tie the first code); level is basic,
  fluent or native;
- ``{"kind": "need", "code": "cv-writing"}``: one per mentee need the volunteer's skills cover, by code;
- ``{"kind": "overlap", "minutes": 90}``: weekly availability in common (left out when there is none);
- ``{"kind": "pinned"}``: a coordinator fixed the pair.

Layout
------
``instance`` (constants, :class:`Weights`, the people, :class:`Instance`), ``parsing``
(:func:`parse_instance`), ``scoring`` (the score and the reasons), ``candidates`` (the allowed pairs,
vectorised), ``solver`` (:func:`solve`), ``cli`` and ``__main__`` (the command line). No Django.

Public API
----------
:class:`Weights`, :func:`parse_instance` (raises :class:`InvalidInstance`), :func:`build_candidates`,
:func:`solve` and :func:`main` (the command line), all importable from ``scheduling.matching``.
"""

from scheduling.matching.candidates import _allowed_pairs, _Pairs, build_candidates
from scheduling.matching.cli import main
from scheduling.matching.instance import (
    Candidate,
    Instance,
    InvalidInstance,
    LanguageReason,
    Mentee,
    NeedReason,
    OverlapReason,
    PinnedReason,
    Reason,
    Volunteer,
    Weights,
)
from scheduling.matching.parsing import parse_instance
from scheduling.matching.solver import solve

__all__ = [
    "Candidate",
    "Instance",
    "InvalidInstance",
    "LanguageReason",
    "Mentee",
    "NeedReason",
    "OverlapReason",
    "PinnedReason",
    "Reason",
    "Volunteer",
    "Weights",
    "_Pairs",
    "_allowed_pairs",
    "build_candidates",
    "main",
    "parse_instance",
    "solve",
]
