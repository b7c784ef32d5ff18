"""Record versions (timeline.versions): a save claims the next version in one conditional UPDATE, so of
two editors who read the same version exactly one save lands, also when both commit at the same moment
(PostgreSQL, two real connections racing)."""

import threading
import time

import pytest
from django.db import connections, transaction

from tests.factories import make_item
from timeline.models import Item, Status
from timeline.versions import StaleVersion, bump, claim_version, parse_version


@pytest.mark.django_db
def test_claim_moves_one_version_and_refuses_a_stale_one():
    item = make_item(slug="versions-one", status=Status.DRAFT)
    assert item.version == 1
    assert claim_version(item, 1) == 2 and Item.objects.get(pk=item.pk).version == 2
    with pytest.raises(StaleVersion) as stale:
        claim_version(item, 1)
    assert (stale.value.expected, stale.value.current) == (1, 2)
    assert "saved by someone else while you were editing it" in str(stale.value)
    assert bump(Item.objects.filter(pk=item.pk)) == 1 and Item.objects.get(pk=item.pk).version == 3


def test_parse_version_takes_only_positive_numbers():
    assert [parse_version(v) for v in ("3", " 4 ", "0", "-1", "x", None, "")] == [3, 4, None, None, None, None, None]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_land_once():
    item = make_item(slug="versions-race", status=Status.DRAFT)
    first_claimed = threading.Event()
    outcomes = {}

    def save(name, wait_for=None):
        try:
            with transaction.atomic():
                if wait_for is not None:
                    wait_for.wait(5)
                row = Item.objects.get(pk=item.pk)
                claim_version(row, 1)
                if wait_for is None:
                    first_claimed.set()
                    time.sleep(0.5)  # hold the row lock while the other editor's save arrives
                row.title_en = f"Saved by {name}"
                row.save()
            outcomes[name] = "saved"
        except StaleVersion:
            outcomes[name] = "conflict"
        finally:
            connections.close_all()

    a = threading.Thread(target=save, args=("A",))
    b = threading.Thread(target=save, args=("B", first_claimed))
    a.start()
    b.start()
    a.join(10)
    b.join(10)
    assert outcomes == {"A": "saved", "B": "conflict"}
    saved = Item.objects.get(pk=item.pk)
    assert (saved.title_en, saved.version) == ("Saved by A", 2)
