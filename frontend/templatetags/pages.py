"""Template helpers of the web pages."""

from django import template
from django.conf import settings

register = template.Library()

# The languages the pages are translated into (catalogues under locale/).
PAGE_LANGUAGES = ("en", "es", "fr", "ar", "fa", "uk")


@register.simple_tag
def page_languages() -> list[tuple[str, str]]:
    """(code, name in that language) for the language switcher."""
    from django.utils.translation import get_language_info

    known = dict(settings.LANGUAGES)
    return [(code, get_language_info(code)["name_local"]) for code in PAGE_LANGUAGES if code in known]
