"""The chat's rules at their edges, on SQLite: who may connect, the exact frame limits, the rate limit's
arithmetic, withdrawing, reporting and read marks. Each test fails if its rule moves by one."""

import datetime

import pytest
from django.utils import timezone

from accounts.services import user_deactivate
from chat import services
from chat.models import Message, MessageStatus, ReadMark, Report
from chat.services import ChatRefusal, Posted, Send, may_connect, message_post, messages_store, validate_message

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

    def test_it_never_moves_back(self, conversation, bob):
        services.read_mark(conversation=conversation, user=bob.user, up_to=9)
        assert services.read_mark(conversation=conversation, user=bob.user, up_to=4) == 9
        assert self.stored(conversation, bob) == 9

    def test_it_moves_only_its_owners_mark(self, conversation, alice, bob):
        services.read_mark(conversation=conversation, user=alice.user, up_to=3)
        services.read_mark(conversation=conversation, user=bob.user, up_to=8)
        assert (self.stored(conversation, alice), self.stored(conversation, bob)) == (3, 8)
