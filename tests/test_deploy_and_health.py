"""Production settings pass Django's deployment checks; health and readiness probes tell the truth."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="mentoring.example.org",
    )
    env.update(extra)
    return env


def test_deploy_check_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_setting_is_refused_at_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(DEBUG="maybe"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_healthz_says_the_process_is_up():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_down(monkeypatch):
    from django.db import connection

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_readyz_answers_503_when_redis_is_configured_but_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_checks_redis_when_it_is_configured():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"


def test_the_api_docs_page_loads_its_assets_from_this_site_only(db):
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "http://" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200


def test_postgres_connections_get_a_lock_timeout_and_an_idle_in_transaction_timeout_from_the_environment():
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=production_env(DATABASE_URL="postgres://app@db.example:5432/mentoring", DB_LOCK_TIMEOUT_MS="1500"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["-c", "lock_timeout=1500", "-c", "idle_in_transaction_session_timeout=30000"]


def test_a_negative_database_timeout_is_refused_at_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=production_env(
            DATABASE_URL="postgres://app@db.example:5432/mentoring", DB_IDLE_IN_TRANSACTION_TIMEOUT_MS="-1"
        ),
    )
    assert result.returncode != 0
    assert "idle_in_transaction_session_timeout must be 0 (off)" in result.stderr


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_a_served_process_keeps_its_start_up_heap_out_of_full_collections(entry_point):
    """Without the freeze, a full collection walked the whole start-up heap every few hundred requests:
    200-240 ms, the p99 of the coordinator pages. The URLconf's views, the compiled templates and every
    language's catalogue (built by the first requests otherwise, and kept for ever) are part of what is
    frozen."""
    probe = (
        f"import gc, sys; import {entry_point}; "
        "from django.template import engines; from django.utils.translation import trans_real; "
        "cached = engines['django'].engine.template_loaders[0].get_template_cache; "
        "ready = 'frontend/base.html' in cached and {'ar', 'fa', 'uk'} <= set(trans_real._translations); "
        "print(gc.get_freeze_count(), 'frontend.views' in sys.modules and ready, len(gc.get_objects(generation=2)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=production_env(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen, views_loaded, left_to_collect = result.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
    assert int(left_to_collect) < int(frozen) / 10
