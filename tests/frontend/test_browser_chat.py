"""The chat in a real browser: a volunteer and a mentee in two browser contexts talk in real time over the
WebSocket; one goes offline and comes back without losing or repeating a message."""

import pytest

from tests.frontend.browser import log_in, overflows
from tests.frontend.test_browser import PHONE, browser, site  # noqa: F401 - the module's fixtures

pytestmark = pytest.mark.browser


def open_chat(browser, site, email):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    log_in(page, site, email)
    page.goto(site.url + "/my/pairings/")
    page.get_by_role("link", name="Open the chat").click()
    page.wait_for_selector("#chat-status:has-text('Connected.')")
    return context, page


def say(page, text):
    page.locator("#id_body").fill(text)
    page.locator("#chat-form button[type=submit]").click()


def bodies(page) -> list[str]:
    return page.locator("#messages li[data-id] .body").all_inner_texts()


def test_a_volunteer_and_a_mentee_chat_live_and_survive_going_offline(site, browser):  # noqa: F811
    volunteer_context, volunteer = open_chat(browser, site, "volunteer@demo.example")
    mentee_context, mentee = open_chat(browser, site, "mentee@demo.example")
    assert "Coordinators of your organisation can read and write" in mentee.locator("main").inner_text()
    assert not overflows(mentee)

    # in real time, both ways
    say(mentee, "Hello from the mentee")
    volunteer.wait_for_selector("#messages li[data-id] .body:has-text('Hello from the mentee')")
    say(volunteer, "Hello back from the volunteer")
    mentee.wait_for_selector("#messages li[data-id] .body:has-text('Hello back from the volunteer')")

    # the mentee drops off; both write meanwhile
    mentee_context.set_offline(True)
    mentee.wait_for_selector("#chat-status:has-text('Reconnecting')")
    say(volunteer, "Sent while you were away")
    say(mentee, "Written while offline")
    volunteer.wait_for_timeout(300)
    assert "Written while offline" not in bodies(volunteer)

    # back online: nothing lost, nothing twice
    mentee_context.set_offline(False)
    mentee.wait_for_selector("#messages li[data-id] .body:has-text('Sent while you were away')", timeout=20000)
    volunteer.wait_for_selector("#messages li[data-id] .body:has-text('Written while offline')", timeout=20000)
    mentee.wait_for_timeout(300)
    for page in (mentee, volunteer):
        seen = bodies(page)
        for text in (
            "Hello from the mentee",
            "Hello back from the volunteer",
            "Sent while you were away",
            "Written while offline",
        ):
            assert seen.count(text) == 1, (text, seen)
        assert page.locator("#messages li.sending").count() == 0
    ids = [int(i) for i in mentee.locator("#messages li[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")]
    assert ids == sorted(ids)
    volunteer_context.close()
    mentee_context.close()
