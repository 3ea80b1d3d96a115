"""A server process' start-up heap, kept out of the collector's full collections.

A full (generation 2) collection walks every object the collector tracks: with Django set up, the apps,
the URLconf and the views loaded, about 180,000, which took 200-240 ms on the 2-core machine, so every few
hundred requests one waited that long: the whole p99 of the coordinator pages (bench/pages.py). What exists
at start-up lives as long as the process; `gc.freeze()` moves it to a generation that is never collected,
and a full collection then took 17-24 ms. Most of what it still walked was built by the first requests and
kept for the process' life too: compiled templates, each language's catalogue and URL reverse table. So
they are built before the freeze (about 0.3 s per process), and a full collection takes 3-8 ms.
"""

import contextlib
import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation


def freeze_startup_heap() -> None:
    """Call once the application is built, before the first request."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  import the URLconf and every view now, so they are frozen too
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")  # loads the catalogue
            resolver.reverse_dict  # noqa: B018  one reverse table per language
    _compile_templates()
    gc.collect()  # what start-up left as garbage is not kept for ever
    gc.freeze()


def _compile_templates() -> None:
    """Every template the engine can find, into its cached loader."""
    for engine in engines.all():
        for directory in getattr(engine, "template_dirs", ()):
            for path in Path(directory).rglob("*.html"):
                # a third-party template may need a package not installed here
                with contextlib.suppress(TemplateSyntaxError):
                    engine.get_template(str(path.relative_to(directory)))
