"""Template helpers: links that keep the URL language, bilingual fields, dates and citations."""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from timeline import search
from timeline.dates import MONTH, YEAR
from timeline.filters import language_of
from timeline.http import cache_get, cache_set, code_version, item_fingerprint

register = template.Library()
CARD_CACHE_SECONDS = 600  # only bounds memory: the key holds the content version


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    query += [(k, v) for k, v in changes.items() if v]
    return urlunsplit(parts._replace(query=urlencode(query)))


@register.simple_tag(takes_context=True)
def keep_lang(context, url):
    """``url`` with the page's explicit ``?lang=`` carried on (the language lives in URLs only)."""
    request = context.get("request")
    lang = getattr(request, "lang_param", "") if request else ""
    return _with_query(str(url), lang=lang) if lang else url


@register.simple_tag(takes_context=True)
def axis_marks(context, marks):
    """The time axis's marks (up to ``axis.MAX_MARKS`` links), written here rather than by a template
    loop: the same markup (escaped as the template would) at a fraction of its cost,
    which at 200 marks was most of rendering a new filter set's axis. Coordinates are SVG numbers, never
    localized (the template draws the whole SVG under ``{% localize off %}``)."""
    request = context.get("request")
    lang = getattr(request, "lang_param", "") if request else ""
    parts = []
    for m in marks:
        url = _with_query(str(m.url), lang=lang) if lang else m.url
        parts.append(
            f'<a href="{conditional_escape(url)}" data-item="{conditional_escape(m.slug)}" tabindex="-1">'
            f'<rect class="mark{" key" if m.key else ""}" x="{m.x}" y="{m.y}" width="2" '
            f'height="5"/><title>{conditional_escape(m.date_label)}: {conditional_escape(m.title)}</title></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def facet_options(param, options):
    """One facet's checkboxes (``FilterForm.facets`` values), written here rather than by a template
    loop: byte for byte the loop's markup (escaped and localized as the template would), at a fraction
    of its cost on a page of a new filter set, which lists up to a hundred of them."""
    name = conditional_escape(param)
    parts = []
    for v in options:
        value = conditional_escape(v.value)
        parts.append(
            f'\n            <li><label><input type="checkbox" name="{name}" value="{value}" id="f-{name}-{value}"'
            f'{" checked" if v.selected else ""}>{conditional_escape(localize(v.label))} <span class="count">'
            f'({conditional_escape(localize(v.count))})</span></label></li>\n            '
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def switch_lang(context, lang):
    """The current URL in another language (other parameters kept, the page number too)."""
    request = context["request"]
    return _with_query(request.get_full_path(), lang=lang)


@register.filter
def tr(obj, field):
    """``obj.<field>_zh`` or ``obj.<field>_en`` for the active language, falling back to English."""
    suffix = "zh" if language_of(get_language()) == "zh" else "en"
    value = getattr(obj, f"{field}_{suffix}", "")
    return value or getattr(obj, f"{field}_en", "")


def card_key(request, pk: int, query: str) -> str:
    """The cache key of an item's card: the item, what it depends on, the code, language and search."""
    parts = (pk, item_fingerprint(request, pk), code_version(), get_language(), getattr(request, "lang_param", ""),
             query)
    return "timeline:card:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


@register.simple_tag(takes_context=True)
def item_card(context, item):
    """The card of one item (``timeline/_item.html``), rendered once per item, content version,
    language, ``?lang=`` and search query, then reused by every page, filter set and the print view.

    The key holds the structure version and the item's own version when the view declared the items
    it shows (``timeline.http.depend_on_items``), else the version of all items, so a stored card
    never outlives what it shows; the code version changes with a deploy.
    """
    request = context.get("request")
    # The card reads values.q as a filter argument, which raises if missing: always give it one.
    values = {"q": "", **(context.get("values") or {})}
    card = {"item": item, "values": values, "request": request}
    template = context.template.engine.get_template("timeline/_item.html")
    if request is None:
        return template.render(context.new(card))
    key = card_key(request, item.pk, values.get("q") or "")
    # The view may have read the cards of its items already (``timeline.views.pages.prefetch_cards``).
    html = (getattr(request, "_timeline_cards", None) or {}).get(key) or cache_get(key)
    if html is None:
        html = template.render(context.new(card))
        cache_set(key, str(html), CARD_CACHE_SECONDS)
    return mark_safe(html)  # rendered by the template engine, with autoescaping


@register.filter
def highlight(text, query):
    """The terms of the search ``query`` marked in ``text`` (``timeline.search.highlight``)."""
    return search.highlight(text, query)


@register.filter
def date_label(fuzzy):
    """A FuzzyDate's label in the active language, at its true precision."""
    return fuzzy.label(language_of(get_language()))


@register.simple_tag(takes_context=True)
def filter_url(context, param, value):
    """The chronology filtered by one value (``/?person=sam-altman``), in the page's language."""
    url = f"{reverse('timeline:chronology')}?{urlencode({param: value})}"
    return keep_lang(context, url)


@register.filter
def iso_date(fuzzy):
    """A ``<time datetime>`` value at the date's own precision: 2018, 2018-02 or 2018-02-10."""
    start = fuzzy.start
    return {YEAR: f"{start.year:04d}", MONTH: f"{start.year:04d}-{start.month:02d}"}.get(
        fuzzy.precision, start.isoformat()
    )


@register.filter
def source_links(item):
    """One (source, passage, citation) per cited passage, in the prefetched citation order."""
    seen = set()
    links = []
    for citation in item.citations.all():
        if citation.passage_id in seen:
            continue
        seen.add(citation.passage_id)
        links.append((citation.passage.source, citation.passage, citation))
    return links


@register.simple_tag(takes_context=True)
def reader_url(context, citation):
    """The cited passage in the source reader, that citation highlighted: ``/sources/k/?hl=7#p-12``."""
    passage = citation.passage
    url = keep_lang(context, f"{reverse('timeline:source', args=[passage.source.key])}?hl={citation.pk}")
    return f"{url}#p-{passage.ordinal}"


@register.simple_tag
def page_query(form, number):
    """The filter form's query string for page ``number`` (page 1 has no ``page`` parameter)."""
    return form.querystring(page=number if number > 1 else None, without=())
