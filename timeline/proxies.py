"""Which forwarded headers to believe, and the client address behind the configured reverse proxies.

Only requests that arrive from a configured proxy (``DJANGO_TRUSTED_PROXIES``, default the loopback
addresses, and only when ``DJANGO_PROXY_COUNT`` says there are proxies) keep their ``X-Forwarded-*``
and ``Forwarded`` headers; from anyone else they are dropped before any other middleware, so a client
cannot claim HTTPS, another host or another address. gunicorn gets the same list for its own
``X-Forwarded-Proto`` handling (``timeline/gunicorn.py``). The login lock-out reads the client
address with django-ipware, counting ``DJANGO_PROXY_COUNT`` proxies from the right of
``X-Forwarded-For`` (the entries a client wrote itself are further left and are never believed).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core import checks
from ipware.ip import get_client_ip

FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_REAL_IP",
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    if "*" in proxies:
        return (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def from_trusted_proxy(request) -> bool:
    """True when the request's peer is one of the configured reverse proxies."""
    if not settings.TIMELINE_PROXY_COUNT:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in _networks(tuple(settings.TIMELINE_TRUSTED_PROXIES)))


class TrustedProxyMiddleware:
    """First in the stack: forget forwarded headers that did not come from a configured proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


def client_ip(request) -> str | None:
    """The address the first proxy saw (AXES_CLIENT_IP_CALLABLE); the peer's when there is no proxy.

    django-ipware's ``proxy_count`` counts the proxies listed inside ``X-Forwarded-For``; the proxy
    that connects to us is not listed there, hence one less. A header of the wrong length (a client
    that wrote its own entries) falls back to the peer's address, never to a client-chosen one.
    """
    peer = request.META.get("REMOTE_ADDR")
    if not from_trusted_proxy(request):
        return peer
    address, _ = get_client_ip(
        request,
        proxy_order="right-most",
        proxy_count=settings.TIMELINE_PROXY_COUNT - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    )
    return address or peer


@checks.register(checks.Tags.security, deploy=True)
def proxy_settings_agree(app_configs=None, **kwargs):
    """``DJANGO_SECURE_PROXY_SSL_HEADER`` means a proxy terminates TLS; without ``DJANGO_PROXY_COUNT`` its
    header is dropped as untrusted and every request looks like plain HTTP (a redirect loop)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TIMELINE_PROXY_COUNT:
        return [checks.Warning(
            "SECURE_PROXY_SSL_HEADER is set but DJANGO_PROXY_COUNT is 0, so X-Forwarded-Proto is never trusted.",
            hint="Set DJANGO_PROXY_COUNT (and DJANGO_TRUSTED_PROXIES when the proxy is on another host).",
            id="timeline.W001",
        )]
    return []
