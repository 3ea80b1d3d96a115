"""The chat's rules at their edges, on SQLite: who may connect, the exact frame limits, the rate limit's
arithmetic, withdrawing, reporting and read marks. Each test fails if its rule moves by one."""

import datetime
import time

import pytest
from django.utils import timezone

from accounts.services import user_deactivate
from chat import services
from chat.events import conversation_group
from chat.models import (
    AccessRecord,
    Conversation,
    ConversationState,
    Message,
    MessageStatus,
    ReadMark,
    Report,
    ReportStatus,
)
from chat.services import (
    ChatRefusal,
    Posted,
    Send,
    may_connect,
    message_post,
    messages_store,
    moderation,
    read_marks,
    validate_message,
)
from safeguarding.models import Action, Entry
from scheduling.models import EndKind
from scheduling.services.pairings import pairing_end

pytestmark = pytest.mark.django_db

LIMIT, WINDOW = 3, 10


def codes(results) -> list[str]:
    return ["ok" if isinstance(result, Posted) else result.code for result in results]


def post(conversation, who, body="hello", client_id=None) -> Message:
    user = getattr(who, "user", who)
    return message_post(
        conversation=conversation, sender=user, client_id=client_id or f"c-{body[:20]}", body=body
    ).message


class TestWhoMayConnect:
    @pytest.mark.parametrize("who", ["alice", "bob", "carol"])
    def test_an_active_member_or_coordinator_may_connect(self, conversation, who, request):
        user = getattr(request.getfixturevalue(who), "user", request.getfixturevalue(who))
        assert may_connect(user, conversation) is True

    @pytest.mark.parametrize("who", ["alice", "bob", "carol"])
    def test_a_deactivated_account_may_not(self, conversation, who, request):
        person = request.getfixturevalue(who)
        user = getattr(person, "user", person)
        user_deactivate(user=user)
        user.refresh_from_db()
        conversation.refresh_from_db()
        assert may_connect(user, conversation) is False


class TestFrameLimits:
    def test_a_64_character_client_id_is_accepted_and_65_refused(self):
        assert validate_message("x" * 64, "hi") == ("x" * 64, "hi")
        with pytest.raises(ChatRefusal) as refused:
            validate_message("x" * 65, "hi")
        assert refused.value.code == "bad_frame"

    def test_an_empty_client_id_is_refused(self):
        with pytest.raises(ChatRefusal):
            validate_message("", "hi")

    def test_a_4000_character_body_is_accepted_and_4001_refused(self):
        assert validate_message("c", "b" * 4000)[1] == "b" * 4000
        with pytest.raises(ChatRefusal) as refused:
            validate_message("c", "b" * 4001)
        assert refused.value.code == "too_long"

    def test_a_nul_character_is_refused(self):
        with pytest.raises(ChatRefusal) as refused:
            validate_message("c", "before\x00after")
        assert refused.value.code == "bad_frame"

    def test_the_store_applies_the_same_limits(self, conversation, alice):
        user = alice.user
        results = messages_store(
            [
                Send(conversation, user, "x" * 64, "b" * 4000),
                Send(conversation, user, "x" * 65, "ok"),
                Send(conversation, user, "y", "b" * 4001),
                Send(conversation, user, "z", "nul\x00here"),
            ]
        )
        assert codes(results) == ["ok", "bad_frame", "too_long", "bad_frame"]
        stored = Message.objects.filter(conversation=conversation, sender=user)
        assert list(stored.values_list("client_id", flat=True)) == ["x" * 64]


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def _limit(self, settings):
        settings.CHAT_RATE_LIMIT = (LIMIT, WINDOW)

    @pytest.fixture
    def clock(self, monkeypatch):
        """Set the time the chat sees; starts at the first second of a rate window."""
        start = datetime.datetime(2026, 3, 2, 12, 0, 0, tzinfo=datetime.UTC)
        assert int(start.timestamp()) % WINDOW == 0
        now = {"value": start}
        # django.utils.timezone.now itself: the chat's modules call `timezone.now()` wherever they live
        monkeypatch.setattr(timezone, "now", lambda: now["value"])

        def move(seconds: float) -> None:
            now["value"] = start + datetime.timedelta(seconds=seconds)

        return move

    def sends(self, conversation, user, prefix, n):
        return [Send(conversation, user, f"{prefix}-{i}", f"message {prefix} {i}") for i in range(n)]

    def test_in_one_batch_the_limit_plus_first_send_is_the_first_refused(self, clock, conversation, alice):
        results = messages_store(self.sends(conversation, alice.user, "a", LIMIT + 2))
        assert codes(results) == ["ok"] * LIMIT + ["rate_limited"] * 2

    def test_batches_add_up_within_a_window(self, clock, conversation, alice):
        assert codes(messages_store(self.sends(conversation, alice.user, "a", LIMIT - 1))) == ["ok"] * (LIMIT - 1)
        clock(WINDOW - 1)  # the last second of the same window
        assert codes(messages_store(self.sends(conversation, alice.user, "b", 2))) == ["ok", "rate_limited"]

    def test_a_new_window_starts_afresh(self, clock, conversation, alice):
        messages_store(self.sends(conversation, alice.user, "a", LIMIT))
        assert codes(messages_store(self.sends(conversation, alice.user, "b", 1))) == ["rate_limited"]
        clock(WINDOW)
        assert codes(messages_store(self.sends(conversation, alice.user, "c", LIMIT + 1))) == (
            ["ok"] * LIMIT + ["rate_limited"]
        )

    def test_resent_messages_give_back_what_they_counted(self, clock, conversation, alice):
        assert codes(messages_store(self.sends(conversation, alice.user, "a", 2))) == ["ok", "ok"]
        resent = messages_store(self.sends(conversation, alice.user, "a", 2))  # the same client ids
        assert [(r.created, r.message.client_id) for r in resent] == [(False, "a-0"), (False, "a-1")]
        # two counted, not four, though the second resend came over the limit: one more fits, the next does not
        assert codes(messages_store(self.sends(conversation, alice.user, "b", 2))) == ["ok", "rate_limited"]

    def test_a_resend_in_a_new_window_leaves_its_count_at_zero(self, clock, conversation, alice):
        messages_store(self.sends(conversation, alice.user, "a", 1))
        clock(WINDOW)
        messages_store(self.sends(conversation, alice.user, "a", 1))  # resent: found, given back
        assert codes(messages_store(self.sends(conversation, alice.user, "b", LIMIT))) == ["ok"] * LIMIT

    def test_several_resends_of_one_sender_give_back_each_count(self, clock, conversation, alice):
        messages_store(self.sends(conversation, alice.user, "a", 2))
        clock(WINDOW)
        messages_store(self.sends(conversation, alice.user, "a", 2))  # both resent in a new window: given back
        assert codes(messages_store(self.sends(conversation, alice.user, "b", LIMIT))) == ["ok"] * LIMIT

    def test_a_count_lasts_the_whole_window(self, clock, conversation, alice, monkeypatch):
        seconds = {"value": 1_900_000_000.0}  # the cache's own clock, moved with the chat's
        monkeypatch.setattr(time, "time", lambda: seconds["value"])
        assert codes(messages_store(self.sends(conversation, alice.user, "a", LIMIT))) == ["ok"] * LIMIT
        clock(WINDOW - 1)  # the last second of the same window: the counter must not have expired
        seconds["value"] += WINDOW - 1
        assert codes(messages_store(self.sends(conversation, alice.user, "b", 1))) == ["rate_limited"]

    def test_a_given_back_count_lasts_the_whole_window(self, clock, conversation, alice, monkeypatch):
        seconds = {"value": 1_900_000_000.0}  # the cache's own clock, moved with the chat's
        monkeypatch.setattr(time, "time", lambda: seconds["value"])
        messages_store(self.sends(conversation, alice.user, "a", LIMIT))
        messages_store(self.sends(conversation, alice.user, "a", 1))  # a resend: counted, given back
        clock(WINDOW - 1)
        seconds["value"] += WINDOW - 1
        assert codes(messages_store(self.sends(conversation, alice.user, "b", 1))) == ["rate_limited"]

    def test_each_sender_has_their_own_count(self, clock, conversation, alice, bob):
        batch = self.sends(conversation, alice.user, "a", LIMIT) + self.sends(conversation, bob.user, "b", LIMIT)
        assert codes(messages_store(batch)) == ["ok"] * (2 * LIMIT)


class TestWithdrawing:
    def test_an_already_withdrawn_message_cannot_be_withdrawn_again(self, conversation, alice):
        message = post(conversation, alice)
        services.message_withdraw(message=message, by=alice.user)
        with pytest.raises(ChatRefusal) as refused:
            services.message_withdraw(message=message, by=alice.user)
        assert refused.value.code == "bad_state"

    def test_a_rejected_message_cannot_be_withdrawn(self, conversation, alice):
        message = post(conversation, alice)
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.REJECTED)
        with pytest.raises(ChatRefusal) as refused:
            services.message_withdraw(message=message, by=alice.user)
        assert refused.value.code == "bad_state"
        message.refresh_from_db()
        assert message.status == MessageStatus.REJECTED


class TestReporting:
    @pytest.mark.parametrize("reason", ["", "   ", "r" * 501])
    def test_a_bad_reason_is_refused_at_the_service(self, conversation, alice, bob, reason):
        message = post(conversation, alice)
        with pytest.raises(ChatRefusal) as refused:
            services.message_report(message=message, reporter=bob.user, reason=reason)
        assert refused.value.field == "reason"
        assert not Report.objects.exists()

    def test_a_one_character_reason_is_accepted(self, conversation, alice, bob):
        report = services.message_report(message=post(conversation, alice), reporter=bob.user, reason=" x ")
        assert report.reason == "x"

    def test_a_bad_reason_is_a_bad_frame_on_the_reason_field(self, conversation, alice, bob):
        with pytest.raises(ChatRefusal) as refused:
            services.message_report(message=post(conversation, alice), reporter=bob.user, reason="")
        assert (refused.value.code, refused.value.field) == ("bad_frame", "reason")

    def test_a_500_character_reason_is_accepted_and_the_reporter_recorded(self, conversation, alice, bob):
        message = post(conversation, alice)
        report = services.message_report(message=message, reporter=bob.user, reason="r" * 500)
        report.refresh_from_db()
        assert (report.reason, report.reporter_id, report.message_id) == ("r" * 500, bob.user_id, message.pk)


class TestReadMarks:
    def stored(self, conversation, who) -> int:
        return ReadMark.objects.get(conversation=conversation, user=who.user).up_to

    def test_a_read_mark_moves_forward_in_the_database(self, conversation, bob):
        services.read_mark(conversation=conversation, user=bob.user, up_to=5)
        assert self.stored(conversation, bob) == 5
        services.read_mark(conversation=conversation, user=bob.user, up_to=9)
        assert self.stored(conversation, bob) == 9

    def test_moving_it_records_when(self, conversation, bob):
        services.read_mark(conversation=conversation, user=bob.user, up_to=1)
        before = ReadMark.objects.get(conversation=conversation, user=bob.user).updated_at
        services.read_mark(conversation=conversation, user=bob.user, up_to=2)
        assert ReadMark.objects.get(conversation=conversation, user=bob.user).updated_at > before

    def test_it_never_moves_back(self, conversation, bob):
        services.read_mark(conversation=conversation, user=bob.user, up_to=9)
        assert services.read_mark(conversation=conversation, user=bob.user, up_to=4) == 9
        assert self.stored(conversation, bob) == 9

    def test_it_moves_only_its_owners_mark(self, conversation, alice, bob):
        services.read_mark(conversation=conversation, user=alice.user, up_to=3)
        services.read_mark(conversation=conversation, user=bob.user, up_to=8)
        assert (self.stored(conversation, alice), self.stored(conversation, bob)) == (3, 8)


@pytest.fixture
def sent(monkeypatch):
    """What the chat services hand to the sockets' groups (after commit), as (group, event) pairs."""
    events: list = []
    for module in (moderation, read_marks):
        monkeypatch.setattr(module, "send_after_commit", lambda group, event: events.append((group, event)))
    return events


def held_message(minor_conversation, alice) -> Message:
    message = post(minor_conversation, alice, "write to me at alice@example.org", client_id="held-1")
    assert message.status == MessageStatus.HELD
    return message


class TestWhoMayConnectAndSee:
    def test_members_of_an_ended_pairing_may_not_connect_but_its_coordinator_may(self, conversation, alice, carol):
        pairing_end(pairing_id=conversation.pairing_id, by=carol, kind=EndKind.COMPLETED, reason="done")
        conversation.refresh_from_db()
        assert (may_connect(alice.user, conversation), may_connect(carol, conversation)) == (False, True)

    def test_members_may_connect_to_a_paused_conversation_and_not_to_a_suspended_one(self, conversation, bob, carol):
        services.conversation_pause(conversation=conversation, by=carol, paused=True)
        conversation.refresh_from_db()
        assert may_connect(bob.user, conversation) is True
        Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.SUSPENDED)
        conversation.refresh_from_db()
        assert may_connect(bob.user, conversation) is False

    def test_strangers_and_another_organisations_coordinator_may_not_connect(self, conversation, victor, dave):
        assert (may_connect(victor.user, conversation), may_connect(dave, conversation)) == (False, False)

    def test_a_held_message_is_seen_by_its_sender_and_coordinators_only(self, minor_conversation, alice, mia, carol):
        message = held_message(minor_conversation, alice)
        seen = [services.may_see_message(user, message) for user in (alice.user, mia.user, carol)]
        assert seen == [True, False, True]

    def test_a_withdrawn_message_is_seen_by_coordinators_only(self, conversation, alice, bob, carol):
        message = services.message_withdraw(message=post(conversation, alice), by=alice.user)
        seen = [services.may_see_message(user, message) for user in (alice.user, bob.user, carol)]
        assert seen == [False, False, True]

    def test_only_a_coordinators_look_is_recorded_and_logged(self, conversation, alice, bob, carol):
        services.access_record(conversation=conversation, user=alice.user, via="rest")
        assert not AccessRecord.objects.exists()
        services.access_record(conversation=conversation, user=carol, via="socket")
        record = AccessRecord.objects.get()
        assert (record.coordinator, record.via) == (carol, "socket")
        (entry,) = Entry.objects.filter(action=Action.CONVERSATION_READ)
        assert (entry.actor, entry.subject, entry.detail) == (carol, bob.user, {"via": "socket"})
        assert (entry.organisation_id, entry.object_id) == (conversation.organisation_id, conversation.pk)


class TestReadMarkInput:
    @pytest.mark.parametrize("up_to", [True, "5", -1, 2.0, None])
    def test_anything_but_a_whole_number_from_zero_is_refused(self, conversation, bob, up_to):
        with pytest.raises(ChatRefusal) as refused:
            services.read_mark(conversation=conversation, user=bob.user, up_to=up_to)
        assert refused.value.code == "bad_frame"
        assert not ReadMark.objects.filter(up_to__gt=0).exists()

    def test_zero_is_accepted(self, conversation, bob):
        assert services.read_mark(conversation=conversation, user=bob.user, up_to=0) == 0

    def test_the_other_member_is_told_only_when_the_mark_moves(self, conversation, bob, sent):
        services.read_mark(conversation=conversation, user=bob.user, up_to=4)
        services.read_mark(conversation=conversation, user=bob.user, up_to=4)
        services.read_mark(conversation=conversation, user=bob.user, up_to=2)
        event = {"type": "chat.read", "user_id": bob.user_id, "up_to": 4}
        assert sent == [(conversation_group(conversation.pk), event)]


class TestPausing:
    def test_a_pause_records_who_and_when_once_and_a_reopening_clears_it(self, conversation, carol):
        paused = services.conversation_pause(conversation=conversation, by=carol, paused=True, reason="heated")
        paused.refresh_from_db()
        assert (paused.state, paused.paused_by) == (ConversationState.PAUSED, carol)
        assert paused.paused_at is not None
        services.conversation_pause(conversation=conversation, by=carol, paused=True)  # already paused
        opened = services.conversation_pause(conversation=conversation, by=carol, paused=False)
        opened.refresh_from_db()
        assert (opened.state, opened.paused_by, opened.paused_at) == (ConversationState.OPEN, None, None)
        entries = Entry.objects.filter(action__startswith="conversation_").order_by("id")
        log = list(entries.values_list("action", "reason", "actor", "object_id", "organisation_id"))
        where = (carol.pk, conversation.pk, conversation.organisation_id)
        assert log == [(Action.CONVERSATION_PAUSED, "heated", *where), (Action.CONVERSATION_RESUMED, "", *where)]

    def test_a_closed_conversation_cannot_be_paused(self, conversation, carol):
        pairing_end(pairing_id=conversation.pairing_id, by=carol, kind=EndKind.COMPLETED, reason="done")
        with pytest.raises(ChatRefusal) as refused:
            services.conversation_pause(conversation=conversation, by=carol, paused=True)
        assert refused.value.code == "read_only"
        conversation.refresh_from_db()
        assert conversation.state == ConversationState.READ_ONLY


class TestWithdrawingAndReviewing:
    def test_only_the_sender_may_withdraw(self, conversation, alice, bob):
        message = post(conversation, alice)
        with pytest.raises(ChatRefusal) as refused:
            services.message_withdraw(message=message, by=bob.user)
        assert (refused.value.code, refused.value.status) == ("forbidden", 403)
        message.refresh_from_db()
        assert message.status == MessageStatus.VISIBLE

    def test_withdrawing_keeps_the_text_and_tells_the_conversation_only_of_a_visible_message(
        self, minor_conversation, alice, sent
    ):
        visible = post(minor_conversation, alice, "see you tomorrow", client_id="v-1")
        held = held_message(minor_conversation, alice)
        for message in (visible, held):
            withdrawn = services.message_withdraw(message=message, by=alice.user)
            withdrawn.refresh_from_db()
            assert (withdrawn.status, withdrawn.body) == (MessageStatus.WITHDRAWN, message.body)
            assert withdrawn.withdrawn_at is not None
        assert sent == [(conversation_group(minor_conversation.pk), {"type": "chat.withdrawn", "id": visible.pk})]

    def test_a_release_shows_the_held_text_as_the_newest_message(self, minor_conversation, alice, carol, sent):
        held = held_message(minor_conversation, alice)
        later = post(minor_conversation, alice, "are you there?", client_id="later")
        shown = services.message_review(message=held, by=carol, release=True)
        assert (shown.status, shown.body, shown.client_id, shown.sender) == (
            MessageStatus.VISIBLE,
            held.body,
            "held-1",
            alice.user,
        )
        assert (shown.seq, shown.released_from_id, shown.kind) == (later.seq + 1, held.pk, held.kind)
        held.refresh_from_db()
        assert (held.status, held.reviewed_by) == (MessageStatus.RELEASED, carol)
        assert held.reviewed_at is not None
        (entry,) = Entry.objects.filter(action=Action.MESSAGE_RELEASED)
        assert (entry.actor, entry.subject, entry.object_id) == (carol, alice.user, held.pk)
        assert entry.detail == {"conversation": minor_conversation.pk, "shown_as": shown.pk}
        assert [(group, event["type"]) for group, event in sent] == [
            (conversation_group(minor_conversation.pk), "chat.message")
        ]
        assert sent[0][1]["message"]["id"] == shown.pk
        assert entry.organisation_id == minor_conversation.organisation_id

    def test_a_rejection_shows_nothing_and_cannot_be_reviewed_again(self, minor_conversation, alice, carol, sent):
        held = held_message(minor_conversation, alice)
        rejected = services.message_review(message=held, by=carol, release=False)
        assert (rejected.pk, rejected.status, rejected.reviewed_by) == (held.pk, MessageStatus.REJECTED, carol)
        assert not Message.objects.filter(released_from=held).exists()
        (entry,) = Entry.objects.filter(action=Action.MESSAGE_REJECTED)
        assert entry.detail == {"conversation": minor_conversation.pk}
        assert sent == []
        with pytest.raises(ChatRefusal) as refused:
            services.message_review(message=held, by=carol, release=True)
        assert refused.value.code == "bad_state"

    def test_a_held_message_is_logged_with_its_reason(self, minor_conversation, alice):
        held = held_message(minor_conversation, alice)
        (entry,) = Entry.objects.filter(action=Action.MESSAGE_HELD)
        assert (entry.subject, entry.reason, entry.object_id) == (alice.user, held.held_reason, held.pk)
        assert entry.detail == {"conversation": minor_conversation.pk}
        assert entry.organisation_id == minor_conversation.organisation_id
        assert held.held_reason

    def test_contact_details_are_held_only_from_members_of_a_minors_conversation(
        self, conversation, minor_conversation, alice, carol
    ):
        text = "write to me at alice@example.org"
        assert post(conversation, alice, text, client_id="adult").status == MessageStatus.VISIBLE
        assert post(minor_conversation, carol, text, client_id="coordinator").status == MessageStatus.VISIBLE
        assert post(minor_conversation, alice, text, client_id="member").status == MessageStatus.HELD


class TestReportsAtTheService:
    def test_a_member_cannot_report_a_held_message_they_may_not_see(self, minor_conversation, alice, mia):
        held = held_message(minor_conversation, alice)
        with pytest.raises(ChatRefusal) as refused:
            services.message_report(message=held, reporter=mia.user, reason="spam")
        assert refused.value.code == "bad_frame"
        assert not Report.objects.exists()

    def test_the_reason_is_stored_trimmed_and_logged(self, conversation, alice, bob):
        message = post(conversation, alice)
        report = services.message_report(message=message, reporter=bob.user, reason="  unkind  ")
        report.refresh_from_db()
        assert report.reason == "unkind"
        (entry,) = Entry.objects.filter(action=Action.REPORT_FILED)
        assert (entry.actor, entry.subject, entry.reason) == (bob.user, alice.user, "unkind")
        assert entry.object_id == report.pk
        assert entry.detail == {"message": message.pk, "conversation": conversation.pk}
        assert entry.organisation_id == conversation.organisation_id

    def test_a_report_is_resolved_once_with_who_when_and_how(self, conversation, alice, bob, carol):
        report = services.message_report(message=post(conversation, alice), reporter=bob.user, reason="unkind")
        services.report_resolve(report=report, by=carol, resolution="talked to Alice")
        report.refresh_from_db()
        assert (report.status, report.resolved_by, report.resolution) == (
            ReportStatus.RESOLVED,
            carol,
            "talked to Alice",
        )
        assert report.resolved_at is not None
        (entry,) = Entry.objects.filter(action=Action.REPORT_CLOSED)
        assert (entry.actor, entry.subject, entry.reason, entry.detail) == (
            carol,
            alice.user,
            "talked to Alice",
            {"message": report.message_id},
        )
        assert (entry.object_id, entry.organisation_id) == (report.pk, conversation.organisation_id)
        with pytest.raises(ChatRefusal) as refused:
            services.report_resolve(report=report, by=carol, resolution="again")
        assert refused.value.code == "bad_state"
