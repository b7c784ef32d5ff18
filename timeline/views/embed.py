"""The embeddable widget (``/embed/``), its loader script (``/embed.js``) and the TimelineJS export.

The widget is the only page another site may frame. It takes the chronology's filters (through
:class:`~timeline.filters.FilterForm`) plus its own options (:mod:`timeline.embedding`: version,
theme, layout, height, limit, accent, focus), renders a list that works without JavaScript, and links
out to the full site in a new tab with absolute URLs. Options it cannot use are named in a notice
inside it and in the ``X-Timeline-Ignored`` header; it never answers with an error page. It never touches the session or the CSRF token,
so it is cacheable by any shared cache (``timeline.http.public_cache``).

Framing: ``X-Frame-Options`` is dropped for it and its CSP ``frame-ancestors`` comes from
``settings.TIMELINE_EMBED_FRAME_ANCESTORS``; every other response keeps ``DENY`` / ``'none'``. These
headers are set *outside* the conditional-GET handling, so a 304 carries the same policy as the 200 it
revalidates (browsers merge a 304's headers into the stored response).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe
from django.views.decorators.vary import vary_on_headers

from timeline import search, timelinejs
from timeline.documents import first_citation_per_passage, item_documents
from timeline.embedding import (
    DEFAULT_LIMIT,  # noqa: F401 (part of this module's interface)
    MAX_LIMIT,
    OPTION_PARAMS,
    EmbedOptions,
    estimated_height,
    widget_params,
    widget_url,
)
from timeline.filters import PARAMS, CountedPaginator, FilterForm, language_of
from timeline.http import IDENTITY, allow_cors, compress, negotiated_encoding, public_cache
from timeline.middleware import language_neutral
from timeline.models import CHRONOLOGICAL_ORDER, Item, only_overlaps
from timeline.views.api import json_bad_request, json_response
from timeline.views.pages import prime_dates

# The export is for reuse, not for paging; TimelineJS itself struggles long before this.
TIMELINEJS_LIMIT = 5000
LOADER_STATIC_PATH = "timeline/embed/embed.js"
# Inlined into the widget (allowed by its hash): the first paint then needs no second request.
WIDGET_CSS_STATIC_PATH = "timeline/embed/widget.css"
LOADER_MAX_AGE = 3600
IGNORED_HEADER = "X-Timeline-Ignored"


def title() -> str:
    return _("OpenAI chronology")


def description() -> str:
    return _(
        "A sourced chronology of OpenAI, 2015–2025: events and quotes, each linked to the sentence of the "
        "Chinese news article it comes from."
    )


def embed_options(request) -> EmbedOptions:
    options = getattr(request, "_embed_options", None)
    if options is None:
        options = request._embed_options = EmbedOptions.from_query(request.GET)
    return options


def style_hash(css: str) -> str:
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def static_text(path: str) -> str:
    """A file of ours from the static directories (or, after collectstatic only, STATIC_ROOT)."""
    found = finders.find(path) or Path(settings.STATIC_ROOT) / path
    return Path(found).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def widget_css() -> tuple[str, str]:
    """The widget's stylesheet and its CSP hash. It is our own file; it must not contain ``</``."""
    css = static_text(WIDGET_CSS_STATIC_PATH).strip()
    if "</" in css:
        raise ValueError(f"{WIDGET_CSS_STATIC_PATH} may not contain '</' (it is inlined in a <style> element).")
    return css, style_hash(css)


def frameable(view):
    """Let the widget be framed by ``TIMELINE_EMBED_FRAME_ANCESTORS`` (on 200 and 304 alike), and allow
    exactly its inline styles (the stylesheet, and the accent colour if any) by their hashes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True
        # django-csp reads these response attributes (what its csp_replace/csp_update decorators set);
        # set here, per request, because the ancestors are a setting and the accent hash depends on the URL.
        response._csp_replace = {"frame-ancestors": list(settings.TIMELINE_EMBED_FRAME_ANCESTORS)}
        hashes = [widget_css()[1]]
        accent = embed_options(request).accent_css
        if accent:
            hashes.append(style_hash(accent))
        response._csp_update = {"style-src": hashes}
        return response

    return wrapped


# -- the widget -----------------------------------------------------------------------------------


@dataclass
class WidgetItem:
    """One item as the widget shows it, in one language, with absolute links."""

    id: str
    kind: str
    url: str
    iso_date: str
    date_label: str
    title: str
    summary: str
    importance: int
    focused: bool = False
    # Only overlaps the from/to window (``ItemQuerySet.within_first``): listed after the items inside it
    possible: bool = False
    # The first such row on this page: the "Possibly in this period" label goes before it
    first_possible: bool = False
    quote: str = ""
    quote_language: str = ""
    translation: str = ""
    speaker: str = ""
    # (label, URL of the passage with the citation highlighted), one per cited passage
    sources: list[tuple[str, str]] = field(default_factory=list)
    # The same passages with every citation in them: the cited words and their translations
    evidence: list[WidgetSource] = field(default_factory=list)


@dataclass
class WidgetCitation:
    """The words one citation cites, in the source's language, with the editors' English translation
    and, for a source in traditional script, its automatic simplified rendering (shown in Chinese)."""

    text: str
    language: str
    translation_en: str
    simplified: str = ""


@dataclass
class WidgetSource:
    """One cited passage: its link (the first citation highlighted) and the citations in it."""

    label: str
    url: str
    citations: list[WidgetCitation]


def _pick(text: dict | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or text.get("en") or ""


def iso_date(date: dict) -> str:
    """A ``<time datetime>`` value at the date's precision (2018, 2018-02 or 2018-02-10)."""
    return date["start"][: {"year": 4, "month": 7}.get(date["precision"], 10)]


def with_lang(url: str, lang: str | None) -> str:
    """``url`` (a path, maybe with a query and a fragment) with ``lang=`` added before the fragment."""
    if not lang:
        return url
    url, hash_, fragment = url.partition("#")
    return f"{url}{'&' if '?' in url else '?'}lang={lang}{hash_}{fragment}"


def widget_item(
    document: dict, *, language: str, absolute, lang: str | None, focus: str | None, possible: bool = False
) -> WidgetItem:
    """A widget row from the item document (the one serializer); one source link per cited passage, to
    the citation's sentence highlighted in the source reader (``?hl=``), as the site's own links do."""
    evidence = [
        WidgetSource(
            label=f"{timelinejs.source_label(first['source'])} ¶{first['passage']['ordinal']}",
            url=absolute(with_lang(first["url"], lang)),
            citations=[
                WidgetCitation(
                    text=citation["selector"]["exact"],
                    language=citation["source"]["language"],
                    translation_en=citation["translation"]["en"],
                    simplified=(citation["translation"]["zh_hans"] or "") if language == "zh" else "",
                )
                for citation in document["citations"]
                if citation["passage"]["id"] == first["passage"]["id"]
            ],
        )
        for first in first_citation_per_passage(document)
    ]
    quote = document["quote"] or {}
    return WidgetItem(
        id=document["id"],
        kind=document["kind"],
        url=absolute(with_lang(document["url"], lang)),
        iso_date=iso_date(document["date"]),
        date_label=_pick(document["date"]["label"], language),
        title=_pick(document["title"], language),
        summary=_pick(document["summary"], language),
        importance=document["importance"],
        focused=document["id"] == focus,
        possible=possible,
        quote=quote.get("text", ""),
        quote_language=quote.get("language", ""),
        translation=(quote.get("translation") or {}).get("en", "") if language == "en" else "",
        speaker=_pick(quote["speaker"]["name"], language) if quote.get("speaker") else "",
        sources=[(source.label, source.url) for source in evidence],
        evidence=evidence,
    )


def position_of(items: QuerySet, slug: str) -> int | None:
    """The 0-based index of item ``slug`` in ``items`` (in ``FilterForm.in_order``'s order), or None
    if absent."""
    item = items.filter(slug=slug).only(*CHRONOLOGICAL_ORDER).first()
    return None if item is None else items.before(item).count()


@dataclass
class WidgetPage:
    """What one widget URL shows: its rows, the page, the counts and what was ignored."""

    form: FilterForm
    options: EmbedOptions
    rows: list[WidgetItem]
    page: object
    count: int
    number: int
    focus: str | None
    # (parameter, sentence) for what neither form checks: an unknown parameter, a focus item that is
    # not in this view.
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def notices(self) -> list[str]:
        return [*self.form.notices, *self.options.notices, *(message for _, message in self.extra)]

    @property
    def ignored_params(self) -> list[str]:
        """The parameters (filters and options) whose value was ignored, for the X- header."""
        names = list(self.form.problems)
        names += [name for name, _ in self.options.ignored if name not in names]
        names += [name for name, _ in self.extra if name not in names]
        return names

    @property
    def estimated_height(self) -> int:
        return estimated_height(self.rows, self.options, notices=len(self.notices))

    @property
    def possible_from(self) -> int:
        """Index of the first row that only overlaps the date window (``len(rows)`` when none does)."""
        return next((n for n, row in enumerate(self.rows) if row.first_possible), len(self.rows))


def widget_page(request, query, *, unknown: bool = False) -> WidgetPage:
    """The rows of the widget for ``query`` (the widget's own URL, or the one a snippet will carry).
    ``unknown``: also name the parameters the widget does not know (for its own URL; a caller passing
    a query of its own making has only known ones)."""
    search.refresh_missing_search_text()
    form = FilterForm(query)
    options = EmbedOptions.from_query(query)
    language = language_of(get_language())
    items = form.in_order(form.apply(Item.objects.published()))
    count = items.count()
    paginator = CountedPaginator(items, options.limit, count=count)
    focus = options.focus
    position = position_of(items, focus) if focus else None
    extra = []
    if unknown:
        known = {*PARAMS, *OPTION_PARAMS, "v"}
        for name in query:
            if name not in known:
                shown = name[:40]
                extra.append((shown, _("The unknown option “%(name)s” was ignored.") % {"name": shown}))
    if focus and position is None:
        extra.append(("focus", _("The item “%(id)s” is not in this view, so focus was ignored.") % {"id": focus}))
    if position is not None:
        number = position // options.limit + 1
    else:
        focus = None
        number = min(form.value("page") or 1, paginator.num_pages)
    page = paginator.page(number)
    shown = prime_dates(page.object_list.for_documents())
    rows = [
        widget_item(d, language=language, absolute=request.build_absolute_uri, lang=form.language, focus=focus,
                    possible=only_overlaps(item))
        for item, d in zip(shown, item_documents(shown), strict=True)
    ]
    first = next((row for row in rows if row.possible), None)
    if first is not None:
        first.first_possible = True
    return WidgetPage(
        form=form, options=options, rows=rows, page=page, count=count, number=number, focus=focus, extra=tuple(extra)
    )


def more_url(request, view: WidgetPage) -> str:
    """"Show more" on the first page: the same widget with more items per page, opening at the first new
    one (``focus``), so the reader stays where the list continues. "" when there is nothing to add."""
    options, page = view.options, view.page
    if view.number != 1 or not page.has_next() or options.limit >= MAX_LIMIT:
        return ""
    limit = min(options.limit * 2, MAX_LIMIT)  # one more page of items
    first_new = page.paginator.object_list[options.limit : options.limit + 1].values_list("slug", flat=True).first()
    return widget_url(request, widget_params(view.form, options, limit=str(limit), focus=first_new))


@require_safe
@frameable
@public_cache()
def widget(request):
    view = widget_page(request, request.GET, unknown=True)
    form, options, page, count, number = view.form, view.options, view.page, view.count, view.number
    language = language_of(get_language())
    paginator = page.paginator
    full_query = form.querystring()
    context = {
        "title": title(),
        "html_lang": "zh-Hans" if language == "zh" else "en",
        "theme": options.theme,
        "layout": options.layout,
        "fixed_height": options.height,
        # Our own static file, checked for "</" by widget_css(); escaping would break it and its hash.
        "widget_css": mark_safe(widget_css()[0]),
        "accent_css": options.accent_css,
        "items": view.rows,
        # The items dated inside the period, then those that only overlap it, under their own heading
        # (``first_possible`` starts them; they never come before an item inside it).
        "within_items": view.rows[:view.possible_from],
        "possible_items": view.rows[view.possible_from:],
        "count": count,
        "range": {"first": page.start_index(), "last": page.end_index(), "count": count}
        if paginator.num_pages > 1
        else None,
        "active": form.active(language),
        "notices": view.notices,
        "full_url": request.build_absolute_uri(reverse("timeline:chronology") + (full_query if full_query != "?" else "")),
        "previous_url": widget_url(request, widget_params(form, options, page=number - 1 if number > 2 else None))
        if page.has_previous()
        else "",
        "next_url": widget_url(request, widget_params(form, options, page=number + 1)) if page.has_next() else "",
        "more_url": more_url(request, view),
    }
    response = render(request, "timeline/embed.html", context)
    ignored = view.ignored_params
    if ignored:
        # For the publisher's developer tools: the widget still renders, with the defaults.
        response[IGNORED_HEADER] = ", ".join(ignored)
    return response


# -- the loader -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def loader_source() -> tuple[bytes, str]:
    """The loader script and its ETag (a hash of the file, so a deploy that changes it changes the tag)."""
    path = finders.find(LOADER_STATIC_PATH) or Path(settings.STATIC_ROOT) / LOADER_STATIC_PATH
    body = Path(path).read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


@lru_cache(maxsize=3)
def loader_encoded(encoding: str) -> bytes:
    """The loader script in one content coding, compressed once per process (as the public answers
    are stored compressed once per coding)."""
    body = loader_source()[0]
    return body if encoding == IDENTITY else compress(body, encoding)


def loader_etag(request) -> str:
    """The file's hash; each content coding is its own representation with its own validator, as
    ``timeline.http.request_etag`` names them."""
    encoding = negotiated_encoding(request)
    return loader_source()[1] + ("" if encoding == IDENTITY else f"-{encoding}")


@csrf_exempt  # read-only: other methods get 405, not CSRF's 403
@require_safe
@language_neutral  # the script is the same in every language: no Vary: Accept-Language
@vary_on_headers("Accept-Encoding")  # on the 304 too
@cache_control(public=True, max_age=LOADER_MAX_AGE, s_maxage=LOADER_MAX_AGE, stale_while_revalidate=86400)  # idem
@condition(etag_func=loader_etag)
def loader(request):
    """``/embed.js``: a stable URL (not a hashed static file) that publishers paste once; Brotli or
    gzip where the client accepts it, as the HTML and JSON answers (``timeline.http``'s negotiation
    and coders)."""
    encoding = negotiated_encoding(request)
    response = HttpResponse(loader_encoded(encoding), content_type="text/javascript; charset=utf-8")
    if encoding != IDENTITY:
        response["Content-Encoding"] = encoding
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# -- the TimelineJS export ------------------------------------------------------------------------


@require_safe
@allow_cors
@public_cache()
def timelinejs_export(request):
    """``/api/timelinejs.json``: the filtered chronology in TimelineJS 3's JSON format.

    Strict like the items API: a parameter the page would ignore is a 400 here.
    """
    search.refresh_missing_search_text()
    form = FilterForm(request.GET)
    if form.problems:
        return json_bad_request(form.problems)
    language = language_of(get_language())
    ordered = form.in_order(form.apply(Item.objects.published()))
    items = list(prime_dates(ordered.for_documents()[:TIMELINEJS_LIMIT]))
    documents = item_documents(items)
    # The English translation of each cited span, read from the citations already prefetched.
    translations = {c.pk: c.translation_en for item in items for c in item.citations.all() if c.translation_en}
    active = form.active(language)
    heading = title() + (" · " + ", ".join(a.label for a in active) if active else "")
    home = reverse("timeline:chronology") + (form.querystring() if form.querystring() != "?" else "")
    data = timelinejs.build(
        documents,
        eras=form.choices.eras.values(),
        language=language,
        absolute=request.build_absolute_uri,
        title=heading,
        description=description(),
        home_url=request.build_absolute_uri(home),
        labels={"open_item": _("This item in the sourced chronology"), "home": _("The sourced chronology"),
                "possibly": _("Possibly in this period")},
        translations=translations,
        possible={item.slug for item in items if only_overlaps(item)},
    )
    return json_response(data)
