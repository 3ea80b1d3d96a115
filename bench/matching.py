"""Benchmark of scheduling.matching, end to end through ``python -m scheduling.matching``.

    python bench/matching.py [--sizes 1000,10000,50000] [--seed N] [--out-dir DIR]

For each size (mentees; volunteers are 40% as many) it writes a random instance in the contract's
format, runs the CLI on it in a fresh child process (wall time and the child's peak RSS), and compares
the optimum with a greedy baseline and, where the dense matrix fits in memory, with
scipy.optimize.linear_sum_assignment. A table for the README is printed at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from scheduling import matching  # noqa: E402

LANGUAGES = ["ar", "en", "fr", "uk", "fa", "es", "ps", "ru", "so", "ti", "ku", "tr", "ur", "am", "de"]
SKILLS = [
    "cv-writing",
    "python",
    "javascript",
    "web-design",
    "excel",
    "job-search",
    "interview-practice",
    "spanish-tutoring",
    "english-tutoring",
    "math",
    "networking",
    "linux",
    "databases",
    "git",
    "public-speaking",
    "digital-literacy",
    "online-safety",
    "data-analysis",
    "graphic-design",
    "entrepreneurship",
    "accounting",
    "university-applications",
    "scholarships",
    "android",
    "cloud",
]
ZONES = [
    "Europe/Madrid",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "America/St_Johns",
]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LEVELS = ["basic", "fluent", "native"]
REFERENCE_WEEK = "2026-11-23"


def _zipf(n: int, s: float = 1.1) -> list[float]:
    return [1 / (k + 1) ** s for k in range(n)]


def _pick(rng: random.Random, items: list[str], weights: list[float], k: int) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        x = rng.choices(items, weights)[0]
        if x not in out:
            out.append(x)
    return out


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _availability(rng: random.Random) -> list[dict[str, str]]:
    windows = []
    for _ in range(rng.randint(1, 4)):
        length = rng.choice(range(45, 181, 15))
        # mostly evenings; some daytime (on weekends especially)
        start = (
            rng.choice(range(17 * 60, 21 * 60 + 1, 15))
            if rng.random() < 0.8
            else rng.choice(range(8 * 60, 16 * 60 + 1, 15))
        )
        end = min(start + length, 24 * 60)
        windows.append({"day": rng.choice(DAYS), "start": _hhmm(start), "end": _hhmm(end)})
    return windows


def _languages(rng: random.Random, k: int) -> list[object]:
    codes = _pick(rng, LANGUAGES, _zipf(len(LANGUAGES), 0.8), k)
    return [{"code": c, "level": rng.choice(LEVELS)} if rng.random() < 0.3 else c for c in codes]


def generate(n_mentees: int, seed: int = 0) -> dict:
    """A random instance: n_mentees mentees and 40% as many volunteers."""
    rng = random.Random(seed)
    n_vol = n_mentees * 2 // 5
    skill_w = _zipf(len(SKILLS), 0.3)
    zone_w = [1.0] * len(ZONES)
    volunteers = [
        {
            "id": f"v{j}",
            "languages": _languages(rng, rng.randint(1, 3)),
            "skills": _pick(rng, SKILLS, skill_w, rng.randint(1, 6)),
            "capacity": rng.choice([0, 1, 1, 2, 2, 3, 4]),
            "vetted": rng.random() < 0.7,
            "timezone": rng.choices(ZONES, zone_w)[0],
            "availability": _availability(rng),
        }
        for j in range(n_vol)
    ]
    mentees = [
        {
            "id": f"m{i}",
            "languages": _languages(rng, rng.randint(1, 2)),
            "needs": [] if rng.random() < 0.1 else _pick(rng, SKILLS, skill_w, rng.randint(1, 3)),
            "minor": rng.random() < 0.15,
            "timezone": rng.choices(ZONES, zone_w)[0],
            "availability": _availability(rng),
        }
        for i in range(n_mentees)
    ]
    return {"reference_week": REFERENCE_WEEK, "min_overlap_minutes": 60, "volunteers": volunteers, "mentees": mentees}


# --------------------------------------------------------------------------------------------------

_CHILD = """
import resource, subprocess, sys, time, json
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=open(sys.argv[-1] + '.out', 'w'), stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": r.returncode, "wall": wall, "peak_mb": peak_kb / 1024, "stderr": r.stderr[-2000:]}))
"""


def run_cli(path: Path) -> tuple[dict, float, float]:
    """Run the CLI in a fresh wrapper process so ru_maxrss is this child's alone."""
    cmd = [sys.executable, "-c", _CHILD, sys.executable, "-m", "scheduling.matching", str(path)]
    probe = json.loads(subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    if probe["rc"] != 0:
        raise SystemExit(f"matcher failed ({probe['rc']}): {probe['stderr']}")
    result = json.loads(Path(str(path) + ".out").read_text())
    return result, probe["wall"], probe["peak_mb"]


def greedy(inst: matching.Instance, cands: matching._Pairs) -> tuple[int, float]:
    """Baseline: mentees in input order, each takes its best-scoring volunteer with room left."""
    import numpy as np

    left = [v.capacity for v in inst.volunteers]
    # candidates are sorted by mentee; within a mentee, best score first
    order = np.lexsort((-cands.score, cands.mentee))
    matched, total, done = 0, 0, -1
    for i, j, s in zip(
        cands.mentee[order].tolist(), cands.volunteer[order].tolist(), cands.score[order].tolist(), strict=True
    ):
        if i != done and left[j] > 0:
            left[j] -= 1
            matched += 1
            total += s
            done = i
    return matched, total / 1000


def scipy_lsa(inst: matching.Instance, cands: matching._Pairs, max_gb: float) -> tuple[str, float, int, float]:
    """Dense linear_sum_assignment on mentees x capacity slots; returns (status, secs, matched, score)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    caps = np.array([v.capacity for v in inst.volunteers])
    n_slots = int(caps.sum())
    need_gb = len(inst.mentees) * n_slots * 8 * 3 / 1e9  # matrix + the solver's working copies
    if need_gb > max_gb:
        return f"skipped: needs {need_gb:.0f} GB", 0.0, 0, 0.0
    t = time.perf_counter()
    slot_start = np.concatenate([[0], np.cumsum(caps)[:-1]])
    big = float(cands.score.max() + 1) * (len(inst.mentees) + 1)  # any extra match beats any scores
    gain = np.zeros((len(inst.mentees), n_slots))
    for k in range(caps.max()):
        sel = caps[cands.volunteer] > k
        gain[cands.mentee[sel], slot_start[cands.volunteer[sel]] + k] = big + cands.score[sel]
    rows, cols = linear_sum_assignment(gain, maximize=True)
    val = gain[rows, cols]
    real = val > 0
    secs = time.perf_counter() - t
    return "ok", secs, int(real.sum()), float((val[real] - big).sum()) / 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,50000", help="mentee counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-dir", default=None, help="where instances are written (default: a temp dir)")
    ap.add_argument("--scipy-max-gb", type=float, default=4.0, help="skip scipy above this estimate")
    args = ap.parse_args()

    out_dir = Path(args.out_dir or tempfile.mkdtemp(prefix="matching-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        data = generate(n, args.seed)
        path = out_dir / f"instance-{n}.json"
        path.write_text(json.dumps(data))
        print(f"\n== {n} mentees x {len(data['volunteers'])} volunteers ({path}, {path.stat().st_size / 1e6:.1f} MB)")
        result, wall, peak = run_cli(path)
        t = result["timings"]
        print(
            f"matcher: load {t['load_s']:.2f} s, candidates {t['candidates_s']:.2f} s, "
            f"solve {t['solve_s']:.2f} s, wall {wall:.2f} s, peak {peak:.0f} MB; "
            f"matched {result['matched']}, total score {result['total_score']:.3f}"
        )

        inst = matching.parse_instance(data)
        cands = matching._allowed_pairs(inst, matching.Weights())
        print(f"allowed pairs: {len(cands.mentee):,}")
        g_matched, g_score = greedy(inst, cands)
        print(f"greedy: matched {g_matched}, total score {g_score:.3f}")
        status, secs, s_matched, s_score = scipy_lsa(inst, cands, args.scipy_max_gb)
        if status == "ok":
            same = s_matched == result["matched"] and abs(s_score - result["total_score"]) < 1e-6
            verdict = "same optimum" if same else "DIFFERENT optimum"
            scipy_note = f"{secs:.2f} s = {secs / wall:.1f}x our wall time, {verdict}"
            print(f"scipy linear_sum_assignment: {secs:.2f} s, matched {s_matched}, score {s_score:.3f} ({scipy_note})")
        else:
            scipy_note = status
            print(f"scipy linear_sum_assignment: {status}")
        rows.append(
            (
                f"{n:,} x {len(data['volunteers']):,}",
                f"{len(cands.mentee):,}",
                f"{t['candidates_s']:.2f}",
                f"{t['solve_s']:.2f}",
                f"{wall:.2f}",
                f"{peak:.0f}",
                str(result["matched"]),
                f"{result['total_score']:.1f}",
                f"{g_matched} / {g_score:.1f}",
                scipy_note,
            )
        )

    head = (
        "mentees x volunteers",
        "allowed pairs",
        "candidates s",
        "solve s",
        "wall s",
        "peak MB",
        "matched",
        "total score",
        "greedy matched / score",
        "scipy linear_sum_assignment",
    )
    print(f"\nMachine: {machine()}\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
