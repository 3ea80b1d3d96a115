"""The coordinator's overview: unmet demand by need and language, time to a first match and session,
sessions held per week and capacity used, drawn as inline SVG with the same numbers in a table."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Language, Skill
from frontend.charts import Bar, bar_chart
from mentees.services import help_request_create
from scheduling.models import MentoringSession, Pairing, PairingStatus, SessionStatus
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db
URL = "/coordinator/overview/"


def main(page) -> str:
    """The page's <main> (the rest carries a fresh CSRF token each time)."""
    html = page if isinstance(page, str) else page.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def open_request(org, index: int, need: str = "cv-writing", language: str = "ar"):
    mentee = make_mentee(org, f"o{index}{need}{language}@example.org", f"Mentee {index}")
    return help_request_create(
        mentee=mentee, needs=[Skill.objects.get(slug=need)], languages=[Language.objects.get(code=language)]
    )


def matched(request, volunteer, *, match_after_days: float, session_after_days: float | None = None):
    """Backdate the request so it was matched (and met) that many days after it was filed."""
    filed = timezone.now() - datetime.timedelta(days=30)
    type(request).objects.filter(pk=request.pk).update(created_at=filed, status="matched")
    pairing = Pairing.objects.create(
        organisation_id=request.organisation_id,
        mentee=request.mentee,
        volunteer=volunteer,
        help_request=request,
        status=PairingStatus.ACTIVE,
        decided_at=filed + datetime.timedelta(days=match_after_days),
    )
    if session_after_days is not None:
        start = filed + datetime.timedelta(days=session_after_days)
        MentoringSession.objects.create(
            pairing=pairing,
            organisation_id=request.organisation_id,
            start=start,
            end=start + datetime.timedelta(hours=1),
            status=SessionStatus.HELD,
        )
    return pairing


def test_it_shows_demand_no_volunteer_covers_in_red_with_the_numbers_in_a_table(login, carol, alice, org_a):
    open_request(org_a, 1, need="cv-writing", language="ar")  # alice offers CV writing and speaks Arabic
    open_request(org_a, 2, need="legal-orientation", language="fa")
    open_request(org_a, 3, need="legal-orientation", language="fa")
    html = login(carol).get(URL).content.decode()
    assert 'role="img"' in html
    assert '<title id="chart-needs">Open help requests by need</title>' in html
    assert '<th scope="row">Legal orientation (finding official help)</th><td>2</td><td>no</td>' in html
    assert '<th scope="row">CV writing</th><td>1</td><td>yes</td>' in html
    assert '<th scope="row" lang="fa">فارسی</th><td>2</td><td>no</td>' in html
    assert '<th scope="row" lang="ar">العربية</th><td>1</td><td>yes</td>' in html
    assert html.count('fill="#b3261e"') == 2  # one uncovered need, one uncovered language


def test_it_gives_median_days_to_a_first_match_and_session_and_capacity_used(login, carol, alice, victor, org_a):
    matched(open_request(org_a, 1), alice, match_after_days=2, session_after_days=5)
    matched(open_request(org_a, 2), alice, match_after_days=4)
    matched(open_request(org_a, 3), victor, match_after_days=9, session_after_days=10)
    html = login(carol).get(URL).content.decode()
    assert "4.0 days, over 3 requests" in html
    assert "7.5 days, over 2 requests" in html
    assert "3 of 3 places (100%)" in html  # alice 2 + victor 1


def test_it_counts_sessions_held_per_week_for_twelve_weeks(login, carol, alice, org_a):
    pairing = matched(open_request(org_a, 1), alice, match_after_days=1)
    now = timezone.now()
    for days_ago, status in [
        (0, SessionStatus.HELD),
        (0, SessionStatus.HELD),
        (0, SessionStatus.CANCELLED),
        (7, SessionStatus.HELD),
        (200, SessionStatus.HELD),
    ]:
        start = now - datetime.timedelta(days=days_ago, minutes=1)
        MentoringSession.objects.create(
            pairing=pairing, organisation=org_a, start=start, end=start + datetime.timedelta(minutes=30), status=status
        )
    html = login(carol).get(URL).content.decode()
    held = list(html.split('<th scope="col">Sessions held</th>')[1].split("</table>")[0].split("<td>")[1:])
    assert [int(cell.split("</td>")[0]) for cell in held][-2:] == [1, 2]
    assert len(held) == 12


def test_it_reads_only_the_coordinators_own_organisation(login, carol, dave, org_a, org_b):
    open_request(org_b, 1, need="housing")
    html = login(carol).get(URL).content.decode()
    assert "Housing search" not in html
    assert "No open help request." in html
    assert "No request matched yet." in html


def test_people_who_are_not_coordinators_may_not_see_it(client, login, alice, bob):
    assert client.get(URL)["Location"].startswith("/account/login/")
    assert login(alice).get(URL).status_code == 403
    assert login(bob).get(URL).status_code == 403


def test_it_refuses_a_post(login, carol):
    assert login(carol).post(URL).status_code == 405


def test_it_draws_right_to_left_for_arabic(client, carol):
    client.force_login(carol)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html
    assert 'direction="rtl"' in html


@pytest.mark.parametrize("count", [2, 12])
def test_it_reads_in_constant_queries(login, carol, alice, victor, org_a, count, django_assert_num_queries):
    slugs = list(Skill.objects.values_list("slug", flat=True)[:count])
    for index in range(count):
        request = open_request(org_a, index, need=slugs[index], language=["ar", "fa", "uk"][index % 3])
        if index % 2:
            matched(request, alice if index % 4 == 1 else victor, match_after_days=index, session_after_days=index + 1)
    client = login(carol)
    # session, user; demand by need and by language; times; weeks; capacity and current pairings
    with django_assert_num_queries(8):
        html = client.get(URL).content.decode()
    assert html.count("<svg") == 3
    with django_assert_num_queries(2):  # session, user: the figures are kept for a minute
        assert main(client.get(URL)) == main(html)


def test_the_figures_are_kept_for_a_minute_per_organisation(login, client, carol, dave, org_a):
    from django.core.cache import cache

    from frontend.views import OVERVIEW_SECONDS

    coordinator = login(carol)
    before = main(coordinator.get(URL))
    assert "No open help request." in before
    open_request(org_a, 1, need="cv-writing", language="ar")
    assert main(coordinator.get(URL)) == before  # kept
    assert OVERVIEW_SECONDS == 60
    coordinator.logout()
    assert "No open help request." in main(login(dave).get(URL))  # another organisation: its own figures
    client.logout()
    cache.clear()  # as a minute later
    assert main(login(carol).get(URL)) != before


# The chart helper, alone -----------------------------------------------------------------------------------


def test_the_chart_escapes_labels_and_scales_bars_to_the_largest():
    svg = bar_chart(title="T <1>", chart_id="c", bars=[Bar("<b>", 4), Bar("two", 2, muted=True)])
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert '<title id="c">T &lt;1&gt;</title>' in svg
    assert 'width="276.0"' in svg
    assert 'width="138.0"' in svg
    assert 'fill="#b3261e"' in svg


def test_the_chart_grows_bars_from_the_right_when_right_to_left():
    svg = bar_chart(title="t", chart_id="c", bars=[Bar("x", 1)], rtl=True)
    assert '<rect x="44.0"' in svg
    assert 'direction="rtl"' in svg


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Demanda sin cubrir por necesidad"),
        ("ar", "الطلب غير الملبّى حسب الحاجة"),
        ("uk", "Проведені зустрічі за тиждень"),
    ],
)
def test_it_speaks_the_coordinators_language(client, carol, alice, org_a, language, text):
    matched(open_request(org_a, 1), alice, match_after_days=2)
    client.force_login(carol)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in html
    for english in ("days, over", "places (", "Open requests", "Week starting", "Time to help"):
        assert english not in html


def test_the_times_count_only_requests_filed_in_the_last_twelve_weeks(login, carol, alice, org_a):
    matched(open_request(org_a, 1), alice, match_after_days=2)
    old = matched(open_request(org_a, 2), alice, match_after_days=50).help_request
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(weeks=20))
    html = login(carol).get(URL).content.decode()
    assert "2.0 days, over 1 request" in html
