"""Instructions per API page, counted by callgrind: a figure that does not move with the machine's load.

    .venv/bin/python bench/instructions.py [--calls 30] [--pages "volunteers detail,slots"]
                                           [--database-url postgres://postgres@127.0.0.1:5432/mentoring_api_bench]
                                           [--redis-url redis://127.0.0.1:6379/3]

Needs valgrind and the database bench/api.py builds (run `bench/api.py --only-db --match 0` once, with the
same --database-url and --redis-url). For each page of the organisation of 20,000 rows, a process of its own
runs under `valgrind --tool=callgrind`: it serves 20 requests through Django's WSGI handler (the production
settings bench/api.py serves with, the coordinator's token) to warm up, then --calls more inside
`functools.reduce`, and only those are counted (`--collect-atstart=no --toggle-collect=functools_reduce`), not
Django's start-up. Prints millions of instructions per request for each page.

Seconds per request on these shared 2-core machines move by a quarter from one run to the next; the count of
instructions for the same code and data repeats to about 0.1 %, whatever else the machine is doing. To
compare two versions of the code, run each one's copy of this file one after the other (the other in a git
worktree). Instructions are not time: a round trip to the database or Redis costs little here and much in
the kernel, which callgrind does not count, so a change that saves a statement is worth more than its
instructions say.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import django_env, label_of, paths_of  # noqa: E402
from bench.machine import machine  # noqa: E402

WARM_UP = 20


def _organisation(database_url: str) -> dict:
    state = Path(f"/tmp/{urlsplit(database_url).path.lstrip('/')}.json")
    if not state.exists():
        sys.exit(f"no {state}: build the database first (bench/api.py --only-db --match 0 --database-url ...)")
    return max(json.loads(state.read_text()), key=lambda org: org["size"])


def _serve(path: str, token: str, calls: int) -> None:
    """In the process callgrind watches: the page asked for WARM_UP times, then `calls` times counted."""
    warnings.filterwarnings("ignore", message="No directory at")  # nothing collected: no static files served
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(*_) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_AUTHORIZATION": f"Token {token}",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        status: list[str] = []
        b"".join(handler(environ, lambda line, headers, exc_info=None: status.append(line)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")

    for _ in range(WARM_UP):
        call()
    functools.reduce(call, range(calls), None)  # counted: callgrind collects inside functools_reduce only


def _count(path: str, token: str, calls: int, env: dict) -> float:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                "--collect-atstart=no",
                "--toggle-collect=functools_reduce",
                sys.executable,
                __file__,
                "--serve",
                path,
                "--token",
                token,
                "--calls",
                str(calls),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            raise SystemExit(f"callgrind wrote no total for {path}")
        return int(totals.group(1)) / calls


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=30, help="requests counted per page")
    ap.add_argument("--pages", default="", help="comma-separated pages, as printed (default: all)")
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mentoring_api_bench")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    ap.add_argument("--serve", help=argparse.SUPPRESS)  # the process under callgrind
    ap.add_argument("--token", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.serve:
        _serve(args.serve, args.token, args.calls)
        return 0
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install -y valgrind)")
    env = django_env(args.database_url, args.redis_url)
    org = _organisation(args.database_url)
    wanted = [page for page in args.pages.split(",") if page]
    paths = [path for path in paths_of(org) if not wanted or label_of(path) in wanted]
    print(f"machine: {machine()}")
    print(f"instructions per request, organisation of {org['size']}, {args.calls} requests counted per page")
    print(f"{'page':20}{'M instructions':>16}")
    for path in paths:
        print(f"{label_of(path):20}{_count(path, org['token'], args.calls, env) / 1e6:>16.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
