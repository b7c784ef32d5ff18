"""Search: script- and case-insensitive substring matching on a normalised, denormalised column."""

import pytest
from django.core.cache import cache

from tests.factories import make_entity, make_item
from timeline import search
from timeline.models import Item, Tag


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_normalize_folds_script_case_and_width():
    """Traditional → simplified, casefold, NFKC (full-width letters), single spaces."""
    assert search.normalize("奧特曼  ALTMAN　ＧＰＴ－５") == "奥特曼 altman gpt-5"


def test_query_terms_are_distinct_and_longest_first():
    assert search.query_terms("董事會 gpt 董事会 GPT") == ["董事会", "gpt"]


def test_query_terms_are_capped():
    """A pathological query cannot turn into hundreds of LIKE clauses."""
    assert len(search.query_terms(" ".join(f"w{n}" for n in range(50)))) == search.MAX_TERMS


@pytest.mark.parametrize(
    ("text", "ids"),
    [("1,2,3", [1, 2, 3]), ("1, 2 ,3", [1, 2, 3]), ("7", [7]), ("1,2,", [1, 2]), ("", []), (None, [])],
)
def test_the_ids_of_one_comma_separated_value(text, ids):
    """group_concat/array_to_string output parsed in one pass; odd spacing and a trailing comma too."""
    assert search._id_array(text).tolist() == ids


def test_an_id_list_that_is_not_ids_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        search._id_array("1,x")


@pytest.mark.django_db
def test_search_text_covers_every_searchable_field_one_line_each():
    speaker = make_entity(slug="speaker", name_en="Ada Speaker", name_zh="艾达", aliases=["阿達"])
    item = make_item(
        slug="searchable", kind="quote", speaker=speaker, quote_text="我們會成功", quote_language="zh-Hant",
        quote_translation_en="We will succeed", title_en="Title EN", title_zh="標題",
    )
    item.tags.add(Tag.objects.get(slug="safety"))
    item.organizations.add(make_entity(slug="org-x", kind="organization", name_en="Org X", name_zh="某公司"))
    lines = search.search_text_for(item).split("\n")
    assert lines[:2] == ["title en", "标题"]
    for expected in ["我们会成功", "we will succeed", "ada speaker", "阿达", "org x", "某公司", "safety", "安全与对齐"]:
        assert expected in lines


@pytest.mark.django_db
def test_refresh_search_text_writes_only_changed_rows():
    item = make_item(slug="fresh")
    assert search.refresh_search_text([item]) == 1
    assert search.refresh_search_text([item]) == 0
    item.refresh_from_db()
    assert item.search_text.startswith("title fresh\n标题 fresh")


@pytest.mark.django_db
def test_rows_without_search_text_are_filled_lazily():
    """A write path that forgot the refresh leaves search_text empty; the next read fills it."""
    item = make_item(slug="forgotten", title_en="Forgotten Zebra")
    Item.objects.filter(pk=item.pk).update(search_text="")
    search.refresh_missing_search_text()
    assert "forgotten zebra" in Item.objects.get(pk=item.pk).search_text


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["奥特曼", "奧特曼", "altman", "ALTMAN"])
def test_simplified_traditional_and_latin_names_find_the_same_items(query):
    """The sources write 奧特曼 (traditional) and 奥特曼 (simplified); readers may type either, or Altman."""
    search.refresh_search_text()
    found = set(search.matching(Item.objects.published(), query).values_list("slug", flat=True))
    altman = set(Item.objects.published().filter(people__slug="sam-altman").values_list("slug", flat=True))
    assert altman <= found
    assert found == set(search.matching(Item.objects.published(), "奥特曼").values_list("slug", flat=True))


@pytest.mark.django_db
def test_chinese_substrings_match_without_word_segmentation():
    """A fragment of a word (“董事”) finds what contains the whole word (“董事会”)."""
    make_item(slug="board-zh", title_zh="董事会罢免了首席执行官")
    search.refresh_search_text(Item.objects.filter(slug="board-zh"))
    assert list(search.matching(Item.objects.filter(slug="board-zh"), "董事").values_list("slug", flat=True)) == [
        "board-zh"
    ]


@pytest.mark.django_db
def test_like_wildcards_in_a_query_are_literal():
    """% and _ are matched as characters, not as SQL wildcards."""
    make_item(slug="percent", title_en="Up 100% in a year")
    make_item(slug="plain", title_en="Up 1000 in a year")
    search.refresh_search_text(Item.objects.filter(slug__in=["percent", "plain"]))
    found = search.matching(Item.objects.filter(slug__in=["percent", "plain"]), "100%")
    assert list(found.values_list("slug", flat=True)) == ["percent"]


def test_highlight_marks_matches_whatever_the_script_and_case():
    """The reader typed simplified and lower case; the text is traditional and capitalised."""
    html = search.highlight("奧特曼說 Altman said", "奥特曼 ALTMAN")
    assert html == "<mark>奧特曼</mark>說 <mark>Altman</mark> said"


def test_highlight_escapes_the_text_around_and_inside_marks():
    assert search.highlight("<b>AI</b> & <i>", "ai") == "&lt;b&gt;<mark>AI</mark>&lt;/b&gt; &amp; &lt;i&gt;"
    assert search.highlight("x<script>", "<script") == "x<mark>&lt;script</mark>&gt;"


def test_highlight_merges_overlapping_terms_and_leaves_unmatched_text_alone():
    assert search.highlight("董事会成员", "董事 事会") == "<mark>董事会</mark>成员"
    assert search.highlight("nothing here", "zebra") == "nothing here"
    assert search.highlight("text", "") == "text"


@pytest.mark.django_db
def test_the_chronology_marks_search_terms_in_results(client):
    html = client.get("/?q=奥特曼&lang=zh").content.decode()
    assert "<mark>奧特曼</mark>" in html or "<mark>奥特曼</mark>" in html
    assert "<mark>" not in client.get("/?lang=zh").content.decode()
