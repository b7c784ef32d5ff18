"""No unpublished item leaks through any public URL: pages, fragments, search, embeds, API, feeds, exports.

Drafts and items in review carry unique marker strings in every text field, in the names and aliases
of a person and a speaker only they use, and in a tag only they have. They cite a source that only
drafts cite and a shipped source that published items cite too. Every public URL is requested (in
both languages, as a full page and as an htmx fragment where that differs, with the markers as the
search query and the draft-only ids as filters) and no marker may appear in any response.
"""

from urllib.parse import quote, unquote_plus, urlencode

import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import cite, make_entity, make_item, make_source
from timeline.models import Passage, Status, Tag

pytestmark = pytest.mark.django_db

MARK = "QZXLEAK"
DRAFT_SLUG = "draft-marker-item"
REVIEW_SLUG = "review-marker-item"


def marker(field: str) -> str:
    return f"{MARK}{field.upper()}"


@pytest.fixture
def drafts():
    """Unpublished items with markers everywhere, plus the vocabulary only they use."""
    person = make_entity("draft-only-person", name_en=marker("person-en"), name_zh=marker("person-zh"),
                         aliases=[marker("person-alias")])
    speaker = make_entity("draft-only-speaker", name_en=marker("speaker-en"), name_zh=marker("speaker-zh"))
    tag = Tag.objects.create(slug="draft-only-tag", name_en=marker("tag-en"), name_zh=marker("tag-zh"))
    private_source = make_source(key="draft-only-source", text="甲段落，公开的原文。\n\n乙段落：草稿引用这里。")
    shipped_passage = Passage.objects.filter(source__key="q-star-exposed").order_by("ordinal").first()
    items = []
    for slug, status, kind in ((DRAFT_SLUG, Status.DRAFT, "quote"), (REVIEW_SLUG, Status.REVIEW, "event")):
        fields = {name: marker(f"{slug}-{name}") for name in (
            "title_en", "title_zh", "summary_en", "summary_zh", "note_en", "note_zh")}
        if kind == "quote":
            fields.update(quote_text=marker("quote"), quote_language="zh-Hans",
                          quote_translation_en=marker("translation"), quote_context_en=marker("context-en"),
                          quote_context_zh=marker("context-zh"), speaker=speaker)
        item = make_item(slug=slug, status=status, kind=kind, date="2023-11-17", importance=3, **fields)
        item.people.add(person)
        item.tags.add(tag)
        cite(item, private_source.passages.get(ordinal=2), "草稿引用这里")
        cite(item, shipped_passage, shipped_passage.text[:6])
        items.append(item)
    return {"items": items, "person": person, "speaker": speaker, "tag": tag, "source": private_source}


PROBES = [{"tag": "draft-only-tag"}, {"person": "draft-only-person"}, {"person": "draft-only-speaker"}]
QUERIES = [
    {},
    {"q": MARK},
    {"q": marker("person-alias")},
    {"q": "草稿引用"},
    {"source": "draft-only-source"},
    {"from": "2023-11-17", "to": "2023-11-17"},
    {"importance": "3", "kind": "quote"},
]


def optional(*names: str) -> list[str]:
    """The URLs of the named routes that exist (the embed may not be installed)."""
    urls = []
    for name in names:
        try:
            urls.append(reverse(f"timeline:{name}"))
        except NoReverseMatch:
            pass
    return urls


def filtered_lists() -> list[str]:
    """Every endpoint that takes the filter parameters."""
    names = ("chronology", "print", "api-items", "api-entities", "api-tags", "api-eras", "feed-atom", "feed-json",
             "items-csv", "calendar")
    return [reverse(f"timeline:{name}") for name in names] + optional("embed", "api-timelinejs")


def with_languages(requests):
    for url, headers in requests:
        for lang in ("", "zh"):
            joiner = "&" if "?" in url else "?"
            yield (f"{url}{joiner}lang={lang}" if lang else url), headers


def public_urls(drafts) -> list[tuple[str, dict]]:
    """Every public URL worth asking, with the request headers to send."""
    citation_ids = [c.pk for item in drafts["items"] for c in item.citations.all()]
    requests = [(f"{base}?{urlencode(query)}" if query else base, {}) for base in filtered_lists() for query in QUERIES]
    requests += [(url, {}) for url in (
        reverse("timeline:source", args=["draft-only-source"]),
        reverse("timeline:source", args=["q-star-exposed"]),
        *(f"{reverse('timeline:source', args=['draft-only-source'])}?hl={pk}" for pk in citation_ids),
        reverse("timeline:api-sources"), reverse("timeline:api-source", args=["draft-only-source"]),
        reverse("timeline:api-source", args=["q-star-exposed"]),
        reverse("timeline:api-openapi"), reverse("timeline:sitemap"), reverse("timeline:robots"),
        reverse("timeline:item", args=["hinton-meets-ilya"]),
        "/calendar.ics?precision=year", "/calendar.ics?precision=day",
    )]
    for oembed in optional("oembed"):
        for target in ("/", f"/items/{DRAFT_SLUG}/", f"/?q={MARK}", f"/embed/?q={MARK}"):
            requests.append((f"{oembed}?{urlencode({'url': 'http://testserver' + target, 'format': 'json'})}", {}))
    # htmx fragments of the chronology.
    requests += [(f"{reverse('timeline:chronology')}?{urlencode(query)}", {"HTTP_HX_REQUEST": "true"})
                 for query in QUERIES]
    return list(with_languages(requests))


def probe_urls() -> list[tuple[str, dict]]:
    """The draft-only ids as filters, everywhere filters are taken."""
    requests = [(f"{base}?{urlencode(query)}", {}) for base in filtered_lists() for query in PROBES]
    requests += [(f"{reverse('timeline:chronology')}?{urlencode(query)}", {"HTTP_HX_REQUEST": "true"})
                 for query in PROBES]
    for oembed in optional("oembed"):
        requests.append((f"{oembed}?{urlencode({'url': 'http://testserver/?tag=draft-only-tag'})}", {}))
    return list(with_languages(requests))


def all_markers(drafts) -> set[str]:
    """Every marker string stored in the drafts and their private vocabulary."""
    found = set()
    for obj in [*drafts["items"], drafts["person"], drafts["speaker"], drafts["tag"]]:
        for value in vars(obj).values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str) and MARK in text:
                    found.add(text)
    return found


def leaks(client, drafts, requests) -> list[tuple[str, list[str]]]:
    markers = all_markers(drafts)
    assert len(markers) >= 20
    found = []
    for url, headers in requests:
        response = client.get(url, **headers)
        assert response.status_code < 500, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        # A page may echo what was asked (the search box shows ?q=); anything else is a leak.
        asked = unquote_plus(url)
        leaked = sorted(m for m in markers if m not in asked and (m in text or quote(m) in text))
        if leaked:
            found.append((url, leaked[:3]))
    return found


def test_no_marker_in_any_public_response(client, drafts):
    requests = public_urls(drafts)
    assert len(requests) > 200
    leaked = leaks(client, drafts, requests)
    assert not leaked, f"draft markers leaked through: {leaked[:20]}"


def test_draft_only_ids_as_filters_reveal_no_names(client, drafts):
    """A filter prints its value's name, so an id only drafts use must be unknown everywhere."""
    leaked = leaks(client, drafts, probe_urls())
    assert not leaked, f"draft-only names leaked through filter labels: {leaked[:20]}"


def test_the_drafts_own_urls_are_404(client, drafts):
    for slug in (DRAFT_SLUG, REVIEW_SLUG):
        for url in (reverse("timeline:item", args=[slug]), reverse("timeline:api-item", args=[slug])):
            response = client.get(url)
            assert response.status_code == 404, url
            assert MARK.encode() not in response.content


def test_lists_never_name_the_draft(client, drafts):
    """The slug is not a marker (a 404 may echo the requested id), but no list may contain it."""
    for url in ("/", "/print/", "/api/items/?q=2023", "/feed.atom", "/feed.json", "/items.csv",
                "/calendar.ics?precision=year", "/sitemap.xml", "/sources/draft-only-source/",
                "/sources/q-star-exposed/", "/api/entities/", "/api/tags/", "/api/timelinejs.json"):
        response = client.get(url)
        assert DRAFT_SLUG.encode() not in response.content and REVIEW_SLUG.encode() not in response.content, url
        assert b"draft-only-person" not in response.content and b"draft-only-tag" not in response.content, url


def test_a_source_cited_only_by_drafts_is_public_metadata_without_them(client, drafts):
    response = client.get("/sources/draft-only-source/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "草稿引用这里" in html, "the article text itself is public"
    assert f"/items/{DRAFT_SLUG}/" not in html and "<mark" not in html
    api = client.get("/api/sources/draft-only-source/").json()
    assert MARK not in str(api)
