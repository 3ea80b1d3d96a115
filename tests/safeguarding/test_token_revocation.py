"""Revoking an API token ends the sockets opened with it, at once, as log-out does."""

import pytest
from channels.db import database_sync_to_async
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.chat.conftest import approved_conversation, closed_with, connect

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_revoked_token_closes_its_socket_with_4409(vocabulary, org_a, carol):
    from tests.conftest import make_mentee, make_volunteer

    def setup():
        volunteer = make_volunteer(org_a, "v@example.org", "Vol")
        mentee = make_mentee(org_a, "m@example.org", "Men")
        return volunteer, mentee, approved_conversation(org_a, volunteer, mentee, carol)

    volunteer, mentee, conversation = await database_sync_to_async(setup)()
    socket = await connect(conversation.pk, mentee)
    partner = await connect(conversation.pk, volunteer)

    def revoke():
        key = Token.objects.get(user=mentee.user).key
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.delete("/api/auth/token/").status_code

    assert await database_sync_to_async(revoke)() == 204
    assert await closed_with(socket) == 4409
    # the partner's socket stays open
    assert await partner.receive_nothing(timeout=0.3)
    await partner.disconnect()
