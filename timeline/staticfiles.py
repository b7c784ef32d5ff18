"""The static files as served: our own CSS and JavaScript minified at collectstatic.

The sources under ``static/timeline/`` stay readable (comments, indentation); ``collectstatic``
stores them minified by rcssmin and rjsmin (comments and whitespace removed, names kept, so a
stack trace still names the source's functions), then hashes and compresses what it stored, as
whitenoise's ``CompressedManifestStaticFilesStorage`` does. Vendored files (``vendor/``, already
minified) and Django's admin files are stored as they are. ``runserver`` with ``DEBUG`` serves the
sources through the finders.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Only our own files: their sources are in this repository and the tests run them minified
# (tests/test_serve.py); others' files are served as their authors ship them.
MINIFIED_UNDER = "timeline/"


def minifies(name: str | None) -> bool:
    if not name:
        return False
    name = name.replace("\\", "/")
    return name.startswith(MINIFIED_UNDER) and name.endswith((".css", ".js")) and ".min." not in name


def minify(name: str, data: bytes) -> bytes:
    """``data``, the content of the static file ``name``, as it is served (minified when ours)."""
    if not minifies(name):
        return data
    import rcssmin
    import rjsmin

    text = data.decode("utf-8")
    text = rcssmin.cssmin(text) if name.endswith(".css") else rjsmin.jsmin(text)
    return text.encode("utf-8")


def _read(content) -> bytes:
    if hasattr(content, "seek"):
        content.seek(0)
    data = content.read()
    return data.encode("utf-8") if isinstance(data, str) else data


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, storing our CSS and JavaScript minified.

    Both the plain and the hashed copy are minified, and the hash is that of the minified bytes,
    so a new minifier version gives new names instead of leaving an old copy under the same name.
    For a stylesheet the manifest's URL rewriting runs on the source first; minifying keeps the
    rewritten ``url()`` values as they are."""

    def file_hash(self, name, content=None):
        if content is not None and minifies(name):
            content = ContentFile(minify(name, _read(content)))
        return super().file_hash(name, content)

    def _save(self, name, content):
        if minifies(name):
            content = ContentFile(minify(name, _read(content)))
        return super()._save(name, content)
