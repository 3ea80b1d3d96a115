"""JSON-LD processing on the contexts bundled in `contexts/`, never the network.

`canonical_nquads` turns a JSON-LD document into its RDFC-1.0 (URDNA2015) canonical N-Quads with PyLD and a
document loader that serves only the bundled contexts and refuses every other URL. Like the Data Integrity
specification's "safe mode", a property that the contexts do not define is an error rather than silently
left out of what is signed.
"""

from __future__ import annotations

import copy
import json
import weakref
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
BUNDLED = {VC_V2: "credentials-v2.json", OB_V3P0: "ob-v3p0-context-3.0.3.json"}

Loader = Callable[[str, dict[str, Any]], dict[str, Any]]


class ContextNotBundled(ValueError):
    """A document refers to a JSON-LD context that is not bundled: it is not fetched."""


class UndefinedTerm(ValueError):
    """A property the contexts do not define: it would not be covered by a signature."""


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """The parsed bundled context document at `url`; raises ContextNotBundled for any other URL."""
    if url not in BUNDLED:
        raise ContextNotBundled(url)
    document: dict[str, Any] = json.loads((CONTEXTS_DIR / BUNDLED[url]).read_text(encoding="utf-8"))
    return document


def document_loader(extra: Mapping[str, dict[str, Any]] | None = None) -> Loader:
    """A PyLD document loader serving the bundled contexts (and `extra`, for tests) and refusing the rest."""

    def load(url: str, options: dict[str, Any]) -> dict[str, Any]:
        if extra is not None and url in extra:
            document = extra[url]
        else:
            try:
                document = bundled_context(url)
            except ContextNotBundled as error:
                raise jsonld.JsonLdError(
                    "Context not bundled; refusing to fetch it.", "jsonld.LoadDocumentError", {"url": url}
                ) from error
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(document),
        }

    return load


BUNDLED_LOADER = document_loader()
# PyLD caches resolved contexts by URL, by default in one cache for the whole process: a context that a test's
# loader served would then be found without asking the production loader. One cache per loader instead.
_resolved_contexts: weakref.WeakKeyDictionary[Loader, Any] = weakref.WeakKeyDictionary()


def _context_resolver(loader: Loader) -> Any:
    if loader not in _resolved_contexts:
        _resolved_contexts[loader] = LRUCache(maxsize=32)
    return ContextResolver(_resolved_contexts[loader], loader)


def _refuse_dropped(term: str | None) -> None:
    raise UndefinedTerm(term)


def canonical_nquads(document: Mapping[str, Any], loader: Loader = BUNDLED_LOADER) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, one quad a line, each line ending in a newline.

    Raises UndefinedTerm for a property the contexts do not define, ContextNotBundled for a context URL that
    is not bundled, and ValueError for anything else PyLD refuses.
    """
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        result = processor.normalize(
            dict(document),
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
                "contextResolver": _context_resolver(loader),
                "base": "",
            },
        )
    except jsonld.JsonLdError as error:
        cause = _root_cause(error)
        if isinstance(cause, UndefinedTerm | ContextNotBundled):
            raise cause from error
        raise ValueError(str(error)) from error
    if not isinstance(result, str):
        raise ValueError("canonicalisation did not produce N-Quads")
    return result


def _root_cause(error: BaseException) -> BaseException:
    seen: set[int] = set()
    while error.__cause__ is not None and id(error) not in seen:
        seen.add(id(error))
        error = error.__cause__
    return error
