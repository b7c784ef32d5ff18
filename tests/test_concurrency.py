"""Concurrent writes on the default SQLite (issue 12, finding 2), with real processes.

gunicorn with 2 workers serves a fresh copy of the site. One client saves an item in the admin in a
loop while another imports a source through the admin upload in a loop, for 30 s
(``TIMELINE_CONCURRENCY_SECONDS``). Before WAL, IMMEDIATE transactions and a busy timeout, about half
of the saves and some imports answered 500 "database is locked". Now: no failed write, and every
saved change is there afterwards (the item's history holds every title that was saved).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeline.benchmarks.serve import Gunicorn, plain_http_env

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("TIMELINE_CONCURRENCY_SECONDS", "30"))
ITEM = "alexnet"
PASSWORD = "concurrency-test-password-1"
# As long as a shipped article (about 22,000 characters) but unlike any stored one: a copy of a shipped
# source under a new key is refused as a duplicate article (issue 16), which is not what this test is about.
SOURCE_TEXT = "\n\n".join(
    f"第{n}段。这是并发导入测试用的正文，编号{n * 7919 % 10007}，与已导入的任何文章都不同；"
    f"2024年5月{n % 28 + 1}日，编辑重新上传这篇测试文章，检查写入在并发时是否都能完成。"
    for n in range(1, 320)
)

pytestmark = pytest.mark.slow


class FormFields(HTMLParser):
    """The name/value pairs a browser submits for the first form with ``id`` (or any form)."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


class Browser:
    """A signed-in admin session over real HTTP (cookies, CSRF token from the page)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, path, exc.read().decode(errors="replace")

    def login(self) -> None:
        fields = dict(form_fields(self.get("/admin/login/"), "login-form"))
        fields.update(username="editor", password=PASSWORD)
        status, url, _ = self.post("/admin/login/?next=/admin/", list(fields.items()))
        assert status == 200 and url.endswith("/admin/"), (status, url)


def errors_in(body: str) -> list[str]:
    return re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S) or [body[:300]]


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600,
                          capture_output=True, text=True, **kwargs)


@pytest.fixture
def site(tmp_path):
    env = plain_http_env(tmp_path, "concurrency-test", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    env.pop("DATABASE_URL", None)  # the default: SQLite under the var dir
    for command in (["migrate", "-v0"], ["import_sources"], ["load_chronology"], ["collectstatic", "--noinput", "-v0"],
                    ["createsuperuser", "--noinput", "--username", "editor", "--email", "e@example.org"]):
        manage(env, *command)
    with Gunicorn(env, workers=2) as server:
        yield server, env


def test_finding_2_saves_and_imports_at_once_never_fail(site):
    server, env = site
    item_id = manage(env, "shell", "--no-imports", "-c", f"from timeline.models import Item; print(Item.objects.get(slug='{ITEM}').pk)"
                     ).stdout.strip().splitlines()[-1]
    change = f"/admin/timeline/item/{item_id}/change/"
    upload = "/admin/timeline/source/upload/"
    deadline = time.monotonic() + SECONDS
    saved, save_failures, imports, import_failures = [], [], [], []

    def save_loop():
        browser = Browser(server.base)
        browser.login()
        number = 0
        while time.monotonic() < deadline:
            number += 1
            fields = [(name, value) for name, value in form_fields(browser.get(change), "item_form")
                      if name != "title_en"]
            title = f"AlexNet shows the power of deep learning (save {number})"
            status, url, body = browser.post(change, [*fields, ("title_en", title), ("_continue", "1")])
            if status == 200 and url.endswith(change) and "was changed successfully" in body:
                saved.append(title)
            else:
                save_failures.append((number, status, errors_in(body)))

    def import_loop():
        browser = Browser(server.base)
        browser.login()
        number = 0
        while time.monotonic() < deadline:
            number += 1
            fields = [
                ("key", "concurrency-source"), ("title", "并发导入测试"), ("publisher", "测试"),
                ("language", "zh-Hans"), ("published", "2024-05-20"), ("reference_date", "2024-05-20"),
                ("reference_note", "A test source, imported again and again."),
                ("text", f"并发导入测试\n\n{SOURCE_TEXT}\n\n这是第{number}次导入。\n"),
            ]
            fields.append(("csrfmiddlewaretoken", dict(form_fields(browser.get(upload)))["csrfmiddlewaretoken"]))
            status, _, body = browser.post(upload, fields)
            if status == 200 and re.search(r"concurrency-source</strong>: (created|updated)", body):
                imports.append(number)
            else:
                import_failures.append((number, status, errors_in(body)))

    threads = [threading.Thread(target=save_loop), threading.Thread(target=import_loop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 120)
    stderr = server.stop()

    assert not save_failures, (save_failures[:3], stderr[-2000:])
    assert not import_failures, (import_failures[:3], stderr[-2000:])
    assert len(saved) >= 5 and len(imports) >= 3, (len(saved), len(imports))
    check = manage(env, "shell", "--no-imports", "-c", (
        "from timeline.models import Item, Source; item = Item.objects.get(slug='" + ITEM + "'); "
        "print(item.title_en); print('\\n'.join(sorted(set(item.history.values_list('title_en', flat=True))))); "
        "print(Source.objects.get(key='concurrency-source').cleaned_text.count('次导入'))"
    )).stdout.splitlines()
    assert check[0] == saved[-1]  # the last save is what the item says
    assert set(saved) <= set(check[1:-1])  # and every save is in its history
    assert check[-1] == "1"
    print(f"{len(saved)} saves and {len(imports)} imports in {SECONDS:.0f} s, none failed")
