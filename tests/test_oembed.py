"""The oEmbed 1.0 provider against the spec (https://oembed.com/, sections 2.2–2.4) on the shipped data."""

import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from timeline.embedding import CURRENT_VERSION, MIN_HEIGHT
from timeline.models import Item
from timeline.views.embed import widget_page

pytestmark = pytest.mark.django_db

REQUIRED = {"type", "version", "html", "width", "height"}


def widget_height(query: str) -> int:
    """The widget's estimated height for ``query`` (rendering its rows as /embed/ would)."""
    return widget_page(RequestFactory().get("/embed/?" + query), QueryDict(query)).estimated_height


def oembed(client, **params):
    return client.get("/oembed?" + urlencode(params))


def first_item():
    return Item.objects.published().chronological().first()


def test_timeline_url_with_filters_is_a_rich_embed_of_the_filtered_widget(client):
    response = oembed(client, url="http://testserver/?person=sam-altman&era=board-crisis", format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert REQUIRED <= data.keys()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["title"] == "OpenAI chronology · The board crisis and Q*, Sam Altman"
    assert data["provider_name"] == "OpenAI chronology"
    assert data["provider_url"] == "http://testserver/"
    assert data["cache_age"] == 3600
    # The height is the widget's own estimate for these rows (what the builder's snippets reserve too),
    # at the current version's defaults (a page URL carries no v; the widget URL pins it).
    height = widget_height(f"era=board-crisis&person=sam-altman&v={CURRENT_VERSION}")
    assert (data["width"], data["height"]) == (640, height)
    assert 300 < height < 2000
    # One embed, the script embed: the iframe (named, sized, lazy) is its fallback where scripts are
    # stripped; no second representation (a blockquote) beside it.
    assert data["html"] == (
        f'<iframe src="http://testserver/embed/?era=board-crisis&amp;person=sam-altman&amp;v={CURRENT_VERSION}" '
        f'title="OpenAI chronology · The board crisis and Q*, Sam Altman" width="100%" style="max-width:640px" '
        f'height="{height}" loading="lazy" frameborder="0" data-timeline-embed></iframe>\n'
        '<script src="http://testserver/embed.js" async></script>'
    )
    assert data["html"].count("<iframe") == 1 and "<blockquote" not in data["html"]


def test_the_iframe_in_the_html_really_shows_the_filtered_widget(client):
    data = json.loads(oembed(client, url="http://testserver/?era=pivot").content)
    src = data["html"].split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    response = client.get(src)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response


def test_item_url_embeds_that_item(client):
    item = first_item()
    data = json.loads(oembed(client, url=f"http://testserver{item.get_absolute_url()}").content)
    assert data["title"] == item.title_en
    query = f"v={CURRENT_VERSION}&focus={item.slug}&limit=1"
    assert (data["width"], data["height"]) == (640, widget_height(query))
    assert f'src="http://testserver/embed/?{query.replace("&", "&amp;")}"' in data["html"]
    widget = client.get(f"/embed/?{query}").content.decode()
    assert f'id="item-{item.slug}"' in widget and "data-focus" in widget


def test_item_url_in_chinese_gives_a_chinese_title_and_widget(client):
    item = first_item()
    data = json.loads(oembed(client, url=f"http://testserver{item.get_absolute_url()}?lang=zh").content)
    assert data["title"] == item.title_zh
    assert data["provider_name"] == "OpenAI 大事记"
    assert "lang=zh" in data["html"]


@pytest.mark.parametrize(
    "maxwidth, maxheight, expected",
    [("300", "200", (300, 200)), ("2000", "9000", (640, None)), (None, "450", (640, 450)), ("1", "1", (1, 1))],
)
def test_width_and_height_stay_within_the_maxima(client, maxwidth, maxheight, expected):
    """Never wider than maxwidth nor taller than maxheight; otherwise 640 wide and the widget's own height.
    Cut by maxheight, the widget is a fixed-height one of exactly that height (its list scrolls inside,
    and the loader keeps it so); below the smallest fixed height, a plain iframe without the loader."""
    natural = widget_height(f"v={CURRENT_VERSION}")
    expected = (expected[0], expected[1] or natural)
    params = {"url": "http://testserver/"}
    if maxwidth:
        params["maxwidth"] = maxwidth
    if maxheight:
        params["maxheight"] = maxheight
    data = json.loads(oembed(client, **params).content)
    assert (data["width"], data["height"]) == expected
    html = data["html"]
    # As wide as the consumer's column, never wider than the reported width (no fixed pixel width).
    assert f'width="100%" style="max-width:{expected[0]}px" height="{expected[1]}"' in html
    src = html.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    if expected[1] == natural:
        assert src == f"http://testserver/embed/?v={CURRENT_VERSION}"
    elif expected[1] >= MIN_HEIGHT:
        assert src == f"http://testserver/embed/?height={expected[1]}&v={CURRENT_VERSION}"
        assert f'data-height="{expected[1]}"' in client.get(src).content.decode()
    else:
        assert src == f"http://testserver/embed/?v={CURRENT_VERSION}"
        assert "<script" not in html and "data-timeline-embed" not in html
    if expected[1] >= MIN_HEIGHT:
        assert html.endswith('data-timeline-embed></iframe>\n<script src="http://testserver/embed.js" async></script>')


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example/",
        "http://testserver.evil.example/",
        "http://testserver/print/",
        "http://testserver/sources/netease-openai-idealists/",
        "http://testserver/api/items/",
        "http://testserver/items/no-such-item/",
        "http://testserver/nowhere/",
    ],
)
def test_urls_that_are_not_ours_are_404(client, url):
    response = oembed(client, url=url)
    assert response.status_code == 404


def test_unpublished_items_are_404(client):
    item = first_item()
    item.status = "draft"
    item.save()
    assert oembed(client, url=f"http://testserver{item.get_absolute_url()}").status_code == 404


@pytest.mark.parametrize("fmt", ["xml", "XML", "yaml"])
def test_unsupported_format_is_501(client, fmt):
    assert oembed(client, url="http://testserver/", format=fmt).status_code == 501


@pytest.mark.parametrize(
    "params",
    [{}, {"url": ""}, {"url": "not a url"}, {"url": "/items/x/"}, {"url": "ftp://testserver/"},
     {"url": "http://testserver/", "maxwidth": "wide"}, {"url": "http://testserver/", "maxheight": "-5"}],
)
def test_missing_or_malformed_parameters_are_400(client, params):
    assert oembed(client, **params).status_code == 400


def test_json_is_the_default_format_and_the_answer_is_cacheable_and_cross_origin(client):
    response = oembed(client, url="http://testserver/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["ETag"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert oembed(client, url="http://testserver/").get("Set-Cookie") is None
    again = client.get("/oembed?" + urlencode({"url": "http://testserver/"}), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_markup_in_the_url_is_escaped_in_the_html(client):
    data = json.loads(oembed(client, url='http://testserver/?q="><script>alert(1)</script>').content)
    assert "<script>" not in data["html"]
    assert "&lt;script&gt;" in data["html"] or "%3Cscript%3E" in data["html"]
