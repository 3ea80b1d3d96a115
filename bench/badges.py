"""Benchmark of the Open Badges credential library (badges.credentials): issue and verify, both forms.

    .venv/bin/python bench/badges.py [--n 10000] [--di-n 1000] [--seed 1]

Issues --n distinct OpenBadgeCredentials as VC-JWTs and --di-n as JSON with an eddsa-rdfc-2022 Data Integrity
proof (default 1,000: each proof canonicalises the document twice in pure Python, so 10,000 takes minutes on a
shared machine; pass --di-n 10000 for the full run), then verifies every one with `verify.verify`, the same
call the verification endpoint makes (parse, key lookup, signature, OB schema, validity period, revocation).

Printed per credential: median and p99 of sign and verify (wall clock; and p99 of the thread's CPU time, which
other processes on a shared machine do not inflate), beside the targets (VC-JWT <= 2 ms each, Data
Integrity <= 50 ms each); peak memory, as the process's peak RSS and as tracemalloc's peak of Python
allocations over a separate 100-credential pass of each operation (tracemalloc slows the code it traces, so
the timed runs go without it); the load average before and after, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

from bench.machine import machine  # noqa: E402

django.setup()

from badges.credentials import build, data_integrity, keys, status_list, vcjwt  # noqa: E402
from badges.credentials.verify import Reason, verify  # noqa: E402

TARGET_MS = {"VC-JWT": 2.0, "Data Integrity": 50.0}
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
ISSUER = build.Issuer(
    id="did:web:badges.example.org:orgs:casa-abierta",
    name="Casa Abierta",
    url="https://badges.example.org/orgs/casa-abierta",
    description="Mentoring for young newcomers in Madrid",
    image="https://badges.example.org/orgs/casa-abierta/logo.svg",
)
STATUS_URL = "https://badges.example.org/orgs/casa-abierta/status/1"


def credential(number: int) -> dict[str, Any]:
    salt = uuid.uuid4().hex
    return build.openbadge_credential(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=ISSUER,
        achievement=build.Achievement(
            id=f"https://badges.example.org/badge-classes/{number % 12}",
            name="Five sessions held",
            description="Took part in five mentoring sessions, preparing and following up each one.",
            criteria_narrative="Five sessions marked held by both the mentee and the volunteer.",
            tags=["mentoring", "perseverance"],
            language="es",
            image_url=f"https://badges.example.org/badge-classes/{number % 12}/image.svg",
        ),
        recipient=build.Recipient(identity_hash=build.hash_identity(f"holder{number}@example.org", salt), salt=salt),
        valid_from=NOW - timedelta(days=1),
        valid_until=None,
        status=build.Status(STATUS_URL, number % status_list.MINIMUM_LENGTH),
        evidence=[build.Evidence("Sessions on CVs, interviews and the city's job centre.")],
        name="Five sessions held",
    )


def timed(operation: Callable[[Any], Any], items: list[Any]) -> tuple[list[float], list[float], list[Any]]:
    """Wall-clock and CPU (this thread's) milliseconds per item, and the results."""
    durations, cpu, results = [], [], []
    for item in items:
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        results.append(operation(item))
        cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
        durations.append((time.perf_counter_ns() - start) / 1e6)
    return durations, cpu, results


def traced_peak_kib(operation: Callable[[Any], Any], items: list[Any]) -> float:
    tracemalloc.start()
    for item in items:
        operation(item)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def p99(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="VC-JWT credentials (default 10,000)")
    parser.add_argument("--di-n", type=int, default=1_000, help="Data Integrity credentials (default 1,000)")
    args = parser.parse_args()

    private = keys.generate_private_key()
    public = keys.public_key(private)
    kid, method = keys.jwk_id(ISSUER.id), keys.multikey_id(ISSUER.id)
    revoked = status_list.encode([3])

    def resolve_key(key_id: str) -> bytes | None:
        return public if key_id in (kid, method) else None

    def is_revoked(url: str, index: int) -> bool | None:
        return status_list.is_set(revoked, index) if url == STATUS_URL else None

    def check(data: Any) -> Reason:
        return verify(data, resolve_key=resolve_key, is_revoked=is_revoked, now=NOW).reason

    print(f"machine: {machine()}")
    # warm the caches every real process has warm too (contexts, schema, PyLD's resolved contexts)
    warm = credential(0)
    check(vcjwt.sign(warm, private, kid))
    check(data_integrity.add_proof(warm, private, method, NOW))

    rows = []
    forms: list[tuple[str, int, Callable[[dict[str, Any]], Any]]] = [
        ("VC-JWT", args.n, lambda document: vcjwt.sign(document, private, kid)),
        ("Data Integrity", args.di_n, lambda document: data_integrity.add_proof(document, private, method, NOW)),
    ]
    for form, count, sign in forms:
        documents = [credential(number) for number in range(1, count + 1)]
        started = time.perf_counter()
        sign_ms, sign_cpu, signed = timed(sign, documents)
        verify_ms, verify_cpu, reasons = timed(check, signed)
        elapsed = time.perf_counter() - started
        expected = [
            Reason.REVOKED if number % status_list.MINIMUM_LENGTH == 3 else Reason.VALID
            for number in range(1, count + 1)
        ]
        if reasons != expected:
            raise SystemExit(
                f"{form}: {sum(a != b for a, b in zip(reasons, expected, strict=True))} credentials verified wrongly"
            )
        sample = documents[:100]
        sign_kib = traced_peak_kib(sign, sample)
        verify_kib = traced_peak_kib(check, [sign(document) for document in sample])
        for operation, durations, cpu, kib in (
            ("sign", sign_ms, sign_cpu, sign_kib),
            ("verify", verify_ms, verify_cpu, verify_kib),
        ):
            rows.append((form, operation, count, statistics.median(durations), p99(durations), p99(cpu), kib))
        print(f"{form}: {count} issued and verified in {elapsed:.1f} s (all reasons as expected)")

    print()
    header = f"{'form':<15} {'op':<7} {'n':>6} {'median ms':>10} {'p99 ms':>8} {'p99 CPU':>8} {'target':>8} {'met':>4}"
    print(f"{header} {'peak KiB':>9}")
    for form, operation, count, median, tail, tail_cpu, kib in rows:
        target = TARGET_MS[form]
        met = "yes" if tail <= target else ("p50" if median <= target else "NO")
        print(
            f"{form:<15} {operation:<7} {count:>6} {median:>10.3f} {tail:>8.3f} {tail_cpu:>8.3f} "
            f"{'<= ' + format(target, 'g'):>8} "
            f"{met:>4} {kib:>9.0f}"
        )
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole run: {peak_rss_mib:.0f} MiB (holds every credential and signature at once)")
    print("met: yes when p99 wall-clock meets the target, p50 when only the median does")
    print("p99 CPU: this thread's CPU time, which the other processes on a shared machine do not inflate")
    print("peak KiB: tracemalloc's peak of Python allocations over 100 operations after warm-up")
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
