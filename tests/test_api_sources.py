"""Reading the sources: the JSON list and detail, and the plain reader page."""

import re

import pytest

from timeline.ingest.clean import PINYIN_GLOSS_RE
from timeline.models import Source

pytestmark = pytest.mark.django_db


def test_source_list_has_every_imported_source_with_its_metadata(client):
    response = client.get("/api/sources/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    sources = data["results"] if isinstance(data, dict) else data
    assert len(sources) == Source.objects.count() == 13
    by_id = {source["id"]: source for source in sources}
    idealists = by_id["netease-openai-idealists"]
    assert idealists["language"] == "zh-Hant"
    assert idealists["reference_date"] == "2024-05-20"
    assert idealists["url"] == "/sources/netease-openai-idealists/"
    assert idealists["passages"] == Source.objects.get(key="netease-openai-idealists").passages.count()
    assert {"id", "title", "publisher", "author", "published", "reference_date", "language", "original_url",
            "passages", "url"} <= set(idealists)
    assert by_id["fisherdaddy-09"]["published"] == "2025-08-11"


def test_source_detail_lists_passages_with_anchors(client):
    data = client.get("/api/sources/q-star-exposed/").json()
    assert data["id"] == "q-star-exposed" and data["reference_date"] == "2023-11-24"
    first = data["passages"][0]
    assert set(first) >= {"id", "ordinal", "text", "url"}
    assert first["ordinal"] == 1 and first["url"] == "/sources/q-star-exposed/#p-1"
    assert [p["ordinal"] for p in data["passages"]] == list(range(1, 43))
    assert data["passages"][0]["text"] == Source.objects.get(key="q-star-exposed").passages.get(ordinal=1).text


def test_unknown_source_is_404_json(client):
    response = client.get("/api/sources/no-such-source/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_reader_page_shows_passages_with_anchors_and_no_junk(client):
    response = client.get("/sources/netease-openai-idealists/")
    html = response.content.decode()
    assert response.status_code == 200
    source = Source.objects.get(key="netease-openai-idealists")
    for passage in source.passages.all()[:5]:
        assert f'id="p-{passage.ordinal}"' in html
    assert "99国产精品" not in html and "申請入駐" not in html
    assert not PINYIN_GLOSS_RE.search(html)
    assert "奧特曼" in html  # traditional script kept
    assert re.search(r"\[1\]", html)  # the reference list is shown as metadata
