"""The embeddable widget (``/embed/``), its loader script (``/embed.js``) and the TimelineJS export.

The widget is the only page another site may frame. It takes the chronology's filters (through
:class:`~timeline.filters.FilterForm`) plus its own options (:class:`EmbedOptions`: ``theme``,
``limit``, ``accent``, ``focus``), renders a compact list that works without JavaScript, and links
out to the full site in a new tab with absolute URLs. It never touches the session or the CSRF token,
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
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_safe

from timeline import search, timelinejs
from timeline.documents import item_documents
from timeline.filters import CountedPaginator, FilterForm, language_of
from timeline.http import allow_cors, public_cache
from timeline.models import CHRONOLOGICAL_ORDER, Item
from timeline.views.api import json_bad_request, json_response
from timeline.views.pages import prime_dates

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
THEMES = ("auto", "light", "dark")
# The export is for reuse, not for paging; TimelineJS itself struggles long before this.
TIMELINEJS_LIMIT = 5000
LOADER_STATIC_PATH = "timeline/embed/embed.js"
# Inlined into the widget (allowed by its hash): the first paint then needs no second request.
WIDGET_CSS_STATIC_PATH = "timeline/embed/widget.css"
LOADER_MAX_AGE = 3600

# The widget lives on other people's pages, in their language: its few words are kept here in both
# languages rather than depending on the site's translation catalogue.
UI = {
    "en": {
        "title": "OpenAI chronology",
        "description": "A sourced chronology of OpenAI, 2015–2025: events and quotes, each linked to the sentence "
        "of the Chinese news article it comes from.",
        "item": "item",
        "items": "items",
        "range": "{first}–{last} of {count}",
        "earlier": "Earlier",
        "later": "Later",
        "full": "Open the full chronology",
        "new_tab": "(opens in a new tab)",
        "sources": "Sources:",
        "quote": "Quote",
        "key": "Key moment",
        "empty": "No items match these filters.",
        "ignored": "Ignored:",
        "open_item": "This item in the sourced chronology",
        "home": "The sourced chronology",
    },
    "zh": {
        "title": "OpenAI 大事记",
        "description": "OpenAI 2015–2025 年大事记：每条事件与引语都链接到其所依据的中文新闻原句。",
        "item": "条",
        "items": "条",
        "range": "第 {first}–{last} 条，共 {count} 条",
        "earlier": "更早",
        "later": "更晚",
        "full": "打开完整大事记",
        "new_tab": "（在新标签页中打开）",
        "sources": "来源：",
        "quote": "引语",
        "key": "关键时刻",
        "empty": "没有符合这些筛选条件的条目。",
        "ignored": "已忽略：",
        "open_item": "在大事记中查看此条目",
        "home": "查看附来源的完整大事记",
    },
}


# -- options --------------------------------------------------------------------------------------


class EmbedOptionsForm(forms.Form):
    """The widget's own parameters, validated like the filters (never read from request.GET by hand)."""

    theme = forms.ChoiceField(choices=[(theme, theme) for theme in THEMES], required=False)
    limit = forms.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)
    # #RRGGBB or RRGGBB only: it ends up in a stylesheet, so nothing else may pass.
    accent = forms.RegexField(regex=r"\A#?[0-9A-Fa-f]{6}\Z", required=False, max_length=7)
    focus = forms.SlugField(max_length=120, required=False)


@dataclass(frozen=True)
class EmbedOptions:
    """The clean widget options. Lenient like the page: a bad value is ignored and the default used."""

    theme: str = THEMES[0]
    limit: int = DEFAULT_LIMIT
    accent: str | None = None  # "#rrggbb"
    focus: str | None = None  # an item id

    @classmethod
    def from_query(cls, data) -> EmbedOptions:
        form = EmbedOptionsForm({name: data[name] for name in EmbedOptionsForm.base_fields if name in data})
        form.is_valid()
        clean = form.cleaned_data  # fields that failed validation are simply absent
        accent = clean.get("accent")
        return cls(
            theme=clean.get("theme") or THEMES[0],
            limit=clean.get("limit") or DEFAULT_LIMIT,
            accent="#" + accent.lstrip("#").lower() if accent else None,
            focus=clean.get("focus") or None,
        )

    @property
    def accent_css(self) -> str:
        """The one inline stylesheet of the widget (allowed by its hash in the CSP), or ""."""
        return f":root{{--accent:{self.accent}}}" if self.accent else ""

    def params(self) -> dict[str, str]:
        """The options that differ from the defaults, as URL parameters (``focus`` excluded)."""
        params = {}
        if self.theme != THEMES[0]:
            params["theme"] = self.theme
        if self.limit != DEFAULT_LIMIT:
            params["limit"] = str(self.limit)
        if self.accent:
            params["accent"] = self.accent.lstrip("#")
        return params


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
    quote: str = ""
    quote_language: str = ""
    translation: str = ""
    speaker: str = ""
    sources: list[tuple[str, str]] = field(default_factory=list)


def _pick(text: dict | None, language: str) -> str:
    if not text:
        return ""
    return text.get(language) or text.get("en") or ""


def iso_date(date: dict) -> str:
    """A ``<time datetime>`` value at the date's precision (2018, 2018-02 or 2018-02-10)."""
    return date["start"][: {"year": 4, "month": 7}.get(date["precision"], 10)]


def widget_item(document: dict, *, language: str, absolute, lang_query: str, focus: str | None) -> WidgetItem:
    """A widget row from the item document (the one serializer); one source link per cited passage."""
    sources, seen = [], set()
    for citation in document["citations"]:
        passage = citation["passage"]
        if passage["id"] in seen:
            continue
        seen.add(passage["id"])
        label = f"{timelinejs.source_label(citation['source'])} ¶{passage['ordinal']}"
        path, _, anchor = passage["url"].partition("#")
        sources.append((label, absolute(path) + lang_query + (f"#{anchor}" if anchor else "")))
    quote = document["quote"] or {}
    return WidgetItem(
        id=document["id"],
        kind=document["kind"],
        url=absolute(document["url"]) + lang_query,
        iso_date=iso_date(document["date"]),
        date_label=_pick(document["date"]["label"], language),
        title=_pick(document["title"], language),
        summary=_pick(document["summary"], language),
        importance=document["importance"],
        focused=document["id"] == focus,
        quote=quote.get("text", ""),
        quote_language=quote.get("language", ""),
        translation=(quote.get("translation") or {}).get("en", "") if language == "en" else "",
        speaker=_pick(quote["speaker"]["name"], language) if quote.get("speaker") else "",
        sources=sources,
    )


def position_of(items: QuerySet, slug: str) -> int | None:
    """The 0-based index of item ``slug`` in ``items`` (chronological order), or None if absent."""
    item = items.filter(slug=slug).only(*CHRONOLOGICAL_ORDER).first()
    return None if item is None else items.before(item).count()


def widget_url(request, params: dict) -> str:
    query = urlencode(params, doseq=True)
    return request.build_absolute_uri(reverse("timeline:embed") + (f"?{query}" if query else ""))


def widget_params(form: FilterForm, options: EmbedOptions | None = None, **changes) -> dict:
    """The widget's URL parameters: the clean filters (and language), then the widget options."""
    params = form.params(without=("page",))
    if options is not None:
        params.update(options.params())
    params.update({key: value for key, value in changes.items() if value is not None})
    return params


@require_safe
@frameable
@public_cache()
def widget(request):
    search.refresh_missing_search_text()
    form = FilterForm(request.GET)
    options = embed_options(request)
    language = language_of(get_language())
    ui = UI[language]
    items = form.apply(Item.objects.published()).chronological()
    count = items.count()
    paginator = CountedPaginator(items, options.limit, count=count)
    focus = options.focus
    position = position_of(items, focus) if focus else None
    if position is not None:
        number = position // options.limit + 1
    else:
        focus = None
        number = min(form.value("page") or 1, paginator.num_pages)
    page = paginator.page(number)

    lang_query = f"?lang={form.language}" if form.language else ""
    documents = item_documents(prime_dates(page.object_list.for_documents()))
    rows = [
        widget_item(d, language=language, absolute=request.build_absolute_uri, lang_query=lang_query, focus=focus)
        for d in documents
    ]
    full_query = form.querystring()
    context = {
        "ui": ui,
        "html_lang": "zh-Hans" if language == "zh" else "en",
        "theme": options.theme,
        # Our own static file, checked for "</" by widget_css(); escaping would break it and its hash.
        "widget_css": mark_safe(widget_css()[0]),
        "accent_css": options.accent_css,
        "items": rows,
        "count": count,
        "count_label": f"{count} {ui['item'] if count == 1 else ui['items']}",
        "range_label": ui["range"].format(first=page.start_index(), last=page.end_index(), count=count)
        if paginator.num_pages > 1
        else "",
        "active": form.active(language),
        "notices": form.notices,
        "full_url": request.build_absolute_uri(reverse("timeline:chronology") + (full_query if full_query != "?" else "")),
        "previous_url": widget_url(request, widget_params(form, options, page=number - 1 if number > 2 else None))
        if page.has_previous()
        else "",
        "next_url": widget_url(request, widget_params(form, options, page=number + 1)) if page.has_next() else "",
    }
    return render(request, "timeline/embed.html", context)


# -- the loader -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def loader_source() -> tuple[bytes, str]:
    """The loader script and its ETag (a hash of the file, so a deploy that changes it changes the tag)."""
    path = finders.find(LOADER_STATIC_PATH) or Path(settings.STATIC_ROOT) / LOADER_STATIC_PATH
    body = Path(path).read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]


@csrf_exempt  # read-only: other methods get 405, not CSRF's 403
@require_safe
@condition(etag_func=lambda request: loader_source()[1])
def loader(request):
    """``/embed.js``: a stable URL (not a hashed static file) that publishers paste once."""
    response = HttpResponse(loader_source()[0], content_type="text/javascript; charset=utf-8")
    patch_cache_control(
        response, public=True, max_age=LOADER_MAX_AGE, s_maxage=LOADER_MAX_AGE, stale_while_revalidate=86400
    )
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# -- snippets for the "Embed" dialog --------------------------------------------------------------


@dataclass(frozen=True)
class Snippets:
    """HTML for publishers to paste; templates show it as text (``force_escape``)."""

    widget_url: str
    script: str
    iframe: str
    query: str


def snippets(request, form: FilterForm) -> Snippets:
    """The copy-and-paste code that embeds the chronology with ``form``'s filters."""
    params = widget_params(form)
    query = urlencode(params, doseq=True)
    url = widget_url(request, params)
    loader_url = request.build_absolute_uri(reverse("timeline:embed-js"))
    title = UI[language_of(get_language())]["title"]
    return Snippets(
        widget_url=url,
        script=format_html('<script src="{}" data-timeline="{}" async></script>', loader_url, query),
        iframe=format_html(
            '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy" frameborder="0"></iframe>', url, title
        ),
        query=query,
    )


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
    ui = UI[language]
    items = form.apply(Item.objects.published()).chronological().for_documents()[:TIMELINEJS_LIMIT]
    documents = item_documents(prime_dates(items))
    active = form.active(language)
    title = ui["title"] + (" · " + ", ".join(a.label for a in active) if active else "")
    home = reverse("timeline:chronology") + (form.querystring() if form.querystring() != "?" else "")
    data = timelinejs.build(
        documents,
        eras=form.choices.eras.values(),
        language=language,
        absolute=request.build_absolute_uri,
        title=title,
        description=ui["description"],
        home_url=request.build_absolute_uri(home),
        labels=ui,
    )
    return json_response(data)
