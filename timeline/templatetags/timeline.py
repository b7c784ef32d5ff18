"""Template helpers: links that keep the URL language, bilingual fields, dates and citations."""

import hashlib
from functools import lru_cache
from html import escape as html_escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from timeline import search
from timeline.dates import MONTH, YEAR
from timeline.filters import _encoded_pair, language_of
from timeline.http import cache_get, cache_set, code_version, item_fingerprint
from timeline.urlnames import named_url

register = template.Library()
CARD_CACHE_SECONDS = 600  # only bounds memory: the key holds the content version
# An item's URL is the route reversed once with this in place of its slug (a slug needs no quoting).
ITEM_URL_PLACEHOLDER = "timeline-item-slug"


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
    localized (the template draws the whole SVG under ``{% localize off %}``). The first mark is in the
    tab order, the others not: the arrow keys move between them (chronology.js)."""
    request = context.get("request")
    lang = getattr(request, "lang_param", "") if request else ""
    parts = []
    for number, m in enumerate(marks):
        url = _with_query(str(m.url), lang=lang) if lang else m.url
        parts.append(
            f'<a href="{_esc(url)}" data-item="{_esc(m.slug)}" tabindex="{"-1" if number else "0"}">'
            f'<rect class="mark{" key" if m.key else ""}" x="{m.x}" y="{m.y}" width="{m.width}" '
            f'height="5"/><title>{_esc(m.date_label)}: {_esc(m.title)}</title></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def axis_mark_targets(context, marks):
    """The marks' tap targets, drawn under all of the marks (inside the drawing hidden from screen
    readers, out of the tab order): a transparent box around each mark with a 24px stroke that does not
    scale with the axis (CSS ``.hit``), reaching at least ``axis.HIT_DEPTH`` down so that it is 24px tall
    inside the axis where the mark sits at its top. Where two targets meet, the later one is on top;
    every visible mark is above every target, so each mark stays the element under its own middle."""
    request = context.get("request")
    lang = getattr(request, "lang_param", "") if request else ""
    parts = []
    for m in marks:
        url = _with_query(str(m.url), lang=lang) if lang else m.url
        parts.append(
            f'<a href="{_esc(url)}" data-hit="{_esc(m.slug)}" tabindex="-1"><rect class="hit" x="{m.x}" y="{m.y}" '
            f'width="{m.width}" height="{m.hit_height}"/></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _local(value):
    """``localize(value)`` as ``{{ value }}`` writes it, with its common cases answered directly: text
    is kept as it is and, without thousands separators, an int is its digits (what ``localize``
    returns for both); anything else goes through ``localize``."""
    if isinstance(value, str):
        return value
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return localize(value)


def _svg(value) -> str:
    """An SVG number as ``{% localize off %}`` writes it: ``str`` of an int or a plain float; any other
    (an exponent, inf, a Decimal) through the formatter the template uses."""
    if type(value) is int:
        return str(value)
    text = repr(value) if type(value) is float else ""
    return text if text and "e" not in text and "n" not in text else str(localize(value, use_l10n=False))


def _items(count, localized: bool) -> str:
    """``{% blocktranslate count counter=count %}{{ counter }} item{% plural %}…`` as the tag writes it
    (the count localized, or not under ``{% localize off %}``, and escaped; the translation as is)."""
    return _items_in(get_language(), count, localized)


@lru_cache(maxsize=4096, typed=True)
def _items_in(language, count, localized: bool) -> str:
    """:func:`_items` in the active ``language`` (the key: the translation depends on it)."""
    text = str(localize(count) if localized else localize(count, use_l10n=False))
    return ngettext("%(counter)s item", "%(counter)s items", count) % {"counter": conditional_escape(text)}


def _esc(value) -> str:
    """``conditional_escape(value)`` with its common cases answered directly: a plain ``str`` is
    escaped as ``escape`` does (``html.escape``), an int's digits need none; anything else (safe
    strings, lazy translations, other types) goes through ``conditional_escape``."""
    if type(value) is str:
        return html_escape(value)
    if type(value) is int:
        return str(value)
    return conditional_escape(value)


# The time axis's repeated parts (``timeline/_axis.html``), written here rather than by template loops:
# byte for byte the loops' markup (tests render both), at a fraction of their cost on the axis of a new
# filter set, which has up to a hundred columns, each in four loops. Coordinates are SVG numbers (the
# template draws the SVG under ``{% localize off %}``); every text is escaped as the template would.


@register.simple_tag
def axis_bands(axis, kind):
    """The era bands behind the plot (``kind`` "era-bg") or their strip under it ("era-strip")."""
    if kind == "era-bg":
        y, height = "0", _svg(axis.plot_height)
    else:
        y, height = _svg(axis.band_y), _svg(axis.band)
    kind = _esc(kind)
    return mark_safe("".join(  # noqa: S308 - numbers, and the escaped kind
        f'<rect class="{kind} c{_svg(b.colour)}" x="{_svg(b.x)}" y="{y}" width="{_svg(b.width)}" height="{height}"/>'
        for b in axis.bands
    ))


@register.simple_tag
def axis_unit_bands(axis):
    """The shading of the whole months (or years) the items known only to that unit span."""
    height = _svg(axis.plot_height)
    return mark_safe("".join(  # noqa: S308 - numbers, and escaped labels
        f'<rect class="unit-band" x="{_svg(s.x)}" y="0" width="{_svg(s.width)}" height="{height}"><title>'
        f'{_esc(s.label)}: {_items(s.count, False)}</title></rect>'
        for s in axis.unit_spans
    ))


@register.simple_tag
def axis_columns(axis):
    """One bar per column with items, and its key moments' bar."""
    parts = []
    for c in axis.columns:
        if c.count:
            x, width = _svg(c.x), _svg(c.width)
            parts.append(f'<rect class="all" x="{x}" y="{_svg(c.y)}" width="{width}" height="{_svg(c.height)}"/>')
            if c.key_count:
                parts.append(
                    f'<rect class="keys" x="{x}" y="{_svg(c.key_y)}" width="{width}" height="{_svg(c.key_height)}"/>'
                )
    return mark_safe("".join(parts))  # noqa: S308 - numbers only


def _span_note(span) -> str:
    """Why a lane span is a span, in the page's language (our own translation, as {% translate %} writes it)."""
    if span.open_start or span.open_end:
        return gettext(mark_safe("runs past the axis"))
    if span.soft_start or span.soft_end:
        return gettext(mark_safe("approximate"))
    return gettext(mark_safe("somewhere in this range"))


@register.simple_tag
def axis_lane_spans(axis):
    """The lanes of the items dated by a range (open past the axis, soft at an approximate end), each
    title saying why, as the table does."""
    parts, height = [], _svg(axis.lane_height)
    for s in axis.lane_spans:
        if s.soft_start and s.soft_end:
            fill = ' fill="url(#soft-lr)"'
        elif s.soft_start:
            fill = ' fill="url(#soft-l)"'
        elif s.soft_end:
            fill = ' fill="url(#soft-r)"'
        else:
            fill = ""
        parts.append(
            f'<rect class="span{" open" if s.open_start or s.open_end else ""}" x="{_svg(s.x)}" y="{_svg(s.y)}" '
            f'width="{_svg(s.width)}" height="{height}"{fill}><title>{_esc(s.label)} ({_span_note(s)}): '
            f'{_items(s.count, False)}</title></rect>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - numbers, and escaped labels


@register.simple_tag
def axis_ticks(columns, chronology_url):
    """The links under the axis, one per column (``axis_links``), to zoom to it; each says what following
    it lists, as that page says it: every item whose dates touch the column, and how many of them lie
    within it where that differs. ``data-label`` names the column in the page's language for the axis's
    selection (its label and ``aria-valuetext``, chronology.js). ``class`` says in which layouts its label
    is shown (``p`` phones, ``d`` wide screens; axis.tick_classes): the others keep their place."""
    base, none = _esc(chronology_url), ' class="none"'
    parts = []
    for link in columns:
        within = ""
        if link.within != link.overlap:  # as {% blocktranslate with n=... %} writes it
            within = " · " + gettext("%(n)s within the period") % {"n": _esc(_local(link.within))}
        shown = f' class="{_esc(link.shown)}"' if link.shown else ""
        parts.append(
            f'<li{shown}>'
            f'<a href="{base}{_esc(link.url)}"{"" if link.overlap else none} '
            f'title="{_esc(link.label)}: {_items(link.overlap, True)}{within}" data-label="{_esc(link.label)}">'
            f'{_esc(link.tick)}</a></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


@register.simple_tag
def axis_table_columns(columns, chronology_url):
    """The rows of the axis's table for the columns with items."""
    base = _esc(chronology_url)
    return mark_safe("".join(  # noqa: S308 - every value is escaped
        f'<tr><th scope="row"><a href="{base}{_esc(link.url)}">{_esc(link.label)}</a>'
        f'</th><td>{_esc(_local(link.count))}</td><td>{_esc(_local(link.key_count))}'
        f'</td></tr>'
        for link in columns if link.count
    ))


@register.simple_tag
def axis_table_spans(spans):
    """The rows of the axis's table for the items dated by a range."""
    parts = []
    for s in spans:
        note = f' <span class="count">({_span_note(s)})</span>' if not s.unit else ""
        parts.append(
            f'<tr><th scope="row">{_esc(s.label)}{note}</th><td>{_esc(_local(s.count))}'
            f'</td><td>{_esc(_local(s.key_count))}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - escaped values and our own translations


@register.simple_tag
def facet_options(param, options):
    """One facet's checkboxes (``FilterForm.facets`` values), written here rather than by a template
    loop: byte for byte the loop's markup (escaped and localized as the template would), at a fraction
    of its cost on a page of a new filter set, which lists up to a hundred of them."""
    name = _esc(param)
    parts = []
    for v in options:
        value = _esc(v.value)
        parts.append(
            f'\n            <li><label><input type="checkbox" name="{name}" value="{value}" id="f-{name}-{value}"'
            f'{" checked" if v.selected else ""}>{_esc(_local(v.label))} <span class="count">'
            f'({_esc(_local(v.count))})</span></label></li>\n            '
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
    query = (context.get("values") or {}).get("q") or ""
    if request is None:
        return card_markup(request, item, query)
    key = card_key(request, item.pk, query)
    # The view may have read the cards of its items already (``timeline.views.pages.prefetch_cards``).
    html = (getattr(request, "_timeline_cards", None) or {}).get(key) or cache_get(key)
    if html is None:
        html = card_markup(request, item, query)
        cache_set(key, str(html), CARD_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - written by card_markup, which escapes


def card_markup(request, item, query: str):
    """The card of ``item``: byte for byte what ``timeline/_item.html`` (the reference, rendered by
    the tests against this for every item) writes with ``values.q`` = ``query``, written here rather
    than by the template engine: a page of a new search renders 15 cards, and the engine's variable
    lookups, tags and URL reversals were most of its render (0.4 ms a card). Every value from the
    item is escaped as the template escapes it, the search terms marked by the same ``highlight``."""
    context = {"request": request}
    kind, importance = item.kind, item.importance
    date = item.date
    if importance == 3:
        weight = f'<strong class="key">{_esc(gettext("Key moment"))}</strong>'
    else:
        level = _esc(_local(importance))
        # ``{% blocktranslate with n=… %}``: the value rendered (localized, escaped), the translation as is.
        weight = (f'<span class="dots i{level}" role="img" aria-label="'
                  f'{gettext("Importance %(n)s of 3") % {"n": level}}"></span>')
    url = named_url("timeline:item", ITEM_URL_PLACEHOLDER).replace(ITEM_URL_PLACEHOLDER, item.slug)
    end = f' data-end="{_esc(iso_end(date))}"' if date.is_interval else ""
    parts = [
        f'<li id="item-{_esc(item.slug)}" class="item kind-{_esc(kind)} importance-{_esc(_local(importance))}">\n'
        f'  <p class="meta">\n'
        f'    <time datetime="{_esc(iso_date(date))}"{end}>{_esc(date_label(date))}</time>\n'
        f'    <span class="kind">{_esc(gettext("Quote") if kind == "quote" else gettext("Event"))}</span>\n'
        f'    {weight}\n'
        f'  </p>\n'
        f'  <h4><a href="{_esc(keep_lang(context, url))}">{_value(highlight(tr(item, "title"), query))}</a></h4>\n'
        f'  '
    ]
    if kind == "quote":
        parts.append(
            f'\n  <figure class="quote">\n'
            f'    <blockquote lang="{_value(item.quote_language)}">{_value(highlight(item.quote_text, query))}'
            f'</blockquote>\n    '
        )
        if item.quote_translation_en:
            parts.append(f'<p class="translation" lang="en">{_value(highlight(item.quote_translation_en, query))}</p>')
        parts.append(f'\n    <figcaption>— {_value(tr(item.speaker, "name"))}</figcaption>\n  </figure>\n  ')
    parts.append("\n")
    if item.summary_en or item.summary_zh:
        parts.append(f'<p class="summary">{_value(highlight(tr(item, "summary"), query))}</p>')
    parts.append(
        f'\n  {item_chips(context, item)}\n'
        f'  <p class="sources">{_esc(gettext("Sources:"))}\n'
        f'    {item_sources(context, item)}\n'
        f'  </p>\n'
        f'</li>\n'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _value(value) -> str:
    """``{{ value }}`` as the template writes it: localized, then escaped unless already safe."""
    return _esc(_local(value))


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
def iso_end(fuzzy):
    """The last day of a date (an interval's end, which ``iso_date`` leaves out), e.g. 2024-05-31."""
    return fuzzy.end.isoformat()


# What ``timeline.views.pages.prefetch_cards`` reads for a card that must be rendered, as plain lists
# (``Prefetch(to_attr=…)``): a queryset per item and relation cost more than the rest of the card.
CARD_PEOPLE, CARD_ORGANIZATIONS, CARD_CITATIONS = "card_people", "card_organizations", "card_citations"


def _related(item, attribute: str, relation: str):
    found = getattr(item, attribute, None)
    return found if found is not None else getattr(item, relation).all()


@register.simple_tag(takes_context=True)
def item_chips(context, item):
    """An item card's people and organisations, linked to the chronology filtered by each: written
    here rather than by two template loops, byte for byte their markup (tests render both)."""
    people = _related(item, CARD_PEOPLE, "people")
    organizations = _related(item, CARD_ORGANIZATIONS, "organizations")
    if not people and not organizations:
        return ""
    chronology = named_url("timeline:chronology")
    # ``tr`` with the language looked up once; each link's query as ``urlencode`` writes it.
    name = "name_zh" if language_of(get_language()) == "zh" else "name_en"

    def chips(param, entities):
        return "".join(
            f'<li><a href="{_esc(keep_lang(context, f"{chronology}?{_encoded_pair(param, entity.slug)}"))}">'
            f'{_esc(getattr(entity, name, "") or entity.name_en)}</a></li>'
            for entity in entities
        )

    return mark_safe(  # noqa: S308 - every value is escaped
        f'\n  <ul class="chips">\n    {chips("person", people)}\n    {chips("org", organizations)}\n  </ul>\n  '
    )


@register.simple_tag(takes_context=True)
def item_sources(context, item):
    """An item card's links to its cited passages in the source reader, comma-separated: written here
    rather than by a template loop, byte for byte its markup (tests render both)."""
    return mark_safe(", ".join(  # noqa: S308 - every value is escaped
        f'<a href="{_esc(reader_url(context, citation))}">'
        f'{_esc(source.publisher or source.title)} ¶{_esc(_local(passage.ordinal))}</a>'
        for source, passage, citation in source_links(item)
    ))


@register.filter
def source_links(item):
    """One (source, passage, citation) per cited passage, in the prefetched citation order."""
    seen = set()
    links = []
    for citation in _related(item, CARD_CITATIONS, "citations"):
        if citation.passage_id in seen:
            continue
        seen.add(citation.passage_id)
        links.append((citation.passage.source, citation.passage, citation))
    return links


@register.simple_tag(takes_context=True)
def reader_url(context, citation):
    """The cited passage in the source reader, that citation highlighted: ``/sources/k/?hl=7#p-12``."""
    passage = citation.passage
    url = keep_lang(context, f"{named_url('timeline:source', passage.source.key)}?hl={citation.pk}")
    return f"{url}#p-{passage.ordinal}"


@register.simple_tag
def page_query(form, number):
    """The filter form's query string for page ``number`` (page 1 has no ``page`` parameter)."""
    return form.querystring(page=number if number > 1 else None, without=())
