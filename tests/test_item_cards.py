"""Item cards are rendered once per item, content version, language and query, and reused."""

import re

import pytest
from django.test.signals import template_rendered

from timeline import search
from timeline.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_renders():
    rendered = []

    def record(sender, template, context, **kwargs):
        if template.name == "timeline/_item.html":
            rendered.append(context["item"].slug)

    template_rendered.connect(record)
    yield rendered
    template_rendered.disconnect(record)


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
    language's names), whether the card's relations were read as lists (``card_prefetches``, what a
    page does) or into the items' managers (``document_prefetches``, what print does)."""
    from django.db.models import prefetch_related_objects
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    from timeline.models import document_prefetches
    from timeline.views.pages import card_prefetches

    request = RequestFactory().get("/?" + query)
    request.lang_param = request.GET.get("lang", "")
    items = list(Item.objects.published().select_related("era", "speaker"))
    prefetch_related_objects(items, *(card_prefetches() if prefetch == "card" else document_prefetches()))
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
    from django.db.models import prefetch_related_objects
    from django.template import Context, Template
    from django.test import RequestFactory

    from timeline.models import Citation, Entity, Source
    from timeline.views.pages import card_prefetches

    item = Item.objects.published().filter(people__isnull=False, citations__isnull=False).first()
    evil = '<img src=x onerror="alert(1)">&'
    Entity.objects.filter(pk=item.people.first().pk).update(name_en=evil)
    Source.objects.filter(pk=Citation.objects.filter(item=item).first().passage.source_id).update(publisher=evil)
    item = Item.objects.get(pk=item.pk)
    prefetch_related_objects([item], *card_prefetches())
    html = Template("{% load timeline %}{% item_chips item %}{% item_sources item %}").render(
        Context({"item": item, "request": RequestFactory().get("/")}))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;") >= 2
