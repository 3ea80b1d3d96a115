"""In a real browser: Debian's Chromium against the app served by daphne on loopback, with the demo data."""

import pytest

from tests.frontend.browser import CHROMIUM_ARGS, Site, chromium_or_skip, log_in, overflows, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def site():
    chromium_or_skip()
    running = Site().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page_in(browser):
    """`page_in("ar")`: a fresh phone-sized page whose browser asks for that language."""
    contexts = []

    def make(language: str = "en"):
        context = browser.new_context(viewport=PHONE, locale=language, java_script_enabled=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [
        ("en", "ltr", "Mentoring for young refugees and migrants"),
        ("ar", "rtl", "إرشاد للشباب اللاجئين"),
        ("fa", "rtl", "منتورینگ برای پناهجویان"),
    ],
)
def test_it_shows_the_landing_in_the_browsers_language_and_direction_on_a_phone(
    site, page_in, language, direction, heading
):
    page = page_in(language)
    response = page.goto(site.url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == language
    assert heading in page.locator("h1").inner_text()
    assert not overflows(page)
    screenshot(page, f"landing-{language}")


def test_it_switches_to_arabic_with_the_language_switcher(site, page_in):
    page = page_in("en")
    page.goto(site.url + "/")
    page.select_option("#lang", "ar")
    page.locator("footer button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_a_coordinator_logs_in_and_filters_help_requests_in_place(site, page_in):
    page = page_in("en")
    log_in(page, site, "coordinator.madrid@demo.example")
    assert page.url.endswith("/coordinator/help-requests/")
    assert page.locator("#results tbody tr").count() > 0
    assert not overflows(page)
    screenshot(page, "help-requests-en")
    # htmx arrives when the filter form is first approached, then the results change in place
    page.locator("#id_urgency").focus()
    # polled from Python: wait_for_function evaluates its predicate in the page, which the CSP forbids
    for _attempt in range(200):
        if page.evaluate("window.htmx !== undefined"):
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError("htmx never loaded")
    page.evaluate("document.body.dataset.marker = 'same page'")
    page.select_option("#id_urgency", "high")
    page.wait_for_url("**urgency=high**")
    assert page.evaluate("document.body.dataset.marker") == "same page"  # no full reload
    for urgency in page.locator("#results tbody tr td:nth-child(4)").all_inner_texts():
        assert urgency == "High"


def test_a_coordinator_reads_the_list_in_arabic(site, page_in):
    page = page_in("ar")
    log_in(page, site, "coordinator.madrid@demo.example")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "طلبات المساعدة" in page.locator("h1").inner_text()
    assert not overflows(page)
    screenshot(page, "help-requests-ar")


def test_the_list_filters_without_javascript(site, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, "coordinator.madrid@demo.example")
    page.select_option("#id_urgency", "low")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "urgency=low" in page.url
    assert set(page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()) <= {"Low"}
    context.close()


def test_a_mentee_is_refused_the_coordinators_page(site, page_in):
    page = page_in("en")
    log_in(page, site, "mentee@demo.example")
    response = page.goto(site.url + "/coordinator/help-requests/")
    assert response.status == 403
    assert "Not allowed" in page.locator("h1").inner_text()


def test_a_visitor_is_sent_to_log_in_from_a_coordinators_page(site, page_in):
    page = page_in("en")
    page.goto(site.url + "/coordinator/safeguarding-log/")
    assert "/account/login/" in page.url


def test_the_sign_up_pages_fit_a_phone_in_arabic(site, page_in):
    page = page_in("ar")
    page.goto(site.url + "/join/mentee/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert not overflows(page)
    screenshot(page, "signup-mentee-ar")
