"""Importing by URL: pages come from a local test server; internal addresses are refused at every hop."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from timeline.ingest.errors import IngestError
from timeline.ingest.fetch import check_addresses, fetch
from timeline.models import Source

PAGES = Path(__file__).parent / "data" / "pages"
LOCAL = ("127.0.0.1/32",)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        routes = {
            "/news/cna-gpt4o.html": (200, "text/html; charset=utf-8", (PAGES / "cna-gpt4o.html").read_bytes()),
            "/news/sina.html": (200, "text/html; charset=gb2312", (PAGES / "sina-gbk-stargate.html").read_bytes()),
            "/photo.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            "/huge.html": (200, "text/html", b"<p>" + b"a" * 3000 + b"</p>"),
        }
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/cna-gpt4o.html")
            self.end_headers()
            return
        if self.path == "/to-internal":
            self.send_response(301)
            self.send_header("Location", "http://10.0.0.1/admin/")
            self.end_headers()
            return
        if self.path == "/to-loopback":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_port}/news/cna-gpt4o.html")
            self.end_headers()
            return
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
            return
        status, content_type, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_follows_a_redirect_and_keeps_the_bytes(server):
    page = fetch(server + "/moved", allow=LOCAL)
    assert page.url == server + "/news/cna-gpt4o.html"
    assert page.body == (PAGES / "cna-gpt4o.html").read_bytes()
    assert page.file_name == "cna-gpt4o.html"


@pytest.mark.django_db
def test_import_by_url(server, settings):
    """The command imports a URL like a file; the header's charset decodes a GB18030 page."""
    settings.TIMELINE_FETCH_ALLOW_NETWORKS = LOCAL
    out = StringIO()
    call_command("import_article", server + "/news/sina.html", "--dry-run", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["original_url"] == server + "/news/sina.html"
    assert document["title"] == "OpenAI联手软银甲骨文启动“星际之门”项目 总投资5000亿美元"
    assert document["origins"]["encoding"] == "http header"
    call_command("import_article", server + "/news/sina.html", "--key", "sina-stargate", stdout=StringIO())
    assert Source.objects.get(key="sina-stargate").original_url == server + "/news/sina.html"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://localhost:8000/", "http://[::1]/", "http://10.1.2.3/", "http://172.16.0.1/",
        "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://100.64.0.1/",
    ],
)  # fmt: skip
def test_internal_addresses_are_refused_before_connecting(url):
    with pytest.raises(IngestError, match="internal address"):
        fetch(url)


def test_every_redirect_hop_is_checked(server):
    """A public-looking first hop cannot redirect the server to an internal address."""
    with pytest.raises(IngestError, match="10.0.0.1.*internal address"):
        fetch(server + "/to-internal", allow=LOCAL)
    with pytest.raises(IngestError, match="127.0.0.2.*internal address"):
        fetch(server + "/to-loopback", allow=LOCAL)


@pytest.mark.parametrize(
    ("path", "message"),
    [("/photo.png", "not a web page"), ("/huge.html", "limit"), ("/missing", "404"), ("/loop", "redirects")],
)
def test_refusals(server, path, message):
    with pytest.raises(IngestError, match=message):
        fetch(server + path, allow=LOCAL, max_bytes=2000, max_redirects=3)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "gopher://x/", "http://user:pw@example.org/"])
def test_only_plain_http_urls(url):
    with pytest.raises(IngestError):
        fetch(url)


@pytest.mark.django_db
def test_command_refuses_internal_url():
    with pytest.raises(CommandError, match="Nothing was imported.*internal address"):
        call_command("import_article", "http://127.0.0.1:9/", stdout=StringIO())


def test_check_addresses_names_the_address():
    with pytest.raises(IngestError, match=r"resolves to (127\.0\.0\.1|::1)"):
        check_addresses("localhost", 80)
