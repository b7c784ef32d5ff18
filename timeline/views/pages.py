"""Reader pages: the filterable chronology, its print version and the item page.

The chronology view serves both the full page and, for htmx, only the ``results`` partial of the
same template; responses therefore vary on ``HX-Request``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from timeline import charts, search
from timeline.dates import FuzzyDate
from timeline.filters import MULTI_PARAMS, PAGE_SIZE, FilterForm, language_of
from timeline.highlight import Span, highlight
from timeline.http import public_cache
from timeline.models import Era, Item, Status
from timeline.workflow import visible_items

PRINT_LIMIT = 2000
FACET_LIMIT = 20  # values listed per facet (selected ones first, then by count); the rest via search
TEXT_FRAGMENT_WHOLE = 60  # longer quotes become a start,end text fragment


@dataclass
class YearGroup:
    year: int
    items: list[Item] = field(default_factory=list)


@dataclass
class EraGroup:
    era: Era | None
    colour: int = 0
    years: list[YearGroup] = field(default_factory=list)


@lru_cache(maxsize=4096)
def parse_date(edtf: str) -> FuzzyDate:
    """FuzzyDate.parse is slow (the edtf grammar takes ~5 ms); its result is immutable, so share it."""
    return FuzzyDate.parse(edtf)


def prime_dates(items):
    """Fill each item's cached ``date`` from the shared cache; returns the items as a list."""
    items = list(items)
    for item in items:
        item.__dict__["date"] = parse_date(item.date_edtf)
    return items


def group_items(items, colours: dict[int, int]) -> list[EraGroup]:
    """Consecutive items grouped by era, then by the year they start in (order kept)."""
    groups: list[EraGroup] = []
    for item in items:
        if not groups or groups[-1].era != item.era:
            groups.append(EraGroup(item.era, colours.get(item.era_id, 0)))
        years = groups[-1].years
        if not years or years[-1].year != item.date_start.year:
            years.append(YearGroup(item.date_start.year))
        years[-1].items.append(item)
    return groups


def facet_titles() -> list[tuple[str, str]]:
    return [
        ("kind", _("Kind")),
        ("era", _("Era")),
        ("person", _("People")),
        ("org", _("Organisations")),
        ("tag", _("Topics")),
        ("source", _("Sources")),
    ]


def chronology_context(form: FilterForm, *, paginate: bool = True) -> dict:
    """Everything the chronology template shows for a filter form (a constant number of queries)."""
    language = language_of(get_language())
    search.refresh_missing_search_text()
    base = Item.objects.published()
    items = form.apply(base).chronological()
    count = items.count()
    raw = form.facet_counts(base, count=count)
    if paginate:
        page = form.paginate(items, count=count)
        shown = prime_dates(page.object_list.for_documents())
    else:
        page = None
        shown = prime_dates(items.for_documents()[:PRINT_LIMIT])
    eras = list(form.choices.eras.values())
    facets = form.facets(raw, language)
    # Selected values sort first, so the cut never hides one.
    facet_groups = [
        (param, title, facets[param][:FACET_LIMIT], max(0, len(facets[param]) - FACET_LIMIT))
        for param, title in facet_titles()
    ]
    chart = charts.build(
        form.year_bars(raw),
        eras,
        {era.slug: form.querystring(era=[era.slug]) for era in eras},
        language,
    )
    return {
        "form": form,
        "language": language,
        "page": page,
        "count": count,
        "groups": group_items(shown, {era.pk: index % charts.PALETTE_SIZE for index, era in enumerate(eras)}),
        "facet_groups": facet_groups,
        "active_params": {param for param in MULTI_PARAMS if form.value(param)},
        "values": {
            "q": form.value("q") or "",
            "from": form.value("from").edtf if form.value("from") else "",
            "to": form.value("to").edtf if form.value("to") else "",
            "importance": form.value("importance"),
        },
        "key_moments": form.key_moment_count(raw),
        "chart": chart,
        "active": form.active(language),
        "notices": form.notices,
        "printing": not paginate,
        "print_limit": PRINT_LIMIT,
    }


@require_GET
@public_cache()
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def chronology(request):
    form = FilterForm(request.GET)
    template = "timeline/chronology.html"
    fragment = request.htmx and not request.htmx.history_restore_request
    if fragment:
        template += "#results"
    response = render(request, template, chronology_context(form))
    if fragment:
        # The form sends every field, empty ones too; the address bar gets the canonical URL.
        push_url(response, request.path + form.querystring(without=()))
    return response


@require_GET
@public_cache()
def chronology_print(request):
    """The whole filtered chronology on one page, for printing (up to PRINT_LIMIT items)."""
    form = FilterForm(request.GET)
    return render(request, "timeline/print.html", chronology_context(form, paginate=False))


def neighbours(item: Item) -> tuple[Item | None, Item | None, int]:
    """The published items just before and after ``item`` in chronological order, and the page of
    the unfiltered chronology that shows it."""
    published = Item.objects.published().only("slug", "title_en", "title_zh", "date_edtf")
    key = (item.date_start, item.date_precision, item.date_end, item.slug)
    names = ("date_start", "date_precision", "date_end", "slug")

    def beyond(lookup):
        condition = Q()
        for depth in range(len(names)):
            step = Q(**{f"{names[depth]}__{lookup}": key[depth]})
            for before in range(depth):
                step &= Q(**{names[before]: key[before]})
            condition |= step
        return condition

    earlier = published.filter(beyond("lt"))
    previous = earlier.order_by(*(f"-{name}" for name in names)).first()
    following = published.filter(beyond("gt")).order_by(*names).first()
    return previous, following, earlier.count() // PAGE_SIZE + 1


def text_fragment(exact: str) -> str:
    """A ``#:~:text=`` directive for ``exact`` (percent-encoding ``-``, ``&`` and ``,`` as required)."""

    def encode(text: str) -> str:
        return quote(text, safe="").replace("-", "%2D")

    text = " ".join(exact.split())
    if len(text) <= TEXT_FRAGMENT_WHOLE:
        return f"#:~:text={encode(text)}"
    return f"#:~:text={encode(text[:24])},{encode(text[-24:])}"


@dataclass
class CitationView:
    citation: object
    source: object
    passage: object
    html: str
    reader_url: str
    fragment_url: str
    changed: bool = False  # the source changed since it was cited: ``html`` is the verified snapshot


def citation_html(citation) -> tuple[str, bool]:
    """The cited passage with its span marked, and whether it is the snapshot taken when it was verified.

    A citation a re-import left fuzzy or orphaned is never highlighted in the changed text (its offsets
    are a guess there): readers see the passage as it was verified, or only the cited words.
    """
    if citation.verified:
        return highlight(citation.passage.text, [Span(citation.start, citation.end, citation.pk)]), False
    if citation.has_snapshot:
        span = Span(citation.verified_start, citation.verified_end, citation.pk)
        return highlight(citation.verified_text, [span]), True
    return highlight(citation.exact, [Span(0, len(citation.exact), citation.pk)]), True


@require_GET
@public_cache()
def item_detail(request, slug):
    # Staff who may view items preview drafts and items in review here; everyone else gets 404.
    # Only a request carrying a session cookie can be staff: looking at request.user for the others
    # would add "Vary: Cookie" to every public item page and defeat shared caches.
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    items = visible_items(request.user) if signed_in else Item.objects.published()
    try:
        item = items.for_documents().get(slug=slug)
    except Item.DoesNotExist:
        raise Http404("No published item has this id.") from None
    preview = item.status != Status.PUBLISHED
    prime_dates([item])
    previous, following, page_number = neighbours(item)
    prime_dates([p for p in (previous, following) if p])
    citations = []
    for citation in item.citations.all():
        passage = citation.passage
        source = passage.source
        html, changed = citation_html(citation)
        citations.append(
            CitationView(
                citation=citation,
                source=source,
                passage=passage,
                html=html,
                changed=changed,
                reader_url=f"{source.get_absolute_url()}?hl={citation.pk}#p-{passage.ordinal}",
                fragment_url=(source.original_url + text_fragment(citation.exact)) if source.original_url else "",
            )
        )
    response = render(
        request,
        "timeline/item.html",
        {
            "item": item,
            "preview": preview,
            "citations": citations,
            "previous": previous,
            "next": following,
            "chronology_url": reverse("timeline:chronology") + (f"?page={page_number}" if page_number > 1 else ""),
            "language": language_of(get_language()),
        },
    )
    if preview:
        # A preview must never sit in a shared cache where the public could be served it.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
