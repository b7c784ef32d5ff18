"""Issue 12's findings 4, 5, 7 and 8 reproduced against the real stack (test client, real middleware).

4. A stranger's failed logins must not lock out an editor logging in from elsewhere, behind a proxy.
5. The language cookie must not change a public page (a shared cache does not key on it), and
   forwarded headers count only from configured proxies.
7. A conditional request gets 304 only for the very representation it would get (fragment, full page,
   htmx history restore), from the view and from the response cache.
8. HEAD wherever GET is, 405 (not CSRF's 403) for other methods, an oEmbed URL that cannot be parsed is
   a 400.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.test_headers import STATUS, public_urls
from timeline import workflow

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


# --- 8: methods ------------------------------------------------------------------------------------


def test_finding_8_head_answers_wherever_get_does(client):
    for name, path in public_urls():
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code == STATUS.get(name, 200), (name, head.status_code)
        assert head.content == b"", name
        assert head.get("Content-Type") == get.get("Content-Type"), name


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_finding_8_other_methods_get_405_with_allow(method):
    client = Client(enforce_csrf_checks=True)  # as a browser or curl meets the site
    for name, path in public_urls():
        if name == "api-not-found":
            continue
        response = getattr(client, method)(path)
        assert response.status_code == 405, (name, method, response.status_code)
        assert "GET" in response["Allow"] and "HEAD" in response["Allow"], name


def test_finding_8_healthz_answers_head_for_health_checks(client):
    assert client.head("/healthz").status_code == 200
    assert Client(enforce_csrf_checks=True).put("/healthz").status_code == 405


@pytest.mark.parametrize(
    "url", ["http://[/", "http://[::1/", "http://]/", "http://testserver:99999/", "http://testserver:x/"]
)
def test_finding_8_an_unparsable_oembed_url_is_a_400(client, url):
    response = client.get("/oembed", {"url": url})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameters" and "url" in response.json()["detail"]


# --- 7: conditional requests per representation ------------------------------------------------------


@pytest.mark.parametrize("cached", [False, True], ids=["view", "response-cache"])
def test_finding_7_history_restore_is_never_answered_with_the_fragments_304(client, settings, cached):
    """htmx's history restore sends the fragment's ETag; it must get the whole page, not 304."""
    if not cached:
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "timeline.http.PublicResponseCacheMiddleware"]
    fragment = client.get("/?page=2", HTTP_HX_REQUEST="true")
    full = client.get("/?page=2")
    assert b"<html" not in fragment.content and b"<html" in full.content
    assert len({fragment["ETag"], full["ETag"]}) == 2
    for _ in range(2):  # the second time the response cache holds an answer
        restore = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true",
                             HTTP_IF_NONE_MATCH=fragment["ETag"])
        assert restore.status_code == 200 and b"<html" in restore.content
        assert restore["ETag"] not in (fragment["ETag"],)
        assert "HX-History-Restore-Request" in restore["Vary"]
    for etag in (full["ETag"], restore["ETag"]):
        assert client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag).status_code == 200
    # Each representation still answers 304 to its own ETag.
    assert client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=fragment["ETag"]).status_code == 304
    assert client.get("/?page=2", HTTP_IF_NONE_MATCH=full["ETag"]).status_code == 304
    assert client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true",
                      HTTP_IF_NONE_MATCH=restore["ETag"]).status_code == 304


def test_fragments_for_different_targets_of_one_url_have_different_etags(client):
    """The items loaded while scrolling (``HX-Target: later``) and the results (``HX-Target: results``) of
    one URL are different answers: a 304 to one's ETag must never stand for the other (the browser
    revalidates its one cached answer per URL, and swapped the items alone in place of the results)."""
    later = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="later")
    results = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert later.status_code == results.status_code == 200
    assert later.content != results.content and later["ETag"] != results["ETag"]
    assert 'id="filters"' in results.content.decode() or "<form" in results.content.decode()
    again = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results", HTTP_IF_NONE_MATCH=later["ETag"])
    assert again.status_code == 200 and again.content == results.content
    for target, answer in (("later", later), ("results", results)):  # each still answers 304 to its own ETag
        conditional = client.get("/?page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target, HTTP_IF_NONE_MATCH=answer["ETag"])
        assert conditional.status_code == 304
        assert "HX-Target" in answer["Vary"]


# --- 5: language cookie and forwarded headers ---------------------------------------------------------


def test_finding_5_the_language_cookie_does_not_change_public_pages():
    """One request with ``django_language=zh-hans`` used to be cached and served to everyone."""
    for name, path in public_urls():
        plain = Client().get(path)
        cookie = Client()
        cookie.cookies["django_language"] = "zh-hans"
        poisoned = cookie.get(path)
        assert poisoned.status_code == plain.status_code, name
        if name in ("sitemap",):
            continue
        assert poisoned.get("Content-Language") == plain.get("Content-Language"), name
        assert poisoned.content == plain.content, name
        assert Client().get(path).content == plain.content, name  # what the next stranger gets
    # The URL and Accept-Language still choose.
    assert "zh" in Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Content-Language"]
    assert "zh" in Client().get("/?lang=zh")["Content-Language"]


def og_url(response) -> str:
    return re.search(r'<meta property="og:url" content="([^"]*)"', response.content.decode()).group(1)


def test_finding_5_forwarded_proto_from_a_client_is_ignored(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    page = client.get("/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_HOST="evil.example",
                      REMOTE_ADDR="127.0.0.1")
    assert "evil.example" not in page.content.decode()
    assert og_url(page) == "http://testserver/"


def test_finding_5_forwarded_proto_counts_from_a_configured_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TIMELINE_PROXY_COUNT = 1
    settings.TIMELINE_TRUSTED_PROXIES = [PROXY]
    page = client.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=PROXY)
    assert og_url(page).startswith("https://testserver")  # the test client says port 80
    stranger = client.get("/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.9")
    assert og_url(stranger) == "http://testserver/"


def test_gunicorn_trusts_forwarded_headers_only_from_the_configured_proxies(monkeypatch):
    import importlib

    import timeline.gunicorn as config

    assert importlib.reload(config).forwarded_allow_ips == ""  # no proxies configured: nobody
    from django.conf import settings

    monkeypatch.setattr(settings, "TIMELINE_PROXY_COUNT", 1)
    monkeypatch.setattr(settings, "TIMELINE_TRUSTED_PROXIES", [PROXY, "10.1.0.0/16"])
    assert importlib.reload(config).forwarded_allow_ips == f"{PROXY},10.1.0.0/16"


# --- 4: lock-out per account and address ---------------------------------------------------------------


@pytest.fixture
def behind_a_proxy(settings):
    settings.TIMELINE_PROXY_COUNT = 1
    settings.TIMELINE_TRUSTED_PROXIES = [PROXY]
    settings.AXES_FAILURE_LIMIT = 5


def login(client, username, password, client_address):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def test_finding_4_strangers_behind_the_same_proxy_cannot_lock_out_an_editor(behind_a_proxy):
    editor = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name=workflow.EDITOR))
    attacker = Client()
    for attempt in range(12):
        login(attacker, f"made-up-{attempt % 3}", "wrong", "198.51.100.66")
        login(attacker, "editor", "wrong", "198.51.100.66")
    # The attacker is locked out for "editor" from their own address ...
    assert login(attacker, "editor", "a-long-editor-password", "198.51.100.66").status_code == 429
    # ... while the editor, at another address behind the same proxy, logs in.
    response = login(Client(), "editor", "a-long-editor-password", "203.0.113.5")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_finding_4_a_spoofed_forwarded_for_cannot_pick_the_address(behind_a_proxy):
    """A client that writes its own X-Forwarded-For entry gets the proxy's view of its address."""
    from django.test import RequestFactory

    from timeline.proxies import client_ip

    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")) == "203.0.113.5"
    spoofed = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.66")
    assert client_ip(spoofed) != "203.0.113.5"
    direct = factory.get("/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(direct) == "198.51.100.66"


def test_check_deploy_warns_when_the_ssl_header_has_no_trusted_proxy(settings):
    from timeline.proxies import proxy_settings_agree

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TIMELINE_PROXY_COUNT = 0
    assert [message.id for message in proxy_settings_agree()] == ["timeline.W001"]
    settings.TIMELINE_PROXY_COUNT = 1
    assert proxy_settings_agree() == []
