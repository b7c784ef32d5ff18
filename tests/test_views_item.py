"""The item page `/items/<id>/`: date precision explained, every citation in context, neighbours."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.factories import cite, make_item, make_source
from timeline.filters import PAGE_SIZE
from timeline.models import Item, Status
from timeline.search import refresh_search_text
from timeline.views.pages import text_fragment

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()


def get(client, slug, **params):
    return client.get(f"/items/{slug}/", params)


def test_the_page_shows_title_date_and_summary(client):
    item = Item.objects.published().filter(date_precision=10).first()
    body = get(client, item.slug).content.decode()
    assert f"<h1>{escape(item.title_en)}</h1>" in body
    assert f'<time datetime="{item.date_start:%Y-%m}">{item.date.label_en}</time>' in body
    assert escape(item.summary_en) in body


@pytest.mark.parametrize(
    "date, explanation",
    [
        ("2018", "Year precision: the sources give the year, not the month or day."),
        ("2018-02", "Month precision: the sources give the month, not the day."),
        ("2018-02-10", "Day precision: the sources give the exact day."),
        ("2016~", "The date is approximate."),
        ("2023-11/2024-05", "A period: the sources place it between these dates."),
    ],
)
def test_the_precision_of_the_date_is_explained(client, date, explanation):
    make_item(slug="precise", date=date)
    assert explanation in get(client, "precise").content.decode()


def test_every_citation_shows_its_passage_with_the_cited_span_marked(client):
    item = Item.objects.published().filter(citations__isnull=False).distinct().first()
    body = get(client, item.slug).content.decode()
    for citation in item.citations.select_related("passage__source"):
        assert f'<mark class="cite depth-1">{escape(citation.exact)}</mark>' in body
        reader = f"/sources/{citation.passage.source.key}/?hl={citation.pk}#p-{citation.passage.ordinal}"
        assert f'<a href="{reader}">Read it in context</a>' in body
        assert escape(citation.passage.source.publisher) in body


def test_a_source_with_an_original_url_gets_a_text_fragment_link(client):
    source = make_source(key="with-url", text="OpenAI, a lab — founded in 2015 & funded by Musk.",
                         original_url="https://example.org/article")
    item = make_item(slug="fragment")
    cite(item, source.passages.get(), "a lab — founded in 2015 & funded")
    body = get(client, "fragment").content.decode()
    assert 'href="https://example.org/article#:~:text=a%20lab%20%E2%80%94%20founded%20in%202015%20%26%20funded"' in body


def test_text_fragments_percent_encode_dash_ampersand_and_comma():
    """These three are syntax inside a text directive (prefix-, start,end, &other=)."""
    assert text_fragment("GPT-4, R&D") == "#:~:text=GPT%2D4%2C%20R%26D"


def test_a_long_quote_becomes_a_start_end_text_fragment():
    exact = "甲" * 30 + "乙" * 40
    fragment = text_fragment(exact)
    start, end = fragment.removeprefix("#:~:text=").split(",")
    assert start.count("%E7%94%B2") == 24 and end.count("%E4%B9%99") == 24


def test_no_text_fragment_link_without_an_original_url(client):
    item = Item.objects.published().filter(citations__passage__source__original_url="").first()
    assert ":~:text=" not in get(client, item.slug).content.decode()


def test_people_organisations_and_tags_are_filter_links(client):
    item = Item.objects.published().filter(people__slug="sam-altman", tags__isnull=False).first()
    body = get(client, item.slug).content.decode()
    assert '<a href="/?person=sam-altman">Sam Altman</a>' in body
    tag = item.tags.first()
    assert f'<a href="/?tag={tag.slug}">{escape(tag.name_en)}</a>' in body


def test_a_note_on_the_sources_is_shown(client):
    item = Item.objects.published().exclude(note_en="").first()
    body = get(client, item.slug).content.decode()
    assert "Note on the sources" in body and escape(item.note_en) in body


def test_previous_and_next_follow_the_chronology(client):
    slugs = list(Item.objects.published().chronological().values_list("slug", flat=True))
    middle = slugs[len(slugs) // 2]
    body = get(client, middle).content.decode()
    index = slugs.index(middle)
    assert f'<a rel="prev" href="/items/{slugs[index - 1]}/">' in body
    assert f'<a rel="next" href="/items/{slugs[index + 1]}/">' in body


def test_the_first_item_has_no_previous(client):
    first = Item.objects.published().chronological().first()
    assert 'rel="prev"' not in get(client, first.slug).content.decode()


def test_the_link_back_opens_the_chronology_page_that_shows_the_item(client):
    slugs = list(Item.objects.published().chronological().values_list("slug", flat=True))
    slug = slugs[PAGE_SIZE + 1]
    assert f'<a class="up" href="/?page=2#item-{slug}">' in get(client, slug).content.decode()


def test_a_quote_shows_original_and_translation_in_chinese_too(client):
    quote = Item.objects.published().filter(kind="quote").exclude(quote_translation_en="").first()
    body = get(client, quote.slug, lang="zh").content.decode()
    assert f"<h1>{escape(quote.title_zh)}</h1>" in body
    assert escape(quote.quote_text) in body and escape(quote.quote_translation_en) in body


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_an_unpublished_item_is_not_found(client, status):
    make_item(slug="hidden", status=status)
    assert get(client, "hidden").status_code == 404


def test_an_unknown_item_is_not_found(client):
    assert get(client, "no-such-item").status_code == 404


def test_the_language_is_carried_on_in_links(client):
    item = Item.objects.published().filter(people__slug="sam-altman").first()
    body = get(client, item.slug, lang="zh").content.decode()
    assert re.search(r'href="/\?person=sam-altman&amp;lang=zh"', body)
    assert '<html lang="zh-Hans">' in body


def test_the_item_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """An item with many citations, people and tags costs what one with few does."""
    rich = Item.objects.published().annotate(n=Count("citations") + Count("people")).order_by("-n").first()
    poor = Item.objects.published().annotate(n=Count("citations") + Count("people")).order_by("n").first()
    with CaptureQueriesContext(connection) as baseline:
        get(client, poor.slug)
    with django_assert_num_queries(len(baseline)):
        get(client, rich.slug)
