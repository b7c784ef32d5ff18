"""Head tags for sharing and search engines: Open Graph, feed discovery and JSON-LD.

``{% site_meta %}`` (base.html's default ``meta`` block), ``{% item_meta item %}`` and
``{% source_meta source %}``. Every value goes through ``format_html``; JSON-LD through
``timeline.structured.script``.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from timeline import structured
from timeline.filters import FilterForm, language_of
from timeline.urlnames import named_url

register = template.Library()

DESCRIPTION_CHARS = 200
NEWLINE = SafeString("\n  ")


def _language() -> str:
    return language_of(get_language())


def _canonical(request) -> str:
    """This page's URL without filters or other parameters, but in its explicit language."""
    url = request.build_absolute_uri(request.path)
    lang = getattr(request, "lang_param", "")
    return f"{url}?lang={lang}" if lang else url


@lru_cache(maxsize=1024)
def _open_graph_head(kind: str, site_name: str, title: str, description: str) -> SafeString:
    """The Open Graph tags that depend on the page's texts only (a page's own URL comes after them):
    kept per text, since every chronology page of a language shares them."""
    tags = [
        ("og:type", kind),
        ("og:site_name", site_name),
        ("og:title", title),
        ("og:description", Truncator(description).chars(DESCRIPTION_CHARS)),
    ]
    return format_html_join("\n  ", '<meta property="{}" content="{}">', tags)


def _open_graph(request, *, kind: str, title: str, description: str) -> SafeString:
    locale = "zh_CN" if _language() == "zh" else "en_US"
    canonical = _canonical(request)
    return _open_graph_head(kind, _("OpenAI chronology"), title, description) + format_html(
        '\n  <meta property="og:url" content="{}">\n  <meta property="og:locale" content="{}">'
        '\n  <meta name="twitter:card" content="summary">\n  <link rel="canonical" href="{}">',
        canonical, locale, canonical,
    )


def _feed_links(context) -> SafeString:
    """Feed discovery; on the chronology the feeds carry its (valid) filters."""
    form = context.get("form")
    query = ""
    if isinstance(form, FilterForm):
        query = form.querystring(without=("page",))
        query = "" if query == "?" else query
    links = [
        ("application/atom+xml", _("Atom feed"), named_url("timeline:feed-atom") + query),
        ("application/feed+json", _("JSON Feed"), named_url("timeline:feed-json") + query),
    ]
    return format_html_join(
        "\n  ", '<link rel="alternate" type="{}" title="{}" href="{}">', links
    )


def _pick(obj, field: str) -> str:
    value = getattr(obj, f"{field}_zh", "") if _language() == "zh" else ""
    return value or getattr(obj, f"{field}_en", "")


@register.simple_tag(takes_context=True)
def site_meta(context) -> SafeString:
    request = context["request"]
    return _open_graph(
        request,
        kind="website",
        title=_("OpenAI: a sourced chronology"),
        description=_(
            "A sourced, filterable chronology of OpenAI from its 2015 founding to GPT-5, every line linked "
            "to the sentence it comes from."
        ),
    ) + NEWLINE + _feed_links(context)


@register.simple_tag(takes_context=True)
def item_meta(context, item) -> SafeString:
    request = context["request"]
    head = _open_graph(
        request, kind="article", title=_pick(item, "title"), description=_pick(item, "summary") or _pick(item, "title")
    )
    jsonld = structured.script(structured.item_jsonld(item, request.build_absolute_uri))
    return head + NEWLINE + _feed_links(context) + format_html("\n  {}", jsonld)


@register.simple_tag(takes_context=True)
def source_meta(context, source) -> SafeString:
    request = context["request"]
    head = _open_graph(request, kind="article", title=source.title, description=source_description(source))
    jsonld = structured.script(structured.source_jsonld(source, request.build_absolute_uri))
    return head + NEWLINE + _feed_links(context) + format_html("\n  {}", jsonld)


@register.simple_tag
def source_description(source) -> str:
    """A one-line description of a source for ``<meta name="description">``."""
    parts = [source.publisher or source.title]
    if source.published:
        parts.append(source.published.isoformat())
    return _("%(source)s: the article as cited by the OpenAI chronology, passage by passage.") % {
        "source": ", ".join(parts)
    }
