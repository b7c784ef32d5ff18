"""The one filter form: parsing, leniency (notices) and strictness (problems), queries and facets.

Runs against the shipped chronology; expected values are computed from the database with plain ORM
queries, so the assertions stay exact when editors add items.
"""

import datetime

import pytest
from django.core.cache import cache
from django.http import QueryDict

from tests.factories import make_entity, make_item
from timeline.filters import PARAMS, FilterForm
from timeline.models import Citation, Item
from timeline.search import refresh_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts are cached across requests; every test starts without them."""
    cache.clear()


def form_for(query: str) -> FilterForm:
    return FilterForm(QueryDict(query))


def published():
    return Item.objects.published()


def test_parameter_names_are_the_public_contract():
    """Page, API, embed and feeds share these names; renaming one breaks every shared URL."""
    assert PARAMS == ("q", "kind", "era", "person", "org", "speaker", "tag", "source", "from", "to", "importance",
                      "lang", "page", "sort")


def test_a_person_filter_keeps_only_items_with_that_person():
    """`person` takes the entity id of the item document."""
    form = form_for("person=sam-altman")
    expected = set(published().filter(people__slug="sam-altman").values_list("slug", flat=True))
    assert form.notices == [] and form.problems == {}
    assert set(form.apply(published()).values_list("slug", flat=True)) == expected
    assert len(expected) > 10


def test_repeating_a_parameter_means_any_of_its_values():
    """person=a&person=b is a union, not an intersection."""
    form = form_for("person=sam-altman&person=elon-musk")
    expected = set(
        published().filter(people__slug__in=["sam-altman", "elon-musk"]).values_list("slug", flat=True)
    )
    assert set(form.apply(published()).values_list("slug", flat=True)) == expected


def test_different_parameters_combine_with_and():
    form = form_for("person=sam-altman&era=board-crisis")
    expected = set(
        published().filter(people__slug="sam-altman", era__slug="board-crisis").values_list("slug", flat=True)
    )
    assert set(form.apply(published()).values_list("slug", flat=True)) == expected
    assert expected


def test_a_year_range_matches_items_whose_dates_overlap_it():
    """from=2016&to=2017 keeps an item dated 2015/2017-03 (it overlaps) and drops one dated 2018."""
    form = form_for("from=2016&to=2017")
    found = set(form.apply(published()).values_list("slug", flat=True))
    expected = set(
        published()
        .filter(date_end__gte=datetime.date(2016, 1, 1), date_start__lte=datetime.date(2017, 12, 31))
        .values_list("slug", flat=True)
    )
    assert found == expected
    assert "openai-without-strategy" in found  # 2015/2017-03


def test_from_and_to_take_edtf_dates_at_their_own_precision():
    """`to=2023-11` ends on 30 November, `from=2023-11-17` starts on that day."""
    form = form_for("from=2023-11-17&to=2023-11")
    assert form.value("from").start == datetime.date(2023, 11, 17)
    assert form.value("to").end == datetime.date(2023, 11, 30)
    assert form.notices == []


def test_to_before_from_is_ignored_with_a_notice():
    form = form_for("from=2020&to=2018")
    assert form.value("from").edtf == "2020" and form.value("to") is None
    assert form.notices == ["“to” (2018) is before “from” (2020), so it was ignored."]
    assert list(form.problems) == ["to"]


def test_an_unknown_id_is_dropped_and_the_known_ones_kept():
    form = form_for("person=sam-altman&person=nobody")
    assert form.value("person") == ["sam-altman"]
    assert form.notices == ["Unknown person “nobody” was ignored."]
    assert form.problems == {"person": ["Unknown person “nobody”: refused."]}


def test_an_unparseable_year_is_ignored_with_a_notice():
    form = form_for("from=abc")
    assert form.value("from") is None
    assert form.notices == ["“from” was ignored: It is not a year or a date (use 2018, 2018-02 or 2018-02-10)."]


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999999"])
def test_an_unusable_page_number_is_ignored(page):
    form = form_for(f"page={page}")
    assert form.value("page") is None
    assert list(form.problems) == ["page"]


def test_a_very_long_search_is_ignored_rather_than_scanned():
    form = form_for("q=" + "x" * 10_000)
    assert form.value("q") is None
    assert list(form.problems) == ["q"]


@pytest.mark.parametrize("value", ["a\x00b", "\ufffd"])
def test_nul_and_undecodable_bytes_in_a_search_are_ignored(value):
    """A NUL cannot be stored or searched; U+FFFD is what an unpaired surrogate (%ED%A0%80) decodes to."""
    form = FilterForm({"q": value})
    assert form.value("q") is None
    assert form.notices == ["“q” was ignored: It contains characters that are not text."]


def test_more_than_twenty_values_of_one_parameter_are_refused():
    form = form_for("&".join(f"tag=t{n}" for n in range(21)))
    assert form.value("tag") == []
    assert list(form.problems) == ["tag"]


def test_parameters_the_form_does_not_know_are_left_alone():
    """utm_source and friends are not filters and not errors."""
    form = form_for("utm_source=newsletter&person=sam-altman")
    assert form.problems == {} and form.params() == {"person": ["sam-altman"]}


def test_the_query_string_is_canonical_and_drops_the_page_on_change():
    form = form_for("page=2&tag=safety&person=sam-altman&lang=zh")
    assert form.querystring() == "?person=sam-altman&tag=safety&lang=zh"
    assert form.querystring(page=3, without=()) == "?person=sam-altman&tag=safety&lang=zh&page=3"


def test_each_active_filter_has_a_link_that_removes_only_itself():
    form = form_for("person=sam-altman&person=elon-musk&from=2015&importance=3")
    active = {(a.param, a.value): a for a in form.active("en")}
    assert active[("person", "elon-musk")].label == "Elon Musk"
    assert active[("person", "elon-musk")].clear_url == "?person=sam-altman&from=2015&importance=3"
    assert active[("from", "2015")].clear_url == "?person=sam-altman&person=elon-musk&importance=3"
    assert active[("importance", "3")].label == "key moments only"
    assert form.active("zh")[0].label == "萨姆·奥特曼"


def test_facet_counts_reflect_the_other_filters_but_not_their_own():
    """With person=sam-altman, the person facet still counts every person (to widen the choice),
    while the era facet counts only Altman's items."""
    form = form_for("person=sam-altman")
    raw = form.raw_facets(published())
    altman = published().filter(people__slug="sam-altman")
    crisis = altman.filter(era__slug="board-crisis").count()
    assert raw["era"][altman.filter(era__slug="board-crisis").first().era_id] == crisis
    musk_everywhere = published().filter(people__slug="elon-musk").count()
    musk_pk = form.choices.entities["elon-musk"].pk
    assert raw["person"][musk_pk] == musk_everywhere
    facets = {v.value: v for v in form.facets(raw, "en")["person"]}
    assert facets["sam-altman"].selected and facets["sam-altman"].count == altman.count()
    assert facets["sam-altman"].label == "Sam Altman"


def test_the_source_facet_counts_items_not_citations():
    """An item citing three passages of one article counts once for that article."""
    form = form_for("")
    raw = form.raw_facets(published())
    source = form.choices.sources["netease-openai-idealists"]
    expected = Citation.objects.filter(passage__source=source, item__status="published").values("item").distinct()
    assert raw["source"][source.pk] == expected.count()


def test_the_axis_rows_count_an_interval_once():
    """The axis gets one row per distinct date range, not one per year an interval touches."""
    make_item(slug="spanning", date="2030/2032", importance=3)
    raw = form_for("").raw_facets(published())
    rows = [row for row in raw["dates"] if row[0].year >= 2030]
    assert rows == [(datetime.date(2030, 1, 1), datetime.date(2032, 12, 31), False, 3, 1)]
    assert sum(row[4] for row in raw["dates"]) == published().count()


def test_speaker_filter_keeps_what_a_person_said_not_what_was_said_about_them():
    form = form_for("speaker=ilya-sutskever")
    quotes = form.apply(published())
    expected = published().filter(speaker__slug="ilya-sutskever")
    assert expected.exists()
    assert set(quotes.values_list("slug", flat=True)) == set(expected.values_list("slug", flat=True))
    about = published().filter(people__slug="ilya-sutskever").exclude(speaker__slug="ilya-sutskever")
    assert about.exists() and not quotes.filter(pk__in=about).exists()


def test_an_unknown_speaker_is_ignored_with_a_notice():
    form = form_for("speaker=nobody")
    assert form.problems == {"speaker": ["Unknown speaker “nobody”: refused."]}


def test_kind_and_importance_filters():
    quotes = form_for("kind=quote").apply(published())
    assert set(quotes.values_list("kind", flat=True)) == {"quote"}
    keys = form_for("importance=3").apply(published())
    assert set(keys.values_list("importance", flat=True)) == {3}


def test_organisation_and_tag_and_source_filters_use_document_ids():
    org = form_for("org=microsoft").apply(published())
    assert set(org.values_list("slug", flat=True)) == set(
        published().filter(organizations__slug="microsoft").values_list("slug", flat=True)
    )
    tag = form_for("tag=safety").apply(published())
    assert tag.count() == published().filter(tags__slug="safety").count() > 0
    source = form_for("source=q-star-exposed").apply(published())
    assert source.count() == published().filter(citations__passage__source__key="q-star-exposed").distinct().count()


def test_search_terms_all_have_to_match():
    entity = make_entity(slug="zz-person", name_en="Zed Zulu", name_zh="泽祖")
    item = make_item(slug="zz-item", title_en="Zed Zulu meets the board")
    item.people.add(entity)
    from timeline.search import refresh_search_text

    refresh_search_text([item])
    assert list(form_for("q=zulu board").apply(published()).values_list("slug", flat=True)) == ["zz-item"]
    assert not form_for("q=zulu nonsense").apply(published()).exists()


def test_ids_that_only_drafts_use_are_unknown():
    """A filter prints its value's name; a name only drafts use is not public yet."""
    secret = make_entity(slug="secret-person", name_en="Secret Person", name_zh="秘密")
    draft = make_item(slug="draft-with-secret", status="draft")
    draft.people.add(secret)
    form = form_for("person=secret-person")
    assert form.value("person") == []
    assert form.notices == ["Unknown person “secret-person” was ignored."]
    published = make_item(slug="published-with-secret")
    published.people.add(secret)
    assert form_for("person=secret-person").value("person") == ["secret-person"]


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2018-21", "2018-21 is an EDTF season or part of a year, which is not supported"),
        ("201X", "201X has unspecified digits (X), which are not supported"),
        ("2016-XX", "2016-XX has unspecified digits (X), which are not supported"),
        ("2019/..", "2019/.. has an open end (..), which is not supported"),
        ("2015-02-30", "2015-02-30 is not a real date: February 2015 has no day 30"),
        ("0900", "0900 has a year outside 1000–2999"),
    ],
)
def test_a_refused_date_says_the_specific_reason(client, value, reason):
    form = form_for(f"from={value}")
    assert form.value("from") is None
    assert form.notices == [f"“from” was ignored: {reason} (use 2018, 2018-02 or 2018-02-10)."]
    assert reason in client.get("/", {"from": value}).content.decode().replace("&#x27;", "'")
    assert client.get("/api/items/", {"from": value}).json()["detail"]["from"] == [
        f"“from” was refused: {reason} (use 2018, 2018-02 or 2018-02-10)."
    ]


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2018-21", "2018-21 是 EDTF 的季节或年内时段，本站不支持"),
        ("2015-02-30", "2015-02-30 不是真实存在的日期：2015 年二月没有 30 日"),
    ],
)
def test_the_specific_reason_is_translated_for_chinese_readers(client, value, reason):
    page = client.get("/", {"from": value, "lang": "zh"}).content.decode().replace("&#x27;", "'")
    assert reason in page
    assert "is not supported" not in page and "has no day" not in page


@pytest.mark.parametrize("query", [
    "", "person=sam-altman", "person=sam-altman&era=board-crisis&lang=zh", "tag=safety&importance=2",
    "kind=quote", "source=netease-openai-idealists&person=elon-musk", "from=2023&to=2023",
])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_facet_values_are_every_counted_or_selected_value_by_count_then_name(query, language):
    """Each multi-valued facet lists every value with items under the other filters, and the selected
    ones even without; most items first, then by name (casefolded), then in the choices' order.
    Checked against every value there is, one by one (the facet reads only the values it counts)."""
    form = form_for(query)
    raw = form.raw_facets(published())
    facets = form.facets(raw, language)
    for param in ("person", "org", "speaker", "tag", "source"):
        selected = set(form.value(param))
        counts = raw[param]
        expected = []
        for position, (value, obj) in enumerate(form.choices.for_param(param).items()):
            count = counts.get(obj.pk, 0)
            if count or value in selected:
                label = form.choices.label(obj, language)
                expected.append((-count, label.casefold(), position, value, label, value in selected))
        expected.sort()
        got = [(-v.count, v.label.casefold(), v.value, v.label, v.selected) for v in facets[param]]
        assert got == [(c, f, value, label, chosen) for c, f, _position, value, label, chosen in expected], param
        assert expected or param == "speaker"  # something was compared
    # The kind and era facets keep their own order (the kinds', the eras' by date).
    assert [v.value for v in facets["era"]] == [slug for slug in form.choices.eras if raw["era"].get(
        form.choices.eras[slug].pk) or slug in form.value("era")]
