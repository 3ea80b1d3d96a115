"""The admin cannot move a safeguarding decision: vetting, consent and statuses are read-only there, and an
edit saves only the fields it changed."""

import pytest
from django.utils import timezone

from scheduling.models import PairingStatus
from volunteers.models import VettingStatus
from volunteers.services import vetting_record

pytestmark = pytest.mark.django_db


def test_an_admin_edit_cannot_put_a_rejected_vetting_back(admin_client, alice, carol):
    vetting_record(
        volunteer=alice,
        status=VettingStatus.REJECTED,
        checked_on=timezone.localdate(),
        expires_on=None,
        recorded_by=carol,
    )
    response = admin_client.post(
        f"/admin/volunteers/volunteer/{alice.pk}/change/",
        {
            "user": alice.user_id,
            "bio": "Edited by staff",
            "capacity": 2,
            "vetting_status": "verified",
            "vetting_checked_on": "2026-01-01",
            "vetting_expires_on": "2030-01-01",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    alice.refresh_from_db()
    assert alice.bio == "Edited by staff"
    assert alice.vetting_status == VettingStatus.REJECTED
    assert alice.vetting_expires_on is None


def test_an_admin_edit_cannot_change_a_pairings_status(admin_client, conversation, carol):
    pairing = conversation.pairing
    response = admin_client.post(
        f"/admin/scheduling/pairing/{pairing.pk}/change/",
        {
            "organisation": pairing.organisation_id,
            "mentee": pairing.mentee_id,
            "volunteer": pairing.volunteer_id,
            "status": "proposed",
            "score": 12,
            "reasons": '["covers cv-writing"]',
            "pinned": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.APPROVED
    assert pairing.score == 12
