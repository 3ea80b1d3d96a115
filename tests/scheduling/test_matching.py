"""scheduling.matching: hard rules, time zones, bad input, and exact optimality.

Plain functions: no Django, no database.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from scheduling.matching import (
    InvalidInstance,
    Weights,
    _allowed_pairs,
    build_candidates,
    main,
    parse_instance,
    solve,
)

REPO = Path(__file__).resolve().parents[2]
WEEK = "2026-11-23"  # a Monday, no daylight-saving change in Europe or North America
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def window(day: str = "mon", start: str = "18:00", end: str = "20:00") -> dict:
    return {"day": day, "start": start, "end": end}


def volunteer(vid: str = "v1", **kw) -> dict:
    v = {
        "id": vid,
        "languages": ["ar"],
        "skills": ["cv-writing"],
        "capacity": 1,
        "vetted": True,
        "timezone": "UTC",
        "availability": [window()],
    }
    v.update(kw)
    return v


def mentee(mid: str = "m1", **kw) -> dict:
    m = {
        "id": mid,
        "languages": ["ar"],
        "needs": ["cv-writing"],
        "minor": False,
        "timezone": "UTC",
        "availability": [window()],
    }
    m.update(kw)
    return m


def instance(volunteers: list[dict], mentees: list[dict], **kw) -> dict:
    data = {"reference_week": WEEK, "min_overlap_minutes": 60, "volunteers": volunteers, "mentees": mentees}
    data.update(kw)
    return data


def allowed(v: dict, m: dict, **kw) -> bool:
    return bool(build_candidates(parse_instance(instance([v], [m], **kw))))


def overlap(v: dict, m: dict, week: str = WEEK) -> int:
    """Minutes in common, from a candidate list with no minimum overlap."""
    cands = build_candidates(parse_instance(instance([v], [m], reference_week=week, min_overlap_minutes=0)))
    return cands[0].overlap_minutes


def run_cli(tmp_path: Path, content: str | dict, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "instance.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return subprocess.run(
        [sys.executable, "-m", "scheduling.matching", str(path), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- hard rules -----------------------------------------------------------------------------------


def test_it_pairs_a_mentee_with_a_volunteer_who_fits():
    result = solve(instance([volunteer()], [mentee()]))
    assert result["matched"] == 1
    assert result["pairs"][0]["mentee"] == "m1"
    assert result["pairs"][0]["volunteer"] == "v1"
    assert result["unmatched"] == []


def test_it_requires_a_shared_language():
    assert not allowed(volunteer(languages=["en", "fr"]), mentee(languages=["ar", "fa"]))
    assert allowed(volunteer(languages=["en", "fa"]), mentee(languages=["ar", "fa"]))


def test_it_accepts_a_shared_language_at_any_level():
    v = volunteer(languages=[{"code": "ar", "level": "basic"}])
    assert allowed(v, mentee(languages=[{"code": "AR", "level": "native"}]))


def test_it_allows_an_overlap_exactly_at_the_minimum_and_not_a_grain_below():
    v = volunteer(availability=[window("mon", "18:00", "19:00")])
    assert allowed(v, mentee(availability=[window("mon", "18:00", "20:00")]))
    assert not allowed(v, mentee(availability=[window("mon", "18:15", "20:00")]))
    # the minimum counts over the whole week, not one window
    v2 = volunteer(availability=[window("mon", "18:00", "18:30"), window("thu", "09:00", "09:30")])
    assert allowed(v2, mentee(availability=[window("mon", "17:00", "19:00"), window("thu", "09:00", "12:00")]))


def test_it_never_overstates_overlap_off_the_grain():
    v = volunteer(availability=[window("mon", "18:10", "19:10")])  # only 18:15-19:00 counts
    m = mentee(availability=[window("mon", "18:00", "20:00")])
    assert overlap(v, m) == 45
    assert not allowed(v, m)


def test_it_keeps_minors_away_from_unvetted_volunteers():
    assert not allowed(volunteer(vetted=False), mentee(minor=True))
    assert allowed(volunteer(vetted=True), mentee(minor=True))
    assert allowed(volunteer(vetted=False), mentee(minor=False))


def test_it_requires_a_need_among_the_skills_unless_there_are_no_needs():
    assert not allowed(volunteer(skills=["python"]), mentee(needs=["cv-writing", "excel"]))
    assert allowed(volunteer(skills=["python", "excel"]), mentee(needs=["cv-writing", "excel"]))
    assert allowed(volunteer(skills=["python"]), mentee(needs=[]))
    assert allowed(volunteer(skills=[]), mentee(needs=[]))


def test_it_never_uses_a_volunteer_with_no_capacity():
    assert not allowed(volunteer(capacity=0), mentee())


def test_it_gives_a_volunteer_no_more_mentees_than_its_capacity():
    ms = [mentee(f"m{i}") for i in range(3)]
    result = solve(instance([volunteer(capacity=2)], ms))
    assert result["matched"] == 2
    assert len(result["unmatched"]) == 1


# -- time zones -----------------------------------------------------------------------------------


def test_it_converts_local_times_on_the_dates_of_the_reference_week():
    # Madrid is UTC+1 until Sunday 29 March 2026, then UTC+2; UTC itself never changes
    v = volunteer(timezone="Europe/Madrid", availability=[window("mon", "18:00", "19:00")])
    m = mentee(availability=[window("mon", "17:00", "18:00")])
    assert overlap(v, m, "2026-03-23") == 60
    assert overlap(v, m, "2026-03-30") == 0
    # the Sunday of the week of 23 March is already summer time
    v_sun = volunteer(timezone="Europe/Madrid", availability=[window("sun", "18:00", "19:00")])
    assert overlap(v_sun, mentee(availability=[window("sun", "16:00", "17:00")]), "2026-03-23") == 60


def test_it_handles_a_window_spanning_the_change_to_summer_time():
    # 01:00-04:00 local on 29 March 2026 in Madrid is 00:00-02:00 UTC: two hours, not three
    v = volunteer(timezone="Europe/Madrid", availability=[window("sun", "01:00", "04:00")])
    m = mentee(availability=[window("sat", "20:00", "24:00"), window("sun", "00:00", "12:00")])
    assert overlap(v, m, "2026-03-23") == 120


def test_it_runs_sunday_night_into_monday():
    # New York is UTC-5 in November: Sunday 18:00-21:00 there is Sunday 23:00 to Monday 02:00 UTC
    v = volunteer(timezone="America/New_York", availability=[window("sun", "18:00", "21:00")])
    m = mentee(availability=[window("mon", "00:00", "01:00"), window("sun", "23:00", "24:00")])
    assert overlap(v, m) == 120
    # Monday 08:00-09:00 in Tokyo (UTC+9) is Sunday 23:00-24:00 UTC of the cyclic week
    v_tokyo = volunteer(timezone="Asia/Tokyo", availability=[window("mon", "08:00", "09:00")])
    assert allowed(v_tokyo, mentee(availability=[window("sun", "23:00", "24:00")]))


def test_it_handles_half_hour_and_three_quarter_hour_zones():
    kolkata = volunteer(timezone="Asia/Kolkata", availability=[window("mon", "19:00", "20:00")])  # 13:30 UTC
    kathmandu = mentee(timezone="Asia/Kathmandu", availability=[window("mon", "19:00", "20:00")])  # 13:15 UTC
    assert overlap(kolkata, kathmandu) == 45
    assert overlap(kolkata, mentee(availability=[window("mon", "14:00", "15:00")])) == 30
    assert allowed(kolkata, kathmandu, min_overlap_minutes=45)
    assert not allowed(kolkata, kathmandu, min_overlap_minutes=46)


def test_it_accepts_24_00_as_the_end_of_the_day():
    v = volunteer(availability=[window("mon", "23:00", "24:00")])
    assert overlap(v, mentee(availability=[window("mon", "22:00", "24:00")])) == 60
    assert overlap(v, mentee(availability=[window("tue", "00:00", "01:00")])) == 0


# -- score, reasons, weights ----------------------------------------------------------------------


def test_it_explains_each_pair_with_structured_reasons():
    v = volunteer(
        languages=["ar", "en"], skills=["cv-writing", "python"], availability=[window("mon", "18:00", "19:30")]
    )
    m = mentee(languages=["ar"], needs=["cv-writing"], availability=[window("mon", "17:00", "20:00")])
    pair = solve(instance([v], [m]))["pairs"][0]
    assert pair["reasons"] == [
        {"kind": "language", "code": "ar", "level": "fluent"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "overlap", "minutes": 90},
    ]
    # need 50 * 1 + language 20 * 0.8 (fluent) + overlap 30 * 90 / 180
    assert pair["score"] == pytest.approx(50 + 16 + 15)


def test_it_rewards_a_shared_language_at_a_better_level():
    m = mentee(languages=[{"code": "ar", "level": "native"}, {"code": "en", "level": "basic"}])
    native = volunteer("v1", languages=[{"code": "ar", "level": "native"}, "en"])
    basic = volunteer("v2", languages=["en"])
    scores = {c.volunteer: c for c in build_candidates(parse_instance(instance([native, basic], [m])))}
    assert scores["v1"].score > scores["v2"].score
    assert {"kind": "language", "code": "ar", "level": "native"} in scores["v1"].reasons
    assert {"kind": "language", "code": "en", "level": "basic"} in scores["v2"].reasons


def test_it_gives_one_reason_per_need_covered_and_codes_it_has_no_name_for():
    v = volunteer(languages=[{"code": "bm", "level": "native"}], skills=["python", "cv-writing", "excel"])
    m = mentee(languages=[{"code": "bm", "level": "native"}], needs=["python", "cv-writing", "housing"])
    (candidate,) = build_candidates(parse_instance(instance([v], [m])))
    assert candidate.reasons == (
        {"kind": "language", "code": "bm", "level": "native"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "need", "code": "python"},
        {"kind": "overlap", "minutes": 120},
    )


def test_it_lets_the_weights_change_the_choice():
    m = mentee(needs=["cv-writing", "excel"], availability=[window("mon", "12:00", "20:00")])
    skilled = volunteer("v1", skills=["cv-writing", "excel"], availability=[window("mon", "18:00", "19:00")])
    available = volunteer("v2", skills=["cv-writing"], availability=[window("mon", "12:00", "18:00")])
    data = instance([skilled, available], [m])
    assert solve(data)["pairs"][0]["volunteer"] == "v1"
    heavy_overlap = Weights(need_weight=10, overlap_weight=90)
    assert solve(data, heavy_overlap)["pairs"][0]["volunteer"] == "v2"


def test_it_rejects_bad_weights():
    with pytest.raises(InvalidInstance) as err:
        Weights(need_weight=-1)
    assert err.value.problems == ["weights.need_weight: must be between 0 and 1000000, got -1"]
    with pytest.raises(InvalidInstance):
        Weights.from_mapping({"nede_weight": 3})


# -- project additions: forbidden and pinned pairs ------------------------------------------------


def test_it_never_proposes_a_forbidden_pair():
    data = instance([volunteer("v1"), volunteer("v2", skills=[])], [mentee(needs=[])])
    assert solve(data)["pairs"][0]["volunteer"] == "v1"
    result = solve({**data, "forbidden": [["m1", "v1"]]}, include_candidates=True)
    assert [p["volunteer"] for p in result["pairs"]] == ["v2"]
    assert {c["volunteer"] for c in result["candidates"]} == {"v2"}


def test_it_keeps_pinned_pairs_and_counts_them_against_capacity():
    vs = [volunteer("v1", capacity=1), volunteer("v2", capacity=1)]
    ms = [mentee("m1"), mentee("m2", languages=["fa"])]  # m2 shares no language: pinned anyway
    result = solve(instance(vs, ms, pinned=[["m2", "v1"]]))
    pairs = {p["mentee"]: p for p in result["pairs"]}
    assert pairs["m2"]["volunteer"] == "v1"
    assert pairs["m2"]["reasons"] == [  # no shared language to give
        {"kind": "need", "code": "cv-writing"},
        {"kind": "overlap", "minutes": 120},
        {"kind": "pinned"},
    ]
    assert {"kind": "pinned"} not in pairs["m1"]["reasons"]
    assert pairs["m1"]["volunteer"] == "v2"  # v1 is full
    assert result["matched"] == 2


def test_it_rejects_inconsistent_pins():
    vs = [volunteer("v1", capacity=1)]
    ms = [mentee("m1"), mentee("m2")]
    with pytest.raises(InvalidInstance) as err:
        parse_instance(
            instance(vs, ms, pinned=[["m1", "v1"], ["m2", "v1"], ["m1", "v1"], ["m9", "v1"]], forbidden=[["m2", "v1"]])
        )
    assert err.value.problems == [
        "pinned[3]: unknown mentee 'm9'",
        "pinned[1]: pair ('m2', 'v1') is also forbidden",
        "pinned[1]: volunteer 'v1' has capacity 1 but more pinned mentees",
        "pinned[2]: mentee 'm1' is already pinned (pinned[0])",
    ]


# -- command line -----------------------------------------------------------------------------------


def test_it_writes_the_contract_result_on_stdout(tmp_path):
    proc = run_cli(tmp_path, instance([volunteer()], [mentee(), mentee("m2", languages=["uk"])]))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {"pairs", "unmatched", "matched", "total_score", "allowed_pairs", "timings"}
    assert result["matched"] == 1
    assert result["unmatched"] == ["m2"]
    assert result["total_score"] == result["pairs"][0]["score"]
    assert result["pairs"][0]["reasons"] == [
        {"kind": "language", "code": "ar", "level": "fluent"},
        {"kind": "need", "code": "cv-writing"},
        {"kind": "overlap", "minutes": 120},
    ]
    assert set(result["timings"]) == {"load_s", "candidates_s", "solve_s"}


def test_it_lists_every_allowed_pair_with_candidates(tmp_path):
    data = instance([volunteer("v1"), volunteer("v2"), volunteer("v3", languages=["ps"])], [mentee("m1"), mentee("m2")])
    proc = run_cli(tmp_path, data, "--candidates", "--weights", '{"need_weight": 10}')
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    got = {(c["mentee"], c["volunteer"]) for c in result["candidates"]}
    assert got == {("m1", "v1"), ("m1", "v2"), ("m2", "v1"), ("m2", "v2")}
    assert all(set(c) == {"mentee", "volunteer", "score"} for c in result["candidates"])
    assert result["matched"] == 2


def test_it_explains_itself_with_help():
    proc = subprocess.run(
        [sys.executable, "-m", "scheduling.matching", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "--candidates" in proc.stdout
    assert "Exit status" in proc.stdout


def test_it_does_not_import_django():
    code = "import sys, scheduling.matching as m; m.solve; assert not [x for x in sys.modules if 'django' in x]"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


def _bad(**kw) -> dict:
    return instance([volunteer()], [mentee()], **kw)


BAD_INPUTS = {
    "unknown time zone": (
        instance([volunteer(), volunteer("v2", timezone="Mars/Olympus")], [mentee()]),
        ["volunteers[1].timezone: unknown time zone 'Mars/Olympus'"],
    ),
    "duplicate id": (
        instance([volunteer(), volunteer()], [mentee()]),
        ["volunteers[1].id: duplicate id 'v1' (also volunteers[0])"],
    ),
    "negative capacity": (
        instance([volunteer(capacity=-1)], [mentee()]),
        ["volunteers[0].capacity: must not be negative, got -1"],
    ),
    "unknown day": (
        instance([volunteer()], [mentee(availability=[window("funday")])]),
        ["mentees[0].availability[0].day: unknown day 'funday' (use mon, tue, wed, thu, fri, sat or sun)"],
    ),
    "start not before end": (
        instance([volunteer(availability=[window("mon", "20:00", "20:00")])], [mentee()]),
        ["volunteers[0].availability[0]: start 20:00 is not before end 20:00"],
    ),
    "bad time": (
        instance([volunteer(availability=[window("mon", "9:00", "24:30")])], [mentee()]),
        [
            "volunteers[0].availability[0].start: expected a time as HH:MM from 00:00 to 23:59, got '9:00'",
            "volunteers[0].availability[0].end: expected a time as HH:MM from 00:00 to 24:00, got '24:30'",
        ],
    ),
    "start at 24:00": (
        instance([volunteer(availability=[window("mon", "24:00", "24:00")])], [mentee()]),
        ["volunteers[0].availability[0].start: expected a time as HH:MM from 00:00 to 23:59, got '24:00'"],
    ),
    "malformed JSON": ('{"volunteers": [}', ["instance.json:1:17: malformed JSON: Expecting value"]),
    "not an object": ("[1, 2]", ["instance: expected a JSON object, got a list"]),
    "missing fields": (
        {
            "volunteers": [
                {"id": "v1", "languages": ["ar"], "skills": [], "capacity": 1, "vetted": True, "availability": []}
            ]
        },
        ["volunteers[0].timezone: missing", "mentees: missing"],
    ),
    "wrong types": (
        instance([volunteer(capacity="2", vetted="yes", languages="ar")], [mentee(minor=1, needs=[3])]),
        [
            "volunteers[0].languages: expected a list of languages, got a string",
            "volunteers[0].capacity: expected a whole number, got a string",
            "volunteers[0].vetted: expected true or false, got a string",
            "mentees[0].needs[0]: expected a non-empty string, got 3",
            "mentees[0].minor: expected true or false, got a number",
        ],
    ),
    "reference week not a Monday": (
        _bad(reference_week="2026-11-24"),
        ["reference_week: 2026-11-24 is a Tuesday, not a Monday"],
    ),
    "reference week not a date": (
        _bad(reference_week="next week"),
        ["reference_week: expected a date as YYYY-MM-DD, got 'next week'"],
    ),
    "negative minimum overlap": (
        _bad(min_overlap_minutes=-5),
        ["min_overlap_minutes: expected a whole number of minutes from 0 to 10080, got -5"],
    ),
    "unknown language level": (
        instance([volunteer(languages=[{"code": "ar", "level": "expert"}])], [mentee()]),
        ["volunteers[0].languages[0].level: unknown level 'expert' (use basic, fluent or native)"],
    ),
    "bad language code": (
        instance([volunteer(languages=["Arabic!"])], [mentee()]),
        ["volunteers[0].languages[0]: expected an ISO 639 language code, got 'Arabic!'"],
    ),
    "forbidden with an unknown volunteer": (_bad(forbidden=[["m1", "v9"]]), ["forbidden[0]: unknown volunteer 'v9'"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_it_exits_2_with_one_line_per_problem_on_bad_input(tmp_path, case):
    content, expected = BAD_INPUTS[case]
    proc = run_cli(tmp_path, content)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert [line.replace(str(tmp_path / "instance.json"), "instance.json") for line in lines] == expected


def test_it_reports_every_problem_at_once(tmp_path):
    data = instance(
        [volunteer(capacity=-2, timezone="Nowhere/City"), volunteer()],
        [mentee(availability=[window("xyz", "18:00", "17:00")])],
    )
    proc = run_cli(tmp_path, data)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "volunteers[0].timezone: unknown time zone 'Nowhere/City'",
        "volunteers[0].capacity: must not be negative, got -2",
        "volunteers[1].id: duplicate id 'v1' (also volunteers[0])",
        "mentees[0].availability[0].day: unknown day 'xyz' (use mon, tue, wed, thu, fri, sat or sun)",
        "mentees[0].availability[0]: start 18:00 is not before end 17:00",
    ]


def test_it_exits_2_on_a_missing_file_and_on_bad_weights(tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err.endswith("nope.json: cannot read: No such file or directory\n")
    path = tmp_path / "i.json"
    path.write_text(json.dumps(instance([volunteer()], [mentee()])))
    assert main([str(path), "--weights", '{"need_weight": "lots"}']) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "--weights.need_weight: expected a number, got 'lots'\n"


# -- optimality -------------------------------------------------------------------------------------

ZONES = ["UTC", "Europe/Madrid", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Asia/Tokyo"]
LEVEL_FACTOR = {"basic": 0.4, "fluent": 0.8, "native": 1.0}


def random_instance(rng: random.Random, n_m: int, n_v: int, n_langs: int = 3, n_skills: int = 4) -> dict:
    langs = [chr(97 + i // 26) + chr(97 + i % 26) for i in range(n_langs)]  # aa, ab, ...
    skills = [f"s{i}" for i in range(n_skills)]

    def person_langs(k: int) -> list:
        return [
            {"code": c, "level": rng.choice(list(LEVEL_FACTOR))} if rng.random() < 0.5 else c
            for c in rng.sample(langs, k)
        ]

    def avail() -> list[dict]:
        out = []
        for _ in range(rng.randint(1, 3)):
            start = rng.randrange(0, 24 * 4 - 2) * 15
            end = min(start + rng.randrange(1, 16) * 15, 24 * 60)
            out.append(
                {
                    "day": rng.choice(DAYS),
                    "start": f"{start // 60:02d}:{start % 60:02d}",
                    "end": f"{end // 60:02d}:{end % 60:02d}",
                }
            )
        return out

    vs = [
        {
            "id": f"v{j}",
            "languages": person_langs(rng.randint(1, min(3, n_langs))),
            "skills": rng.sample(skills, rng.randint(0, n_skills)),
            "capacity": rng.choice([0, 1, 1, 2, 3]),
            "vetted": rng.random() < 0.6,
            "timezone": rng.choice(ZONES),
            "availability": avail(),
        }
        for j in range(n_v)
    ]
    ms = [
        {
            "id": f"m{i}",
            "languages": person_langs(rng.randint(1, min(2, n_langs))),
            "needs": rng.sample(skills, rng.randint(0, min(2, n_skills))),
            "minor": rng.random() < 0.3,
            "timezone": rng.choice(ZONES),
            "availability": avail(),
        }
        for i in range(n_m)
    ]
    week = rng.choice(["2026-03-23", "2026-10-19", "2026-10-26", WEEK])
    return {"reference_week": week, "min_overlap_minutes": rng.choice([0, 30, 60]), "volunteers": vs, "mentees": ms}


def crowd(data: dict, rng: random.Random) -> None:
    """Evenings early in the week in nearby zones: many overlaps, so volunteers are contested."""
    for p in data["mentees"] + data["volunteers"]:
        p["timezone"] = rng.choice(["UTC", "Europe/Madrid", "Africa/Lagos"])
        p["availability"] = [
            window(rng.choice(DAYS[:3]), f"{h}:00", f"{h + rng.randint(1, 3)}:00") for h in rng.sample(range(16, 21), 2)
        ]


def oracle_minutes(person: dict, week: str) -> set[int]:
    """UTC minutes of the week, computed minute by minute with astimezone (independent of the grain)."""
    monday = date.fromisoformat(week)
    origin = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    tz = ZoneInfo(person["timezone"])
    out: set[int] = set()
    for w in person["availability"]:
        day = monday + timedelta(days=DAYS.index(w["day"]))
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        ends = []
        for key in ("start", "end"):
            hh, mm = map(int, w[key].split(":"))
            local = midnight + timedelta(hours=hh, minutes=mm)
            ends.append(int((local.astimezone(UTC) - origin).total_seconds()) // 60)
        out.update(x % (7 * 24 * 60) for x in range(ends[0], ends[1]))
    return out


def oracle_candidates(data: dict) -> dict[tuple[str, str], float]:
    """Allowed pairs and their scores, straight from the contract's rules and the documented score."""
    weights = Weights()

    def levels(p: dict) -> dict[str, float]:
        return {
            (x if isinstance(x, str) else x["code"]): LEVEL_FACTOR["fluent" if isinstance(x, str) else x["level"]]
            for x in p["languages"]
        }

    week = data["reference_week"]
    forbidden = {tuple(p) for p in data.get("forbidden", [])}
    out = {}
    for m in data["mentees"]:
        m_min, m_lang = oracle_minutes(m, week), levels(m)
        for v in data["volunteers"]:
            v_lang = levels(v)
            shared = m_lang.keys() & v_lang.keys()
            common = len(m_min & oracle_minutes(v, week))
            needs, skills = set(m["needs"]), set(v["skills"])
            if (
                not shared
                or common < data["min_overlap_minutes"]
                or (m["minor"] and not v["vetted"])
                or (needs and not needs & skills)
                or v["capacity"] < 1
                or (m["id"], v["id"]) in forbidden
            ):
                continue
            score = (
                weights.need_weight * (len(needs & skills) / len(needs) if needs else 0)
                + weights.language_weight * max(min(m_lang[c], v_lang[c]) for c in shared)
                + weights.overlap_weight
                * min(common, weights.overlap_saturation_minutes)
                / weights.overlap_saturation_minutes
            )
            out[m["id"], v["id"]] = score
    return out


def brute_force(data: dict, scores: dict[tuple[str, str], int]) -> tuple[int, int]:
    """Best (matched, total score in thousandths) over every assignment, enumerated."""
    left = {v["id"]: v["capacity"] for v in data["volunteers"]}
    pinned = dict(tuple(p) for p in data.get("pinned", []))
    options = []
    for m in data["mentees"]:
        if m["id"] in pinned:
            left[pinned[m["id"]]] -= 1
            continue
        options.append([None] + [v for (mm, v) in scores if mm == m["id"]])
    mentee_ids = [m["id"] for m in data["mentees"] if m["id"] not in pinned]
    best = (-1, -1)
    for choice in itertools.product(*options):
        used = {}
        for v in choice:
            if v is not None:
                used[v] = used.get(v, 0) + 1
        if any(n > left[v] for v, n in used.items()):
            continue
        picked = [(m, v) for m, v in zip(mentee_ids, choice, strict=True) if v is not None]
        best = max(best, (len(picked), sum(scores[p] for p in picked)))
    return best


def check_feasible(data: dict, result: dict, scores: dict[tuple[str, str], int]) -> None:
    pinned = {tuple(p) for p in data.get("pinned", [])}
    caps = {v["id"]: v["capacity"] for v in data["volunteers"]}
    assert len({p["mentee"] for p in result["pairs"]}) == len(result["pairs"]) == result["matched"]
    for p in result["pairs"]:
        assert (p["mentee"], p["volunteer"]) in scores or (p["mentee"], p["volunteer"]) in pinned
        caps[p["volunteer"]] -= 1
    assert min(caps.values(), default=0) >= 0
    assert pinned <= {(p["mentee"], p["volunteer"]) for p in result["pairs"]}
    assert round(sum(p["score"] for p in result["pairs"]) * 1000) == round(result["total_score"] * 1000)


@pytest.mark.parametrize("seed", range(200))
def test_it_is_optimal_against_a_brute_force_on_small_instances(seed):
    rng = random.Random(seed)
    data = random_instance(
        rng, rng.randint(1, 6), rng.randint(1, 4), n_langs=rng.choice([1, 2, 3]), n_skills=rng.choice([1, 3])
    )
    if seed % 4 == 0:  # sometimes with coordinator decisions
        ids = [(m["id"], v["id"]) for m in data["mentees"] for v in data["volunteers"]]
        data["forbidden"] = [list(p) for p in rng.sample(ids, min(2, len(ids)))]
        v = data["volunteers"][0]
        if v["capacity"] > 0 and [data["mentees"][0]["id"], v["id"]] not in data["forbidden"]:
            data["pinned"] = [[data["mentees"][0]["id"], v["id"]]]
    inst = parse_instance(data)
    cands = {(c.mentee, c.volunteer): c.score for c in build_candidates(inst)}
    expected = oracle_candidates(data)
    assert cands.keys() == expected.keys()
    for pair, score in cands.items():
        assert score == pytest.approx(expected[pair], abs=0.0006)
    milli = {p: round(s * 1000) for p, s in cands.items()}

    result = solve(inst)
    check_feasible(data, result, milli)
    pinned_milli = sum(
        round(p["score"] * 1000) for p in result["pairs"] if [p["mentee"], p["volunteer"]] in data.get("pinned", [])
    )
    matched, total = brute_force(data, milli)
    assert (result["matched"], round(result["total_score"] * 1000)) == (
        matched + len(data.get("pinned", [])),
        total + pinned_milli,
    )


@pytest.mark.parametrize("seed", range(8))
def test_it_is_optimal_against_linear_sum_assignment_on_medium_instances(seed):
    rng = random.Random(1000 + seed)
    data = random_instance(rng, 120, 45, n_langs=4, n_skills=5)
    data["min_overlap_minutes"] = [30, 60][seed % 2]
    crowd(data, rng)
    inst = parse_instance(data)
    pairs = _allowed_pairs(inst, Weights())
    assert len(pairs.mentee) > 300  # a real contest for volunteers

    # volunteers expanded into capacity slots; a match is worth more than any sum of scores
    caps = np.array([v.capacity for v in inst.volunteers])
    first_slot = np.concatenate([[0], np.cumsum(caps)[:-1]])
    big = (int(pairs.score.max()) + 1) * (len(inst.mentees) + 1)
    gain = np.zeros((len(inst.mentees), int(caps.sum())), dtype=np.int64)
    for k in range(int(caps.max())):
        sel = caps[pairs.volunteer] > k
        gain[pairs.mentee[sel], first_slot[pairs.volunteer[sel]] + k] = big + pairs.score[sel]
    assert gain.max() * len(inst.mentees) < 2**53  # exact in float64
    rows, cols = linear_sum_assignment(gain, maximize=True)
    taken = gain[rows, cols]
    lsa_matched, lsa_total = int((taken > 0).sum()), int((taken[taken > 0] - big).sum())

    result = solve(inst)
    assert (result["matched"], round(result["total_score"] * 1000)) == (lsa_matched, lsa_total)
    check_feasible(
        data,
        result,
        {
            (inst.mentees[i].id, inst.volunteers[j].id): s
            for i, j, s in zip(pairs.mentee.tolist(), pairs.volunteer.tolist(), pairs.score.tolist(), strict=True)
        },
    )


@pytest.mark.parametrize("seed", range(3))
def test_it_finds_the_same_pairs_with_many_languages_and_skills_and_small_chunks(seed):
    # more than 64 languages and skills: bitsets of several words; tiny chunks: many blocks
    rng = random.Random(2000 + seed)
    data = random_instance(rng, 80, 40, n_langs=3, n_skills=70)
    codes = [chr(97 + i // 26) + chr(97 + i % 26) for i in range(90)]
    for p in data["mentees"] + data["volunteers"]:
        p["languages"] = rng.sample(codes[:5], rng.randint(1, 2)) + rng.sample(codes[5:], rng.randint(0, 3))
    crowd(data, rng)
    inst = parse_instance(data)
    expected = oracle_candidates(data)
    got = _allowed_pairs(inst, Weights(), chunk=7)
    got_keys = {
        (inst.mentees[i].id, inst.volunteers[j].id)
        for i, j in zip(got.mentee.tolist(), got.volunteer.tolist(), strict=True)
    }
    assert len(got_keys) == len(got.mentee)  # each pair once
    assert got_keys == expected.keys()
    assert len(expected) > 50
