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


@register.simple_tag(takes_context=True)
def reason_texts(context, reasons) -> list[str]:
    """The matcher's reasons in the reader's language (scheduling.reasons, as the API renders them). One
    vocabulary per request, so a list of proposals costs the same queries however long it is."""
    from accounts.selectors import Vocabulary
    from scheduling.reasons import render_reasons

    request = context.get("request")
    vocabulary = getattr(request, "_vocabulary", None)
    if vocabulary is None:
        vocabulary = Vocabulary()
        if request is not None:
            request._vocabulary = vocabulary
    return render_reasons(reasons or [], vocabulary)
