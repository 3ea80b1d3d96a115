"""A server process' start-up heap, kept out of the collector's full collections.

A full (generation 2) collection walks every object the collector tracks: with Django set up, the apps,
the URLconf and the views loaded, about 180,000, which took 200-240 ms on the 2-core machine, so every few
hundred requests one waited that long: the whole p99 of the coordinator pages (bench/pages.py). What exists
at start-up lives as long as the process; `gc.freeze()` moves it to a generation that is never collected,
and a full collection then took 17-19 ms. The young generations' collections are as before.
"""

import gc

from django.urls import get_resolver


def freeze_startup_heap() -> None:
    """Call once the application is built, before the first request."""
    get_resolver().url_patterns  # noqa: B018  import the URLconf and every view now, so they are frozen too
    gc.collect()  # what start-up left as garbage is not kept for ever
    gc.freeze()
