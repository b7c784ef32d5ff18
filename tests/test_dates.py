"""The fuzzy-date value type: parsing, bounds, precision, labels and ordering."""

import datetime

import pytest

from timeline.dates import DAY, MONTH, YEAR, FuzzyDate, FuzzyDateError

D = datetime.date


@pytest.mark.parametrize(
    "edtf, start, end, precision, approximate, en, zh",
    [
        ("2015", D(2015, 1, 1), D(2015, 12, 31), YEAR, False, "2015", "2015年"),
        ("2018-02", D(2018, 2, 1), D(2018, 2, 28), MONTH, False, "February 2018", "2018年2月"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), MONTH, False, "February 2024", "2024年2月"),
        ("2024-05-13", D(2024, 5, 13), D(2024, 5, 13), DAY, False, "May 13, 2024", "2024年5月13日"),
        ("2016~", D(2016, 1, 1), D(2016, 12, 31), YEAR, True, "c. 2016", "约2016年"),
        ("2023-11~", D(2023, 11, 1), D(2023, 11, 30), MONTH, True, "c. November 2023", "约2023年11月"),
        ("2023?", D(2023, 1, 1), D(2023, 12, 31), YEAR, False, "2023?", "2023年（存疑）"),
        (
            "2023-11/2024-05",
            D(2023, 11, 1),
            D(2024, 5, 31),
            MONTH,
            False,
            "November 2023 – May 2024",
            "2023年11月–2024年5月",
        ),
        ("2019/2020-03", D(2019, 1, 1), D(2020, 3, 31), YEAR, False, "2019 – March 2020", "2019年–2020年3月"),
    ],
)
def test_parse_bounds_precision_and_labels(edtf, start, end, precision, approximate, en, zh):
    date = FuzzyDate.parse(edtf)
    assert (date.start, date.end, date.precision, date.approximate) == (start, end, precision, approximate)
    assert (date.label_en, date.label_zh) == (en, zh)


def test_a_year_is_never_shown_as_the_first_of_january():
    """Year precision keeps the whole year as its range and never labels itself with a day."""
    document = FuzzyDate.parse("2015").as_dict()
    assert document == {
        "edtf": "2015",
        "start": "2015-01-01",
        "end": "2015-12-31",
        "precision": "year",
        "approximate": False,
        "label": {"en": "2015", "zh": "2015年"},
    }
    assert "1" not in document["label"]["zh"].replace("2015", "")


@pytest.mark.parametrize(
    "bad", ["", "15", "2015-13", "2023-02-29", "2015-1", "May 2015", "2024/2023", "2015-XX", "../2015", "2015 "]
)
def test_invalid_values_are_refused_with_a_clear_message(bad):
    if bad == "2015 ":
        assert FuzzyDate.parse(bad).edtf == "2015"  # surrounding whitespace is forgiven
        return
    with pytest.raises(FuzzyDateError) as excinfo:
        FuzzyDate.parse(bad)
    assert repr(bad) in str(excinfo.value) or "interval" in str(excinfo.value)


def test_ordering_by_lower_bound_then_coarser_precision_first():
    """A year sorts before its own months and days; intervals sort by their start."""
    values = ["2016-01-01", "2016-01", "2016", "2015-12/2016-02", "2016~", "2015-12", "2017"]
    ordered = sorted((FuzzyDate.parse(v) for v in values), key=lambda d: (*d.sort_key, d.end))
    assert [d.edtf for d in ordered] == [
        "2015-12",
        "2015-12/2016-02",
        "2016",
        "2016~",
        "2016-01",
        "2016-01-01",
        "2017",
    ]
