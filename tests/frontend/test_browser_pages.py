"""Every page in a real browser: no serious or critical axe-core violation, and the Arabic and Farsi
versions right to left, translated, and without sideways scrolling on a 360-pixel phone."""

import re

import pytest

from tests.frontend.browser import log_in, overflows, screenshot, serious_axe_violations
from tests.frontend.test_browser import PHONE, browser, site  # noqa: F401 - the module's fixtures

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/account/login/", "/join/mentee/", "/join/volunteer/", "/account/password/reset/"]
COORDINATOR = [
    "/coordinator/help-requests/",
    "/coordinator/queues/",
    "/coordinator/safeguarding-log/",
    "/coordinator/match-runs/",
    "/coordinator/proposals/",
    "/coordinator/held-messages/",
    "/coordinator/reports/",
    "/coordinator/badge-classes/",
    "/slots/",
    "/my/data/",
    "/my/profile/",
    "/account/password/",
]
MENTEE = ["/my/help-requests/", "/my/profile/", "/my/pairings/", "/slots/", "/my/availability/", "/my/data/"]
VOLUNTEER = ["/my/profile/", "/my/pairings/", "/slots/", "/my/availability/"]
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# The demo mentee's first-session badge (awarded here if the demo data has none), shared, and one for a contribution,
# and a nomination waits for the coordinator. Prints the shared badge's slug and id.
BADGES = """
from accounts.models import User
from badges import services
from badges.models import Award, BadgeClass, Contribution, Milestone
mentee = User.objects.get(email="mentee@demo.example")
coordinator = User.objects.get(email="coordinator.madrid@demo.example")
award = services.award_milestone(user=mentee, milestone=Milestone.FIRST_SESSION) or Award.objects.get(
    recipient=mentee, milestone=Milestone.FIRST_SESSION
)
bridge = BadgeClass.objects.active().filter(
    organisation=coordinator.organisation, contribution=Contribution.TRANSLATED
).first() or services.badge_class_create(
    organisation=coordinator.organisation, by=coordinator, name="Language bridge",
    description="Translated for newcomers.", criteria="A coordinator confirmed it.",
    contribution=Contribution.TRANSLATED,
)
services.award_create(
    badge_class=bridge, recipient=mentee, by=coordinator, evidence_text="Translated at the town hall.",
    evidence_url="https://example.org/story",
)
services.award_share(award=award, by=mentee, display_name="M. from Madrid")
services.nomination_create(
    mentee=mentee.mentee, by=coordinator, category=Contribution.HELPED_PEER, evidence_text="Helped a newcomer."
)
print(Award.objects.get(pk=award.pk).share_slug, award.pk)
"""


def check(page, site, path):  # noqa: F811
    response = page.goto(site.url + path)
    assert response.status == 200, path
    assert serious_axe_violations(page) == [], path


@pytest.fixture
def phone(browser):  # noqa: F811
    contexts = []

    def make(language="en", email=None, site=None):  # noqa: F811
        context = browser.new_context(viewport=PHONE, locale=language)
        contexts.append(context)
        page = context.new_page()
        if email:
            log_in(page, site, email)
        return page

    yield make
    for context in contexts:
        context.close()


def test_public_pages_have_no_serious_axe_violation(site, phone):  # noqa: F811
    page = phone()
    for path in PUBLIC:
        check(page, site, path)


def test_coordinator_pages_have_no_serious_axe_violation(site, phone):  # noqa: F811
    page = phone(email="coordinator.madrid@demo.example", site=site)
    for path in COORDINATOR:
        check(page, site, path)
    # the record forms, a match run's progress and a rejection form, reached as a coordinator would
    page.goto(site.url + "/coordinator/queues/")
    for name in ("Record the check", "Record consent"):
        page.get_by_role("link", name=name).first.click()
        page.wait_for_load_state()
        assert serious_axe_violations(page) == [], page.url
        page.go_back()
    page.goto(site.url + "/coordinator/match-runs/")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#run-status")
    assert serious_axe_violations(page) == [], page.url


def test_members_pages_and_the_chat_have_no_serious_axe_violation(site, phone):  # noqa: F811
    for email, paths in (("mentee@demo.example", MENTEE), ("volunteer@demo.example", VOLUNTEER)):
        page = phone(email=email, site=site)
        for path in paths:
            check(page, site, path)
        page.goto(site.url + "/my/pairings/")
        page.get_by_role("link", name="Open the chat").click()
        page.wait_for_selector("#chat-status:has-text('Connected.')")
        assert serious_axe_violations(page) == [], page.url


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_five_pages_read_right_to_left_translated_and_fit_a_phone(site, phone, language):  # noqa: F811
    visitor = phone(language)
    mentee = phone(language, email="mentee@demo.example", site=site)
    coordinator = phone(language, email="coordinator.madrid@demo.example", site=site)
    for page, path in (
        (visitor, "/join/mentee/"),
        (mentee, "/my/pairings/"),
        (mentee, "/slots/"),
        (mentee, "/my/availability/"),
        (mentee, "/my/data/"),
        (coordinator, "/coordinator/proposals/"),
        (coordinator, "/coordinator/match-runs/"),
    ):
        page.goto(site.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert page.locator("html").get_attribute("lang") == language, path
        assert ARABIC_SCRIPT.search(page.locator("h1").inner_text()), (path, page.locator("h1").inner_text())
        assert not overflows(page), path
    mentee.goto(site.url + "/my/pairings/")
    mentee.locator("main a.button[href^='/conversations/']").click()
    mentee.wait_for_selector("#chat-status:not(:empty)")
    assert mentee.locator("html").get_attribute("dir") == "rtl"
    assert not overflows(mentee)


@pytest.fixture(scope="module")
def demo_badge(site):  # noqa: F811
    slug, award_id = site.python(BADGES).strip().splitlines()[-1].split()
    return slug, int(award_id)


@pytest.fixture
def shared_slug(demo_badge):
    return demo_badge[0]


def test_badge_pages_refuse_who_may_not_see_them(site, phone, demo_badge):  # noqa: F811
    _slug, award_id = demo_badge
    mentee = phone(email="mentee@demo.example", site=site)
    for path in ("/coordinator/nominations/", "/coordinator/awards/", f"/coordinator/awards/{award_id}/revoke/"):
        assert mentee.goto(site.url + path).status == 403, path
    volunteer = phone(email="volunteer@demo.example", site=site)  # another holder's award
    assert volunteer.goto(site.url + f"/my/badges/{award_id}/credential.json").status == 404
    assert volunteer.goto(site.url + "/my/badges/").ok
    assert volunteer.locator(f"a[href^='/my/badges/{award_id}/']").count() == 0


def test_badge_pages_have_no_serious_axe_violation(site, phone, shared_slug):  # noqa: F811
    visitor = phone()
    check(visitor, site, f"/badges/shared/{shared_slug}/")
    check(visitor, site, "/badges/verify/")
    visitor.fill("#id_credential", "not a credential")
    visitor.get_by_role("button", name="Check").click()
    visitor.wait_for_selector("#outcome")
    assert serious_axe_violations(visitor) == [], "verification outcome"
    mentee = phone(email="mentee@demo.example", site=site)
    check(mentee, site, "/my/badges/")
    screenshot(mentee, "wallet-en")
    check(phone(email="volunteer@demo.example", site=site), site, "/nominations/new/")
    coordinator = phone(email="coordinator.madrid@demo.example", site=site)
    for path in ("/coordinator/nominations/", "/coordinator/awards/", "/nominations/new/"):
        check(coordinator, site, path)
    coordinator.goto(site.url + "/coordinator/nominations/")
    coordinator.get_by_role("link", name="Reject with a reason").first.click()
    coordinator.wait_for_load_state()
    assert serious_axe_violations(coordinator) == [], coordinator.url
    coordinator.goto(site.url + "/coordinator/awards/")
    coordinator.locator("a[href$='/revoke/']").first.click()
    coordinator.wait_for_load_state()
    assert serious_axe_violations(coordinator) == [], coordinator.url


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_badge_pages_read_right_to_left_and_fit_a_phone(site, phone, shared_slug, language):  # noqa: F811
    visitor = phone(language)
    mentee = phone(language, email="mentee@demo.example", site=site)
    coordinator = phone(language, email="coordinator.madrid@demo.example", site=site)
    for page, path in (
        (visitor, "/badges/verify/"),
        (visitor, f"/badges/shared/{shared_slug}/"),
        (mentee, "/my/badges/"),
        (coordinator, "/coordinator/nominations/"),
        (coordinator, "/coordinator/awards/"),
        (coordinator, "/nominations/new/"),
    ):
        page.goto(site.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert ARABIC_SCRIPT.search(page.locator("main").inner_text()), path
        assert not overflows(page), path
    assert ARABIC_SCRIPT.search(mentee.locator("h1").inner_text())
    if language == "ar":
        screenshot(mentee, "wallet-ar")
