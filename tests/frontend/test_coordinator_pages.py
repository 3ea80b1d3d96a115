"""The coordinator's queues (vetting, consent) and the safeguarding log."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from safeguarding.models import Action, Entry
from tests.conftest import make_mentee, make_volunteer

pytestmark = pytest.mark.django_db


def test_it_lists_pending_volunteers_and_minors_waiting_for_consent(login, carol, alice, mia, bob, dave):
    html = login(carol).get("/coordinator/queues/").content.decode()
    assert f'href="/coordinator/volunteers/{alice.pk}/vetting/"' in html
    assert f'href="/coordinator/mentees/{mia.pk}/consent/"' in html
    assert f"/coordinator/mentees/{bob.pk}/consent/" not in html


def test_it_records_a_background_check_through_the_service(login, carol, alice):
    today = timezone.localdate()
    response = login(carol).post(
        f"/coordinator/volunteers/{alice.pk}/vetting/",
        {
            "status": "verified",
            "checked_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.is_vetted
    assert Entry.objects.filter(action=Action.VETTING_RECORDED, subject=alice.user).exists()


def test_it_refuses_a_verified_check_without_an_end_date(login, carol, alice):
    response = login(carol).post(f"/coordinator/volunteers/{alice.pk}/vetting/", {"status": "verified"})
    assert 'id="id_expires_on_error"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.vetting_status == "pending"


def test_it_records_a_guardians_consent_and_the_minor_becomes_active(login, carol, mia):
    response = login(carol).post(
        f"/coordinator/mentees/{mia.pk}/consent/",
        {"guardian_name": "Samira", "given_on": timezone.localdate().isoformat(), "method": "in_person"},
    )
    assert response.status_code == 302
    mia.refresh_from_db()
    assert mia.is_active


def test_it_refuses_consent_given_in_the_future(login, carol, mia):
    # tomorrow where the coordinator is (the page's date): in the last hour of a UTC day, Madrid's is the next
    tomorrow = timezone.localdate(timezone=zoneinfo.ZoneInfo(carol.timezone)) + datetime.timedelta(days=1)
    response = login(carol).post(
        f"/coordinator/mentees/{mia.pk}/consent/",
        {"guardian_name": "Samira", "given_on": tomorrow.isoformat(), "method": "in_person"},
    )
    assert 'id="id_given_on_error"' in response.content.decode()
    mia.refresh_from_db()
    assert not mia.has_consent


def test_it_hides_another_organisations_people_from_a_coordinator(login, dave, alice, mia):
    client = login(dave)
    assert client.get(f"/coordinator/volunteers/{alice.pk}/vetting/").status_code == 404
    assert (
        client.post(
            f"/coordinator/mentees/{mia.pk}/consent/",
            {"guardian_name": "X", "given_on": "2024-01-01", "method": "email"},
        ).status_code
        == 404
    )
    mia.refresh_from_db()
    assert not mia.has_consent


@pytest.mark.parametrize("url", ["/coordinator/queues/", "/coordinator/safeguarding-log/"])
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_refuses_coordinator_pages_to_others(login, request, url, who):
    assert login(request.getfixturevalue(who)).get(url).status_code == 403


def test_it_shows_the_safeguarding_log_of_the_organisation_only(login, carol, dave, mia, mallory):
    from mentees.services import consent_record

    consent_record(mentee=mia, guardian_name="Samira", given_on=timezone.localdate(), method="email", recorded_by=carol)
    consent_record(mentee=mallory, guardian_name="Z", given_on=timezone.localdate(), method="email", recorded_by=dave)
    html = login(carol).get("/coordinator/safeguarding-log/", {"action": "consent_recorded"}).content.decode()
    assert "Guardian consent recorded" in html
    assert "Mia" in html
    assert "Mallory" not in html


def test_it_shows_a_bad_log_filter_as_an_error(login, carol):
    html = login(carol).get("/coordinator/safeguarding-log/", {"action": "burn"}).content.decode()
    assert 'id="id_action_error"' in html


@pytest.mark.parametrize("count", [1, 25])
def test_it_reads_the_queues_and_the_log_in_constant_queries(login, carol, org_a, count, django_assert_num_queries):
    from mentees.services import consent_record

    year = timezone.localdate().year
    for index in range(count):
        make_volunteer(org_a, f"v{index}@example.org", f"V{index}")
        minor = make_mentee(org_a, f"k{index}@example.org", f"K{index}", birth_year=year - 15)
        make_mentee(org_a, f"w{index}@example.org", f"W{index}", birth_year=year - 15)
        consent_record(
            mentee=minor, guardian_name="G", given_on=timezone.localdate(), method="email", recorded_by=carol
        )
    client = login(carol)
    # session, user; for each queue: count, page; the volunteers' languages
    with django_assert_num_queries(7):
        html = client.get("/coordinator/queues/").content.decode()
    assert html.count("/vetting/") == min(count, 20)
    assert html.count("/consent/") == min(count, 20)
    # session, user, count, page
    with django_assert_num_queries(4):
        client.get("/coordinator/safeguarding-log/")


def test_each_queue_pages_on_its_own_and_keeps_the_others_page(login, carol, org_a):
    year = timezone.localdate().year
    for index in range(23):
        make_volunteer(org_a, f"v{index}@example.org", f"V{index:02d}")
        make_mentee(org_a, f"k{index}@example.org", f"K{index:02d}", birth_year=year - 15)
    client = login(carol)
    html = client.get("/coordinator/queues/").content.decode()
    assert "23 volunteers wait" in html
    assert 'href="?vetting=2"' in html
    assert 'href="?consent=2"' in html
    html = client.get("/coordinator/queues/", {"vetting": "2"}).content.decode()
    assert html.count("/vetting/") == 3  # alice's fixture is not here: 23 pending in all
    assert "V22" in html
    assert "V00" not in html
    assert 'href="?vetting=2&amp;consent=2"' in html  # the other queue's link keeps this page
    assert html.count("/consent/") == 20


@pytest.mark.parametrize("count", [1, 15])
def test_it_lists_the_latest_match_runs_in_constant_queries(login, carol, org_a, count, django_assert_num_queries):
    from scheduling.models import MatchRun

    MatchRun.objects.bulk_create([MatchRun(organisation=org_a, started_by=carol) for _ in range(count)])
    client = login(carol)
    with django_assert_num_queries(3):  # session, user, the ten latest runs with who started them
        html = client.get("/coordinator/match-runs/").content.decode()
    assert html.count('href="/coordinator/match-runs/') == 1 + min(count, 10)  # the navigation's, and the runs'
