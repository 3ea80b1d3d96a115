"""Chat under faults: does "acknowledged means delivered" hold while processes die, Redis restarts,
PostgreSQL is cut off and the processes restart one by one?

    .venv/bin/python bench/chat_chaos.py [--clients 200] [--rate 300] [--processes 3] [--kills 20]
                                         [--kill-every 4] [--database-url postgres://postgres@127.0.0.1:5432/mentoring_chaos]

Setup: like bench/chat.py (a fresh database, clients/2 approved pairings with tokens), then a Redis
server of its own (so it can be restarted), a TCP proxy in front of PostgreSQL (so it can be cut) and
--processes daphne processes on fixed ports, production settings.

Clients do exactly what the contract tells them: each keeps the largest id it has seen and every
message by id, connects to one of the processes (the next one on failure) with a growing pause
(0.1 s doubling to 2 s, with jitter), sends `sync` after its largest id on every connect, and resends
every unanswered message (no `message.ack`, nor `message.held`, which the bodies avoid: they carry the
send's number in letters, since digits such as "a42-10311" look like a phone number in a minor's chat)
with the same `client_id` after a reconnect, after `unavailable` or `rate_limited` (0.5 s later), and
when no answer came within 5 s. Senders are spread evenly over the
conversations at --rate messages per second in total.

Faults, in this order: --kills SIGKILLs of a random process (restarted 1 s later), one every
--kill-every seconds; a Redis restart (down 2 s); a PostgreSQL cut (3 s); a rolling restart (SIGTERM,
wait, start again, next process). Then the senders stop, the clients drain for --drain seconds, and
every client reconnects once more and syncs after its largest id (confirmed by the answer to a frame
sent after the sync; tried again on the next process if it does not come through).

Counted (all must be 0):
- lost: acknowledged, and the partner does not hold it at the end (the first few are listed, with the
  largest id the partner holds: a gap, or a partner that never got that far);
- duplicated: a client holds one `client_id` under two ids (a message shown twice);
- double-stored: one send stored in two rows;
- out-of-order: a socket passed on a message with a smaller id after one with a larger id;
- unrecovered: sends the client never got answered, though it kept resending until the end (where they
  sit is listed: clients per process and how long their sockets were silent; each daphne process writes
  its threads' stacks and asyncio tasks to its log).
Also: acknowledgements, `unavailable` and `rate_limited` answers, reconnects, and per fault the
recovery time: from the fault until every client is connected again and a message sent after the fault
is acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat import django_env, out, prepare_database  # noqa: E402
from bench.machine import machine  # noqa: E402
from tests.chat.realtime import CuttableProxy, OwnRedis, free_port, wait_for_port  # noqa: E402

RESEND_AFTER = 5.0
# daphne, whose threads' stacks (SIGUSR1) and asyncio tasks (SIGUSR2) go to its log, for a process that stopped
# answering
DAPHNE_WITH_STACK_DUMPS = """
import asyncio, faulthandler, signal, sys
faulthandler.register(signal.SIGUSR1, all_threads=True)
def tasks(*_):
    loop = asyncio.events._get_running_loop()
    if loop is None:
        return
    from chat import writer
    print("writers:", {k: (w.queue.qsize(), w.task) for k, w in writer._writers.items()}, file=sys.stderr)
    for task in asyncio.all_tasks(loop):
        task.print_stack(limit=8, file=sys.stderr)
    sys.stderr.flush()
signal.signal(signal.SIGUSR2, tasks)
sys.argv[0] = "daphne"
from daphne.cli import CommandLineInterface
CommandLineInterface.entrypoint()
"""


def letters(number: int) -> str:
    """A number in letters ("b", "ba", ...): a body unique to its send, without a run of digits that the
    contact-details scan would take for a phone number in a minor's conversation and hold."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[digit] + text
        if not number:
            return text


class Process:
    """A daphne process on a fixed port, so it can be killed and started again where clients expect it."""

    def __init__(self, index: int, env: dict):
        self.index, self.env, self.port = index, env, free_port()
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix=f"chaos-daphne-{index}-", suffix=".log", delete=False)  # noqa: SIM115

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                DAPHNE_WITH_STACK_DUMPS,
                "-v",
                "0",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Client:
    name: str
    conversation: int
    token: str
    partner: Client | None = None
    ws: object = None
    seen: dict[int, str] = field(default_factory=dict)  # id -> client_id
    by_client_id: dict[str, set[int]] = field(default_factory=dict)
    pending: dict[str, tuple[str, float]] = field(default_factory=dict)  # client_id -> (body, last sent)
    acked: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)  # answered `message.held`: stored, for a coordinator
    sent_at: dict[str, float] = field(default_factory=dict)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    process: int | None = None  # the process of the open socket
    last_frame: float = 0.0  # when the open socket last brought a frame
    opened: float = 0.0  # when the open socket opened
    last_frames: list = field(default_factory=list)  # the types of the last few frames

    @property
    def last_id(self) -> int:
        return max(self.seen, default=0)


@dataclass
class Stats:
    out_of_order: int = 0
    redundant: int = 0
    unavailable: int = 0
    rate_limited: int = 0
    reconnects: int = 0
    acks: int = 0
    close_codes: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # error code -> count


class Chaos:
    def __init__(self, args, pairs, processes: list[Process]):
        self.args, self.processes = args, processes
        self.stats = Stats()
        self.clients: list[Client] = []
        for conversation, key_a, key_b in pairs:
            a, b = Client(f"a{conversation}", conversation, key_a), Client(f"b{conversation}", conversation, key_b)
            a.partner, b.partner = b, a
            self.clients += [a, b]
        self.running = True
        self.ack_log: list[tuple[float, float]] = []  # (sent, acked)
        self.final_sync_failed: list[str] = []
        import websockets

        self.websockets = websockets

    # A contract client --------------------------------------------------------------------------------

    async def run_client(self, client: Client) -> None:
        pause, choice = 0.1, random.randrange(len(self.processes))
        while self.running or client.pending:
            process = self.processes[choice % len(self.processes)]
            url = f"ws://127.0.0.1:{process.port}/ws/conversations/{client.conversation}/"
            try:
                async with self.websockets.connect(
                    url,
                    additional_headers={"Authorization": f"Token {client.token}"},
                    origin=f"http://127.0.0.1:{process.port}",
                    open_timeout=5,
                    ping_interval=None,
                    max_size=None,
                ) as ws:
                    client.ws, pause = ws, 0.1
                    client.process, client.opened = process.index, time.monotonic()
                    await ws.send(json.dumps({"type": "sync", "after": client.last_id}))
                    client.connected.set()
                    for client_id, (body, _at) in list(client.pending.items()):
                        await self.send(client, client_id, body)
                    await self.read(client, ws)
            except (TimeoutError, OSError, self.websockets.WebSocketException):
                pass
            client.connected.clear()
            client.ws = None
            if not self.running and not client.pending:
                return
            self.stats.reconnects += 1
            choice += 1
            await asyncio.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, 2.0)

    async def read(self, client: Client, ws) -> None:
        session_max = 0
        session_ids: set[int] = set()
        try:
            async for raw in ws:
                client.last_frame = time.monotonic()
                frame = json.loads(raw)
                client.last_frames = [
                    *client.last_frames[-5:],
                    (frame.get("type"), frame.get("id"), frame.get("client_id")),
                ]
                kind = frame.get("type")
                if kind == "message":
                    message_id = frame["id"]
                    if message_id in session_ids:
                        self.stats.redundant += 1
                    elif message_id < session_max:
                        self.stats.out_of_order += 1
                    session_ids.add(message_id)
                    session_max = max(session_max, message_id)
                    client.seen.setdefault(message_id, frame.get("client_id"))
                    if frame.get("client_id"):
                        client.by_client_id.setdefault(frame["client_id"], set()).add(message_id)
                elif kind in ("message.ack", "message.held"):
                    # both answer the send: stored (a held one waits for a coordinator; the partner does
                    # not get it), so the client stops resending
                    client_id = frame["client_id"]
                    if client_id in client.pending:
                        del client.pending[client_id]
                        (client.acked if kind == "message.ack" else client.held)[client_id] = frame["id"]
                        self.stats.acks += 1
                        self.ack_log.append((client.sent_at[client_id], time.monotonic()))
                elif kind == "error":
                    code = frame.get("code")
                    self.stats.errors[code] = self.stats.errors.get(code, 0) + 1
                    if code == "unavailable":
                        self.stats.unavailable += 1
                    elif code == "rate_limited":
                        self.stats.rate_limited += 1
                    if code in ("unavailable", "rate_limited") and frame.get("client_id") in client.pending:
                        asyncio.get_running_loop().call_later(0.5, self.resend_soon, client, frame["client_id"])
        except self.websockets.ConnectionClosed:
            pass
        code = ws.close_code
        self.stats.close_codes[code] = self.stats.close_codes.get(code, 0) + 1

    def resend_soon(self, client: Client, client_id: str) -> None:
        if client_id in client.pending and client.ws is not None:
            asyncio.ensure_future(self.send(client, client_id, client.pending[client_id][0]))

    async def send(self, client: Client, client_id: str, body: str) -> None:
        client.pending[client_id] = (body, time.monotonic())
        if client.ws is not None:
            with contextlib.suppress(Exception):
                await client.ws.send(json.dumps({"type": "message.send", "client_id": client_id, "body": body}))

    async def resender(self) -> None:
        """What a client does about a send that got no answer: send it again, by the same client id."""
        while self.running or any(c.pending for c in self.clients):
            now = time.monotonic()
            for client in self.clients:
                for client_id, (body, at) in list(client.pending.items()):
                    if now - at > RESEND_AFTER:
                        await self.send(client, client_id, body)
            await asyncio.sleep(1.0)

    async def senders(self, seconds: float) -> None:
        interval, started, index = 1.0 / self.args.rate, time.monotonic(), 0
        while time.monotonic() - started < seconds:
            target = started + index * interval
            delay = target - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            client = self.clients[(index * 7919) % len(self.clients)]
            client_id = f"{client.name}-{index}"
            client.sent_at[client_id] = time.monotonic()
            body = f"chaos {client.name} {letters(index)}: shall we look at your CV on Thursday?"
            await self.send(client, client_id, body)
            index += 1

    # Faults -------------------------------------------------------------------------------------------

    async def recovery(self, since: float) -> float:
        """Seconds from `since` until every client is connected and a send after it is acknowledged."""
        deadline = since + 60
        while time.monotonic() < deadline:
            connected = all(c.connected.is_set() for c in self.clients)
            flowing = any(sent > since + 0.05 for sent, _acked in self.ack_log[-200:])
            if connected and flowing:
                return time.monotonic() - since
            await asyncio.sleep(0.05)
        return float("inf")

    async def faults(self, redis: OwnRedis, proxy: CuttableProxy) -> list[tuple[str, float]]:
        args, log = self.args, []
        await asyncio.sleep(3)
        for number in range(args.kills):
            victim = random.choice(self.processes)
            started = time.monotonic()
            victim.kill()
            await asyncio.sleep(1.0)
            victim.start()
            await asyncio.to_thread(wait_for_port, victim.port, 30)
            recovered = await self.recovery(started)
            log.append((f"kill {number + 1} (daphne {victim.index + 1})", recovered))
            out(f"  kill {number + 1:>2} of daphne {victim.index + 1}: recovered in {recovered:.1f} s")
            await asyncio.sleep(max(0.0, args.kill_every - (time.monotonic() - started)))
        started = time.monotonic()
        redis.stop()
        await asyncio.sleep(2)
        redis.start()
        recovered = await self.recovery(started)
        log.append(("Redis restart (down 2 s)", recovered))
        out(f"  Redis restart: recovered in {recovered:.1f} s")
        await asyncio.sleep(3)
        started = time.monotonic()
        proxy.cut()
        await asyncio.sleep(3)
        proxy.restore()
        recovered = await self.recovery(started)
        log.append(("PostgreSQL cut (3 s)", recovered))
        out(f"  PostgreSQL cut: recovered in {recovered:.1f} s")
        await asyncio.sleep(3)
        started = time.monotonic()
        for process in self.processes:
            await asyncio.to_thread(process.terminate)
            process.start()
            await asyncio.to_thread(wait_for_port, process.port, 30)
            await asyncio.sleep(1.0)
        recovered = await self.recovery(started)
        log.append(("rolling restart", recovered))
        out(f"  rolling restart: recovered in {recovered:.1f} s (from its start)")
        await asyncio.sleep(2)
        return log

    # The run ------------------------------------------------------------------------------------------

    async def run(self, redis: OwnRedis, proxy: CuttableProxy) -> dict:
        tasks = [asyncio.create_task(self.run_client(c)) for c in self.clients]
        await asyncio.wait_for(asyncio.gather(*(c.connected.wait() for c in self.clients)), 60)
        out(f"{len(self.clients)} clients connected")
        resender = asyncio.create_task(self.resender())
        faults = asyncio.create_task(self.faults(redis, proxy))
        sending = asyncio.create_task(self.senders(10**6))
        log = await faults
        sending.cancel()
        out(f"senders stopped; draining for up to {self.args.drain:g} s")
        self.running = False
        deadline = time.monotonic() + self.args.drain
        while time.monotonic() < deadline and any(c.pending for c in self.clients):
            await asyncio.sleep(0.2)
        unrecovered = sum(len(c.pending) for c in self.clients)
        self.diagnose()
        for client in self.clients:
            client.pending.clear()
            if client.ws is not None:
                with contextlib.suppress(Exception):
                    await client.ws.close()
        for task in tasks + [resender]:
            task.cancel()
        await asyncio.gather(*tasks, resender, return_exceptions=True)
        await self.final_sync()
        return {"faults": log, "unrecovered": unrecovered}

    def diagnose(self) -> None:
        """Where the sends still unacknowledged at the end of the drain sit: per process of the client's
        open socket (or none), how many clients, sends, and how long since that socket last heard anything."""
        now, rows = time.monotonic(), {}
        for client in self.clients:
            if client.pending:
                where = "not connected" if client.ws is None else f"daphne {client.process + 1}"
                row = rows.setdefault(where, [0, 0, []])
                row[0] += 1
                row[1] += len(client.pending)
                if client.ws is not None:
                    row[2].append((now - client.last_frame, now - client.opened))
        for where, (clients, sends, ages) in sorted(rows.items()):
            detail = ""
            if ages:
                silent = sorted(a for a, _o in ages)
                opened = sorted(o for _a, o in ages)
                detail = (
                    f"; silent for {silent[0]:.0f}-{silent[-1]:.0f} s, "
                    f"socket open for {opened[0]:.0f}-{opened[-1]:.0f} s"
                )
            out(f"  unacknowledged at the end: {where}: {clients} clients, {sends} sends{detail}")
        for client in self.clients:
            if client.pending and client.ws is not None:
                out(f"    {client.name} on daphne {client.process + 1}: last frames {client.last_frames}")
        for process in self.processes:
            if process.process and process.process.poll() is None:
                process.process.send_signal(signal.SIGUSR1)  # faulthandler: every thread's stack to its log
                time.sleep(0.2)
                process.process.send_signal(signal.SIGUSR2)  # and every asyncio task's

    async def final_sync(self) -> None:
        """Every client reconnects once more and syncs after its largest id, as after any reconnect. A sync
        that does not come through (refused, closed, nothing heard) is tried again on the next process;
        clients whose final sync never came through are counted, so that nothing they miss counts as lost."""
        limiter = asyncio.Semaphore(20)

        async def attempt(client: Client, process: Process) -> bool:
            url = f"ws://127.0.0.1:{process.port}/ws/conversations/{client.conversation}/"
            async with self.websockets.connect(
                url,
                origin=f"http://127.0.0.1:{process.port}",
                open_timeout=10,
                additional_headers={"Authorization": f"Token {client.token}"},
                max_size=None,
            ) as ws:
                await ws.send(json.dumps({"type": "sync", "after": client.last_id}))
                # a sync says nothing when nothing is missing; an empty message (refused, nothing stored) is
                # answered after every frame of the sync, since a socket handles its frames in order
                await ws.send(json.dumps({"type": "message.send", "client_id": "final-sync", "body": ""}))
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 10.0))
                    if frame.get("type") == "message":
                        client.seen.setdefault(frame["id"], frame.get("client_id"))
                        if frame.get("client_id"):
                            client.by_client_id.setdefault(frame["client_id"], set()).add(frame["id"])
                    elif frame.get("type") == "error" and frame.get("client_id") == "final-sync":
                        return True

        async def one(client: Client):
            async with limiter:
                for number in range(6):
                    with contextlib.suppress(Exception):
                        if await attempt(client, self.processes[number % len(self.processes)]):
                            return
                    await asyncio.sleep(0.5)
                self.final_sync_failed.append(client.name)

        await asyncio.gather(*(one(c) for c in self.clients))

    def counts(self) -> dict:
        lost = [
            (c, message_id) for c in self.clients for message_id in c.acked.values() if message_id not in c.partner.seen
        ]
        for client, message_id in lost[:20]:  # a gap (the partner holds larger ids) or never got that far
            synced = "failed" if client.partner.name in self.final_sync_failed else "ok"
            out(
                f"  lost: {message_id} from {client.name}; {client.partner.name} holds up to "
                f"{client.partner.last_id}, final sync {synced}"
            )
        duplicated = sum(1 for c in self.clients for ids in c.by_client_id.values() if len(ids) > 1)
        return {
            "acknowledged": sum(len(c.acked) for c in self.clients),
            "lost": len(lost),
            "duplicated": duplicated,
            "held": sum(len(c.held) for c in self.clients),
        }


def double_stored(database_url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(database_url) as db:
        rows = db.execute("SELECT count(*), count(DISTINCT body) FROM chat_message WHERE kind = 'user'").fetchone()
    return rows[0], rows[0] - rows[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=int, default=300)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--kill-every", type=float, default=4.0)
    parser.add_argument("--drain", type=float, default=30.0)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mentoring_chaos")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    random.seed(args.seed)
    out(f"machine: {machine()}")
    out(
        f"{args.clients} clients, {args.rate} msg/s, {args.processes} daphne processes, {args.kills} kills every "
        f"{args.kill_every:g} s, then a Redis restart, a PostgreSQL cut and a rolling restart"
    )
    pairs = prepare_database(args.database_url, args.clients // 2)
    parts = urlsplit(args.database_url)
    redis = OwnRedis()
    proxy = CuttableProxy(parts.port or 5432, parts.hostname or "127.0.0.1")
    proxied = urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}"))
    env = dict(django_env(proxied, redis.url), DB_CONNECT_TIMEOUT="2")
    processes = [Process(index, env) for index in range(args.processes)]
    try:
        for process in processes:
            process.start()
        for process in processes:
            wait_for_port(process.port, 60)
        chaos = Chaos(args, pairs, processes)
        started = time.monotonic()
        result = asyncio.run(chaos.run(redis, proxy))
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            process.terminate()
        redis.stop()
        proxy.cut()
    counts = chaos.counts()
    stored, twice = double_stored(args.database_url)
    stats = chaos.stats
    out(
        f"\nrun of {elapsed:.0f} s: {counts['acknowledged']} acknowledged, {counts['held']} held, {stored} stored, "
        f"final sync failed for {len(chaos.final_sync_failed)} clients, "
        f"{stats.unavailable} answered unavailable, {stats.rate_limited} rate_limited, {stats.reconnects} reconnects, "
        f"{stats.redundant} frames a socket passed on twice, close codes "
        f"{dict(sorted(stats.close_codes.items(), key=str))}, errors {stats.errors}"
    )
    out("| lost | duplicated | double-stored | out-of-order | unrecovered |")
    out("| --- | --- | --- | --- | --- |")
    out(f"| {counts['lost']} | {counts['duplicated']} | {twice} | {stats.out_of_order} | {result['unrecovered']} |")
    times = [t for _name, t in result["faults"]]
    kills = [t for name, t in result["faults"] if name.startswith("kill")]
    if kills:
        out(f"recovery after a kill: median {sorted(kills)[len(kills) // 2]:.1f} s, max {max(kills):.1f} s")
    for name, seconds in result["faults"]:
        if not name.startswith("kill"):
            out(f"recovery after the {name}: {seconds:.1f} s")
    bad = counts["lost"] + counts["duplicated"] + twice + stats.out_of_order + result["unrecovered"]
    out("all zero" if bad == 0 else "NOT all zero")
    return 0 if bad == 0 and all(t != float("inf") for t in times) else 1


if __name__ == "__main__":
    sys.exit(main())
