"""Held messages (release or reject) and reports (close) for the coordinators; the chat page without
JavaScript: history drawn on the server, a plain form, reports, and who may open it."""

import pytest

from chat.models import AccessRecord, Message, MessageStatus, Report, ReportStatus
from chat.services import message_post, message_report
from tests.chat.conftest import approved_conversation
from tests.conftest import make_mentee, make_volunteer

pytestmark = pytest.mark.django_db
PHONE = "Call me on +34 612 345 678"


@pytest.fixture
def conversation(org_a, alice, bob, carol):
    return approved_conversation(org_a, alice, bob, carol)


@pytest.fixture
def minor_conversation(org_a, alice, mia, carol):
    from django.utils import timezone

    from mentees.services import consent_record
    from tests.conftest import vet

    consent_record(
        mentee=mia, guardian_name="Amal", given_on=timezone.localdate(), method="signed_form", recorded_by=carol
    )
    vet(alice, carol)
    return approved_conversation(org_a, alice, mia, carol)


@pytest.fixture
def held(minor_conversation, alice):
    return message_post(conversation=minor_conversation, sender=alice.user, client_id="c1", body=PHONE).message


def test_a_coordinator_sees_a_held_message_and_releases_it(login, carol, held):
    client = login(carol)
    html = client.get("/coordinator/held-messages/").content.decode()
    assert "+34 612 345 678" in html
    assert client.post(f"/coordinator/held-messages/{held.pk}/", {"decision": "release"}).status_code == 302
    held.refresh_from_db()
    # the conversation shows it as a new message; the held row stays as written, for the record
    assert held.status == MessageStatus.RELEASED
    assert Message.objects.get(released_from=held).status == MessageStatus.VISIBLE


def test_a_coordinator_rejects_a_held_message_and_cannot_decide_twice(login, carol, held):
    client = login(carol)
    client.post(f"/coordinator/held-messages/{held.pk}/", {"decision": "reject"})
    held.refresh_from_db()
    assert held.status == MessageStatus.REJECTED
    assert client.post(f"/coordinator/held-messages/{held.pk}/", {"decision": "release"}).status_code == 404
    held.refresh_from_db()
    assert held.status == MessageStatus.REJECTED


def test_another_organisation_never_sees_a_held_message(login, dave, held):
    client = login(dave)
    assert "+34" not in client.get("/coordinator/held-messages/").content.decode()
    assert client.post(f"/coordinator/held-messages/{held.pk}/", {"decision": "release"}).status_code == 404


def test_a_coordinator_closes_a_report_with_what_was_done(login, carol, bob, conversation, alice):
    message = message_post(conversation=conversation, sender=alice.user, client_id="a1", body="rude words").message
    report = message_report(message=message, reporter=bob.user, reason="Rude")
    client = login(carol)
    html = client.get("/coordinator/reports/").content.decode()
    assert "rude words" in html
    assert "Rude" in html
    assert 'id="id_reason_error"' in client.post(f"/coordinator/reports/{report.pk}/", {"reason": ""}).content.decode()
    client.post(f"/coordinator/reports/{report.pk}/", {"reason": "Talked to Alice"})
    report.refresh_from_db()
    assert (report.status, report.resolution) == (ReportStatus.RESOLVED, "Talked to Alice")
    assert "rude words" not in client.get("/coordinator/reports/").content.decode()


def test_another_organisation_cannot_close_a_report(login, dave, bob, conversation, alice):
    message = message_post(conversation=conversation, sender=alice.user, client_id="a1", body="hi").message
    report = message_report(message=message, reporter=bob.user, reason="Rude")
    assert login(dave).post(f"/coordinator/reports/{report.pk}/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("count", [1, 22])
def test_the_queues_read_in_constant_queries(login, carol, org_a, count, django_assert_num_queries):
    from django.utils import timezone

    from mentees.services import consent_record
    from tests.conftest import vet

    for index in range(count):
        volunteer = make_volunteer(org_a, f"v{index}@example.org", f"V{index}")
        minor = make_mentee(org_a, f"k{index}@example.org", f"K{index}", birth_year=timezone.localdate().year - 15)
        consent_record(
            mentee=minor, guardian_name="G", given_on=timezone.localdate(), method="email", recorded_by=carol
        )
        vet(volunteer, carol)
        chat = approved_conversation(org_a, volunteer, minor, carol)
        message = message_post(conversation=chat, sender=volunteer.user, client_id="x", body=PHONE).message
        seen = message_post(conversation=chat, sender=volunteer.user, client_id="y", body="hello").message
        message_report(message=seen, reporter=minor.user, reason="Rude")
    client = login(carol)
    with django_assert_num_queries(4):  # session, user, count, a page of held messages with both people
        html = client.get("/coordinator/held-messages/").content.decode()
    assert html.count('class="card"') == min(count, 20)
    with django_assert_num_queries(4):  # session, user, count, a page of reports with message and people
        html = client.get("/coordinator/reports/", {"page": "2"}).content.decode()
    assert html.count('class="card"') == (count - 20 if count > 20 else count)
    assert message.pk


# The chat page without JavaScript -------------------------------------------------------------------------


def test_a_member_reads_the_history_with_the_oversight_notice(login, bob, alice, conversation):
    message_post(conversation=conversation, sender=alice.user, client_id="a1", body="Hello Bob")
    html = login(bob).get(f"/conversations/{conversation.pk}/").content.decode()
    assert "Hello Bob" in html
    assert "Coordinators of your organisation can read and write in this conversation" in html
    assert f'data-ws="/ws/conversations/{conversation.pk}/"' in html
    assert "/static/frontend/chat.js" in html


def test_a_member_posts_with_the_plain_form_once_even_if_sent_twice(login, bob, conversation):
    client = login(bob)
    for _attempt in range(2):
        response = client.post(f"/conversations/{conversation.pk}/", {"body": "Thanks!", "client_id": "page-1"})
        assert response["Location"] == f"/conversations/{conversation.pk}/"
    assert Message.objects.filter(conversation=conversation, body="Thanks!").count() == 1


def test_a_held_message_is_shown_to_its_sender_with_the_notice_only(login, alice, mia, minor_conversation):
    client = login(alice)
    response = client.post(f"/conversations/{minor_conversation.pk}/", {"body": PHONE, "client_id": "p1"}, follow=True)
    html = response.content.decode()
    assert "waits for a coordinator" in html
    assert "+34 612 345 678" in html
    client.logout()
    assert "+34 612 345 678" not in login(mia).get(f"/conversations/{minor_conversation.pk}/").content.decode()


def test_an_empty_message_is_a_form_error_and_stores_nothing(login, bob, conversation):
    before = Message.objects.count()
    html = login(bob).post(f"/conversations/{conversation.pk}/", {"body": "", "client_id": "p"}).content.decode()
    assert 'id="id_body_error"' in html
    assert Message.objects.count() == before


def test_a_coordinators_look_is_recorded(login, carol, conversation):
    assert login(carol).get(f"/conversations/{conversation.pk}/").status_code == 200
    assert AccessRecord.objects.filter(conversation=conversation, coordinator=carol).exists()


@pytest.mark.parametrize("who", ["eve", "victor", "dave", "mallory"])
def test_others_get_404_for_a_conversation(login, request, conversation, who):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/conversations/{conversation.pk}/").status_code == 404
    assert client.post(f"/conversations/{conversation.pk}/", {"body": "x", "client_id": "z"}).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, conversation):
    assert client.get(f"/conversations/{conversation.pk}/")["Location"].startswith("/account/login/")


def test_a_member_reports_a_message_without_javascript(login, bob, alice, conversation):
    message = message_post(conversation=conversation, sender=alice.user, client_id="a1", body="rude").message
    client = login(bob)
    url = f"/conversations/{conversation.pk}/messages/{message.pk}/report/"
    assert 'id="id_reason_error"' in client.post(url, {"reason": " "}).content.decode()
    assert not Report.objects.exists()
    client.post(url, {"reason": "Rude"})
    assert Report.objects.get().reporter == bob.user


def test_a_member_cannot_report_a_held_message_of_the_other(login, mia, held, minor_conversation):
    url = f"/conversations/{minor_conversation.pk}/messages/{held.pk}/report/"
    assert login(mia).get(url).status_code == 404
