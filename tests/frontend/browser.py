"""The browser tests' helpers: the app served by daphne on a free loopback port over a demo database of its
own, and Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
DEMO_PASSWORD = "demo-mentoring-2026"  # noqa: S105 - the documented demo password


def chromium_or_skip() -> str:
    """The browser: its absence skips, except under CI where .ci/run installs it and it must be there."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need Chromium at {CHROMIUM} under CI=true")
    pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """daphne serving config.asgi on loopback over a database of its own loaded with the demo data: a SQLite
    file, or, when the tests run against PostgreSQL and Redis (DATABASE_URL, REDIS_URL), a fresh PostgreSQL
    database on the same server (dropped at the end) and the same Redis for its cache and channel layer."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="webapp-browser-")
        self.port = free_port()
        self.env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings_test", DATABASE_URL=f"sqlite:///{self.directory}/site.sqlite3"
        )
        self.postgres = None
        tested = os.environ.get("DATABASE_URL", "")
        if tested.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(tested)
            self.postgres = (urlunsplit(parts._replace(path="/postgres")), f"browser_site_{os.getpid()}_{self.port}")
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.postgres[1]}"))
        if os.environ.get("REDIS_URL"):
            self.env.update(REDIS_URL=os.environ["REDIS_URL"], CACHE_KEY_PREFIX=f"browser-site-{self.port}")
        self.log = open(Path(self.directory) / "daphne.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = None

    def _postgres(self, statement: str) -> None:
        import psycopg

        admin, _name = self.postgres
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Site":
        if self.postgres:
            self._postgres(f'CREATE DATABASE "{self.postgres[1]}"')
        try:
            for command in (["migrate", "--noinput"], ["seed_demo"]):
                subprocess.run(
                    [sys.executable, "manage.py", *command],
                    cwd=ROOT,
                    env=self.env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=300,
                )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.stop()
            raise
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("daphne did not start")

    def python(self, code: str) -> str:
        """Run `code` in `manage.py shell` against the site's database (for what a browser cannot do, such
        as letting a booked hour pass); returns what it printed."""
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        if self.postgres:
            self._postgres(f'DROP DATABASE IF EXISTS "{self.postgres[1]}" WITH (FORCE)')
        shutil.rmtree(self.directory, ignore_errors=True)


def log_in(page, site: Site, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{site.url}/account/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def overflows(page) -> bool:
    """Something sticks out sideways (the viewport is 360 px wide)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def screenshot(page, name: str) -> None:
    """Save docs/screenshots/<name>.png for the README when SCREENSHOTS=1 (so test runs leave the tree alone)."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands (axe is evaluated from the test
    tree through the browser's debugging protocol, so the page keeps its CSP and the site never serves it)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.help + " -> " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""")
    return found
