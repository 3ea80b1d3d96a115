"""The pattern every page follows: base template, language and direction, CSP-safe script, weight."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
PAGE_BUDGET = 60 * 1024


def static_size(html: str) -> int:
    total = 0
    for path in re.findall(r'(?<![-\w])(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        total += Path(finders.find(path)).stat().st_size
    return total


def test_it_answers_the_landing_page_at_the_root_in_english(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr"' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<nav" in html
    assert "<footer>" in html
    assert "guardian must agree" in html
    assert "Coordinators of your organisation can read every chat" in html
    assert 'href="/join/mentee/"' in html
    assert 'href="/join/volunteer/"' in html


def test_it_shows_arabic_right_to_left_to_a_visitor_whose_browser_asks_for_arabic(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in html


def test_it_switches_the_language_with_the_switcher_and_remembers_it(client):
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="fa" dir="rtl"' in client.get("/").content.decode()


def test_it_keeps_the_content_security_policy_without_inline_script(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.parametrize(
    "url", ["/", "/account/login/", "/join/mentee/", "/join/volunteer/", "/account/password/reset/"]
)
def test_it_keeps_each_public_page_under_sixty_kilobytes_on_first_load(client, url):
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert len(html.encode()) + static_size(html) < PAGE_BUDGET


def test_it_serves_the_vendored_htmx_from_this_site(client):
    assert finders.find("frontend/htmx.min.js")
    html = client.get("/").content.decode()
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
    assert 'data-htmx-src="/static/frontend/htmx.min.js"' in html


def test_it_answers_an_unknown_page_with_a_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
