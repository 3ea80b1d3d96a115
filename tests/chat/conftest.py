"""A conversation between alice (volunteer) and bob (adult mentee), and one with mia (a minor)."""

import pytest
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework.authtoken.models import Token

from config.asgi import application
from mentees.services import consent_record
from scheduling.models import Pairing
from scheduling.services.pairings import pairing_approve
from tests.conftest import vet


def approved_conversation(org, volunteer, mentee, coordinator):
    pairing = Pairing.objects.create(organisation=org, volunteer=volunteer, mentee=mentee)
    return pairing_approve(pairing_id=pairing.pk, by=coordinator).conversation


@pytest.fixture
def conversation(org_a, alice, bob, carol):
    return approved_conversation(org_a, alice, bob, carol)


@pytest.fixture
def minor_conversation(org_a, alice, mia, carol):
    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    vet(alice, carol)
    return approved_conversation(org_a, alice, mia, carol)


def token_for(who) -> str:
    user = getattr(who, "user", who)
    return Token.objects.get_or_create(user=user)[0].key


async def connect(conversation_id, who=None, *, origin=b"http://testserver", headers=None):
    """Open a socket as `who` (token auth); returns (communicator, connected, close code or None)."""
    from channels.db import database_sync_to_async

    all_headers = [(b"origin", origin)] if origin else []
    if who is not None:
        key = await database_sync_to_async(token_for)(who)
        all_headers.append((b"authorization", f"Token {key}".encode()))
    all_headers += headers or []
    communicator = WebsocketCommunicator(application, f"/ws/conversations/{conversation_id}/", headers=all_headers)
    connected, _subprotocol = await communicator.connect(timeout=5)  # a loaded CI machine is slow
    return communicator


async def closed_with(communicator) -> int | None:
    # generous: a loaded CI machine is slow, and a passing test does not wait for it
    output = await communicator.receive_output(timeout=5)
    return output.get("code") if output["type"] == "websocket.close" else None
