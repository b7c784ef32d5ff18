"""Dates stored before the one date grammar (issue 12, finding 1): migration 0012 rewrites every value the
site now refuses to the nearest accepted one, keeps the old value in the item's history and the printed
report, and unpublishes nothing silently (timeline.legacy_dates).

The rows are written raw (SQL, bypassing the model's validation) as the old grammar had let them in, then
the migration's own function runs against the migration state's models.
"""

import datetime
import importlib
import io
from types import SimpleNamespace

import edtf
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.edtf_samples import edtf_samples
from timeline.dates import FuzzyDate
from timeline.legacy_dates import NoHonestEquivalent, nearest_accepted
from timeline.models import Item, ItemDraftRevision, Status

MIGRATION = "0012_i12_repair_refused_dates"


@given(edtf_samples())
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_refused_value_gets_an_accepted_one_that_covers_it_or_an_honest_refusal(sample):
    try:
        found = nearest_accepted(sample.text)
    except NoHonestEquivalent:
        assert not sample.supported
        return
    if sample.supported:
        assert found is None  # accepted values are left alone
        return
    assert found is not None
    new, why = found
    fuzzy = FuzzyDate.parse(new)  # accepted by the one grammar
    assert why
    text = sample.text.strip()
    if "/" in text and any(side.strip() in ("", "..") for side in text.split("/")):
        return  # an open or unknown end: only the known end is kept, by design
    try:
        parsed = edtf.parse_edtf(text)
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    except Exception:  # noqa: BLE001 - the edtf package fails on some valid EDTF; nothing to compare to
        return
    # Never narrower than what the old value meant (edtf's own bounds).
    assert fuzzy.start <= datetime.date(*lower[:3])
    assert fuzzy.end >= datetime.date(*upper[:3])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2016-21", "2016-03~/2016-05~"),  # spring
        ("2016-24", "2016-12~/2017-02~"),  # winter runs into the next year
        ("2016-33", "2016-01/2016-03"),  # first quarter: exact
        ("201X", "2010/2019"),
        ("2016-XX", "2016"),
        ("2016-05-XX", "2016-05"),
        ("2019/..", "2019"),
        ("/2020", "2020"),
        ("2016-?06", "2016-06?"),
        ("[2016,2018]", "2016?/2018?"),
        ("2016~", None),
    ],
)
def test_the_nearest_accepted_values(old, new):
    found = nearest_accepted(old)
    assert (found[0] if found else None) == new


def migration_state_apps():
    loader = MigrationLoader(connection)
    return loader.project_state(("timeline", MIGRATION)).apps


def raw_date(item: Item, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_item SET date_edtf = %s WHERE id = %s", [value, item.pk])


@pytest.mark.django_db
def test_the_migration_rewrites_raw_refused_dates_keeps_the_old_ones_and_reports(capsys):
    published = list(Item.objects.published().order_by("pk")[:4])
    season, decade, open_end, impossible = published
    people_before = set(season.people.values_list("pk", flat=True))
    raw_date(season, "2016-21")
    raw_date(decade, "201X")
    raw_date(open_end, "2019/..")
    raw_date(impossible, "Y170000002")
    draft = Item.objects.exclude(pk__in=[i.pk for i in published]).first()
    ItemDraftRevision.objects.create(item=draft, values={"date_edtf": "2016-XX", "title_en": "x"}, base_version=1)
    history_before = {i.pk: i.history.count() for i in published}
    # What the raw rows did before: the item page could not be shown.
    client = Client(raise_request_exception=False)
    assert client.get(season.get_absolute_url()).status_code == 500

    module = importlib.import_module(f"timeline.migrations.{MIGRATION}")
    module.repair(migration_state_apps(), SimpleNamespace(connection=connection))
    printed = capsys.readouterr().out

    expected = {season: "2016-03~/2016-05~", decade: "2010/2019", open_end: "2019"}
    for item, value in expected.items():
        fresh = Item.objects.get(pk=item.pk)
        assert fresh.date_edtf == value and fresh.status == Status.PUBLISHED
        assert (fresh.date_start, fresh.date_end) == (FuzzyDate.parse(value).start, FuzzyDate.parse(value).end)
        last = fresh.history.order_by("-history_date", "-history_id").first()
        assert fresh.history.count() == history_before[item.pk] + 1
        assert "no longer accepted" in last.history_change_reason and value in last.history_change_reason
        assert f"item {item.slug}: date “" in printed and f"→ “{value}”" in printed
        page = Client().get(fresh.get_absolute_url())
        assert page.status_code == 200
    season_record = Item.objects.get(pk=season.pk).history.order_by("-history_date", "-history_id").first()
    assert "2016-21" in season_record.history_change_reason
    assert {p.entity_id for p in season_record.people.all()} == people_before  # the history row is whole
    # The one with no honest equivalent is not shown with a made-up date: back to draft, said out loud.
    gone = Item.objects.get(pk=impossible.pk)
    assert gone.status == Status.DRAFT and gone.date_edtf.endswith("?")
    assert f"item {impossible.slug}" in printed and "back to draft" in printed
    # The report and the history say where the stand-in comes from, and keep the original value.
    line = next(line for line in printed.splitlines() if f"item {impossible.slug}:" in line)
    assert "an uncertain stand-in: " in line and ("stored with the old value" in line or "placeholder" in line)
    reason = gone.history.order_by("-history_date", "-history_id").first().history_change_reason
    assert reason.startswith("Date “Y170000002” refused: uncertain stand-in “") and len(reason) <= 100
    assert reason.endswith("(stored bounds)") or reason.endswith("(year created)")
    assert Client().get(impossible.get_absolute_url()).status_code == 404
    assert ItemDraftRevision.objects.get(item=draft).values["date_edtf"] == "2016"
    assert f"draft revision of item {draft.pk}: date “2016-XX” → “2016”" in printed
    assert "Dates the site no longer accepts were rewritten (5)" in printed
    # Every public surface answers again.
    for url in ("/", "/feed.atom", "/api/items/", "/items.csv", "/api/timelinejs.json"):
        assert client.get(url).status_code == 200, url

    # A second run finds nothing left to do.
    module.repair(migration_state_apps(), SimpleNamespace(connection=connection))
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_the_command_reports_without_writing_on_a_dry_run():
    item = Item.objects.published().first()
    raw_date(item, "2016-22")
    out = io.StringIO()
    call_command("repair_dates", "--dry-run", stdout=out)
    assert f"item {item.slug}: date “2016-22” → “2016-06~/2016-08~”" in out.getvalue()
    assert "1 date(s) would be rewritten" in out.getvalue()
    assert Item.objects.filter(pk=item.pk).values_list("date_edtf", flat=True).get() == "2016-22"
    call_command("repair_dates", stdout=io.StringIO())
    assert Item.objects.get(pk=item.pk).date_edtf == "2016-06~/2016-08~"

