"""Chat throughput and latency: our full chat against a bare Channels relay, both on two daphne processes.

    .venv/bin/python bench/chat.py [--clients 1000] [--rates 50,100,200,300,400,600,800,1000] [--seconds 10]
                                   [--database-url postgres://postgres@127.0.0.1:5432/mentoring_bench]
                                   [--redis-url redis://127.0.0.1:6379/2] [--generators 1] [--grace 3]

Setup: drops and recreates the database named in --database-url, migrates it and stores clients/2
approved pairings with their conversations and API tokens (every other mentee is a minor with recorded
consent, so the safeguarding scan runs on half the messages).

Full chat: two daphne processes serve config.asgi with the production settings (DEBUG off; the HTTPS
redirect only concerns HTTP, not ws://), PostgreSQL and Redis, and a per-user rate limit high enough not
to be what is measured. Member A of every conversation connects to process 1, member B to process 2,
with `Authorization: Token` and an allowed Origin. For each rate the senders are spread evenly over the
conversations and both processes; the other member's receipt gives the send-to-receive latency.

Counted per rate:
- delivered/s: first live copies at the other member, divided by the time from the first send to the
  last receipt;
- p50/p99: send-to-receive latency at the other member over every message sent; a message not
  received live counts as infinitely late;
- no ack: sends that got no acknowledgement within the grace period (full chat: `message.ack`; relay:
  the sender's own echo);
- lost: full chat, acknowledged yet never received by the other member, neither live within the grace
  period nor by a final `sync` on a fresh socket; relay (no storage), sent and never received;
- recovered: not received live, found by the final `sync` (full chat only);
- duplicated: received more than once live by the other member;
- CPU of each daphne process and of the load generator (its worker processes), as % of one core.

The sustainable rate is the highest rate with p99 <= 150 ms, nothing lost, nothing duplicated and
every send acknowledged. The baseline (bench/echo_asgi.py) relays each frame to its conversation's group
with no authentication, no storage and no safeguarding, on channels-redis' RedisChannelLayer with its
default configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from tests.chat.realtime import free_port, wait_for_port  # noqa: E402

SLA_P99_MS = 150.0
SECRET_KEY = "bench-only-secret-key-" + "b" * 48
ALLOWED_HOSTS = "127.0.0.1,localhost"


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# Setup ------------------------------------------------------------------------------------------------


def django_env(database_url: str, redis_url: str | None) -> dict:
    """Production settings (config.settings, DEBUG off) with what the benchmark needs."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=ALLOWED_HOSTS,
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="600",
        CHAT_RATE_MESSAGES="1000000",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare_database(database_url: str, pairs: int) -> list[tuple[int, str, str]]:
    """Recreate the bench database with `pairs` approved pairings; returns (conversation, token A, token B)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {name!r}: name a database of the benchmark's own")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = django_env(database_url, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(
        {
            k: v
            for k, v in env.items()
            if k in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import Organisation, Role, User
    from chat.models import Conversation, Message, MessageKind
    from chat.services import OVERSIGHT_NOTICE
    from mentees.models import Mentee
    from scheduling.models import Pairing, PairingStatus
    from volunteers.models import Volunteer

    org = Organisation.objects.create(name="Bench", slug="bench", country="ES")
    password = make_password("bench-password-123")  # one hash for everyone: setup in seconds
    volunteers = User.objects.bulk_create(
        User(
            email=f"v{i}@bench.example",
            display_name=f"Volunteer {i}",
            role=Role.VOLUNTEER,
            organisation=org,
            password=password,
        )
        for i in range(pairs)
    )
    mentees = User.objects.bulk_create(
        User(
            email=f"m{i}@bench.example",
            display_name=f"Mentee {i}",
            role=Role.MENTEE,
            organisation=org,
            password=password,
        )
        for i in range(pairs)
    )
    now = timezone.now()
    today = timezone.localdate(now)
    v_rows = Volunteer.objects.bulk_create(
        Volunteer(
            user=u,
            organisation=org,
            capacity=1,
            vetting_status="verified",
            vetting_checked_on=today,
            vetting_expires_on=today + timedelta(days=365),
        )
        for u in volunteers
    )
    minor = today.year - 15
    m_rows = Mentee.objects.bulk_create(
        Mentee(
            user=u,
            organisation=org,
            birth_year=minor,
            consent_guardian_name="Guardian",
            consent_given_on=today,
            consent_method="signed_form",
            consent_recorded_at=now,
        )
        if i % 2
        else Mentee(user=u, organisation=org, birth_year=1998)
        for i, u in enumerate(mentees)
    )
    pairings = Pairing.objects.bulk_create(
        Pairing(organisation=org, volunteer=v, mentee=m, status=PairingStatus.ACTIVE)
        for v, m in zip(v_rows, m_rows, strict=True)
    )
    conversations = Conversation.objects.bulk_create(Conversation(pairing=p, organisation=org) for p in pairings)
    Message.objects.bulk_create(
        Message(conversation=c, kind=MessageKind.NOTICE, client_id="oversight-notice", body=OVERSIGHT_NOTICE, seq=1)
        for c in conversations
    )
    tokens = Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in volunteers + mentees)
    keys = {token.user_id: token.key for token in tokens}
    from django.db import connections

    connections.close_all()  # the load generator's worker processes are forked from here
    return [(c.pk, keys[v.pk], keys[m.pk]) for c, v, m in zip(conversations, volunteers, mentees, strict=True)]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: str

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(app: str, env: dict) -> list[Server]:
    servers = []
    for index in range(2):
        port = free_port()
        log = tempfile.NamedTemporaryFile(prefix=f"bench-daphne-{index + 1}-", suffix=".log", delete=False)  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-v", "0", "-b", "127.0.0.1", "-p", str(port), app],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append(Server(port, process, log.name))
    for server in servers:
        wait_for_port(server.port, timeout=60)
    return servers


def stop_servers(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=10)
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


# Load generator: one or more worker processes, each holding the sockets of its share of the conversations --


@dataclass
class Member:
    conversation: int
    token: str
    url: str
    origin: str
    side: str
    ws: object = None
    received: dict[str, int] = field(default_factory=dict)  # client_id -> live copies received


def cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Worker:
    """Runs in its own process with its own event loop; the parent drives it through a pipe."""

    def __init__(self, index: int, count: int, pairs, urls: tuple[str, str], full_chat: bool, grace: float):
        import websockets

        self.websockets = websockets
        self.index, self.count, self.full_chat, self.grace = index, count, full_chat, grace
        self.pairs: list[tuple[Member, Member]] = []
        for conversation, key_a, key_b in pairs:
            members = []
            for side, key, base in (("a", key_a, urls[0]), ("b", key_b, urls[1])):
                members.append(
                    Member(
                        conversation,
                        key,
                        f"{base}/ws/conversations/{conversation}/",
                        base.replace("ws://", "http://"),
                        side,
                    )
                )
            self.pairs.append(tuple(members))
        self.sent_at: dict[str, float] = {}
        self.acked: set[str] = set()
        self.errors: dict[str, int] = {}
        self.latency: dict[str, float] = {}
        self.last_receipt = 0.0
        self.readers: list[asyncio.Task] = []

    async def connect_all(self) -> dict:
        limiter = asyncio.Semaphore(25)
        failures = []

        async def one(member: Member):
            async with limiter:
                for attempt in range(5):
                    try:
                        member.ws = await self.websockets.connect(
                            member.url,
                            additional_headers={"Authorization": f"Token {member.token}"},
                            origin=member.origin,
                            open_timeout=60,
                            max_queue=None,
                            ping_interval=None,
                            compression=None,
                        )
                        break
                    except Exception as exc:  # noqa: BLE001
                        if attempt == 4:
                            failures.append(repr(exc))
                            return
                        await asyncio.sleep(0.5)
                self.readers.append(asyncio.create_task(self.read(member)))

        started = time.perf_counter()
        await asyncio.gather(*(one(m) for pair in self.pairs for m in pair))
        return {"seconds": time.perf_counter() - started, "failures": failures}

    async def read(self, member: Member) -> None:
        with contextlib.suppress(self.websockets.ConnectionClosed):
            async for raw in member.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind, client_id = frame.get("type"), frame.get("client_id")
                if client_id not in self.sent_at:
                    continue
                if kind == "message.ack":
                    self.acked.add(client_id)
                elif kind == "error":
                    self.errors[frame.get("code")] = self.errors.get(frame.get("code"), 0) + 1
                elif kind in ("message", "message.send"):
                    if client_id.endswith("-" + member.side):  # the sender's own copy
                        if not self.full_chat:
                            self.acked.add(client_id)  # the relay's echo to its sender stands for an ack
                        continue
                    copies = member.received[client_id] = member.received.get(client_id, 0) + 1
                    if copies == 1:
                        self.latency[client_id] = now - self.sent_at[client_id]
                        self.last_receipt = now

    def held(self) -> int:
        return sum(1 for pair in self.pairs for m in pair if m.ws is not None and m.ws.state.name == "OPEN")

    async def run_rate(self, rate: int, seconds: float, start_at: float) -> dict:
        """Send this worker's share (every count-th message of the global schedule), then count."""
        cpu_start = cpu_self()
        total = int(rate * seconds)
        interval = 1.0 / rate
        own = range(self.index, total, self.count)
        sent: list[tuple[str, Member, Member]] = []
        lags = []
        pairs = len(self.pairs)
        for sequence, index in enumerate(own):
            target = start_at + index * interval
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            a, b = self.pairs[sequence % pairs]
            # alternate sides, and flip every round, so both processes send half and every member sends
            side = (sequence + sequence // pairs) % 2
            sender, receiver = (a, b) if side == 0 else (b, a)
            client_id = f"r{rate}-{index}-{sender.side}"
            frame = json.dumps(
                {
                    "type": "message.send",
                    "client_id": client_id,
                    "body": f"Bench message {index}: shall we go through your CV on Thursday?",
                }
            )
            now = time.perf_counter()
            lags.append(now - target)
            self.sent_at[client_id] = now
            with contextlib.suppress(Exception):
                await sender.ws.send(frame)
            sent.append((client_id, sender, receiver))
        sends_done = time.perf_counter()
        # grace: until every message is with its receiver, or the grace period is over
        deadline = sends_done + self.grace
        while time.perf_counter() < deadline and not all(r.received.get(c) for c, _s, r in sent):
            await asyncio.sleep(0.05)
        missed = [(c, r) for c, _s, r in sent if not r.received.get(c)]
        acked = {c for c, _s, _r in sent if c in self.acked}  # by the end of the grace period
        unacked = len(sent) - len(acked)
        cpu_live = cpu_self() - cpu_start
        recovered = 0
        missed_acked = [(c, r) for c, r in missed if c in acked]
        if self.full_chat and missed_acked:
            recovered = await self.resync(missed_acked)
        # with storage, lost is acknowledged and never received; without, sent and never received
        lost = len(missed_acked) - recovered if self.full_chat else len(missed)
        return {
            "sent": len(sent),
            "unacked": unacked,
            "lost": lost,
            "recovered": recovered,
            "missed_live": len(missed),
            "duplicated": sum(1 for c, _s, r in sent if r.received.get(c, 0) > 1),
            "latencies": [self.latency.get(c, math.inf) for c, _s, _r in sent],
            "lags": lags,
            "first_send": start_at,
            "last_receipt": self.last_receipt,
            "sends_done": sends_done,
            "errors": dict(self.errors),
            "cpu": cpu_live,
        }

    async def resync(self, missing: list[tuple[str, Member]]) -> int:
        """What a client does after a gap: a fresh socket, `sync` after 0, and read what comes."""
        expected: dict[int, tuple[Member, set[str]]] = {}
        for client_id, member in missing:
            expected.setdefault(id(member), (member, set()))[1].add(client_id)
        limiter = asyncio.Semaphore(10)
        found = 0

        async def one(member: Member, wanted: set[str]):
            nonlocal found
            async with limiter:
                with contextlib.suppress(Exception):
                    async with self.websockets.connect(
                        member.url,
                        origin=member.origin,
                        open_timeout=30,
                        additional_headers={"Authorization": f"Token {member.token}"},
                        max_size=None,
                    ) as ws:
                        await ws.send(json.dumps({"type": "sync", "after": 0}))
                        pending = set(wanted)
                        with contextlib.suppress(asyncio.TimeoutError):
                            while pending:
                                frame = json.loads(await asyncio.wait_for(ws.recv(), 10.0))
                                if frame.get("type") == "message":
                                    pending.discard(frame.get("client_id"))
                        found += len(wanted) - len(pending)

        await asyncio.gather(*(one(member, wanted) for member, wanted in expected.values()))
        return found

    async def close(self) -> None:
        for pair in self.pairs:
            for member in pair:
                if member.ws is not None:
                    with contextlib.suppress(Exception):
                        await member.ws.close()
        for task in self.readers:
            task.cancel()


def worker_main(conn, index, count, pairs, urls, full_chat, grace) -> None:
    # Forked from the set-up process: its heap (Django, the apps, the set-up's rows) is of no use here, and
    # the collector's full collections walking it delayed the sends (the lag column).
    gc.collect()
    gc.freeze()

    async def serve():
        worker = Worker(index, count, pairs, urls, full_chat, grace)
        loop = asyncio.get_running_loop()
        while True:
            command, args = await loop.run_in_executor(None, conn.recv)
            if command == "connect":
                conn.send(await worker.connect_all())
            elif command == "rate":
                conn.send(await worker.run_rate(*args))
            elif command == "held":
                conn.send(worker.held())
            elif command == "close":
                await worker.close()
                conn.send(None)
                return

    asyncio.run(serve())


class Generator:
    """The parent's handle on the worker processes; worker i holds conversations i, i+n, i+2n, ..."""

    def __init__(self, count: int, pairs, servers: list[Server], full_chat: bool, grace: float):
        context = multiprocessing.get_context("fork")
        urls = tuple(f"ws://127.0.0.1:{server.port}" for server in servers)
        self.pipes, self.processes = [], []
        for index in range(count):
            parent, child = context.Pipe()
            process = context.Process(
                target=worker_main, daemon=True, args=(child, index, count, pairs[index::count], urls, full_chat, grace)
            )
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def call(self, command: str, *args) -> list:
        for pipe in self.pipes:
            pipe.send((command, args))
        return [pipe.recv() for pipe in self.pipes]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("close")
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


# Measuring ---------------------------------------------------------------------------------------------


@dataclass
class RateResult:
    rate: int
    sent: int = 0
    unacked: int = 0
    lost: int = 0
    recovered: int = 0
    duplicated: int = 0
    delivered_per_second: float = 0.0
    p50: float = math.nan
    p99: float = math.nan
    lag_p99: float = 0.0
    errors: dict = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)
    generator_cpu: float = 0.0

    @property
    def sustainable(self) -> bool:
        return (
            self.sent > 0 and self.lost == 0 and self.duplicated == 0 and self.unacked == 0 and self.p99 <= SLA_P99_MS
        )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] * 1000


def run_rate(generator: Generator, servers: list[Server], rate: int, seconds: float) -> RateResult:
    cpu_start = [server.cpu_seconds() for server in servers]
    started = time.perf_counter()
    parts = generator.call("rate", rate, seconds, started + 0.2)
    window = time.perf_counter() - started  # the sends, the grace period and any final sync
    cpu = [(server.cpu_seconds() - before) / window * 100 for server, before in zip(servers, cpu_start, strict=True)]
    latencies = [x for p in parts for x in p["latencies"]]
    delivered = sum(1 for x in latencies if x != math.inf)
    last = max((p["last_receipt"] for p in parts), default=0.0)
    first = min(p["first_send"] for p in parts)
    errors: dict[str, int] = {}
    for part in parts:
        for code, n in part["errors"].items():
            errors[code] = errors.get(code, 0) + n
    return RateResult(
        rate=rate,
        sent=sum(p["sent"] for p in parts),
        unacked=sum(p["unacked"] for p in parts),
        lost=sum(p["lost"] for p in parts),
        recovered=sum(p["recovered"] for p in parts),
        duplicated=sum(p["duplicated"] for p in parts),
        delivered_per_second=delivered / max(last - first, 1e-9) if delivered else 0.0,
        p50=percentile(latencies, 0.50),
        p99=percentile(latencies, 0.99),
        lag_p99=percentile([x for p in parts for x in p["lags"]], 0.99),
        errors=errors,
        cpu=cpu,
        generator_cpu=sum(p["cpu"] for p in parts) / window * 100,
    )


def measure(
    name: str, app: str, env: dict, pairs, rates, seconds: float, generators: int, grace: float
) -> list[RateResult]:
    out(f"\n{name}")
    servers = start_servers(app, env)
    generator = None
    results = []
    try:
        generator = Generator(generators, pairs, servers, full_chat=app.startswith("config."), grace=grace)
        connected = generator.call("connect")
        failures = [f for c in connected for f in c["failures"]]
        held = sum(generator.call("held"))
        out(
            f"{held} of {2 * len(pairs)} clients connected in {max(c['seconds'] for c in connected):.1f} s"
            + (f" ({len(failures)} failed, e.g. {failures[0]})" if failures else "")
        )
        time.sleep(1.0)
        out(
            "| rate msg/s | sent | delivered msg/s | p50 ms | p99 ms | no ack | lost | recovered by sync | "
            "duplicated | CPU daphne 1 / 2 | CPU load generator | generator lag p99 ms |"
        )
        out("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for rate in rates:
            r = run_rate(generator, servers, rate, seconds)
            results.append(r)
            out(
                f"| {r.rate} | {r.sent} | {r.delivered_per_second:.0f} | {fmt(r.p50)} | {fmt(r.p99)} | {r.unacked} | "
                f"{r.lost} | {r.recovered} | {r.duplicated} | {r.cpu[0]:.0f}% / {r.cpu[1]:.0f}% | "
                f"{r.generator_cpu:.0f}% | {r.lag_p99:.1f} |" + (f" errors: {r.errors}" if r.errors else "")
            )
            time.sleep(2.0)  # let any backlog drain before the next rate
        held = sum(generator.call("held"))
        out(f"clients still connected at the end: {held} of {2 * len(pairs)}")
    finally:
        if generator is not None:
            generator.close()
        stop_servers(servers)
        for server in servers:
            if server.process.returncode not in (0, -15, None):
                out(f"daphne exited with {server.process.returncode}; log: {server.log}")
    return results


def fmt(ms: float) -> str:
    return "inf" if ms == math.inf else f"{ms:.1f}"


def sustainable(results: list[RateResult]) -> int:
    return max((r.rate for r in results if r.sustainable), default=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rates", default="50,100,200,300,400,600,800,1000")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mentoring_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--generators", type=int, default=1, help="load generator processes")
    parser.add_argument("--grace", type=float, default=3.0, help="seconds to wait for deliveries after sending")
    parser.add_argument("--only", choices=["chat", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    rates = [int(rate) for rate in args.rates.split(",")]
    pairs_count = args.clients // 2
    out(f"machine: {machine()}")
    out(
        f"{pairs_count * 2} clients in {pairs_count} conversations (member A on daphne 1, member B on daphne 2), "
        f"{args.seconds:g} s per rate, {args.generators} load generator process(es), grace {args.grace:g} s"
    )
    setup_started = time.perf_counter()
    pairs = prepare_database(args.database_url, pairs_count)
    out(
        f"database {urlsplit(args.database_url).path.lstrip('/')} created, migrated and filled in "
        f"{time.perf_counter() - setup_started:.1f} s"
    )

    chat = baseline = []
    if args.only != "baseline":
        chat = measure(
            "Full chat (token auth, stored before acknowledgement, safeguarding): 2 daphne + Redis + PostgreSQL",
            "config.asgi:application",
            django_env(args.database_url, args.redis_url),
            pairs,
            rates,
            args.seconds,
            args.generators,
            args.grace,
        )
    if args.only != "chat":
        baseline_env = dict(django_env(args.database_url, args.redis_url), BENCH_REDIS_URL=args.redis_url)
        baseline = measure(
            "Baseline: bare Channels relay (no auth, no storage) on RedisChannelLayer (default "
            "config): 2 daphne + Redis",
            "bench.echo_asgi:application",
            baseline_env,
            pairs,
            rates,
            args.seconds,
            args.generators,
            args.grace,
        )
    ours, bare = sustainable(chat), sustainable(baseline)
    ratio = f"{ours / bare:.2f}" if bare else "n/a (the baseline sustained no tested rate)"
    out(
        f"\nsustainable rate (p99 <= {SLA_P99_MS:.0f} ms, nothing lost, nothing duplicated, every send "
        f"acknowledged): full chat {ours} msg/s, baseline {bare} msg/s, ratio {ratio}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
