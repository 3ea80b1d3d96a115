"""The coordinator's help requests: the pattern's list page, fed by `help_request_list`, with an htmx partial."""

import pytest

from accounts.models import Skill
from mentees.services import help_request_create
from tests.conftest import make_mentee

pytestmark = pytest.mark.django_db
URL = "/coordinator/help-requests/"


def file_requests(org, count: int, need: str = "cv-writing", urgency: str = "normal"):
    skill = Skill.objects.get(slug=need)
    for index in range(count):
        mentee = make_mentee(org, f"m{need}{urgency}{index}@example.org", f"Mentee {index}")
        help_request_create(mentee=mentee, needs=[skill], urgency=urgency)


def test_it_lists_the_coordinators_own_organisations_help_requests(login, carol, org_a, org_b):
    file_requests(org_a, 2)
    file_requests(org_b, 1, need="housing")
    html = login(carol).get(URL).content.decode()
    assert "2 help requests" in html
    assert html.count("<tr>") == 3  # header + 2 rows: nothing of the other organisation


def test_it_filters_by_need_language_and_urgency(login, carol, org_a):
    file_requests(org_a, 2, need="cv-writing", urgency="high")
    file_requests(org_a, 3, need="housing", urgency="low")
    client = login(carol)
    assert "3 help requests" in client.get(URL, {"need": "housing"}).content.decode()
    assert "2 help requests" in client.get(URL, {"urgency": "high", "language": "ar"}).content.decode()
    assert "0 help requests" in client.get(URL, {"urgency": "high", "language": "uk"}).content.decode()


def test_it_answers_an_htmx_request_with_the_results_only(login, carol, org_a):
    file_requests(org_a, 1)
    response = login(carol).get(URL, {"urgency": "normal"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "1 help request" in html
    assert "HX-Request" in response["Vary"]


def test_it_shows_a_bad_filter_as_a_form_error_and_lists_nothing(login, carol, org_a):
    file_requests(org_a, 1)
    response = login(carol).get(URL, {"urgency": "yesterday"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in html
    assert "0 help requests" in html


def test_it_sends_anonymous_visitors_to_the_log_in_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={URL}"


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_it_refuses_volunteers_and_mentees(login, request, who):
    response = login(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_it_refuses_a_post(login, carol):
    assert login(carol).post(URL).status_code == 405


@pytest.mark.parametrize("count", [2, 12])
def test_it_reads_the_list_in_a_constant_number_of_queries(login, carol, org_a, count, django_assert_num_queries):
    file_requests(org_a, count)
    client = login(carol)
    # session, user, the form's skills and languages, count, page, needs, languages
    with django_assert_num_queries(8):
        response = client.get(URL, {"need": "cv-writing"})
    assert response.status_code == 200
