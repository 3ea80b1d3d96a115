"""Real components for the multi-process and fault tests: daphne processes, a Redis of our own, a TCP
proxy that can cut the database off, and a chat client that speaks the contract over a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


class Daphne:
    """One daphne process serving config.asgi with the given database and Redis."""

    def __init__(self, database_url: str, redis_url: str):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix=f"daphne-{self.port}-", suffix=".log", delete=False)  # noqa: SIM115
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings_test",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            DB_CONN_MAX_AGE="60",
            PYTHONUNBUFFERED="1",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port)

    def url(self, conversation_id: int) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/conversations/{conversation_id}/"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


class OwnRedis:
    """A Redis server on a port of its own, so a test can stop and restart it."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-")
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class CuttableProxy:
    """A TCP proxy in front of PostgreSQL: `cut()` drops every connection and refuses new ones until
    `restore()`, which is what the application sees when the database goes down and comes back."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.port = free_port()
        self.target = (target_host, target_port)
        self.up = threading.Event()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        self.up.set()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        self.up.clear()
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not
        with contextlib.suppress(OSError):
            self.listener.close()
        with self.lock:
            for sock in list(self.sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self.up.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown before close: close() alone sends nothing while the other direction's thread is
            # blocked in recv() on the socket, so the database would never learn its client went away
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()


class ChatClient:
    """A contract client: remembers the largest id seen and every message, resends by client id."""

    def __init__(self, token: str):
        self.token = token
        self.ws = None
        self.seen: dict[int, str] = {}
        self.acks: dict[str, int] = {}
        self.errors: list[dict] = []
        self.frames: asyncio.Queue = asyncio.Queue()
        self.reader: asyncio.Task | None = None

    @property
    def last_id(self) -> int:
        return max(self.seen, default=0)

    async def connect(self, url: str, origin: str) -> None:
        self.url, self.origin = url, origin
        self.ws = await websockets.connect(
            url, additional_headers={"Authorization": f"Token {self.token}"}, origin=origin, open_timeout=10
        )
        self.reader = asyncio.create_task(self._read())
        await self.ws.send(json.dumps({"type": "sync", "after": self.last_id}))

    @property
    def connected(self) -> bool:
        return self.reader is not None and not self.reader.done()

    async def ensure_connected(self, attempts: int = 50) -> None:
        """What a real client does when its socket drops: reconnect with a pause, then sync."""
        for _ in range(attempts):
            if self.connected:
                return
            with contextlib.suppress(OSError, websockets.WebSocketException, asyncio.TimeoutError):
                await self.connect(self.url, self.origin)
                await asyncio.sleep(0.2)  # a socket refused at once closes within this
                continue
            await asyncio.sleep(0.2)
        if not self.connected:
            raise ConnectionError("could not reconnect")

    async def send_until_acked(self, client_id: str, body: str, timeout: float = 20.0) -> int:
        """Send, and resend by the same client id after any reconnect, until the server acknowledges."""
        deadline = time.monotonic() + timeout
        while client_id not in self.acks:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no ack for {client_id}")
            await self.ensure_connected()
            with contextlib.suppress(websockets.ConnectionClosed):
                await self.send(client_id, body)
            with contextlib.suppress(TimeoutError):
                await self.wait_for(lambda: client_id in self.acks or not self.connected, timeout=3)
        return self.acks[client_id]

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "message":
                    self.seen.setdefault(frame["id"], frame["body"])
                elif frame["type"] == "message.ack":
                    self.acks[frame["client_id"]] = frame["id"]
                elif frame["type"] == "error":
                    self.errors.append(frame)
                await self.frames.put(frame)

    async def send(self, client_id: str, body: str) -> None:
        await self.ws.send(json.dumps({"type": "message.send", "client_id": client_id, "body": body}))

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not reached")
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await self.reader
