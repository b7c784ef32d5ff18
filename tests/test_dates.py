"""The fuzzy-date value type: parsing, bounds, precision, labels and ordering."""

import datetime
import json

import pytest
from edtf import parse_edtf, struct_time_to_date
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.edtf_samples import edtf_samples
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


# Property-based tests over generated EDTF (tests/edtf_samples.py draws from every EDTF level and
# beyond, and knows from how it built each sample whether the documented grammar accepts it).

ALL_TEXT = st.text(alphabet=st.sampled_from("0123456789-/~?%X.SYE[]{}, T:Z\u0661\uff10"), max_size=30)


@given(edtf_samples())
@settings(max_examples=1000, deadline=None)
def test_the_grammar_accepts_exactly_the_documented_dates(sample):
    """Seasons, unspecified digits, open ends, impossible days and the rest are refused with a message
    naming the value; every year, month and day that exists (qualified or not), and every closed
    interval of them that does not run backwards, is accepted."""
    try:
        date = FuzzyDate.parse(sample.text)
    except FuzzyDateError as exc:
        assert not sample.supported, f"{sample.text!r} refused: {exc}"
        assert "2015" in str(exc) or "interval" in str(exc)  # says what to write instead
        return
    assert sample.supported, f"{sample.text!r} accepted as {date!r}"


@given(st.one_of(edtf_samples().map(lambda sample: sample.text), ALL_TEXT))
@settings(max_examples=1000, deadline=None)
def test_every_accepted_value_has_bounds_labels_and_a_document(text):
    """Whatever parse accepts, every derived value exists and agrees: the edtf package computes the
    same bounds, both labels are non-empty and name the years, the document round-trips, and parsing
    the stored EDTF again gives the same value (the admin, loader and filters all store ``edtf``)."""
    try:
        date = FuzzyDate.parse(text)
    except FuzzyDateError:
        return
    parsed = parse_edtf(date.edtf)
    assert (struct_time_to_date(parsed.lower_strict()), struct_time_to_date(parsed.upper_strict())) == (
        date.start,
        date.end,
    )
    assert date.start <= date.end
    assert date.precision in (YEAR, MONTH, DAY)
    for year in {date.start.year, date.end.year}:
        assert str(year) in date.label_en and f"{year}年" in date.label_zh
    assert date.label("zh-hans") == date.label_zh and date.label("en") == date.label_en
    document = date.as_dict()
    assert json.loads(json.dumps(document)) == document
    assert (document["start"], document["end"]) == (date.start.isoformat(), date.end.isoformat())
    assert FuzzyDate.parse(date.edtf) == date
    assert date.sort_key == (date.start, date.precision)


@given(st.lists(edtf_samples().filter(lambda sample: sample.supported), min_size=2, max_size=8))
@settings(max_examples=200, deadline=None)
def test_sorting_puts_lower_bounds_first_and_a_year_before_its_months(samples):
    """The sort key orders by start, and among equal starts the coarser date first."""
    dates = sorted((FuzzyDate.parse(sample.text) for sample in samples), key=lambda d: d.sort_key)
    for earlier, later in zip(dates, dates[1:], strict=False):
        assert earlier.start <= later.start
        if earlier.start == later.start:
            assert earlier.precision <= later.precision


@pytest.mark.parametrize(
    "text", ["2018-21", "2016-21", "2016-24", "201X", "2016-XX", "2019/..", "../2019", "/2020", "2016-?06", "0000"]
)
def test_finding_1_seasons_and_other_edtf_levels_are_refused(text):
    """Issue 12, finding 1: ``2018-21`` (an EDTF season) was accepted and its label crashed."""
    with pytest.raises(FuzzyDateError, match="Seasons"):
        FuzzyDate.parse(text)
