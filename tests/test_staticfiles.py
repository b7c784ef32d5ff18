"""collectstatic stores our CSS and JavaScript minified (timeline.staticfiles), hashed by what it
stores, compressed as whitenoise does; vendored and Django's files are stored as they are."""

import gzip
import hashlib
import json
import re
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from timeline.staticfiles import minifies, minify

ROOT = Path(__file__).resolve().parents[1]
OURS = sorted(
    path.relative_to(ROOT / "static").as_posix()
    for path in (ROOT / "static" / "timeline").rglob("*")
    if path.suffix in (".css", ".js")
)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic with the production storage into a directory of its own."""
    from django.test.utils import override_settings

    from timeline import settings as production

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=production.STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root, json.loads((root / "staticfiles.json").read_text())["paths"]


def test_which_files_are_minified():
    assert OURS and all(minifies(name) for name in OURS)
    assert {"timeline/timeline.css", "timeline/chronology.js", "timeline/enhance.js"} <= set(OURS)
    for name in ("vendor/htmx-2.0.11.min.js", "admin/js/core.js", "admin/css/base.css", "timeline/favicon.svg"):
        assert not minifies(name)


def test_our_files_are_stored_minified_hashed_and_compressed(collected):
    root, manifest = collected
    for name in OURS:
        source = (ROOT / "static" / name).read_bytes()
        served = (root / manifest[name]).read_bytes()
        assert served == minify(name, source), name
        assert len(served) < len(source), name  # comments and indentation gone
        assert (root / name).read_bytes() == served  # the unhashed copy too
        # The name's hash is that of the stored bytes, so a new minifier gives a new name.
        assert manifest[name].rsplit(".", 2)[-2] == hashlib.md5(served).hexdigest()[:12], name
        assert gzip.decompress((root / (manifest[name] + ".gz")).read_bytes()) == served, name
        assert brotli.decompress((root / (manifest[name] + ".br")).read_bytes()) == served, name


def test_minifying_keeps_what_the_browser_reads():
    source = re.sub(r"/\*.*?\*/", "", (ROOT / "static/timeline/timeline.css").read_text(), flags=re.S)
    css = minify("timeline/timeline.css", (ROOT / "static/timeline/timeline.css").read_bytes()).decode()
    # Every at-rule (media, container and scroll-state queries, @supports) and every rule survives.
    assert re.findall(r"@[\w-]+", css) == re.findall(r"@[\w-]+", source)
    assert css.count("{") == source.count("{") and css.count("}") == source.count("}")
    assert "/*" not in css and "\n" not in css.strip()
    js = minify("timeline/chronology.js", (ROOT / "static/timeline/chronology.js").read_bytes()).decode()
    # Names are kept (no mangling): the events htmx fires, the class the tests wait for.
    for kept in ('"htmx:afterSwap"', '"htmx:historyRestore"', "KEEP_PAGES", '"continuous"'):
        assert kept in js
    assert "/* The chronology" not in js


def test_vendored_and_django_files_are_stored_as_they_are(collected):
    root, manifest = collected
    # (Stylesheets with url()s get the hashed names there, so two scripts.)
    for name in ("vendor/htmx-2.0.11.min.js", "admin/js/core.js"):
        assert (root / manifest[name]).read_bytes() == Path(finders.find(name)).read_bytes(), name
