"""The command line: ``python -m scheduling.matching INSTANCE.json [--candidates] [--weights JSON]``."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

from scheduling.matching.instance import Instance, InvalidInstance, Weights
from scheduling.matching.parsing import parse_instance
from scheduling.matching.solver import solve

EPILOG = """\
The instance is the JSON of shared/contracts/matching.md: reference_week (a Monday, optional),
min_overlap_minutes (default 60), volunteers (id, languages, skills, capacity, vetted, timezone,
availability) and mentees (id, languages, needs, minor, timezone, availability); availability is a
list of {"day": "mon".."sun", "start": "HH:MM", "end": "HH:MM" or "24:00"} in local time. Project
additions: languages may be {"code": "ar", "level": "basic|fluent|native"}; "forbidden" and "pinned"
are lists of [mentee id, volunteer id].

The result on stdout: pairs (with score and reasons), unmatched, matched, total_score, timings, and
with --candidates every allowed pair with its score. Reasons are objects: {"kind": "language",
"code": "ar", "level": "native"}, {"kind": "need", "code": "cv-writing"}, {"kind": "overlap",
"minutes": 90} and {"kind": "pinned"}. The matching is exact: the most mentees
matched, then the largest total score. Score = need_weight * share of needs covered
+ language_weight * best shared level (basic 0.4, fluent 0.8, native 1) + overlap_weight *
min(overlap, saturation) / saturation. Availability is compared on a 15-minute UTC grid.

Exit status: 0 on success; 2 on invalid input, with one "place: reason" line per problem on
stderr and nothing on stdout.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scheduling.matching",
        description="Pair mentees with volunteers optimally (exact: most matched, then best total score).",
        epilog=EPILOG,
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
    return parser


def _weights(text: str | None, problems: list[str]) -> Weights:
    if text is None:
        return Weights()
    try:
        return Weights.from_mapping(json.loads(text))
    except json.JSONDecodeError as e:
        problems.append(f"--weights: malformed JSON: {e.msg} at column {e.colno}")
    except InvalidInstance as e:
        problems.extend(f"--{p}" for p in e.problems)
    return Weights()


def _instance(path: str, problems: list[str]) -> Instance | None:
    """Read and validate the instance file ('-': standard input); None if there were problems."""
    place = "<stdin>" if path == "-" else path
    data: Any = None
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        data = json.loads(text)
        del text
        gc.freeze()  # the instance's objects live until the end: spare the collector walking them again and again
    except OSError as e:
        problems.append(f"{place}: cannot read: {e.strerror or e}")
    except UnicodeDecodeError as e:
        problems.append(f"{place}: not UTF-8 text: {e.reason} at byte {e.start}")
    except json.JSONDecodeError as e:
        problems.append(f"{place}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}")
    else:
        try:
            return parse_instance(data)
        except InvalidInstance as e:
            problems.extend(e.problems)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    t0 = time.perf_counter()
    args = _parser().parse_args(argv)
    problems: list[str] = []
    weights = _weights(args.weights, problems)
    instance = _instance(args.instance, problems)
    if problems or instance is None:
        sys.stderr.write("".join(f"{p}\n" for p in problems))
        return 2
    instance = replace(instance, load_s=time.perf_counter() - t0)
    result = solve(instance, weights, include_candidates=args.candidates)
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    sys.stdout.write("\n")
    return 0
