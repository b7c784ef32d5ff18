"""HTTP caching and CORS helpers shared by the API, the embed widget and the feeds.

Public responses carry ``Cache-Control: public, max-age, s-maxage, stale-while-revalidate`` and an
ETag derived from the request (path, query, language) and a fingerprint of the published content,
so a publish, an unpublish or an edit changes it; Django's ``condition`` answers 304 to
``If-None-Match``.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition

from timeline.models import Entity, Era, Item, Source, Status, Tag

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


def content_fingerprint() -> str:
    """Changes whenever anything a public page could show changes; one round trip to the database.

    Every item edit bumps ``updated_at`` (including status changes, so publishing and unpublishing
    count); the counts catch deletions. Vocabulary tables have no timestamps, so their counts and
    highest ids stand in (renames are picked up when an item changes or the cache expires).
    """
    quote = connection.ops.quote_name
    item, source = quote(Item._meta.db_table), quote(Source._meta.db_table)
    parts = [
        f"(SELECT MAX(updated_at) FROM {item})",
        f"(SELECT COUNT(*) FROM {item})",
        f"(SELECT COUNT(*) FROM {item} WHERE status = %s)",
        f"(SELECT MAX(updated_at) FROM {source})",
        f"(SELECT COUNT(*) FROM {source})",
    ]
    for model in (Entity, Era, Tag):
        table = quote(model._meta.db_table)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX(id) FROM {table})"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), [Status.PUBLISHED])
        row = cursor.fetchone()
    return hashlib.sha256(repr(tuple(str(value) for value in row)).encode()).hexdigest()[:20]


def request_etag(request, *args, **kwargs) -> str:
    """The ETag of a public GET: what was asked for, in which language, of which content version."""
    cached = getattr(request, "_timeline_etag", None)
    if cached is None:
        key = (
            request.scheme,
            request.get_host(),
            request.path,
            sorted(request.GET.lists()),
            get_language(),
            request.headers.get("HX-Request", ""),
            code_version(),
            content_fingerprint(),
        )
        cached = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        request._timeline_etag = cached
    return cached


def _response_cache(view):
    """Serve a repeated request from the cache: its key is the ETag, so it can never be stale."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = f"timeline:response:{request_etag(request)}:{request.method}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if getattr(response, "is_rendered", True):
                    cache.set(key, response, RESPONSE_CACHE_SECONDS)
                else:  # a TemplateResponse is pickled once it has been rendered
                    response.add_post_render_callback(lambda r: cache.set(key, r, RESPONSE_CACHE_SECONDS))
        return response

    return cached_view


def public_cache(max_age: int = MAX_AGE, s_maxage: int = S_MAXAGE, swr: int = STALE_WHILE_REVALIDATE):
    """Decorate a public GET view with the shared Cache-Control policy, ETag and 304 handling."""

    def decorator(view):
        conditional = condition(etag_func=request_etag)(_response_cache(view))

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(
                    response, public=True, max_age=max_age, s_maxage=s_maxage, stale_while_revalidate=swr
                )
            else:
                patch_cache_control(response, no_cache=True)
            return response

        return wrapped

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
