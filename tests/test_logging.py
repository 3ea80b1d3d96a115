"""Logs carry the request id; LOG_FORMAT=json gives one JSON object a line."""

import json
import logging

import pytest

from config.logging import JsonFormatter, RequestIdFilter, request_id


@pytest.mark.django_db
def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_from_the_proxy(client):
    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-42.a")["X-Request-ID"] == "proxy-42.a"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nInjected: yes" + "a" * 100)["X-Request-ID"]
    assert "\n" not in forged
    assert len(forged) == 32


def test_the_json_format_is_one_object_a_line_with_the_request_id():
    token = request_id.set("abc123")
    try:
        record = logging.LogRecord("chat", logging.WARNING, __file__, 1, "broadcast failed: %s", ("x",), None)
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "broadcast failed: x"
    assert entry["request_id"] == "abc123"
    assert entry["level"] == "WARNING"
    assert "\n" not in line


def test_a_bad_log_format_is_refused(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        importlib.reload(config.settings)
    monkeypatch.delenv("LOG_FORMAT")
    importlib.reload(config.settings)
