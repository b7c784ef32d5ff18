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
