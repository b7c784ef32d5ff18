"""2,000 seeded random requests across the public endpoints: never a 500, never an unescaped payload.

Parameters, paths, methods and headers are drawn from a seeded generator (reproducible: the failing
request is printed): valid ids mixed with malformed values, repeated and oversized parameters,
invalid UTF-8, NUL, huge numbers, dates that do not exist, and script-injection payloads. ``from`` and
``to`` mostly get generated EDTF from every level (seasons, unspecified digits, open ends, qualifiers,
intervals: ``tests/edtf_samples.py``), and the other date-like parameters sometimes do. Every HTML
response must contain none of the payloads verbatim (escaped is fine).
"""

import random
import time
from urllib.parse import quote

import pytest
from django.test import Client

from tests.edtf_samples import random_edtf
from tests.test_no_leaks import optional
from timeline.filters import PARAMS

pytestmark = pytest.mark.django_db

SEED = 20250807
REQUESTS = 2000
# A guard against a hang, not a benchmark: alone on 2 cores the run takes about a minute.
TIME_BUDGET_SECONDS = 240
# Whole-chronology responses cost 5-20x an API lookup (the print page renders every item): ask them
# less often, so the run stays near a minute while each still gets dozens of malformed requests.
HEAVY = {"/", "/feed.json", "/feed.atom", "/items.csv", "/calendar.ics", "/embed/", "/api/items/",
         "/api/timelinejs.json", "/sources/netease-openai-idealists/"}
WEIGHTS = {"/print/": 1, **{url: 3 for url in HEAVY}}

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
]
RAW_PAYLOAD_MARKS = ["<script>alert(1)", "<svg onload=alert(1)", "<img src=x onerror=alert(1)"]
NASTY = [
    "", " ", "0", "-1", "1e9", "999999999999999999999999999", "NaN", "null", "[]", "{}", "%", "%%", "%FF",
    "%00", "%C0%AF", "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd", "\u202e", "𠀀𠀁", "奧特曼", "董事会", "OpenAI",
    "2015", "2015-13", "2015-02-30", "0000", "9999-12-31", "2023-11/2024-05", "2016~", "2023?", "1/2",
    "sam-altman", "chatgpt", "board-crisis", "event", "quote", "q-star-exposed", "netease-openai-idealists",
    "a" * 500, "é" * 300, "\t\n", "'; DROP TABLE timeline_item; --", "%27%20OR%201=1--",
]
KNOWN_ITEMS = ["hinton-meets-ilya", "quote-altman-gpt-5-health"]
KNOWN_SOURCES = ["q-star-exposed", "netease-openai-idealists", "fisherdaddy-09"]
EXTRA_PARAMS = ["hl", "precision", "url", "format", "maxwidth", "maxheight", "theme", "height", "callback", "x"]


def routes() -> list[str]:
    names = ["chronology", "print", "api-items", "api-sources", "api-entities", "api-eras", "api-tags",
             "api-openapi", "feed-atom", "feed-json", "calendar", "items-csv", "sitemap", "robots",
             "embed", "embed-js", "oembed", "api-timelinejs"]
    urls = optional(*names)
    urls += [f"/items/{slug}/" for slug in KNOWN_ITEMS] + [f"/api/items/{slug}/" for slug in KNOWN_ITEMS]
    urls += [f"/sources/{key}/" for key in KNOWN_SOURCES] + [f"/api/sources/{key}/" for key in KNOWN_SOURCES]
    return urls


def value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return quote(rng.choice(PAYLOADS), safe="")
    if roll < 0.35:
        return rng.choice(PAYLOADS)  # unencoded: the client sends it as is
    text = rng.choice(NASTY)
    return text if "%" in text else quote(text, safe="")


DATE_PARAMS = ("from", "to", "from", "to", "focus", "precision", "q")


def query(rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.5:  # a generated EDTF value in a date parameter (sometimes elsewhere)
        parts.append(f"{rng.choice(DATE_PARAMS)}={quote(random_edtf(rng).text, safe='')}")
    for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8])):
        name = rng.choice(PARAMS + tuple(EXTRA_PARAMS) + ("page", "q", "q"))
        repeat = 25 if rng.random() < 0.03 else 1
        text = quote(random_edtf(rng).text, safe="") if name in ("from", "to") and rng.random() < 0.7 else value(rng)
        parts += [f"{name}={text}"] * repeat
    if rng.random() < 0.05:
        parts.append(rng.choice(["&&&", "=", "q", "q=%", "%3D%3D", "lang=zh&lang=en"]))
    return "&".join(parts)


def path(rng: random.Random, urls: list[str]) -> str:
    roll = rng.random()
    if roll < 0.85:
        return rng.choices(urls, weights=[WEIGHTS.get(url, 6) for url in urls])[0]
    junk = value(rng)[:200] or "x"
    return rng.choice(["/items/{}/", "/sources/{}/", "/api/items/{}/", "/api/sources/{}/", "/api/{}",
                       "/embed/{}", "/{}", "/{}.csv", "/feed.{}"]).format(junk)


def headers(rng: random.Random) -> dict:
    result = {}
    if rng.random() < 0.3:
        result["HTTP_HX_REQUEST"] = "true"
    if rng.random() < 0.05:
        result["HTTP_HX_HISTORY_RESTORE_REQUEST"] = "true"
    if rng.random() < 0.3:
        result["HTTP_ACCEPT_LANGUAGE"] = rng.choice(["zh-CN,zh;q=0.9", "en", "*", "xx;q=bad", ";;;", "zh-Hant"])
    if rng.random() < 0.1:
        result["HTTP_IF_NONE_MATCH"] = rng.choice(['"abc"', "*", "garbage", 'W/"x"'])
    if rng.random() < 0.1:
        result["HTTP_REFERER"] = rng.choice(PAYLOADS)
    if rng.random() < 0.05:
        result["HTTP_ORIGIN"] = "https://elsewhere.example"
    return result


def test_fuzz_public_endpoints(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    rng = random.Random(SEED)
    urls = routes()
    heavy = [url for url in urls if url in HEAVY]
    assert len(heavy) >= 7, heavy
    failures, reflected, statuses = [], [], {}
    started = time.monotonic()
    for number in range(REQUESTS):
        url = path(rng, urls)
        q = query(rng)
        full = f"{url}?{q}" if q else url
        method = rng.choices(["get", "head", "options", "post"], weights=[90, 5, 3, 2])[0]
        response = getattr(client, method)(full, **headers(rng))
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append((number, method.upper(), full, response.status_code))
            continue
        if "html" in response.get("Content-Type", "") and not response.streaming:
            body = response.content.decode("utf-8", "replace")
            if any(mark in body for mark in RAW_PAYLOAD_MARKS):
                reflected.append((number, full))
        assert time.monotonic() - started < TIME_BUDGET_SECONDS, f"fuzzing took too long ({number} requests)"
    assert not failures, f"server errors: {failures[:10]}"
    assert not reflected, f"unescaped payloads in HTML: {reflected[:10]}"
    assert sum(statuses.values()) == REQUESTS >= 2000
    assert statuses.get(200, 0) > REQUESTS // 4, statuses  # most requests reached a real page
    print(f"\nfuzz: {REQUESTS} requests, 0 server errors, statuses {dict(sorted(statuses.items()))}")
