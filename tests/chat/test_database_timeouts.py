"""A transaction left open by a process that hung (or died unnoticed) holding a conversation's row lock
must not stop that conversation for good: PostgreSQL's lock_timeout and idle_in_transaction_session_timeout
come from the settings (config/settings.py)."""

import threading
import time

import psycopg
import pytest
from django.db import DatabaseError, connection

from chat import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("vocabulary")]


def test_every_connection_has_a_lock_timeout_and_an_idle_in_transaction_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        idle_timeout = cursor.fetchone()[0]
    assert (lock_timeout, idle_timeout) == ("5s", "30s")


def test_a_send_waiting_for_a_conversation_locked_by_a_stuck_transaction_is_refused_instead_of_hanging(
    conversation, alice
):
    # given another process' connection, stuck inside a transaction that holds the conversation's row lock
    stuck = psycopg.connect(**connection.get_connection_params())
    stuck.execute("SELECT 1 FROM chat_conversation WHERE id = %s FOR UPDATE", [conversation.pk])
    answer: list = []

    def send():
        try:
            answer.append(services.messages_store([services.Send(conversation, alice.user, "c-1", "Hello")]))
        except DatabaseError as exc:
            answer.append(exc)
        finally:
            connection.close()

    # when a message is sent in that conversation
    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(timeout=15)
    stuck.close()
    # then the send gives up within the lock timeout (the socket answers `unavailable`), stores nothing
    assert not sender.is_alive(), "the send still waits for the lock"
    assert isinstance(answer[0], DatabaseError)
    assert time.monotonic() - started < 10
    assert not conversation.messages.filter(client_id="c-1").exists()
