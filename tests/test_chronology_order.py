"""Order within a date on the shipped chronology: the timeline page and the JSON API.

Items that share a date (same bounds and precision) are ordered by their editorial `sequence`, set
in fixtures/chronology/items.yaml from the order in which the sources narrate them. The orders
below were checked by reading the articles: the board crisis as 001 and 003 tell it (a letter before
the firing, Microsoft and the staff petition, the return "106個小時后", then the Q* reports that
came "刚刚落幕" after it), and 2015 from Musk's birthday argument "數周前" to Sutskever joining.
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from timeline.models import Item

pytestmark = pytest.mark.django_db

BOARD_CRISIS = [
    "researchers-warning-letter",
    "altman-fired",
    "microsoft-steps-in",
    "staff-petition-for-altman",
    "altman-reinstated",
    "reuters-reports-q-star",
    "the-information-q-star-origins",
    "q-star-speculation",
    "altman-dangelo-talk",
]
FOUNDING_2015 = [
    "musk-page-birthday-argument",
    "quote-page-speciesist",
    "rosewood-dinner",
    "openai-founded",
    "quote-brockman-safer-ai",
    "ilya-joins-openai",
]
ITEM_ID = re.compile(r'<li id="item-([^"]+)"')


def page_order(client, **params) -> list[str]:
    """Every item slug the timeline page lists for these filters, following its pages."""
    slugs, page = [], 1
    while True:
        response = client.get("/", {**params, "page": page})
        assert response.status_code == 200
        found = ITEM_ID.findall(response.content.decode())
        slugs += found
        if not found or f"page={page + 1}" not in response.content.decode():
            return slugs
        page += 1


def api_order(client, **params) -> list[str]:
    slugs, url, query = [], "/api/items/", params
    while url:
        response = client.get(url, query)
        assert response.status_code == 200
        body = response.json()
        slugs += [item["id"] for item in body["results"]]
        url, query = body["next"], None
    return slugs


def in_order(listed: list[str], expected: list[str]) -> list[str]:
    return [slug for slug in listed if slug in expected]


@pytest.mark.parametrize(
    "expected, window",
    [(BOARD_CRISIS, {"from": "2023-11", "to": "2023-11"}), (FOUNDING_2015, {"from": "2015", "to": "2015"})],
    ids=["board-crisis", "2015"],
)
def test_the_page_lists_a_dates_items_in_narrated_order(client, expected, window):
    assert in_order(page_order(client, **window), expected) == expected


@pytest.mark.parametrize(
    "expected, window",
    [(BOARD_CRISIS, {"from": "2023-11", "to": "2023-11"}), (FOUNDING_2015, {"from": "2015", "to": "2015"})],
    ids=["board-crisis", "2015"],
)
def test_the_api_lists_a_dates_items_in_narrated_order(client, expected, window):
    assert in_order(api_order(client, **window), expected) == expected


def test_the_crisis_is_ordered_by_sequence_not_by_slug():
    """Alphabetical order would put the return and the D'Angelo talk before the firing."""
    assert sorted(BOARD_CRISIS) != BOARD_CRISIS
    rows = Item.objects.filter(slug__in=BOARD_CRISIS).values_list("slug", "date_edtf", "sequence")
    assert {edtf.rstrip("~") for _, edtf, _ in rows} == {"2023-11"}
    by_sequence = [slug for slug, _, _ in sorted(rows, key=lambda row: row[2])]
    assert by_sequence == BOARD_CRISIS


def test_items_sharing_a_date_never_tie_on_sequence():
    """Every group of published items with the same bounds and precision has distinct sequences."""
    groups = defaultdict(list)
    for slug, start, end, precision, sequence in Item.objects.published().values_list(
        "slug", "date_start", "date_end", "date_precision", "sequence"
    ):
        groups[(start, end, precision)].append((sequence, slug))
    ties = {
        key: sorted(members)
        for key, members in groups.items()
        if len(members) > 1 and len({sequence for sequence, _ in members}) < len(members)
    }
    assert not ties, ties


def test_every_item_sharing_its_bounds_states_its_sequence_in_the_chronology_file():
    """A place among items with the same bounds is stated, never left to the default: an item dated
    "2025-08" shares the bounds of the "2025-08~" ones (the page sorts by bounds), so it needs a
    `sequence` in fixtures/chronology/items.yaml as much as they do."""
    entries = yaml.safe_load((Path(__file__).resolve().parent.parent / "fixtures/chronology/items.yaml").read_text("utf-8"))
    stated = {entry["id"] for entry in entries if "sequence" in entry}
    groups = defaultdict(list)
    for slug, start, end, precision in Item.objects.published().values_list(
        "slug", "date_start", "date_end", "date_precision"
    ):
        groups[(start, end, precision)].append(slug)
    unstated = sorted(slug for members in groups.values() if len(members) > 1 for slug in members if slug not in stated)
    assert not unstated, unstated
