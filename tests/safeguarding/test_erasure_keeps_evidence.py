"""Erasure removes or pseudonymises the person, never the other person's messages or what safeguarding
must keep, for the retention period."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.personal_data import erase_user
from chat.models import Conversation, Message, Report
from chat.services import message_post, message_report, retained_evidence_purge
from safeguarding.models import Action, Entry
from scheduling.models import AvailabilityWindow, PairingStatus
from scheduling.services.availability import availability_replace

pytestmark = pytest.mark.django_db


def say(conversation, who, client_id, body):
    return message_post(
        conversation=conversation, sender=getattr(who, "user", who), client_id=client_id, body=body
    ).message


def test_a_reported_volunteer_who_erases_their_account_leaves_the_conversation_and_the_report(conversation, alice, bob):
    # given a conversation where the mentee reported the volunteer
    theirs = say(conversation, alice, "a1", "send me a photo")
    mine = say(conversation, bob, "b1", "no, that is not ok")
    report = message_report(message=theirs, reporter=bob.user, reason="inappropriate")
    # when the volunteer erases their account
    erase_user(alice.user)
    # then the conversation, both messages and the report stay
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert Message.objects.filter(pk=mine.pk, body="no, that is not ok").exists()
    assert Message.objects.filter(pk=theirs.pk, body="send me a photo").exists()
    assert Report.objects.filter(pk=report.pk).exists()
    # and the volunteer is pseudonymised, their pairing ended
    alice.user.refresh_from_db()
    assert alice.user.display_name == "Former member"
    assert alice.user.erased_at is not None
    conversation.pairing.refresh_from_db()
    assert conversation.pairing.status == PairingStatus.ENDED


def test_without_a_report_erasure_removes_only_the_persons_own_messages(conversation, alice, bob):
    theirs = say(conversation, alice, "a1", "hello")
    mine = say(conversation, bob, "b1", "hi, thanks")
    availability_replace(user=alice.user, windows=[(0, 600, 720)])
    erase_user(alice.user)
    assert not Message.objects.filter(pk=theirs.pk).exists()
    assert Message.objects.get(pk=mine.pk).body == "hi, thanks"
    assert not AvailabilityWindow.objects.filter(user=alice.user).exists()


def test_a_held_message_keeps_the_whole_conversation_for_a_coordinator(minor_conversation, alice, mia):
    held = say(minor_conversation, alice, "a1", "my number is 0044 7700 900123")
    earlier = say(minor_conversation, alice, "a2", "how are you")
    erase_user(alice.user)
    assert Message.objects.filter(pk__in=[held.pk, earlier.pk]).count() == 2


def test_retained_evidence_goes_after_the_retention_period(conversation, alice, bob):
    theirs = say(conversation, alice, "a1", "send me a photo")
    mine = say(conversation, bob, "b1", "no")
    message_report(message=theirs, reporter=bob.user, reason="inappropriate")
    erase_user(alice.user)
    with override_settings(SAFEGUARDING_RETENTION_DAYS=30):
        assert retained_evidence_purge(now=timezone.now() + datetime.timedelta(days=29)) == 0
        assert Message.objects.filter(pk=theirs.pk).exists()
        assert retained_evidence_purge(now=timezone.now() + datetime.timedelta(days=31)) > 0
    assert not Message.objects.filter(pk=theirs.pk).exists()
    assert Message.objects.filter(pk=mine.pk).exists()


def test_the_safeguarding_log_survives_erasure_of_its_subject(conversation, alice, bob, carol):
    before = Entry.objects.filter(subject_id=bob.user_id).count()
    assert before >= 1  # the approval
    erase_user(bob.user)
    assert Entry.objects.filter(subject_id=bob.user_id).count() > before
    assert Entry.objects.filter(subject_id=bob.user_id, action=Action.ACCOUNT_ERASED).exists()


def test_an_erased_person_can_sign_up_again_with_the_same_address(api, bob, org_a):
    erase_user(bob.user)
    response = api(None).post(
        "/api/signup/mentee/",
        {
            "email": "bob@example.org",
            "password": "another-long-passphrase-2026",
            "display_name": "Bob",
            "organisation": org_a.pk,
            "birth_year": 2001,
            "languages": [{"language": "ar", "level": "native"}],
        },
        format="json",
    )
    assert response.status_code == 202, response.content
    from accounts.models import User

    assert User.objects.filter(email="bob@example.org", erased_at__isnull=True).exists()
