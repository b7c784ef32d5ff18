"""The embeddable widget (/embed/), its loader (/embed.js) and the Embed dialog, on the shipped data.

What a publisher relies on: the same filters as the chronology, validated options, absolute links that
open the full site in a new tab, a deep link (focus) that lands on the right page, plain HTML without
JavaScript, and responses any cache may keep (no cookies, no Vary: Cookie, ETag and 304).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from timeline.embedding import CURRENT_VERSION, UNVERSIONED, VERSIONS
from timeline.filters import FilterForm
from timeline.models import Era, Item
from timeline.views.embed import DEFAULT_LIMIT, EmbedOptions, loader_source, style_hash, widget_css

pytestmark = pytest.mark.django_db

EMBED = "/embed/"


class Links(HTMLParser):
    """Every <a> with its attributes, and every <script>/<style> with its attributes and text."""

    def __init__(self):
        super().__init__()
        self.links, self.scripts, self.styles, self.items = [], [], [], []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        elif tag in ("script", "style"):
            self._open = (tag, attrs, [])
        elif tag == "li" and "tl-item" in (attrs.get("class") or ""):
            self.items.append(attrs)

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            kind, attrs, text = self._open
            (self.scripts if kind == "script" else self.styles).append((attrs, "".join(text)))
            self._open = None


def parse(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


# Most requests here carry no ``v``: such a URL (published before versions) has version 1's defaults.
UNVERSIONED_LIMIT = VERSIONS[UNVERSIONED].limit


def expected_slugs(query: dict, limit: int = UNVERSIONED_LIMIT, page: int = 1) -> list[str]:
    # The page's order: with from/to, the items inside the window before those that only overlap it
    # (tests/test_chronological_order.py checks that order against the stored dates).
    form = FilterForm(query)
    items = form.in_order(form.apply(Item.objects.published()))
    return list(items.values_list("slug", flat=True)[(page - 1) * limit : page * limit])


def item_ids(response) -> list[str]:
    return [attrs["id"].removeprefix("item-") for attrs in parse(response).items]


def test_default_widget_lists_the_first_page_in_chronological_order(client):
    """The current version's defaults: the first DEFAULT_LIMIT (5) published items, oldest first, and the
    total. A URL without ``v`` (published before versions) keeps version 1's 20 items."""
    response = client.get(EMBED, {"v": str(CURRENT_VERSION)})
    assert response.status_code == 200
    assert item_ids(response) == expected_slugs({}, limit=DEFAULT_LIMIT)
    assert len(item_ids(response)) == DEFAULT_LIMIT == 5
    assert f"{Item.objects.published().count()} items" in response.content.decode()
    for query in ({}, {"v": "1"}):
        assert item_ids(client.get(EMBED, query)) == expected_slugs({}, limit=20)


def test_filters_go_through_the_filter_form(client):
    """The chronology's parameters mean the same here: person, era, from/to, repeated values."""
    query = {"person": "sam-altman", "from": "2023", "to": "2023"}
    response = client.get(EMBED, query)
    assert item_ids(response) == expected_slugs(query)
    assert item_ids(response), "the shipped data has 2023 items about Sam Altman"
    count = FilterForm(query).apply(Item.objects.published()).count()
    assert f"{count} items · Sam Altman, from 2023, to 2023" in response.content.decode()


def test_unknown_filter_values_are_ignored_with_a_visible_notice(client):
    response = client.get(EMBED, {"person": "nobody-at-all"})
    assert item_ids(response) == expected_slugs({})
    assert "Unknown person “nobody-at-all” was ignored." in response.content.decode()


def test_limit_pages_and_the_later_link_keeps_filters_and_options(client):
    response = client.get(EMBED, {"era": "board-crisis", "limit": "3", "theme": "dark", "accent": "0A7F3F"})
    assert item_ids(response) == expected_slugs({"era": "board-crisis"}, limit=3)
    later = [a for a in parse(response).links if a.get("rel") == "next"]
    assert later[0]["href"] == "http://testserver/embed/?era=board-crisis&theme=dark&limit=3&accent=0a7f3f&v=1&page=2"
    assert later[0]["target"] == "_self"
    page_two = client.get(later[0]["href"])
    assert item_ids(page_two) == expected_slugs({"era": "board-crisis"}, limit=3, page=2)
    # The current version's URLs carry v=2 (and leave out its default limit).
    response = client.get(EMBED, {"era": "board-crisis", "v": "2"})
    later = [a for a in parse(response).links if a.get("rel") == "next"]
    assert later[0]["href"] == "http://testserver/embed/?era=board-crisis&v=2&page=2"
    assert item_ids(client.get(later[0]["href"])) == expected_slugs({"era": "board-crisis"}, limit=5, page=2)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ({"theme": "dark"}, EmbedOptions(theme="dark")),
        ({"theme": "neon"}, EmbedOptions()),
        ({"limit": "5"}, EmbedOptions(limit=5)),
        ({"limit": "0"}, EmbedOptions()),
        ({"limit": "101"}, EmbedOptions()),
        ({"limit": "ten"}, EmbedOptions()),
        ({"accent": "#1A7F37"}, EmbedOptions(accent="#1a7f37")),
        ({"accent": "1a7f37"}, EmbedOptions(accent="#1a7f37")),
        ({"accent": "red"}, EmbedOptions()),
        ({"accent": "#fff"}, EmbedOptions()),
        ({"accent": "1a7f37;}body{display:none"}, EmbedOptions()),
        ({"accent": "#1a7f37\n"}, EmbedOptions()),
        ({"focus": "hinton-meets-ilya"}, EmbedOptions(focus="hinton-meets-ilya")),
        ({"focus": "<script>"}, EmbedOptions()),
        ({"layout": "compact"}, EmbedOptions(layout="compact")),
        ({"layout": "grid"}, EmbedOptions()),
        ({"height": "400"}, EmbedOptions(height=400)),
        ({"height": "40"}, EmbedOptions()),
        ({"height": "400px"}, EmbedOptions()),
        ({"v": "1", "theme": "auto"}, EmbedOptions(version=1, theme="auto", limit=20)),
        ({"v": "99"}, EmbedOptions(version=1, limit=20)),  # an unknown version is an unversioned URL
    ],
)
def test_options_are_validated_and_bad_values_fall_back_to_defaults(raw, expected):
    assert EmbedOptions.from_query({"v": str(CURRENT_VERSION), **raw}) == expected


def test_inline_styles_are_the_stylesheet_and_the_accent_each_allowed_by_its_hash(client):
    """The stylesheet is inlined (no second request before the first paint) and the accent is exactly the
    validated colour; the CSP allows those two by hash, never 'unsafe-inline'."""
    response = client.get(EMBED, {"accent": "1A7F37"})
    css, css_hash = widget_css()
    assert parse(response).styles == [({}, css), ({}, ":root{--accent:#1a7f37}")]
    csp = response["Content-Security-Policy"]
    assert f"style-src 'self' {css_hash} {style_hash(':root{--accent:#1a7f37}')};" in csp + ";"
    assert "unsafe-inline" not in csp


def test_an_invalid_accent_adds_no_style_at_all(client):
    response = client.get(EMBED, {"accent": "red;background:url(//evil)"})
    assert parse(response).styles == [({}, widget_css()[0])]
    assert f"style-src 'self' {widget_css()[1]};" in response["Content-Security-Policy"] + ";"


def test_the_inlined_stylesheet_is_the_static_file():
    path = Path(__file__).resolve().parents[1] / "static" / "timeline" / "embed" / "widget.css"
    assert widget_css()[0] == path.read_text(encoding="utf-8").strip()


def test_theme_and_language_reach_the_document(client):
    response = client.get(EMBED, {"theme": "dark", "lang": "zh", "limit": "2"})
    html = response.content.decode()
    assert '<html lang="zh-Hans" data-theme="dark" data-layout="list">' in html
    first = Item.objects.published().chronological().first()
    assert first.title_zh in html
    assert "条" in html and "Sources" not in html and "出处（" in html and "Translation" not in html and "译文：" in html


def test_links_are_absolute_and_open_the_full_site_in_a_new_tab(client):
    """The widget lives on other sites: every outward link is absolute, _blank and noopener."""
    links = parse(client.get(EMBED, {"limit": "5"})).links
    outward = [a for a in links if a.get("target") != "_self"]
    assert outward
    for a in outward:
        assert a["href"].startswith("http://testserver/"), a
        assert a["target"] == "_blank" and "noopener" in a["rel"].split(), a
    item = Item.objects.published().chronological().first()
    hrefs = {a["href"] for a in outward}
    assert f"http://testserver{item.get_absolute_url()}" in hrefs
    citation = item.citations.select_related("passage__source").first()
    passage = citation.passage
    assert f"http://testserver{passage.source.get_absolute_url()}?hl={citation.pk}#p-{passage.ordinal}" in hrefs


def test_links_carry_the_language_of_the_widget(client):
    links = parse(client.get(EMBED, {"limit": "1", "lang": "zh"})).links
    item = Item.objects.published().chronological().first()
    assert {"href": f"http://testserver{item.get_absolute_url()}?lang=zh", "target": "_blank", "rel": "noopener"} in links


def test_focus_renders_the_page_that_holds_the_item_and_marks_it(client):
    """Deep links work without hash navigation: the server picks the page and marks the item."""
    slugs = list(Item.objects.published().chronological().values_list("slug", flat=True))
    target = slugs[47]
    response = client.get(EMBED, {"focus": target, "limit": "10", "page": "1"})
    ids = item_ids(response)
    assert ids == slugs[40:50]
    focused = [attrs for attrs in parse(response).items if "data-focus" in attrs]
    assert focused == [{"id": f"item-{target}", "class": focused[0]["class"], "data-focus": None}]
    assert "tl-focus" in focused[0]["class"].split()


def test_focus_outside_the_filtered_items_is_ignored(client):
    outside = Item.objects.published().exclude(era__slug="founding").first().slug
    response = client.get(EMBED, {"era": "founding", "focus": outside})
    assert item_ids(response) == expected_slugs({"era": "founding"})
    assert "data-focus" not in response.content.decode()
    # Said inside the widget and in the header, as every other ignored option.
    assert response["X-Timeline-Ignored"] == "focus"
    assert f"The item “{outside}” is not in this view, so focus was ignored." in response.content.decode()


@pytest.mark.parametrize(
    "query, header, words",
    [
        ({"focus": "nonexistent"}, "focus", "“nonexistent” is not in this view"),
        ({"lang": "xx"}, "lang", "“lang” was ignored"),
        ({"colour": "red"}, "colour", "unknown option “colour”"),
        ({"accent": "zz", "colour": "red"}, "accent, colour", "accent=“zz”"),
    ],
)
def test_every_ignored_or_unknown_option_is_named(client, query, header, words):
    response = client.get(EMBED, query)
    assert response.status_code == 200
    assert response["X-Timeline-Ignored"] == header
    notices = re.findall(r'<p class="tl-notice" role="status">([^<]+)</p>', response.content.decode())
    assert any(words in notice for notice in notices), notices
    # The reserved height counts the notices, as the widget shows them.
    assert len(notices) == len(header.split(", "))


def test_the_widget_works_without_javascript(client):
    """Everything is in the HTML; the one script is an external, deferred enhancement."""
    parser = parse(client.get(EMBED))
    assert parser.items
    assert parser.scripts == [({"src": "/static/timeline/embed/widget.js", "defer": None}, "")]


def test_no_cookies_no_session_no_csrf(client):
    response = client.get(EMBED, {"person": "sam-altman"})
    assert "Set-Cookie" not in response
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_cache_headers_etag_and_304(client):
    response = client.get(EMBED, {"era": "founding"})
    for part in ("public", "max-age=300", "s-maxage=600", "stale-while-revalidate=86400"):
        assert part in response["Cache-Control"]
    etag = response["ETag"]
    assert client.get(EMBED, {"era": "founding"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(EMBED, {"era": "pivot"})["ETag"] != etag


def test_publishing_changes_the_etag(client):
    etag = client.get(EMBED)["ETag"]
    item = Item.objects.published().first()
    item.status = "draft"
    item.save()
    response = client.get(EMBED, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_304_carries_the_same_framing_policy_as_the_200(client):
    """Browsers merge a 304's headers into the cached response: it must not say 'none'."""
    first = client.get(EMBED, {"accent": "123456"})
    again = client.get(EMBED, {"accent": "123456"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "X-Frame-Options" not in again


def test_frame_ancestors_come_from_the_setting(client, settings):
    settings.TIMELINE_EMBED_FRAME_ANCESTORS = ["https://news.example", "https://*.example.org"]
    csp = client.get(EMBED)["Content-Security-Policy"]
    assert "frame-ancestors https://news.example https://*.example.org" in csp


def test_empty_result_says_so(client):
    response = client.get(EMBED, {"q": "no such words anywhere xyzzy"})
    assert response.status_code == 200
    assert "No items match these filters." in response.content.decode()


def test_query_count_does_not_grow_with_the_limit(client, django_assert_max_num_queries):
    """The item document is built with for_documents(): a constant number of queries per page."""
    with django_assert_max_num_queries(20):
        client.get(EMBED, {"limit": "100"})


# -- loader -------------------------------------------------------------------------------------------


def test_loader_is_javascript_with_cache_headers_and_its_own_etag(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["ETag"] == f'"{loader_source()[1]}"'
    assert response.content == loader_source()[0]
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert "Set-Cookie" not in response


def test_loader_derives_its_origin_from_its_own_src_and_checks_messages():
    source = loader_source()[0].decode()
    assert 'new URL("embed/", script.src)' in source
    assert "event.origin !== widget.origin" in source
    assert "event.source !== frame.contentWindow" in source
    assert '"loading"' in source and "ResizeObserver" not in source  # the observer lives in the widget


# -- the "Embed this view" link and oEmbed discovery on the site ------------------------------------


def test_chronology_header_links_to_the_builder_for_its_filters(client):
    """The entry point sits in the page header (not under the results heading nor in the footer), once,
    and carries the current view."""
    html = client.get("/", {"person": "sam-altman", "lang": "zh"}).content.decode()
    link = re.search(r'<p id="embed-link" class="embed-link"><a href="([^"]+)">([^<]+)</a></p>', html)
    assert link.group(1) == "/embed/builder/?person=sam-altman&amp;lang=zh&amp;language=zh"
    # In the site header, after the site's name and before the language switch and the main content.
    header = html.split('<header class="site">', 1)[1].split("</header>", 1)[0]
    assert header.index('class="brand"') < header.index('id="embed-link"') < header.index('class="languages"')
    assert html.count('id="embed-link"') == 1 and "hx-swap-oob" not in html
    assert "embed-dialog" not in html


def test_the_builder_link_follows_htmx_filtering(client):
    """htmx swaps #results; the header's link is swapped out of band with it, for the new filters."""
    html = client.get("/", {"era": "pivot"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert html.count('id="embed-link"') == 1
    assert '<p id="embed-link" class="embed-link" hx-swap-oob="true"><a href="/embed/builder/?era=pivot">' in html
    # Continuous scrolling ("later" chunks) does not touch it.
    chunk = client.get("/", {"era": "pivot", "page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="later")
    assert 'id="embed-link"' not in chunk.content.decode()


@pytest.mark.parametrize("path", ["/", "/?person=sam-altman&page=2", "item"])
def test_oembed_discovery_link(client, path):
    if path == "item":
        path = Item.objects.published().first().get_absolute_url()
    html = client.get(path).content.decode()
    links = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)">', html)
    assert len(links) == 1
    page = path.replace("&page=2", "")
    from urllib.parse import quote

    assert links[0] == f"http://testserver/oembed?url={quote('http://testserver' + page, safe='')}&amp;format=json"


def test_no_discovery_link_on_pages_oembed_does_not_serve(client):
    source = reverse("timeline:source", args=["netease-openai-idealists"])
    assert "json+oembed" not in client.get(source).content.decode()


def test_rendered_html_is_reused_per_content_version_and_host(client, django_assert_max_num_queries, settings):
    """A second reader of the same widget costs the ETag queries only; another host gets its own links."""
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    first = client.get(EMBED, {"era": "gpt-5"})
    with django_assert_max_num_queries(6):
        again = client.get(EMBED, {"era": "gpt-5"})
    assert again.content == first.content
    mirror = client.get(EMBED, {"era": "gpt-5"}, HTTP_HOST="mirror.example")
    assert "http://mirror.example/items/" in mirror.content.decode()
    assert "http://testserver/" not in mirror.content.decode()
    item = Item.objects.published().filter(era__slug="gpt-5").first()
    item.title_en = "A retitled item"
    item.save()
    assert "A retitled item" in client.get(EMBED, {"era": "gpt-5"}).content.decode()


# -- versions, themes, layouts and ignored options ----------------------------------------------------


def test_the_default_theme_is_light_and_auto_only_when_asked(client):
    """A dark-mode reader must not get a black block inside a white article unless the publisher asks."""
    for query in ({}, {"v": "1"}):
        assert '<html lang="en" data-theme="light"' in client.get(EMBED, query).content.decode()
    assert 'data-theme="auto"' in client.get(EMBED, {"theme": "auto"}).content.decode()


def test_generated_urls_pin_the_version():
    """Every URL we hand out carries v=, so a later change of a default cannot change a published embed;
    options equal to that version's defaults are left out."""
    assert EmbedOptions().params() == {"v": "2"}
    options = EmbedOptions.from_query({"theme": "dark", "layout": "compact", "height": "300", "limit": "5"})
    assert options.params() == {"theme": "dark", "layout": "compact", "height": "300", "limit": "5", "v": "1"}
    options = EmbedOptions.from_query({"theme": "dark", "limit": "5", "v": "2"})
    assert options.params() == {"theme": "dark", "v": "2"}
    # Version 1 (20 items) and version 2 (5 items) keep their own defaults.
    assert (EmbedOptions.from_query({}).limit, EmbedOptions.from_query({"v": "2"}).limit) == (20, 5)


def test_invalid_options_are_named_inside_the_widget_and_in_a_header(client):
    """Never an error page: the widget renders with the defaults, says what it ignored, and lists the
    parameters in X-Timeline-Ignored for the publisher's developer tools."""
    response = client.get(
        EMBED, {"theme": "neon", "limit": "500", "layout": "grid", "person": "nobody", "era": "founding"}
    )
    assert response.status_code == 200
    assert response["X-Timeline-Ignored"] == "person, theme, layout, limit"
    html = response.content.decode()
    notices = re.findall(r'<p class="tl-notice" role="status">([^<]+)</p>', html)
    assert len(notices) == 4
    assert "The option theme=“neon” was ignored." in notices
    assert any("nobody" in notice for notice in notices)
    assert item_ids(response) == expected_slugs({"era": "founding"})
    assert 'data-theme="light" data-layout="list"' in html
    assert "X-Timeline-Ignored" not in client.get(EMBED, {"era": "founding"})


def test_a_rejected_value_is_escaped_and_shortened_in_the_notice(client):
    html = client.get(EMBED, {"accent": "<b>" + "x" * 80}).content.decode()
    assert "<b>" not in html and "&lt;b&gt;" in html
    notice = re.search(r'<p class="tl-notice" role="status">([^<]*(?:&lt;[^<]*)*)</p>', html).group(1)
    assert len(notice) < 120


def test_compact_layout_is_one_line_per_item_with_date_title_and_highlighted_source(client):
    response = client.get(EMBED, {"layout": "compact", "era": "board-crisis"})
    html = response.content.decode()
    assert 'data-layout="compact"' in html
    assert item_ids(response) == expected_slugs({"era": "board-crisis"})
    rows = re.findall(r'<li id="item-([^"]+)" class="tl-item[^"]*"[^>]*>(.*?)</li>', html)
    assert len(rows) == len(item_ids(response))
    for slug, row in rows:
        item = Item.objects.get(slug=slug)
        assert '<time datetime="' in row and item.date.label_en in row
        assert f'class="tl-title" href="http://testserver/items/{slug}/"' in row
        key, hl, ordinal = re.search(r'class="tl-src" href="http://testserver/sources/([^/]+)/\?hl=(\d+)#p-(\d+)"', row).groups()
        citation = item.citations.select_related("passage__source").get(pk=hl)
        assert (citation.passage.source.key, citation.passage.ordinal) == (key, int(ordinal))
        assert "<p" not in row and "<blockquote" not in row  # nothing that would take a second line


def test_fixed_height_is_on_the_document(client):
    html = client.get(EMBED, {"height": "360", "layout": "compact"}).content.decode()
    assert '<html lang="en" data-theme="light" data-layout="compact" data-height="360">' in html


def test_every_source_link_in_the_widget_carries_its_citation_highlight(client):
    """The whole chronology, page by page: each source link is the first citation of its passage with
    ?hl=<that citation's id>, in the widget's language."""
    seen = 0
    for page in range(1, 4):
        response = client.get(EMBED, {"limit": "50", "page": str(page), "lang": "zh"})
        links = [a["href"] for a in parse(response).links if "/sources/" in a["href"]]
        for slug in item_ids(response):
            item = Item.objects.get(slug=slug)
            citations = {c.pk: c for c in item.citations.select_related("passage__source")}
            passages = {c.passage_id for c in citations.values()}
            mine = [
                (int(hl), f"{key}#{ordinal}")
                for key, hl, ordinal in (
                    re.fullmatch(r"http://testserver/sources/([^/]+)/\?hl=(\d+)&lang=zh#p-(\d+)", link).groups()
                    for link in links
                )
                if int(hl) in citations
            ]
            # One link per cited passage, each highlighting a citation of this item in that passage.
            assert len(mine) == len(passages), slug
            for hl, where in mine:
                passage = citations[hl].passage
                assert where == f"{passage.source.key}#{passage.ordinal}"
            seen += len(mine)
        assert all("?hl=" in link for link in links)
    assert seen >= Item.objects.published().count()


# -- the "Embed this view" builder ---------------------------------------------------------------------


def builder_parts(html: str) -> dict:
    import html as markup

    def textarea(name):
        return markup.unescape(re.search(rf'<textarea id="{name}"[^>]*>([^<]*)</textarea>', html).group(1))

    return {
        "script": textarea("embed-script"),
        "iframe": textarea("embed-iframe"),
        "oembed": markup.unescape(re.search(r'<input id="embed-oembed" readonly value="([^"]+)"', html).group(1)),
        "preview": markup.unescape(re.search(r'<iframe class="builder-frame" data-preview src="([^"]+)"', html).group(1)),
        "height": int(re.search(r'data-preview src="[^"]+" title="[^"]*" width="100%" height="(\d+)"', html).group(1)),
    }


def test_the_builder_is_a_get_form_whose_code_shows_the_preview(client):
    """Filters from the chronology, options from the form; both snippets and the preview are one URL,
    at one reserved height; the oEmbed URL answers with that same widget."""
    response = client.get(
        "/embed/builder/",
        {"era": "board-crisis", "layout": "compact", "theme": "dark", "limit": "4", "language": "zh", "accent": "1A7F37"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form id="builder" class="builder-form" method="get" action="/embed/builder/"' in html
    assert '<input type="hidden" name="era" value="board-crisis">' in html
    assert "csrfmiddlewaretoken" not in html and "Set-Cookie" not in response
    code = builder_parts(html)
    url = "http://testserver/embed/?era=board-crisis&lang=zh&theme=dark&layout=compact&limit=4&accent=1a7f37&v=2"
    assert code["preview"] == url
    era = Era.objects.get(slug="board-crisis")
    assert code["iframe"] == (
        f'<iframe src="{url.replace("&", "&amp;")}" title="OpenAI 大事记 · {era.name_zh}" width="100%" '
        f'height="{code["height"]}" loading="lazy" frameborder="0"></iframe>'
    )
    assert code["script"] == (
        code["iframe"].replace("></iframe>", " data-timeline-embed></iframe>")
        + '\n<script src="http://testserver/embed.js" async></script>'
    )
    # compact: the reserved height is exact (header, footer and 4 lines of 36 px)
    assert code["height"] == 245  # 100.1 px of frame, header and footer + 4 × 36 px (measured in Chromium)
    oembed = client.get(code["oembed"].removeprefix("http://testserver")).json()
    assert f'src="{url.replace("&", "&amp;")}"' in oembed["html"]
    assert oembed["height"] == code["height"]
    assert item_ids(client.get(url)) == expected_slugs({"era": "board-crisis"}, limit=4)


def test_the_builder_names_what_it_ignored_and_keeps_the_rest(client):
    html = client.get("/embed/builder/", {"theme": "neon", "limit": "4", "person": "nobody"}).content.decode()
    assert "The option theme=“neon” was ignored." in html and "nobody" in html
    assert builder_parts(html)["preview"] == "http://testserver/embed/?limit=4&v=2"


def test_a_focus_item_is_offered_and_loads_eagerly(client):
    item = Item.objects.published().filter(era__slug="pivot").chronological().last()
    html = client.get("/embed/builder/", {"era": "pivot", "focus": item.slug}).content.decode()
    assert f'<option value="{item.slug}" selected>' in html
    code = builder_parts(html)
    assert code["preview"] == f"http://testserver/embed/?era=pivot&focus={item.slug}&v=2"
    assert 'loading="lazy"' not in code["iframe"]


def test_show_more_adds_a_page_of_items_and_opens_at_the_first_new_one(client):
    every = expected_slugs({}, limit=1000)
    response = client.get(EMBED, {"limit": "12", "theme": "dark"})
    more = [a for a in parse(response).links if "tl-more" in (a.get("class") or "")]
    assert more[0]["href"] == f"http://testserver/embed/?theme=dark&limit=24&v=1&focus={every[12]}"
    assert more[0]["target"] == "_self"
    bigger = client.get(more[0]["href"])
    assert item_ids(bigger) == every[:24]
    assert [a["id"] for a in parse(bigger).items if "data-focus" in a] == [f"item-{every[12]}"]
    # Not on later pages, nor at the maximum, nor when everything is shown.
    for query in ({"limit": "12", "page": "2"}, {"limit": "100"}, {"era": "founding", "limit": "50"}):
        assert "tl-more" not in client.get(EMBED, query).content.decode(), query
