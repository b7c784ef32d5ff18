"""check_provenance: the shipped data passes, and each kind of broken provenance is caught."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import cite, make_entity, make_item, make_source
from timeline.models import Citation, Item
from timeline.provenance import check

pytestmark = pytest.mark.django_db


def run_check() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("check_provenance", stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


def test_the_shipped_chronology_passes():
    ok, report = run_check()
    assert ok, report
    items, citations, problems = check()
    assert items == Item.objects.count() >= 85 and citations >= items
    assert [p for p in problems if p.fatal] == []
    assert "0 errors" in report


def test_a_citation_moved_off_its_text_fails_the_check():
    citation = next(
        c for c in Citation.objects.filter(item__status="published").select_related("item", "passage")
        if c.start > 0
    )
    Citation.objects.filter(pk=citation.pk).update(start=citation.start - 1, end=citation.end - 1)
    ok, report = run_check()
    assert not ok
    assert f"ERROR {citation.item.slug}:" in report and "not the cited" in report


def test_a_published_item_without_an_exact_citation_fails():
    make_item(slug="unsourced-claim")
    ok, report = run_check()
    assert not ok and "ERROR unsourced-claim: has no exact citation" in report


def test_a_draft_problem_is_a_warning_only():
    make_item(slug="draft-claim", status="draft")
    ok, report = run_check()
    assert ok and "warning draft-claim: has no exact citation" in report


def test_a_quote_that_is_not_verbatim_fails():
    quote = Item.objects.filter(kind="quote", status="published").first()
    Item.objects.filter(pk=quote.pk).update(quote_text=quote.quote_text + "!")
    ok, report = run_check()
    assert not ok and f"ERROR {quote.slug}: the quote text is not verbatim" in report


def test_an_item_dated_after_its_sources_fails():
    source = make_source(key="dated-source")
    item = make_item(slug="from-the-future", date="2030")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    ok, report = run_check()
    assert not ok and "ERROR from-the-future: is dated 2030, after the latest publication" in report


def test_a_citation_into_site_chrome_fails():
    """Text that cleaning removes (a share widget, a gloss) must never carry a claim."""
    source = make_source(key="chrome-source", text="分享至\n\n網(wǎng)易首頁的正文。")
    item = make_item(slug="cites-chrome")
    cite(item, source.passages.get(ordinal=1), "分享至")
    speaker = make_entity()
    quote = make_item(slug="cites-gloss", kind="quote", quote_text="網(wǎng)易", quote_language="zh-Hant", speaker=speaker)
    cite(quote, source.passages.get(ordinal=2), "網(wǎng)易")
    ok, report = run_check()
    assert not ok
    assert "ERROR cites-chrome:" in report and "site chrome (share widget)" in report
    assert "ERROR cites-gloss:" in report and "pinyin gloss" in report


@pytest.mark.django_db
def test_a_citation_on_a_page_kept_as_html_maps_back():
    """A source imported from HTML keeps the page; a citation across an entity (&rsquo;) still checks out,
    and the item cannot be published while the source is unpublished."""
    from pathlib import Path

    from tests.factories import cite, make_item
    from timeline.ingest.article import read_article
    from timeline.ingest.pipeline import import_new_article
    from timeline.models import Source
    from timeline.provenance import item_problems

    name = "techcrunch-devday.html"
    raw = (Path(__file__).parent / "data" / "pages" / name).read_bytes()
    import_new_article(read_article(raw, file_name=name).prepared("techcrunch-devday"))
    source = Source.objects.get(key="techcrunch-devday")
    assert "&rsquo;" in source.raw_text
    item = make_item(slug="devday", date="2023-11-06")
    cite(item, source.passages.get(ordinal=1), "the company’s first-ever developer conference",
         translation="the company’s first-ever developer conference")
    assert [p.message for p in item_problems(item)] == [
        "citation of techcrunch-devday ¶1: the source 'techcrunch-devday' is not published on the site yet",
        "has no exact citation",
    ]
    source.is_public = True
    source.save()
    assert item_problems(item) == []
