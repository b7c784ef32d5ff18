"""The source reader `/sources/<id>/` and the highlighting of cited spans in untrusted text."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import cite, make_item, make_source
from timeline.highlight import Span, highlight, segments
from timeline.models import Citation, Item, Status
from timeline.search import refresh_search_text

HOSTILE = 'Before <script>alert("x")</script> & after, 奧特曼 "quoted".'


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()


def test_overlapping_spans_split_the_text_at_every_boundary():
    """[0,10) and [5,15) give four segments covered by 1, 2, 1 and 0 spans."""
    parts = segments("abcdefghijklmnopqrst", [Span(0, 10, 1), Span(5, 15, 2)])
    assert [(p.text, [s.key for s in p.spans]) for p in parts] == [
        ("abcde", [1]),
        ("fghij", [1, 2]),
        ("klmno", [2]),
        ("pqrst", []),
    ]


def test_nested_and_identical_spans():
    parts = segments("0123456789", [Span(2, 8, "outer"), Span(4, 6, "inner"), Span(4, 6, "twin")])
    assert [(p.text, len(p.spans)) for p in parts] == [("01", 0), ("23", 1), ("45", 3), ("67", 1), ("89", 0)]


def test_spans_outside_the_text_are_clamped_or_dropped():
    assert [p.text for p in segments("abc", [Span(1, 99, 1), Span(50, 60, 2)])] == ["a", "bc"]


def test_highlighting_escapes_the_text_and_marks_overlaps():
    html = str(highlight(HOSTILE, [Span(0, 20, 7), Span(7, 35, 8)], current=8))
    assert "<script>" not in html
    assert html == (
        '<span id="c-7" class="anchor"></span><mark class="cite depth-1">Before </mark>'
        '<span id="c-8" class="anchor"></span><mark class="cite depth-2 current">&lt;script&gt;alert</mark>'
        '<mark class="cite depth-1 current">(&quot;x&quot;)&lt;/script&gt; </mark>'
        "&amp; after, 奧特曼 &quot;quoted&quot;."
    )


def test_highlighting_counts_code_points_like_the_selectors():
    """𠀋 and 🚀 are one code point each: the mark starts where Python's offsets say."""
    html = str(highlight("𠀋字🚀之後", [Span(3, 5, 1)]))
    assert html.endswith('<mark class="cite depth-1">之後</mark>') and html.startswith("𠀋字🚀")


@pytest.mark.django_db
def test_the_reader_marks_overlapping_citations_in_hostile_text_safely(client):
    source = make_source(key="hostile", text=f"First passage.\n\n{HOSTILE}")
    passage = source.passages.get(ordinal=2)
    one, two = make_item(slug="one", date="2020"), make_item(slug="two", date="2021")
    cite(one, passage, 'Before <script>alert("x")')
    cite(two, passage, '<script>alert("x")</script> & after')
    body = client.get("/sources/hostile/").content.decode()
    assert '<script>alert("x")' not in body
    assert '<mark class="cite depth-2">&lt;script&gt;alert(&quot;x&quot;)</mark>' in body
    assert '<mark class="cite depth-1">&lt;/script&gt; &amp; after</mark>' in body


@pytest.mark.django_db
def test_each_cited_passage_links_back_to_the_items_that_cite_it(client):
    source = make_source(key="cited", text="One.\n\n第二段有日期：2015年12月，OpenAI 成立。")
    passage = source.passages.get(ordinal=2)
    for n, date in enumerate(["2015-12", "2015", "2016"]):
        cite(make_item(slug=f"citer-{n}", date=date), passage, "OpenAI 成立")
    body = client.get("/sources/cited/").content.decode()
    assert "cited by 3 items" in body
    # Chronological: the year 2015 sorts before its December.
    assert body.index("/items/citer-1/") < body.index("/items/citer-0/") < body.index("/items/citer-2/")
    assert 'id="p-1" class="passage"' in body and 'id="p-2" class="passage cited"' in body


@pytest.mark.django_db
def test_citations_of_unpublished_items_are_not_shown(client):
    source = make_source(key="drafts")
    cite(make_item(slug="draft", status=Status.DRAFT), source.passages.get(ordinal=2), "OpenAI 成立")
    body = client.get("/sources/drafts/").content.decode()
    assert "<mark" not in body and "/items/draft/" not in body


@pytest.mark.django_db
def test_hl_marks_the_citation_the_reader_came_for(client):
    citation = Citation.objects.filter(item__status="published").select_related("passage__source").first()
    key = citation.passage.source.key
    body = client.get(f"/sources/{key}/", {"hl": citation.pk}).content.decode()
    assert f'<span id="c-{citation.pk}" class="anchor"></span>' in body
    assert re.search(r'<mark class="cite depth-\d current">', body)
    assert f'id="p-{citation.passage.ordinal}" class="passage cited current"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1" * 30, "-1", "%00"])
def test_an_unusable_hl_is_ignored_with_a_notice(client, value):
    response = client.get("/sources/q-star-exposed/", {"hl": value})
    assert response.status_code == 200
    assert "“hl” must be a citation number; it was ignored." in response.content.decode()


@pytest.mark.django_db
def test_an_hl_of_another_source_is_ignored_with_a_notice(client):
    response = client.get("/sources/q-star-exposed/", {"hl": "999999"})
    assert "There is no published citation 999999 in this source." in response.content.decode()


@pytest.mark.django_db
def test_the_real_article_shows_metadata_and_marks_its_citations(client):
    body = client.get("/sources/netease-openai-idealists/").content.decode()
    assert "遠川科技評論" in body and '<dt>Reference date</dt>' in body
    cited = Item.objects.published().filter(citations__passage__source__key="netease-openai-idealists").count()
    assert body.count('<mark class="cite') >= 1 and cited > 0


@pytest.mark.django_db
def test_an_unknown_source_is_not_found(client):
    assert client.get("/sources/no-such-source/").status_code == 404


@pytest.mark.django_db
def test_the_reader_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """97 passages with many citations cost what 3 passages do."""
    with CaptureQueriesContext(connection) as baseline:
        client.get("/sources/fisherdaddy-05/")
    with django_assert_num_queries(len(baseline)):
        client.get("/sources/netease-openai-idealists/")
