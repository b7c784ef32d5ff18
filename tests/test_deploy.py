"""Production settings: `check --deploy` is clean, and every page carries the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/?person=sam-altman", "/print/", "/items/hinton-meets-ilya/", "/sources/q-star-exposed/",
         "/api/items/", "/api/tags/", "/feed.atom", "/items.csv", "/calendar.ics", "/sitemap.xml", "/robots.txt",
         "/items/no-such-item/", "/api/items/no-such-item/"]


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        TIMELINE_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="timeline.example.org",
        **extra,
    )
    return env


def manage(tmp_path, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=production_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_no_issues(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_behind_a_tls_proxy_is_clean_too(tmp_path):
    # X-Forwarded-Proto counts only from a configured proxy (issue 12), so the proxy is declared too.
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE_PROXY_SSL_HEADER="1",
                    DJANGO_PROXY_COUNT="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_values(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, "
            "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=production_env(tmp_path),
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["False", "True", "True", "True", "31536000", "True",
                                  "strict-origin-when-cross-origin", "None"]
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=production_env(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="1",
                                            DJANGO_SECURE_SSL_REDIRECT="0"))
    assert run.stdout.split()[1] == "False"
    assert run.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response, "django-csp (configured by the embed work) must be active"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_https_redirect_and_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get("/api/tags/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/api/tags/"
    secure = client.get("/api/tags/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_no_redirect_loop_behind_a_tls_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The header is believed only from a configured proxy (issue 12); the test client's peer is 127.0.0.1.
    settings.TIMELINE_PROXY_COUNT = 1
    settings.TIMELINE_TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200 and "Strict-Transport-Security" in response
