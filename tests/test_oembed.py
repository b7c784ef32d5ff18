"""The oEmbed 1.0 provider against the spec (https://oembed.com/, sections 2.2–2.4) on the shipped data."""

import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import RequestFactory

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
    # The height is the widget's own estimate for these rows (what the builder's snippets reserve too).
    height = widget_height("era=board-crisis&person=sam-altman&v=1")
    assert (data["width"], data["height"]) == (640, height)
    assert 600 < height < 4000
    assert data["html"] == (
        f'<iframe src="http://testserver/embed/?era=board-crisis&amp;person=sam-altman&amp;v=1" width="640" height="{height}" '
        'title="OpenAI chronology · The board crisis and Q*, Sam Altman" loading="lazy" frameborder="0"></iframe>'
        '<blockquote><a href="http://testserver/?person=sam-altman&amp;era=board-crisis">'
        "OpenAI chronology · The board crisis and Q*, Sam Altman</a> — OpenAI chronology</blockquote>"
    )


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
    assert (data["width"], data["height"]) == (640, widget_height(f"v=1&focus={item.slug}&limit=1"))
    assert f'src="http://testserver/embed/?v=1&amp;focus={item.slug}&amp;limit=1"' in data["html"]
    widget = client.get(f"/embed/?focus={item.slug}&limit=1").content.decode()
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
    """Never wider than maxwidth nor taller than maxheight; otherwise 640 wide and the widget's own height."""
    expected = (expected[0], expected[1] or widget_height("v=1"))
    params = {"url": "http://testserver/"}
    if maxwidth:
        params["maxwidth"] = maxwidth
    if maxheight:
        params["maxheight"] = maxheight
    data = json.loads(oembed(client, **params).content)
    assert (data["width"], data["height"]) == expected
    assert f'width="{expected[0]}" height="{expected[1]}"' in data["html"]


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
