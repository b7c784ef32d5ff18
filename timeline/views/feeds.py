"""Atom (``/feed.atom``) and JSON Feed 1.1 (``/feed.json``) of the published chronology.

Entries are the newest ``FEED_LIMIT`` published items by when they went public on the site
(``Item.published_at``), not by the date of the event: a feed tells subscribers what is new. The
chronology's filter parameters apply (``/feed.atom?person=sam-altman``), strictly as in the API: an
unusable parameter is a 400, so a subscription never silently widens to every item. Both formats
are built from the one item document (``timeline.documents.item_document``) through
:func:`entry`; the JSON Feed also carries the whole document as the ``_timeline`` extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from timeline.documents import first_citation_per_passage, item_document
from timeline.filters import FilterForm, language_of
from timeline.http import allow_cors, public_cache
from timeline.models import CHRONOLOGICAL_ORDER
from timeline.views.catalog import filtered_items
from timeline.views.pages import prime_dates

FEED_LIMIT = 50
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"


@dataclass
class Entry:
    """What both feed formats say about one item, derived from its item document."""

    document: dict
    url: str
    title: str
    summary_text: str
    content_html: str
    tags: list[str]
    published: datetime
    updated: datetime
    language: str


def _pick(bilingual: dict, language: str) -> str:
    return (bilingual.get("zh") if language == "zh" else "") or bilingual.get("en", "")


def entry(item, request, language: str) -> Entry:
    """The feed entry of a published item: its date label, title, summary, quote and sources."""
    document = item_document(item)
    label = _pick(document["date"]["label"], language)
    title = _pick(document["title"], language)
    summary = _pick(document["summary"], language)
    quote = document["quote"]
    parts = [format_html("<p><strong>{}</strong></p>", label)]
    if quote:
        speaker = _pick(quote["speaker"]["name"], language) if quote["speaker"] else ""
        parts.append(format_html("<blockquote lang=\"{}\">{}</blockquote><p>— {}</p>",
                                 quote["language"], quote["text"], speaker))
        if quote["translation"]["en"] and language == "en":
            parts.append(format_html("<p>{}</p>", quote["translation"]["en"]))
    if summary:
        parts.append(format_html("<p>{}</p>", summary))
    sources = first_citation_per_passage(document)
    if sources:
        parts.append(format_html("<p>{}</p>", _("Sources:")))
        parts.append(
            format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    '<li><a href="{}">{} ¶{}</a></li>',
                    (
                        (request.build_absolute_uri(c["url"]), c["source"]["title"], c["passage"]["ordinal"])
                        for c in sources
                    ),
                ),
            )
        )
    text = f"{label}. {summary}" if summary else label
    return Entry(
        document=document,
        url=request.build_absolute_uri(document["url"]),
        title=f"{label}: {title}",
        summary_text=text,
        content_html="".join(str(part) for part in parts),
        tags=[_pick(tag["name"], language) for tag in document["tags"]],
        published=item.published_at or item.updated_at,
        updated=item.updated_at,
        language="zh-Hans" if language == "zh" else "en",
    )


def newest_first(items: QuerySet) -> QuerySet:
    # Published together (a chronology load): latest in the chronology first.
    return items.order_by(F("published_at").desc(nulls_last=True), *(f"-{name}" for name in CHRONOLOGICAL_ORDER))


def feed_entries(request, items: QuerySet) -> list[Entry]:
    language = language_of(get_language())
    shown = prime_dates(newest_first(items).for_documents()[:FEED_LIMIT])
    return [entry(item, request, language) for item in shown]


def feed_title(form: FilterForm) -> str:
    title = _("OpenAI chronology")
    active = form.active(language_of(get_language()))
    if active:
        title += " — " + ", ".join(f.label for f in active)
    return title


def home_url(request, form: FilterForm) -> str:
    query = form.querystring(without=("page",))
    return request.build_absolute_uri(reverse("timeline:chronology") + (query if query != "?" else ""))


def feed_description() -> str:
    return _("New and updated items of a sourced chronology of OpenAI, each citing its source sentence.")


def bad_request(problems: dict) -> HttpResponse:
    lines = [f"{param}: {message}" for param, messages in problems.items() for message in messages]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


class AtomFeed(Feed):
    """One per request: it holds the request's filter form and items."""

    feed_type = Atom1Feed

    def __init__(self, request, form: FilterForm, items: QuerySet):
        super().__init__()
        self.request, self.form, self.filtered = request, form, items
        self.language = "zh-Hans" if language_of(get_language()) == "zh" else "en"

    def get_object(self, request, *args, **kwargs):
        return self.form

    def title(self, form):
        return feed_title(form)

    def subtitle(self, form):
        return feed_description()

    def link(self, form):
        return home_url(self.request, form)

    def feed_url(self, form):
        return self.request.build_absolute_uri()

    def feed_guid(self, form):
        return self.request.build_absolute_uri()

    def items(self, form):
        return feed_entries(self.request, self.filtered)

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.content_html

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.url

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.tags


@require_safe
@allow_cors
@public_cache()
def atom_feed(request):
    form, items = filtered_items(request)
    if items is None:
        return bad_request(form.problems)
    return AtomFeed(request, form, items)(request)


@require_safe
@allow_cors
@public_cache()
def json_feed(request):
    form, items = filtered_items(request)
    if items is None:
        return bad_request(form.problems)
    entries = feed_entries(request, items)
    language = language_of(get_language())
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed_title(form),
        "home_page_url": home_url(request, form),
        "feed_url": request.build_absolute_uri(),
        "description": feed_description(),
        "language": "zh-Hans" if language == "zh" else "en",
        "items": [
            {
                "id": e.url,
                "url": e.url,
                "title": e.title,
                "content_html": e.content_html,
                "summary": e.summary_text,
                "date_published": e.published.isoformat(),
                "date_modified": e.updated.isoformat(),
                "tags": e.tags,
                "language": e.language,
                "_timeline": e.document,
            }
            for e in entries
        ],
    }
    return JsonResponse(data, content_type=JSON_FEED_TYPE, json_dumps_params={"ensure_ascii": False})
