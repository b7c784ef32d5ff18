"""The admin's re-import of an existing source: upload or paste, preview, then apply or cancel.

Step one reads a file (any name), pasted text or HTML and shows :func:`timeline.reimport.preview_reimport`;
nothing is written. Step two posts the same text back (with its checksum and the source version the
preview was made from) and applies it in one transaction. Cancelling is a link: it writes nothing.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from timeline.admin_views import file_too_large, html_to_text, looks_like_html
from timeline.ingest.clean import MAX_FILE_BYTES, decode_source
from timeline.ingest.errors import IngestError
from timeline.models import Source
from timeline.reimport import apply_reimport, prepare_reimport, preview_reimport
from timeline.versions import StaleVersion, parse_version

PASTED = "pasted text"


class ReimportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="The article as a UTF-8 text or HTML file, of any name. HTML is reduced to its text.",
    )
    text = forms.CharField(
        label="or paste the text (or the page's HTML)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise ValidationError(file_too_large(upload.size))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not (cleaned.get("text") or "").strip():
            raise ValidationError("Choose a file or paste the article's text; nothing was imported.")
        return cleaned

    def article_text(self) -> tuple[str, str]:
        """The text to import (HTML reduced to text, line ends as LF) and where it came from."""
        upload = self.cleaned_data.get("file")
        if upload:
            name = upload.name
            text = decode_source(upload.read(), file_name=name)  # the import's own refusals
        else:
            name = PASTED
            text = decode_source(self.cleaned_data["text"].encode("utf-8"), file_name=name)
        if looks_like_html(name, text):
            text = html_to_text(text)
        return text.lstrip("\ufeff").replace("\r\n", "\n"), name


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reimport_view(model_admin, request, object_id):
    source = get_object_or_404(Source, pk=object_id)
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    change_url = reverse("admin:timeline_source_change", args=[source.pk])
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Source._meta,
        "original": source,
        "title": f"Re-import “{source.title}”",
        "change_url": change_url,
        "max_bytes": MAX_FILE_BYTES,
    }
    if request.method == "POST" and request.POST.get("step") == "apply":
        return _apply(model_admin, request, source, change_url, context)
    form = ReimportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text, name = form.article_text()
            preview = preview_reimport(source, prepare_reimport(source, text.encode("utf-8")), from_name=name)
        except IngestError as exc:
            form.add_error(None, f"Nothing was imported. {exc}")
        else:
            context.update(preview=preview, text=text, checksum=checksum(text), version=source.version)
            return TemplateResponse(request, "admin/timeline/source/reimport_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/timeline/source/reimport.html", context)


def _apply(model_admin, request, source, change_url, context):
    text = request.POST.get("text", "").replace("\r\n", "\n")
    version = parse_version(request.POST.get("version"))
    if not text or checksum(text) != request.POST.get("checksum") or version is None:
        model_admin.message_user(
            request, "The previewed text did not arrive intact; nothing was imported. Upload it again.", messages.ERROR
        )
        return redirect(reverse("admin:timeline_source_reimport", args=[source.pk]))
    try:
        result = apply_reimport(source, text.encode("utf-8"), expected_version=version)
    except StaleVersion:
        model_admin.message_user(
            request,
            "The source was changed (re-imported?) since this preview was made; nothing was imported. "
            "Preview it again.",
            messages.ERROR,
        )
        return redirect(reverse("admin:timeline_source_reimport", args=[source.pk]))
    except IngestError as exc:
        model_admin.message_user(request, f"Nothing was imported. {exc}", messages.ERROR)
        return redirect(reverse("admin:timeline_source_reimport", args=[source.pk]))
    model_admin.log_change(request, source, f"Re-imported: {result.status}")
    model_admin.message_user(request, f"Re-imported: {result.describe()}", messages.SUCCESS)
    return redirect(change_url)
