"""URLs of named routes, reversed once per route, arguments, script prefix and URL configuration.

``django.urls.reverse`` walks the resolver on every call (some 40 µs); a reader's page reverses the
same few fixed routes (the chronology, the feeds, the oEmbed endpoint, the embed builder) on every
render. The answer depends only on what the key holds, so it is kept for the life of the process.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def named_url(name: str, *args: str) -> str:
    """``reverse(name, args=args)``, cached (the arguments must be strings or other hashables)."""
    return _reverse(name, args, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


@lru_cache(maxsize=512)
def _reverse(name: str, args: tuple, prefix: str, urlconf, root_urlconf: str) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)
