"""JSON-LD (schema.org) and Open Graph on item and source pages, expanded by a JSON-LD processor."""

import json
import re
from html.parser import HTMLParser

import pytest
from pyld import jsonld

from tests.factories import cite, make_entity, make_item, make_source
from timeline.models import Item
from timeline.structured import iso_at_precision, script

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
# The processor may not fetch https://schema.org (no network in tests); schema.org's published
# context maps every term into its vocabulary, which is what this offline stand-in does.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA, "id": "@id", "type": "@type"}}


def offline_loader(url, options=None):
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.meta, self._in_jsonld = [], {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.scripts.append("")
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.meta["canonical"] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.scripts[-1] += data


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    html = response.content.decode()
    parser.feed(html)
    return html, parser


def expand(data):
    return jsonld.expand(data, {"documentLoader": offline_loader})


def value(node, name):
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA + name, [])]


def test_event_page_has_an_event(client):
    _, parsed = page(client, "/items/hinton-meets-ilya/")
    assert len(parsed.scripts) == 1
    data = json.loads(parsed.scripts[0])
    [node] = expand(data)
    assert node["@type"] == [SCHEMA + "Event"]
    assert node["@id"] == "http://testserver/items/hinton-meets-ilya/#item"
    assert value(node, "startDate") == ["2005"], "a year stays a year, not 1 January"
    assert "endDate" not in data
    item = Item.objects.get(slug="hinton-meets-ilya")
    assert value(node, "name") == [item.title_en] and value(node, "alternateName") == [item.title_zh]
    [article] = node[SCHEMA + "isBasedOn"]
    assert article["@type"] == [SCHEMA + "NewsArticle"]
    assert value(article, "mainEntityOfPage") == ["http://testserver/sources/netease-openai-idealists/"]
    about = {v["@value"] for person in node[SCHEMA + "about"] for v in person[SCHEMA + "name"]}
    assert {"Geoffrey Hinton", "Ilya Sutskever"} <= about


def test_quote_page_has_a_quotation_with_creator_and_sources(client):
    quote = Item.objects.published().filter(kind="quote", speaker__kind="person").first()
    _, parsed = page(client, quote.get_absolute_url())
    [node] = expand(json.loads(parsed.scripts[0]))
    assert node["@type"] == [SCHEMA + "Quotation"]
    assert value(node, "text") == [quote.quote_text]
    [creator] = node[SCHEMA + "creator"]
    assert creator["@type"] == [SCHEMA + "Person"] and value(creator, "name") == [quote.speaker.name_en]
    sources = {c.passage.source.key for c in quote.citations.select_related("passage__source")}
    based_on = node[SCHEMA + "isBasedOn"]
    assert len(based_on) == len(sources)
    assert all(article["@type"] == [SCHEMA + "NewsArticle"] for article in based_on)


def test_source_page_is_a_news_article(client):
    _, parsed = page(client, "/sources/fisherdaddy-09/")
    [node] = expand(json.loads(parsed.scripts[0]))
    assert node["@type"] == [SCHEMA + "NewsArticle"]
    assert value(node, "datePublished") == ["2025-08-11"]
    assert value(node, "inLanguage") == ["zh-Hans"]
    [publisher] = node[SCHEMA + "publisher"]
    assert value(publisher, "name") == ["fisherdaddy"]
    assert parsed.meta["og:type"] == "article" and parsed.meta["description"].startswith("fisherdaddy, 2025-08-11")


def test_open_graph_and_description_tags(client):
    _, parsed = page(client, "/items/hinton-meets-ilya/?lang=zh")
    item = Item.objects.get(slug="hinton-meets-ilya")
    assert parsed.meta["og:title"] == item.title_zh
    assert parsed.meta["og:locale"] == "zh_CN"
    assert parsed.meta["og:url"] == parsed.meta["canonical"] == "http://testserver/items/hinton-meets-ilya/?lang=zh"
    assert parsed.meta["description"].startswith(item.summary_zh[:20])
    assert parsed.meta["og:description"].startswith(item.summary_zh[:20])
    _, home = page(client, "/?person=sam-altman")
    assert home.meta["og:type"] == "website" and home.meta["canonical"] == "http://testserver/"


HOSTILE = '</script><script>alert(1)</script><!-- & "quotes" \u2028'


def test_jsonld_cannot_break_out_of_its_script_element(client):
    source = make_source(key="hostile-source", title=HOSTILE)
    speaker = make_entity("hostile-speaker", name_en=HOSTILE)
    item = make_item(slug="hostile", kind="quote", title_en=HOSTILE, summary_en=HOSTILE,
                     quote_text=HOSTILE, quote_language="en", speaker=speaker)
    cite(item, source.passages.get(ordinal=1), "第一段")
    for url in ("/items/hostile/", "/sources/hostile-source/"):
        html, parsed = page(client, url)
        assert "<script>alert(1)" not in html
        assert len(parsed.scripts) == 1
        data = json.loads(parsed.scripts[0])
        text = data.get("text") or data.get("headline")
        assert text == HOSTILE, "escaped for HTML, yet the JSON reads back exactly"
        assert parsed.meta["og:title"] == HOSTILE


def test_script_escapes_markup_characters():
    html = str(script({"a": "</script>&<!--"}))
    assert html == '<script type="application/ld+json">{"a":"\\u003C/script\\u003E\\u0026\\u003C!--"}</script>'


@pytest.mark.parametrize("value_, precision, expected", [
    ("2015-01-01", "year", "2015"), ("2018-02-01", "month", "2018-02"), ("2024-05-13", "day", "2024-05-13"),
])
def test_dates_keep_their_precision(value_, precision, expected):
    assert iso_at_precision(value_, precision) == expected


def test_month_interval_event_has_start_and_end(client):
    item = Item.objects.published().filter(kind="event", date_edtf__contains="/").first()
    _, parsed = page(client, item.get_absolute_url())
    data = json.loads(parsed.scripts[0])
    start, end = item.date_edtf.split("/")
    assert data["startDate"] == re.sub(r"[~?%]", "", start)[: len(data["startDate"])]
    assert data["endDate"][:4] == end[:4]
