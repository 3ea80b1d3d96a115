"""Every string the pages show is translated into the five catalogues, and the pages speak them."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ["es", "fr", "ar", "fa", "uk"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_translates_every_page_string_in_the_catalogue(language):
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"))
    page_entries = [entry for entry in catalogue if any(path.startswith("frontend/") for path, _ in entry.occurrences)]
    missing = [entry.msgid for entry in page_entries if not entry.translated()]
    assert page_entries
    assert missing == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ar", "كيف نحافظ على سلامتك"),
        ("fa", "چگونه از شما محافظت می‌کنیم"),
        ("uk", "Як ми вас захищаємо"),
        ("es", "Cómo te protegemos"),
        ("fr", "Comment nous vous protégeons"),
    ],
)
@pytest.mark.django_db
def test_it_shows_the_landing_page_in_the_visitors_language(client, language, text):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in html
    assert text in html


@pytest.mark.django_db
def test_it_counts_help_requests_with_arabic_plural_forms(client, carol):
    from tests.frontend.test_help_requests_page import file_requests

    file_requests(carol.organisation, 2)
    client.force_login(carol)
    html = client.get("/coordinator/help-requests/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "طلبا مساعدة" in html
    assert "عادية" in html  # the urgency "Normal", from the mentees app's choices
