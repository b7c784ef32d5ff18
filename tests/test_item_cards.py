"""Item cards are rendered once per item, content version, language and query, and reused."""

import re

import pytest

from timeline import search
from timeline.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_renders(monkeypatch):
    """The slugs of the cards written (``card_markup``), in order."""
    from timeline.templatetags import timeline as tags

    rendered = []
    write = tags.card_markup

    def record(request, item, query):
        rendered.append(item.slug)
        return write(request, item, query)

    monkeypatch.setattr(tags, "card_markup", record)
    return rendered


def shown(response) -> list[str]:
    return re.findall(r'<li id="item-([^"]+)" class="item', response.content.decode())


def test_a_card_rendered_for_one_page_is_reused_by_another(client, card_renders):
    first = shown(client.get("/?lang=en"))
    assert card_renders == first
    card_renders.clear()
    # The print view shows the whole chronology: the first page's cards are not rendered again.
    printed = shown(client.get("/print/?lang=en"))
    assert set(first) <= set(printed)
    assert not set(first) & set(card_renders)
    assert card_renders  # the others were rendered


def test_cards_follow_edits_language_and_the_search_query(client):
    slug = shown(client.get("/?lang=en"))[0]
    Item.objects.filter(slug=slug).update(title_en="A renamed card title")
    search.refresh_search_text(Item.objects.filter(slug=slug))
    assert "A renamed card title" in client.get("/?lang=en").content.decode()
    chinese = client.get("/?lang=zh").content.decode()
    assert "A renamed card title" not in chinese
    assert Item.objects.get(slug=slug).title_zh in chinese
    assert "<mark>renamed</mark>" in client.get("/?lang=en&q=renamed").content.decode()


# The loops of ``timeline/_item.html`` that ``{% item_chips %}`` and ``{% item_sources %}`` replaced,
# word for word (the chips' with-block whole, as the card wrote it).
CHIPS_LOOP = (
    "{% with people=item.people.all organizations=item.organizations.all %}{% if people or organizations %}\n"
    '  <ul class="chips">\n'
    "    {% for entity in people %}<li><a href=\"{% filter_url 'person' entity.slug %}\">{{ entity|tr:\"name\" }}</a>"
    "</li>{% endfor %}\n"
    "    {% for entity in organizations %}<li><a href=\"{% filter_url 'org' entity.slug %}\">{{ entity|tr:\"name\" }}"
    "</a></li>{% endfor %}\n"
    "  </ul>\n"
    "  {% endif %}{% endwith %}"
)
SOURCES_LOOP = (
    '{% for source, passage, citation in item|source_links %}<a href="{% reader_url citation %}">'
    "{{ source.publisher|default:source.title }} ¶{{ passage.ordinal }}</a>{% if not forloop.last %}, {% endif %}"
    "{% endfor %}"
)


@pytest.mark.parametrize("query", ["", "lang=zh", "lang=en", "q=altman&lang=zh"])
@pytest.mark.parametrize("prefetch", ["card", "document"])
def test_the_card_tags_write_the_markup_of_the_template_loops(query, prefetch):
    """``{% item_chips %}`` and ``{% item_sources %}`` write, for every published item, byte for byte
    what the loops they replaced wrote (escaping, the page's ?lang= on each link, the active
    language's names), whether the card's relations were read as lists of tuples (``card_relations``,
    what a page does) or into the items' managers (``document_prefetches``, what print does)."""
    from django.db.models import prefetch_related_objects
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    from timeline.models import document_prefetches
    from timeline.views.pages import card_relations

    request = RequestFactory().get("/?" + query)
    request.lang_param = request.GET.get("lang", "")
    items = list(Item.objects.published().select_related("era", "speaker"))
    if prefetch == "card":
        card_relations(items)
    else:
        prefetch_related_objects(items, *document_prefetches())
    assert hasattr(items[0], "card_citations") is (prefetch == "card")
    loop = Template("{% load timeline %}" + CHIPS_LOOP + "|" + SOURCES_LOOP)
    tags = Template("{% load timeline %}{% item_chips item %}|{% item_sources item %}")
    chips = sources = 0
    with translation.override("zh-hans" if "lang=zh" in query else "en"):
        for item in items:
            context = Context({"item": item, "request": request})
            expected = loop.render(context)
            assert tags.render(context) == expected, item.slug
            chips += 'class="chips"' in expected
            sources += "¶" in expected
    assert chips > 50 and sources > 50  # something to compare, on most of the shipped items


def test_the_card_tags_escape_what_they_write():
    """Names, publishers and titles from sources reach the card escaped."""
    from django.template import Context, Template
    from django.test import RequestFactory

    from timeline.models import Citation, Entity, Source
    from timeline.views.pages import card_relations

    item = Item.objects.published().filter(people__isnull=False, citations__isnull=False).first()
    evil = '<img src=x onerror="alert(1)">&'
    Entity.objects.filter(pk=item.people.first().pk).update(name_en=evil)
    Source.objects.filter(pk=Citation.objects.filter(item=item).first().passage.source_id).update(publisher=evil)
    item = Item.objects.get(pk=item.pk)
    card_relations([item])
    html = Template("{% load timeline %}{% item_chips item %}{% item_sources item %}").render(
        Context({"item": item, "request": RequestFactory().get("/")}))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;") >= 2


HOSTILE = '<img src=x onerror="alert(1)">&\'%%'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("query", ["", "lang=zh", "lang=en"])
@pytest.mark.parametrize("prefetch", ["card", "document"])
def test_the_card_writer_writes_the_templates_markup(language, query, prefetch):
    """``card_markup`` writes, for every published item of the shipped chronology (events, quotes with
    and without a translation, key moments, items without a summary or speaker), byte for byte what
    the reference template ``timeline/_item.html`` renders: in both languages, with the page's
    ``?lang=`` on every link, under searches that mark terms in titles, quotes, translations and
    summaries (script-insensitively) and under one that matches nothing, and with hostile text."""
    from django.db.models import prefetch_related_objects
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import translation

    from timeline.models import document_prefetches
    from timeline.templatetags.timeline import card_markup
    from timeline.views.pages import card_relations, prime_dates

    hostile = Item.objects.published().filter(kind="quote").exclude(quote_translation_en="").first()
    Item.objects.filter(pk=hostile.pk).update(title_en=HOSTILE + hostile.title_en, title_zh=HOSTILE,
                                             quote_text=HOSTILE + "奥特曼", summary_en="", summary_zh="")
    request = RequestFactory().get("/?" + query)
    request.lang_param = request.GET.get("lang", "")
    items = prime_dates(Item.objects.published().select_related("era", "speaker"))
    if prefetch == "card":
        card_relations(items)
    else:
        prefetch_related_objects(items, *document_prefetches())
    reference = get_template("timeline/_item.html")
    kinds = set()
    with translation.override(language):
        for search in ("", "altman", "奧特曼 openai", "<script>", "zzzz-nothing"):
            for item in items:
                expected = reference.render({"item": item, "values": {"q": search}, "request": request})
                assert card_markup(request, item, search) == expected, (item.slug, search)
                kinds.add((item.kind, item.importance == 3, bool(item.quote_translation_en),
                           bool(item.summary_en or item.summary_zh), "<mark>" in expected))
    assert {kind for kind, *_ in kinds} == {"event", "quote"}
    assert any(key for _, key, *_ in kinds) and any(marked for *_, marked in kinds)
    assert any(not summary for *_, summary, _ in kinds)  # the hostile quote has none


def test_the_card_writer_escapes_what_it_writes(client):
    """Titles, quotes and names from sources reach the page escaped, with or without a search."""
    item = Item.objects.published().filter(kind="quote").first()
    Item.objects.filter(pk=item.pk).update(title_en=HOSTILE, quote_text=HOSTILE, summary_en=HOSTILE)
    search.refresh_search_text(Item.objects.filter(pk=item.pk))
    for url in ("/?lang=en&q=onerror", "/?lang=zh&q=onerror", "/print/?lang=en&q=onerror"):
        html = client.get(url).content.decode()
        assert "<img" not in html
        assert "&lt;img src=x <mark>onerror</mark>=&quot;alert(1)&quot;&gt;&amp;" in html


def test_card_relations_run_the_querysets_sql_compiled_once_per_count(django_assert_num_queries):
    """``card_relations`` runs the SQL of its three querysets compiled once per number of items, any
    number up to a page counting as a page: for sets of the shipped items of any size (one item, a
    page, every item; in chronological order and reversed) it reads exactly the rows the querysets
    give, in their order, in three queries, and the compiled SQL is reused for other sets of a page
    or less."""
    from timeline.views.pages import _relation_querysets, _relation_rows, _relation_sql

    pks = list(Item.objects.published().chronological().values_list("pk", flat=True))
    _relation_sql.cache_clear()
    for chosen in (pks[:1], pks[:15], pks[15:30], pks[::-1][:15], pks):
        expected = tuple(list(queryset) for queryset in _relation_querysets(chosen))
        with django_assert_num_queries(3):
            assert _relation_rows(chosen) == expected
        assert all(expected[:3])  # people, organisations and citations to compare
    info = _relation_sql.cache_info()  # a page's SQL, compiled for the one item, reused by the three sets of 15
    assert (info.misses, info.hits) == (2, 3)
