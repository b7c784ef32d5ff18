"""FuzzyDate.from_stored: an item's date rebuilt from its columns equals parsing its EDTF again."""

import datetime

import pytest

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.models import Item


@pytest.mark.django_db
def test_every_shipped_items_stored_date_equals_the_parsed_one():
    items = list(Item.objects.values_list("date_edtf", "date_start", "date_end"))
    assert len(items) > 50
    for edtf, start, end in items:
        assert FuzzyDate.from_stored(edtf, start, end) == FuzzyDate.parse(edtf), edtf


def test_values_that_do_not_look_stored_are_parsed_and_still_checked():
    parsed = FuzzyDate.from_stored("2016~", None, None)
    assert parsed == FuzzyDate.parse("2016~")
    with pytest.raises(FuzzyDateError):
        FuzzyDate.from_stored("soon", datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    with pytest.raises(FuzzyDateError):  # bounds the wrong way round: not what parse stores
        FuzzyDate.from_stored("2025-02-30", datetime.date(2025, 3, 1), datetime.date(2025, 2, 1))
