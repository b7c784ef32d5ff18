"""Framing and Content-Security-Policy headers of every public view (each URL name in timeline/urls.py).

Only the embed widget may be framed (CSP frame-ancestors from TIMELINE_EMBED_FRAME_ANCESTORS, no
X-Frame-Options); everything else says DENY and frame-ancestors 'none'. The policy is strict — scripts,
styles and images from our own origin only, no inline script or style — so every HTML page is also
checked for markup the policy would block. None of these GETs may set a cookie.
"""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, reverse

from timeline import urls
from timeline.models import Item, Source
from timeline.views.embed import style_hash

pytestmark = pytest.mark.django_db

FRAMEABLE = {"embed"}
# Query strings some views need for a 200; and views whose sample answer is not a 200.
QUERY = {"oembed": "?url=http://testserver/", "embed": "?accent=0a7f3f&focus=hinton-meets-ilya"}
STATUS = {"api-not-found": 404, "favicon": 301}
# Script element types that are data, not code (CSP does not apply to them).
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def public_urls() -> list[tuple[str, str]]:
    """(name, path) for every route in timeline_patterns, with real ids for its arguments."""
    samples = {
        "slug": Item.objects.published().chronological().first().slug,
        "key": Source.objects.order_by("key").first().key,
    }
    result = []
    for pattern in urls.timeline_patterns:
        assert isinstance(pattern, URLPattern), pattern
        arguments = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
        missing = [name for name in arguments if name not in samples]
        assert not missing, f"{pattern.name}: add a sample value for {missing} to this test"
        path = reverse(f"timeline:{pattern.name}", kwargs={name: samples[name] for name in arguments})
        result.append((pattern.name, path + QUERY.get(pattern.name, "")))
    return result


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


class InlineCode(HTMLParser):
    """What a strict CSP would block in a page: inline scripts, <style> (unless its hash is allowed),
    style="", on*="", javascript: URLs."""

    def __init__(self, style_hashes=()):
        super().__init__()
        self.blocked = []
        self.style_hashes = set(style_hashes)
        self._style = None

    def handle_data(self, data):
        if self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag):
        if tag == "style" and self._style is not None:
            if style_hash("".join(self._style)) not in self.style_hashes:
                self.blocked.append(f"<style> element ({self.getpos()})")
            self._style = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self.blocked.append(f"inline <script> ({self.getpos()})")
        if tag == "style":
            self._style = []
        for name, value in attrs.items():
            if name == "style":
                self.blocked.append(f'style="{value}" on <{tag}> ({self.getpos()})')
            if name.startswith("on"):
                self.blocked.append(f"{name}= handler on <{tag}> ({self.getpos()})")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"javascript: URL on <{tag}> ({self.getpos()})")


def inline_code(html: str, style_hashes=()) -> list[str]:
    parser = InlineCode(style_hashes)
    parser.feed(html)
    return parser.blocked


def test_every_route_is_listed():
    """A new route is covered automatically; this guards the sample lookup itself."""
    names = {name for name, _ in public_urls()}
    assert {"chronology", "item", "source", "embed", "embed-js", "oembed", "api-timelinejs"} <= names


def test_framing_and_csp_of_every_public_view(client):
    failures = []
    for name, path in public_urls():
        response = client.get(path)
        expected = STATUS.get(name, 200)
        if response.status_code != expected:
            failures.append(f"{name} {path}: status {response.status_code}, expected {expected}")
            continue
        policy = directives(response)
        problems = []
        if policy.get("default-src") != ["'self'"]:
            problems.append(f"default-src {policy.get('default-src')}")
        if policy.get("script-src") != ["'self'"]:
            problems.append(f"script-src {policy.get('script-src')}")
        if policy.get("object-src") != ["'none'"]:
            problems.append(f"object-src {policy.get('object-src')}")
        style = policy.get("style-src", [])
        if style[:1] != ["'self'"] or any(not s.startswith("'sha256-") for s in style[1:]):
            problems.append(f"style-src {style}")
        if name in FRAMEABLE:
            if policy.get("frame-ancestors") != ["*"]:
                problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
            if "X-Frame-Options" in response:
                problems.append("X-Frame-Options on the widget")
        else:
            if policy.get("frame-ancestors") != ["'none'"]:
                problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
            if response.get("X-Frame-Options") != "DENY":
                problems.append(f"X-Frame-Options {response.get('X-Frame-Options')}")
        if response.cookies or "Set-Cookie" in response:
            problems.append(f"sets cookies {list(response.cookies)}")
        if "Cookie" in response.get("Vary", ""):
            problems.append("Vary: Cookie")
        if response["Content-Type"].startswith("text/html"):
            problems += inline_code(response.content.decode(), style_hashes=style[1:])
        if problems:
            failures.append(f"{name} {path}: " + "; ".join(problems))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", ["/?person=sam-altman&lang=zh", "/?q=董事会&page=2", "/print/?era=pivot"])
def test_filtered_pages_have_no_inline_code_either(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_htmx_fragment_has_no_inline_code(client):
    response = client.get("/?era=pivot", HTTP_HX_REQUEST="true")
    assert inline_code(response.content.decode()) == []
    assert response["X-Frame-Options"] == "DENY"


def test_not_found_pages_are_not_frameable(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


def test_admin_login_is_not_frameable_and_has_no_inline_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert inline_code(response.content.decode()) == []


def test_inline_code_detector_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script type="application/ld+json">{}</script><script src="/a.js"></script>'
        '<style>p{}</style><p style="color:red" onclick="x()"><a href="javascript:void(0)">x</a></p>'
    )
    assert inline_code("<style>p{}</style>", style_hashes=[style_hash("p{}")]) == []
    found = inline_code(html)
    assert len(found) == 5
    assert [entry.split(" (")[0] for entry in found] == [
        "inline <script>",
        "<style> element",
        'style="color:red" on <p>',
        "onclick= handler on <p>",
        "javascript: URL on <a>",
    ]
