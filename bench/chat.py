"""Chat throughput and latency: our full chat against a bare Channels relay, on two daphne processes.

    .venv/bin/python bench/chat.py [--clients 1000] [--rates 50,100,200,300,400] [--seconds 8]
                                   [--postgres postgres://postgres@127.0.0.1:5432] [--redis redis://127.0.0.1:6379/2]

It creates (and drops first) the database `mentoring_bench`, migrates it and stores N/2 approved pairings
with their conversations and API tokens. Then, for each system, it starts two daphne processes, connects
every client (the two members of a conversation on different processes), sends messages at each rate
spread over the conversations and measures, at the other member: delivered messages per second,
send-to-receive latency p50/p99, lost messages (never received, even after a final `sync`) and
duplicated ones, and the CPU of each daphne process and of the load generator. The sustainable rate is
the highest rate with p99 <= 150 ms, nothing lost and nothing duplicated.

The baseline (bench/echo_asgi.py) relays frames through the same channel layer with no authentication,
no storage and no safeguarding.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chat.realtime import free_port, wait_for_port  # noqa: E402

DB_NAME = "mentoring_bench"
SLA_P99_MS = 150.0


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# Setup ------------------------------------------------------------------------------------------------

def prepare_database(postgres: str, pairs: int) -> tuple[str, list[tuple[int, str, str]]]:
    """Create the bench database and its pairings; returns the URL and (conversation, token A, token B)."""
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    url = f"{postgres}/{DB_NAME}"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings_test")
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings_test")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from accounts.models import Organisation, Role, User
    from chat.models import Conversation
    from mentees.models import Mentee
    from scheduling.models import Pairing, PairingStatus
    from volunteers.models import Volunteer

    org = Organisation.objects.create(name="Bench", slug="bench", country="ES")
    password = make_password("bench-password-123")
    volunteers = User.objects.bulk_create(
        User(email=f"v{i}@bench.example", display_name=f"V{i}", role=Role.VOLUNTEER, organisation=org,
             password=password) for i in range(pairs))
    mentees = User.objects.bulk_create(
        User(email=f"m{i}@bench.example", display_name=f"M{i}", role=Role.MENTEE, organisation=org,
             password=password) for i in range(pairs))
    v_rows = Volunteer.objects.bulk_create(Volunteer(user=u, capacity=1) for u in volunteers)
    m_rows = Mentee.objects.bulk_create(Mentee(user=u, birth_year=1998) for u in mentees)
    pairings = Pairing.objects.bulk_create(
        Pairing(organisation=org, volunteer=v, mentee=m, status=PairingStatus.ACTIVE)
        for v, m in zip(v_rows, m_rows, strict=True))
    conversations = Conversation.objects.bulk_create(Conversation(pairing=p, organisation=org) for p in pairings)
    tokens = Token.objects.bulk_create(Token(user=u, key=Token.generate_key()) for u in volunteers + mentees)
    keys = {token.user_id: token.key for token in tokens}
    return url, [(c.pk, keys[v.pk], keys[m.pk]) for c, v, m in zip(conversations, volunteers, mentees, strict=True)]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    cpu_start: float = 0.0

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(app: str, database_url: str, redis_url: str) -> list[Server]:
    servers = []
    for _ in range(2):
        port = free_port()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test", DATABASE_URL=database_url,
                   REDIS_URL=redis_url, CHAT_RATE_MESSAGES="100000", DB_CONN_MAX_AGE="600")
        process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(Server(port, process))
    for server in servers:
        wait_for_port(server.port, timeout=30)
    return servers


def stop_servers(servers: list[Server]) -> None:
    for server in servers:
        server.process.terminate()
    for server in servers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=10)
        if server.process.poll() is None:
            server.process.kill()


# Load -------------------------------------------------------------------------------------------------

@dataclass
class Member:
    conversation: int
    token: str
    url: str
    side: str
    ws: object = None
    received: dict[str, int] = field(default_factory=dict)  # client_id -> times received live


@dataclass
class RateResult:
    rate: int
    sent: int = 0
    acked: int = 0
    delivered: int = 0
    lost: int = 0
    recovered: int = 0
    duplicated: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu: list[float] = field(default_factory=list)
    generator_cpu: float = 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def sustainable(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.percentile(0.99) <= SLA_P99_MS and self.delivered


class Load:
    def __init__(self, servers: list[Server], pairs: list[tuple[int, str, str]], full_chat: bool):
        import websockets

        self.websockets = websockets
        self.full_chat = full_chat
        self.members: list[tuple[Member, Member]] = []
        for conversation, key_a, key_b in pairs:
            a = Member(conversation, key_a, f"ws://127.0.0.1:{servers[0].port}/ws/conversations/{conversation}/", "a")
            b = Member(conversation, key_b, f"ws://127.0.0.1:{servers[1].port}/ws/conversations/{conversation}/", "b")
            self.members.append((a, b))
        self.sent_at: dict[str, float] = {}
        self.acks: set[str] = set()
        self.result: RateResult | None = None
        self.readers: list[asyncio.Task] = []

    async def connect_all(self) -> None:
        limiter = asyncio.Semaphore(50)

        async def one(member: Member, port_origin: str):
            async with limiter:
                headers = {"Authorization": f"Token {member.token}"} if self.full_chat else {}
                member.ws = await self.websockets.connect(member.url, additional_headers=headers, origin=port_origin,
                                                          open_timeout=60, max_queue=None, ping_interval=None)
                self.readers.append(asyncio.create_task(self.read(member)))

        tasks = []
        for a, b in self.members:
            tasks.append(one(a, a.url.replace("ws://", "http://").split("/ws/")[0]))
            tasks.append(one(b, b.url.replace("ws://", "http://").split("/ws/")[0]))
        await asyncio.gather(*tasks)

    async def read(self, member: Member) -> None:
        with contextlib.suppress(self.websockets.ConnectionClosed):
            async for raw in member.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind, client_id = frame.get("type"), frame.get("client_id")
                if kind == "message.ack":
                    self.acks.add(client_id)
                    continue
                if kind not in ("message", "message.send") or client_id not in self.sent_at:
                    continue
                if client_id.endswith(":" + member.side):  # the sender's own copy
                    if not self.full_chat:
                        self.acks.add(client_id)  # the relay's echo to the sender stands for an ack
                    continue
                member.received[client_id] = member.received.get(client_id, 0) + 1
                if member.received[client_id] == 1 and self.result is not None:
                    self.result.latencies.append(now - self.sent_at[client_id])
                    self.result.delivered += 1

    async def run_rate(self, rate: int, seconds: float, servers: list[Server]) -> RateResult:
        result = self.result = RateResult(rate)
        for server in servers:
            server.cpu_start = server.cpu_seconds()
        gen_start = resource.getrusage(resource.RUSAGE_SELF)
        interval = 1.0 / rate
        total = int(rate * seconds)
        started = time.perf_counter()
        sent_ids: list[tuple[str, Member, Member]] = []
        for index in range(total):
            target = started + index * interval
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            a, b = self.members[index % len(self.members)]
            sender, receiver, side = (a, b, "a") if (index // len(self.members)) % 2 == 0 else (b, a, "b")
            client_id = f"r{rate}-{index}:{side}"
            self.sent_at[client_id] = time.perf_counter()
            frame = {"type": "message.send", "client_id": client_id, "body": f"bench message {index}"}
            with contextlib.suppress(Exception):
                await sender.ws.send(json.dumps(frame))
            sent_ids.append((client_id, sender, receiver))
        result.sent = total
        await asyncio.sleep(3.0)  # grace period for what is still in flight
        result.seconds = time.perf_counter() - started
        missing = [(cid, receiver) for cid, _sender, receiver in sent_ids
                   if cid in self.acks and cid not in receiver.received]
        result.acked = sum(1 for cid, _s, _r in sent_ids if cid in self.acks)
        if missing and self.full_chat:
            result.recovered = await self.resync(missing)
        result.lost = len(missing) - result.recovered
        result.duplicated = sum(1 for cid, _s, receiver in sent_ids if receiver.received.get(cid, 0) > 1)
        for server in servers:
            result.cpu.append((server.cpu_seconds() - server.cpu_start) / result.seconds * 100)
        gen_end = resource.getrusage(resource.RUSAGE_SELF)
        used = (gen_end.ru_utime - gen_start.ru_utime) + (gen_end.ru_stime - gen_start.ru_stime)
        result.generator_cpu = used / result.seconds * 100
        self.result = None
        return result

    async def resync(self, missing: list[tuple[str, Member]]) -> int:
        """Ask each receiver that missed something for everything since the start, as a client would."""
        receivers = {id(r): r for _cid, r in missing}
        recovered_ids: set[str] = set()

        async def one(member: Member):
            headers = {"Authorization": f"Token {member.token}"}
            async with self.websockets.connect(member.url, additional_headers=headers,
                                               origin=member.url.replace("ws://", "http://").split("/ws/")[0]) as ws:
                await ws.send(json.dumps({"type": "sync", "after": 0}))
                with contextlib.suppress(asyncio.TimeoutError):
                    while True:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), 2.0))
                        if frame.get("type") == "message":
                            recovered_ids.add(frame.get("client_id"))

        await asyncio.gather(*(one(member) for member in receivers.values()))
        return sum(1 for cid, _r in missing if cid in recovered_ids)

    async def close(self) -> None:
        for a, b in self.members:
            for member in (a, b):
                if member.ws is not None:
                    with contextlib.suppress(Exception):
                        await member.ws.close()
        for task in self.readers:
            task.cancel()


def table(name: str, results: list[RateResult]) -> None:
    out(f"\n{name}")
    out("| rate msg/s | sent | delivered msg/s | p50 ms | p99 ms | lost | recovered by sync | duplicated | "
        "CPU daphne 1 / 2 | CPU load generator |")
    out("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        out(f"| {r.rate} | {r.sent} | {r.delivered / max(r.seconds - 3.0, 1e-9):.0f} | {r.percentile(0.5):.1f} | "
            f"{r.percentile(0.99):.1f} | {r.lost} | {r.recovered} | {r.duplicated} | "
            f"{r.cpu[0]:.0f}% / {r.cpu[1]:.0f}% | {r.generator_cpu:.0f}% |")


def sustainable(results: list[RateResult]) -> int:
    rates = [r.rate for r in results if r.sustainable]
    return max(rates, default=0)


async def measure(app: str, full_chat: bool, database_url: str, redis_url: str, pairs, rates, seconds):
    servers = start_servers(app, database_url, redis_url)
    load = Load(servers, pairs, full_chat)
    try:
        await load.connect_all()
        await asyncio.sleep(1.0)
        results = []
        for rate in rates:
            results.append(await load.run_rate(rate, seconds, servers))
        return results
    finally:
        await load.close()
        stop_servers(servers)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores, {cpu}, {memory / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rates", default="50,100,200,300,400")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    args = parser.parse_args(argv)
    rates = [int(rate) for rate in args.rates.split(",")]
    out(f"machine: {machine()}")
    out(f"{args.clients} clients in {args.clients // 2} conversations, {args.seconds:.0f} s per rate")
    database_url, pairs = prepare_database(args.postgres, args.clients // 2)
    chat = asyncio.run(measure("config.asgi:application", True, database_url, args.redis, pairs, rates,
                               args.seconds))
    table("Full chat (token auth, stored before acknowledgement, safeguarding), 2 daphne + Redis + PostgreSQL",
          chat)
    baseline = asyncio.run(measure("bench.echo_asgi:application", False, database_url, args.redis, pairs, rates,
                                   args.seconds))
    table("Baseline: bare Channels relay (no auth, no storage) on RedisChannelLayer, 2 daphne + Redis", baseline)
    ours, bare = sustainable(chat), sustainable(baseline)
    ratio = f"{ours / bare:.2f}" if bare else "n/a (baseline sustained no tested rate)"
    out(f"\nsustainable rate (p99 <= {SLA_P99_MS:.0f} ms, nothing lost, nothing duplicated): "
        f"full chat {ours} msg/s, baseline {bare} msg/s, ratio {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
