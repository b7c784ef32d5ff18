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
from django.db.models import Count, Max, Q
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition

from timeline.models import Entity, Era, Item, Source, Status, Tag

MAX_AGE = 300
S_MAXAGE = 600
STALE_WHILE_REVALIDATE = 86400


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
    """Changes whenever anything a public page could show changes.

    Every item edit bumps ``updated_at`` (including status changes, so publishing and unpublishing
    count); the published count catches deletions. Vocabulary tables have no timestamps, so their
    counts and highest ids stand in (renames are picked up when an item changes or the cache expires).
    """
    items = Item.objects.aggregate(
        updated=Max("updated_at"), count=Count("id"), published=Count("id", filter=Q(status=Status.PUBLISHED))
    )
    sources = Source.objects.aggregate(updated=Max("updated_at"), count=Count("id"))
    vocabulary = [model.objects.aggregate(n=Count("id"), top=Max("id")) for model in (Entity, Era, Tag)]
    return hashlib.sha256(repr((items, sources, vocabulary)).encode()).hexdigest()[:20]


def request_etag(request, *args, **kwargs) -> str:
    """The ETag of a public GET: what was asked for, in which language, of which content version."""
    cached = getattr(request, "_timeline_etag", None)
    if cached is None:
        key = (
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


def public_cache(max_age: int = MAX_AGE, s_maxage: int = S_MAXAGE, swr: int = STALE_WHILE_REVALIDATE):
    """Decorate a public GET view with the shared Cache-Control policy, ETag and 304 handling."""

    def decorator(view):
        conditional = condition(etag_func=request_etag)(view)

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
    """Let any origin read a public GET endpoint (no credentials)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Expose-Headers"] = "ETag, Link"
        return response

    return wrapped
