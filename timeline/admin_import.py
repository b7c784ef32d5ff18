"""The admin's import of a new article, in two steps: upload, paste or URL → preview → import.

The preview shows what :func:`timeline.ingest.article.read_article` detected (metadata with where each value
came from, editable), the kept passages, the dropped lines with their reasons (an editor ticks a line to keep
it or unticks one to drop it), the date mentions and the warnings; a warning that contradicts the
publication date must be confirmed. The import goes through the one write path, and the new source stays
unpublished until an editor publishes it. Contributors may import (``timeline.import_source``).

Between the steps the received bytes wait in the editor's session (sessions live in the database, so any
app server can serve the second step).
"""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from timeline.ingest.article import MAX_ARTICLE_BYTES, ArticleDraft, default_key, read_article
from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import draft_duplicate, duplicate_message, import_new_article
from timeline.models import Language, Source

SESSION_KEY = "timeline_article_import"


def can_import(user) -> bool:
    return user.has_perm("timeline.import_source") or user.has_perm("timeline.add_source")


class ArticleInputForm(forms.Form):
    """Step 1: where the article comes from."""

    file = forms.FileField(
        required=False,
        help_text=f"A text scrape (.txt) or a saved page (.html), any encoding, at most {MAX_ARTICLE_BYTES:,} bytes.",
    )
    text = forms.CharField(label="or paste the text", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    url = forms.URLField(label="or the page's URL", required=False, assume_scheme="https", max_length=1000)

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("file", "text", "url") if cleaned.get(name) and str(cleaned[name]).strip()]
        if not given and not self.errors:
            raise forms.ValidationError("Choose a file, paste the text or give a URL.")
        if len(given) > 1:
            raise forms.ValidationError("Give one of file, text or URL, not several.")
        return cleaned

    def received(self) -> dict:
        """The bytes and what is known about them, ready for :func:`read_article`."""
        data = self.cleaned_data
        if data.get("file"):
            upload = data["file"]
            raw = upload.read(MAX_ARTICLE_BYTES + 1)
            return {"raw": raw, "file_name": upload.name, "content_type": None, "url": ""}
        if (data.get("text") or "").strip():
            raw = data["text"].replace("\r\n", "\n").encode("utf-8")
            return {"raw": raw, "file_name": "pasted.txt", "content_type": "text/plain; charset=utf-8", "url": ""}
        from timeline.ingest.fetch import fetch

        page = fetch(data["url"], allow=getattr(settings, "TIMELINE_FETCH_ALLOW_NETWORKS", ()))
        return {"raw": page.body, "file_name": page.file_name, "content_type": page.content_type, "url": page.url}


_WIDE = forms.TextInput(attrs={"class": "vTextField", "size": 80})


class ArticleMetadataForm(forms.Form):
    """Step 2: the detected values, as an editor corrects them."""

    key = forms.SlugField(max_length=100, help_text="Stable id, lowercase with hyphens.", widget=_WIDE)
    title = forms.CharField(max_length=500, widget=_WIDE)
    publisher = forms.CharField(max_length=200, required=False, widget=_WIDE)
    author = forms.CharField(max_length=200, required=False, widget=_WIDE)
    language = forms.ChoiceField(choices=[("", "—"), *Language.choices], required=False)
    published = forms.DateField(required=False, help_text="YYYY-MM-DD")
    reference_date = forms.DateField(
        required=False, help_text="What relative dates (去年, 昨天, 18日) resolve against; the publication date if empty."
    )
    reference_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    original_url = forms.URLField(
        label="Original URL", required=False, max_length=1000, assume_scheme="https", widget=forms.URLInput(_WIDE.attrs)
    )
    confirm = forms.BooleanField(required=False, label="I checked the warnings above; import anyway")
    allow_duplicate = forms.BooleanField(
        required=False,
        label="Import a second copy anyway",
        help_text="This article is already imported (see above). Tick only to keep a second copy under this key.",
    )

    @classmethod
    def initial_from(cls, draft: ArticleDraft) -> dict:
        return {
            "key": default_key(draft),
            "title": draft.title,
            "publisher": draft.publisher,
            "author": draft.author,
            "language": draft.language,
            "published": draft.published,
            "reference_date": draft.reference_date if draft.reference_date != draft.published else None,
            "reference_note": draft.reference_note,
            "original_url": draft.original_url,
        }


def _store(request, received: dict) -> None:
    request.session[SESSION_KEY] = {
        **{k: v for k, v in received.items() if k != "raw"},
        "raw": base64.b64encode(received["raw"]).decode("ascii"),
    }


def _stored_draft(request) -> ArticleDraft | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return read_article(
        base64.b64decode(stored["raw"]),
        file_name=stored["file_name"],
        content_type=stored["content_type"],
        url=stored["url"],
    )


def _edited(draft: ArticleDraft, form: ArticleMetadataForm, kept_lines: set[int]) -> ArticleDraft:
    data = form.cleaned_data
    draft = draft.override(
        **{name: data.get(name) for name in ("title", "publisher", "author", "language", "published",
                                             "reference_date", "reference_note", "original_url")}
    )
    detected_kept = {line.number for line in draft.lines if line.kept}
    return draft.toggle(keep=kept_lines - detected_kept, drop=detected_kept - kept_lines)


def import_view(model_admin, request):
    """Both steps; ``step`` in the POST says which form was sent."""
    if not can_import(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import a new article",
        "opts": Source._meta,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "preview":
        return _preview_step(model_admin, request, context)
    form = ArticleInputForm(request.POST or None, request.FILES or None) if step == "input" else ArticleInputForm()
    if step == "input" and form.is_valid():
        try:
            received = form.received()
            draft = read_article(
                received["raw"], file_name=received["file_name"], content_type=received["content_type"],
                url=received["url"],
            )
        except IngestError as exc:
            form.add_error(None, f"Nothing was read. {exc}")
        else:
            _store(request, received)
            metadata = ArticleMetadataForm(initial=ArticleMetadataForm.initial_from(draft))
            return _render_preview(request, context, draft, metadata)
    return TemplateResponse(request, "admin/timeline/source/import.html", {**context, "form": form})


def _preview_step(model_admin, request, context):
    try:
        draft = _stored_draft(request)
    except IngestError:
        draft = None
    if draft is None:
        messages.error(request, "The article to import was not found in your session; start again.")
        return redirect(reverse("admin:timeline_source_import"))
    metadata = ArticleMetadataForm(request.POST)
    kept_lines = {int(n) for n in request.POST.getlist("keep") if n.isdigit()}
    if not metadata.is_valid():
        return _render_preview(request, context, draft, metadata)
    try:
        draft = _edited(draft, metadata, kept_lines)
    except IngestError as exc:  # a line number that is not in the page (a tampered form)
        metadata.add_error(None, str(exc))
        return _render_preview(request, context, draft, metadata)
    if request.POST.get("action") != "import":
        return _render_preview(request, context, draft, metadata)
    blocking = [w for w in draft.warnings() if w.confirm]
    if blocking and not metadata.cleaned_data["confirm"]:
        metadata.add_error("confirm", "Confirm the warnings above, or correct the values, before importing.")
        return _render_preview(request, context, draft, metadata)
    twin = draft_duplicate(draft, metadata.cleaned_data["key"])
    if twin and not metadata.cleaned_data["allow_duplicate"]:
        metadata.add_error(
            "allow_duplicate",
            f"Nothing was imported: {duplicate_message(*twin)}",
        )
        return _render_preview(request, context, draft, metadata)
    try:
        result = import_new_article(
            draft.prepared(metadata.cleaned_data["key"]), allow_duplicate=bool(twin) and metadata.cleaned_data["allow_duplicate"]
        )
    except IngestError as exc:
        metadata.add_error(None, f"Nothing was imported. {exc}")
        return _render_preview(request, context, draft, metadata)
    request.session.pop(SESSION_KEY, None)
    source = Source.objects.get(key=result.key)
    messages.success(
        request,
        f"{result.key}: {result.status}, {result.passages} passages. It is unpublished until an editor publishes it.",
    )
    if model_admin.has_change_permission(request, source) or model_admin.has_view_permission(request, source):
        return redirect(reverse("admin:timeline_source_change", args=[source.pk]))
    return redirect(reverse("admin:timeline_source_import"))


def _render_preview(request, context, draft: ArticleDraft, metadata: ArticleMetadataForm):
    document = draft.as_dict()
    key = metadata.data.get("key", "") if metadata.is_bound else metadata.initial.get("key", "")
    twin = draft_duplicate(draft, key)
    duplicate = None
    if twin:
        existing, why = twin
        duplicate = {
            "source": existing,
            "why": why,
            "reimport_url": reverse("admin:timeline_source_reimport", args=[existing.pk]),
            "change_url": reverse("admin:timeline_source_change", args=[existing.pk]),
        }
    return TemplateResponse(
        request,
        "admin/timeline/source/import_preview.html",
        {
            **context,
            "title": "Import a new article: preview",
            "draft": draft,
            "document": document,
            "metadata": metadata,
            "lines": draft.lines,
            "warnings": draft.warnings(),
            "needs_confirm": any(w.confirm for w in draft.warnings()),
            "duplicate": duplicate,
        },
    )
