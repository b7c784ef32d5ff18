"""HTTP caching and CORS helpers shared by the API, the embed widget and the feeds.

Public responses carry ``Cache-Control: public, max-age, s-maxage, stale-while-revalidate`` and an
ETag derived from the request (path, query, language) and the content version the database bumps on
every write (migration 0005), so a publish, an unpublish or any edit changes it; Django's
``condition`` answers 304 to ``If-None-Match``. ``PublicResponseCacheMiddleware`` keeps whole
answers under the same ingredients and serves repeats before the rest of the middleware runs.
``CompressionMiddleware`` compresses public answers (Brotli when accepted, else gzip) inside it, so
the stored copy is already compressed, once per encoding, and each encoding has its own ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

try:
    import brotli
except ImportError:  # a declared dependency; without it answers fall back to gzip
    brotli = None

logger = logging.getLogger(__name__)

MAX_AGE = 300
S_MAXAGE = 600
STALE_WHILE_REVALIDATE = 86400
RESPONSE_CACHE_SECONDS = 600  # only bounds memory: a content change changes the key


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with a deploy, so cached HTML from an older release is not served as current.

    ``TIMELINE_RELEASE`` (e.g. a git commit) wins; otherwise a hash of the code, templates, static
    files and translations this process serves, computed once.
    """
    release = os.environ.get("TIMELINE_RELEASE", "").strip()
    if release:
        return release
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in (("timeline", "*.py"), ("timeline", "*.mo"), ("templates", "*"), ("static", "*")):
        for path in sorted((base / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_versions(pks=()) -> tuple[int, int, dict[int, int]]:
    """(structure, items, {pk: version}): the site-wide versions and those of the items ``pks``, in one query.

    *structure* (the content version of migration 0005) changes with anything that can change a
    list: which items it holds, their order, counts, facets, vocabulary, sources, passages. *items*
    changes with any item's displayed content or search text; ``item:<pk>`` with that item's
    displayed content (migration 0011, ``timeline.content_version``). An item never changed in place
    since then has version 0.
    """
    pks = sorted(set(pks))
    scopes = ["items", *(f"item:{pk}" for pk in pks)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'global', version FROM timeline_content_version WHERE id = 1 UNION ALL "
            f"SELECT scope, version FROM timeline_cache_version WHERE scope IN ({', '.join(['%s'] * len(scopes))})",
            scopes,
        )
        found = dict(cursor.fetchall())
    return (
        int(found.get("global", 0)),
        int(found.get("items", 0)),
        {pk: int(found.get(f"item:{pk}", 0)) for pk in pks},
    )


# Inside an anonymous public GET (``PublicResponseCacheMiddleware``): the site-wide versions the
# request read first, so that the filter choices, the facet index and the facet keys use the same
# ones instead of reading them again (three queries per new filter set). Never set for other
# requests (an editor's write must see its own bump) nor outside a request.
_PUBLIC_READ: ContextVar[dict | None] = ContextVar("timeline_public_read", default=None)


def base_versions() -> tuple[int, int]:
    """(structure, items), see :func:`read_versions`; in a public GET, those it read first."""
    read = _PUBLIC_READ.get()
    if read is not None and "versions" in read:
        return read["versions"]
    return read_versions()[:2]


def _remember_versions(versions: tuple[int, int]) -> None:
    read = _PUBLIC_READ.get()
    if read is not None:
        read.setdefault("versions", versions)


def structure_version() -> str:
    """The site-wide structure version alone (see :func:`read_versions`)."""
    return str(base_versions()[0])


def content_fingerprint() -> str:
    """Changes whenever anything a public page could show changes: both site-wide versions.

    The versions are bumped by database triggers on every write to sources, passages, date mentions,
    entities, eras, tags, items, their relations and citations (migrations 0005 and 0011), whoever writes.
    """
    structure, items = base_versions()
    return f"{structure}.{items}"


def item_versions(pks) -> dict[int, int]:
    """The version of each item in ``pks``."""
    return read_versions(pks)[2] if pks else {}


def request_versions(request) -> tuple[int, int]:
    """:func:`base_versions`, read at most once per request (before anything is rendered)."""
    value = getattr(request, "_timeline_versions", None)
    if value is None:
        value = request._timeline_versions = base_versions()
        _remember_versions(value)
    return value


def prime_item_versions(request, pks) -> dict[int, int]:
    """Read the versions of the items ``pks`` once for this request (one query) and keep them for
    item cards (:func:`item_fingerprint`); returns them."""
    request_versions(request)  # the site-wide versions are read before anything is rendered
    pks = set(pks)
    known = getattr(request, "_timeline_item_versions", None) or {}
    missing = pks - set(known)
    if missing:
        known = {**known, **item_versions(missing)}
        request._timeline_item_versions = known
    return {pk: known[pk] for pk in pks}


def depend_on_items(request, pks) -> dict[int, int]:
    """Declare that this answer shows the content of exactly these items and, apart from them, only
    what the structure version covers; returns their versions (see :func:`prime_item_versions`).

    ``PublicResponseCacheMiddleware`` then keeps the answer until the structure version or one of
    these items changes, instead of until any item changes. A view that never calls this depends
    on every item (the ``items`` version): the safe default for search results, feeds and exports.
    """
    versions = prime_item_versions(request, pks)
    request._timeline_item_deps = (getattr(request, "_timeline_item_deps", None) or set()) | set(versions)
    return versions


def fingerprint_of(request) -> str:
    """The content fingerprint (both site-wide versions), read at most once per request."""
    structure, items = request_versions(request)
    return f"{structure}.{items}"


def item_fingerprint(request, pk: int) -> str:
    """What an item's card depends on: the structure version and the item's own version when the
    view read it (:func:`prime_item_versions`), else every item's."""
    structure, items = request_versions(request)
    own = (getattr(request, "_timeline_item_versions", None) or {}).get(pk)
    return f"{structure}.item{own}" if own is not None else f"{structure}.{items}"


def representation(request) -> str:
    """Which form of a page this request gets: the htmx fragment for its target, or the whole page.

    htmx's history restore (Back to a URL it pushed) sends ``HX-Request`` too, with the fragment's
    ETag cached for that URL in ``If-None-Match``, but needs the whole page: answering it 304 would
    make the browser show the fragment as the page (issue 12, finding 7). Fragments for different
    targets of one URL differ too (the next items loaded while scrolling, ``HX-Target: later``, against
    the results with their form and axis, ``HX-Target: results``): the browser's cache holds one answer
    per URL and revalidates it with its ETag, so a shared ETag let a 304 put the items alone in place of
    the results.
    """
    if request.headers.get("HX-Request") == "true":
        if request.headers.get("HX-History-Restore-Request") == "true":
            return "history-restore"
        return f"fragment:{request.headers.get('HX-Target', '')[:64]}"
    return "full"


def request_etag(request, *args, **kwargs) -> str:
    """The ETag of a public GET: what was asked for, in which form and language, of which content."""
    cached = getattr(request, "_timeline_etag", None)
    if cached is None:
        key = (
            request.scheme,
            request.get_host(),
            request.path,
            sorted(request.GET.lists()),
            get_language(),
            representation(request),
            code_version(),
            fingerprint_of(request),
        )
        cached = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        # Each content coding is its own representation, so it has its own validator (RFC 9110 8.8.3).
        encoding = negotiated_encoding(request)
        if encoding != IDENTITY:
            cached = f"{cached}-{encoding}"
        request._timeline_etag = cached
    return cached


_KEY_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def _header_in_key(name: str) -> bool:
    """The request headers a stored answer is keyed on: ``Accept-Language`` and every ``HX-*``."""
    name = name.strip().lower()
    return name == "accept-language" or name.startswith("hx-")


def _vary_in_key(name: str) -> bool:
    """What a stored answer may vary on: the headers in its key, and ``Accept-Encoding``, whose
    negotiated coding (not the raw header) is in the key."""
    return _header_in_key(name) or name.strip().lower() == "accept-encoding"


def cache_get(key: str):
    """``cache.get`` that treats an unreachable shared cache (Redis down) as a miss, never a 500."""
    try:
        return cache.get(key)
    except Exception:  # the backend's own error types (redis.ConnectionError, ...) differ
        logger.warning("Cache read failed; answering without the cache.", exc_info=True)
        return None


def cache_get_many(keys: list[str]) -> dict:
    """``cache.get_many``, with an unreachable shared cache read as all misses."""
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Cache read failed; answering without the cache.", exc_info=True)
        return {}


def cache_set_many(values: dict, timeout: int) -> None:
    """``cache.set_many`` that drops the values when the shared cache is unreachable."""
    try:
        cache.set_many(values, timeout)
    except Exception:
        logger.warning("Cache write failed; the answer is not stored.", exc_info=True)


def cache_set(key: str, value, timeout: int) -> None:
    """``cache.set`` that drops the value when the shared cache is unreachable."""
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache write failed; the answer is not stored.", exc_info=True)


def cache_kept(key: str, compute, timeout: int, *, pack=None, unpack=None):
    """The value under ``key``, or ``compute()`` stored there for ``timeout`` seconds (a value of
    ``None`` is never kept); an unreachable shared cache computes every time. ``pack`` turns a
    computed value into what is stored (cheaper to pickle), ``unpack`` a stored one back; a computed
    value is returned as computed."""
    stored = cache_get(key)
    if stored is not None:
        return unpack(stored) if unpack else stored
    value = compute()
    cache_set(key, pack(value) if pack else value, timeout)
    return value


@dataclass
class StoredAnswer:
    """A stored response and the versions it is valid under: the structure version, and either the
    version of all items or those of the items it declared (``item_versions``)."""

    structure: int
    items: int | None
    item_versions: dict[int, int] | None
    response: HttpResponse


class PublicResponseCacheMiddleware:
    """Answer a repeated anonymous GET of a ``public_cache`` view from the cache, before the rest of the stack.

    Placed right after WhiteNoise, so a hit skips sessions, locale, CSRF, auth, messages, CSP and URL
    resolution: it costs one cache read and one query (the site-wide versions, plus the versions of
    the items the stored answer declared). What is stored is the final
    response, after every inner middleware ran, so a hit carries exactly the same headers.

    The key names everything the answer may depend on: method, scheme, host, path and query, the
    ``Accept-Language`` and ``HX-*`` headers and the code version. Stored with the answer are the
    structure version (which any change to what lists hold, vocabulary or sources bumps) and the
    versions of the items it depends on: the items it declared (:func:`depend_on_items`: the chronology and
    the item page), else the version of all items. A hit whose item versions moved is a miss, so an
    editor's save renders again only the answers that showed the saved item, and a stored answer is
    never stale. An answer is stored only when no item changed while it was being rendered.

    The language cookie changes nothing (``timeline.middleware.LanguageMiddleware`` ignores it), so
    requests carrying it share the entry. Only requests without other cookies (sessions, messages)
    take part, and only 200 answers of ``public_cache`` views that set no cookie and vary on nothing
    outside the key are stored. A stored answer answers 304 only to its own ETag, which names its
    representation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request._timeline_cpu_started = time.thread_time()
        key = self.key(request)
        token = _PUBLIC_READ.set({} if key is not None else None)
        try:
            return self.answer(request, key, started)
        finally:
            _PUBLIC_READ.reset(token)

    def answer(self, request, key: str | None, started: float):
        if key is not None:
            response = self.fresh(request, cache_get(key))
            if response is not None:
                answer = get_conditional_response(request, etag=response.get("ETag"), response=response)
                if answer.status_code == 304:  # the same headers as the view's own 304 (CORS, CSP, ...)
                    for header, value in response.items():
                        if header.lower() not in ("content-length", "content-type") and header not in answer:
                            answer[header] = value
                answer["Server-Timing"] = server_timing(request, started, hit=True)
                return answer
        response = self.get_response(request)
        if key is not None and self.storable(response):
            if getattr(response, "is_rendered", True):
                self.store(request, key, response)
            else:  # a TemplateResponse is pickled once it has been rendered
                response.add_post_render_callback(lambda r: self.store(request, key, r))
        if key is not None:
            response["Server-Timing"] = server_timing(request, started, hit=False)  # after storing: not kept
        return response

    @staticmethod
    def fresh(request, entry):
        """The stored response when the versions it was stored under still hold, else None (one query)."""
        if not isinstance(entry, StoredAnswer):
            return None
        structure, items, versions = read_versions(entry.item_versions or ())
        request._timeline_versions = (structure, items)  # a miss renders against these
        _remember_versions((structure, items))
        if structure != entry.structure:
            return None
        if entry.item_versions is None:
            return entry.response if items == entry.items else None
        return entry.response if versions == entry.item_versions else None

    @staticmethod
    def store(request, key: str, response) -> None:
        structure, items = request_versions(request)  # read before rendering
        pks = getattr(request, "_timeline_item_deps", None)
        if pks is None:
            # Rendered from content at least as new as the versions read before it.
            cache_set(key, StoredAnswer(structure, items, None, response), RESPONSE_CACHE_SECONDS)
            return
        now_structure, now_items, versions = read_versions(pks)
        if (now_structure, now_items) != (structure, items):
            return  # something changed while this was rendered: the item versions may be newer than it
        cache_set(key, StoredAnswer(structure, None, versions, response), RESPONSE_CACHE_SECONDS)

    @staticmethod
    def key(request) -> str | None:
        if request.method not in ("GET", "HEAD") or not set(request.COOKIES) <= _KEY_COOKIES:
            return None
        if not public_path(request.path_info, get_urlconf(), settings.ROOT_URLCONF):
            return None  # the admin, the health check, redirects: left to the stack
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # the stack answers 400
        headers = sorted((name.lower(), value) for name, value in request.headers.items() if _header_in_key(name))
        parts = (
            request.method,
            request.scheme,
            host,
            request.get_full_path(),
            headers,
            negotiated_encoding(request),
            code_version(),
        )
        return "timeline:response:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]

    @staticmethod
    def storable(response) -> bool:
        if not getattr(response, "timeline_public", False) or response.status_code != 200:
            return False
        if response.streaming or response.cookies:
            return False
        return all(_vary_in_key(header) for header in response.get("Vary", "").split(",") if header.strip())


@lru_cache(maxsize=2048)
def public_path(path: str, urlconf, root_urlconf: str) -> bool:
    """Whether ``path`` resolves to a ``public_cache`` view (kept per path and URL configuration:
    resolving walks every pattern, and a reader asks for the same few paths with other queries)."""
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return False
    return bool(getattr(view, "timeline_public_cache", False))


def server_timing(request, started: float, *, hit: bool) -> str:
    """The ``Server-Timing`` header of a public answer: whether the response cache answered, the
    time spent on the server (ms) and, for a rendered answer, the part spent compressing it. Browsers
    show it in their network panel; ``timeline.benchmarks.reading`` reads it to tell the server's
    share of a click from the browser's. A rendered answer also says the CPU time its thread used
    (``cpu``): where that is much less than ``app``, the server waited for a processor (a busy
    machine), not for its own work."""
    total = (time.perf_counter() - started) * 1000
    parts = [f'cache;desc="{"hit" if hit else "miss"}"', f"app;dur={total:.1f}"]
    compressed = getattr(request, "_timeline_compress", None)
    if compressed and not hit:
        parts.append(f'compress;desc="{compressed[0]}";dur={compressed[1]:.1f}')
    cpu_started = getattr(request, "_timeline_cpu_started", None)
    if cpu_started is not None and not hit:
        parts.append(f"cpu;dur={(time.thread_time() - cpu_started) * 1000:.1f}")
    return ", ".join(parts)


def public_cache(max_age: int = MAX_AGE, s_maxage: int = S_MAXAGE, swr: int = STALE_WHILE_REVALIDATE):
    """Decorate a public GET view with the shared Cache-Control policy, ETag and 304 handling.

    A view may still answer one request privately (an editor's preview of a draft): a response it
    marks ``Cache-Control: private`` keeps that, loses the ETag and is never stored.

    Public views only read (GET and HEAD, plus OPTIONS where CORS asks), so they are exempt from CSRF:
    another method then gets the view's 405 with ``Allow``, not CSRF's 403.
    """

    def decorator(view):
        conditional = require_safe(condition(etag_func=request_etag)(view))

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if "private" in response.get("Cache-Control", ""):
                del response["ETag"]
            elif response.status_code in (200, 304):
                response.timeline_public = True  # PublicResponseCacheMiddleware may store it
                patch_vary_headers(response, ["Accept-Encoding"])  # the ETag names the coding
                patch_cache_control(
                    response, public=True, max_age=max_age, s_maxage=s_maxage, stale_while_revalidate=swr
                )
            else:
                patch_cache_control(response, no_cache=True)
            return response

        wrapped.timeline_public_cache = True  # functools.wraps carries it to outer decorators
        return csrf_exempt(wrapped)

    return decorator


def allow_cors(view):
    """Let any origin read a public GET endpoint (no credentials), and answer CORS preflights."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, HX-Request"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Expose-Headers"] = "ETag, Link"
        return response

    return wrapped


IDENTITY, GZIP, BROTLI = "identity", "gzip", "br"
COMPRESSIBLE_TYPES = (
    "text/", "application/json", "application/feed+json", "application/atom+xml", "application/xml",
    "application/javascript", "application/ld+json",
)
MIN_COMPRESS_BYTES = 200
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # a cold answer is compressed on the request path: fast, and still smaller than gzip


def _accepted_codings(header: str) -> dict[str, float]:
    """``Accept-Encoding`` as {coding: q}; a malformed weight counts as 0 (not acceptable)."""
    codings = {}
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        codings[coding] = q
    return codings


def negotiated_encoding(request) -> str:
    """The content coding this request gets for a compressible answer: ``br``, ``gzip`` or ``identity``.

    Brotli when the client accepts it, else gzip; ``*`` accepts either. Read once per request.
    """
    value = getattr(request, "_timeline_encoding", None)
    if value is None:
        codings = _accepted_codings(request.headers.get("Accept-Encoding", ""))
        star = codings.get("*", 0.0)
        value = IDENTITY
        if brotli is not None and codings.get(BROTLI, star) > 0:
            value = BROTLI
        elif codings.get(GZIP, codings.get("x-gzip", star)) > 0:
            value = GZIP
        request._timeline_encoding = value
    return value


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == BROTLI:
        return brotli.compress(body, quality=BROTLI_QUALITY)
    # mtime=0: the same body gives the same bytes (no secrets here, only public answers are compressed).
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class CompressionMiddleware:
    """Compress the answers of ``public_cache`` views with the negotiated coding.

    It sits just inside ``PublicResponseCacheMiddleware``, so what that cache stores is the
    compressed answer, once per coding, and a hit costs no compression. Only public answers (which
    carry no per-user secret such as a CSRF token, so BREACH does not apply) are compressed; the admin
    and other private pages are left alone. Their ETag already names the coding (``request_etag``),
    and ``public_cache`` adds ``Vary: Accept-Encoding``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "timeline_public", False):
            return response
        encoding = negotiated_encoding(request)
        if encoding == IDENTITY:
            return response
        if getattr(response, "is_rendered", True):
            return self.timed(request, response, encoding)
        response.add_post_render_callback(lambda r: self.timed(request, r, encoding))
        return response

    def timed(self, request, response, encoding: str):
        started = time.perf_counter()
        response = self.compressed(response, encoding)
        if response.get("Content-Encoding") == encoding:
            request._timeline_compress = (encoding, (time.perf_counter() - started) * 1000)
        return response

    @staticmethod
    def compressed(response, encoding: str):
        if (
            response.status_code != 200
            or response.streaming
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES)
            or len(response.content) < MIN_COMPRESS_BYTES
        ):
            return response
        response.content = compress(response.content, encoding)
        response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
