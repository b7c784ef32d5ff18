"""The admin's re-import of an existing source: upload or paste, preview, then apply or cancel.

Step one reads a file (any name, any encoding the import reads), pasted text or HTML through the import's
own pipeline (:func:`timeline.reimport.prepare_reimport`) and shows
:func:`timeline.reimport.preview_reimport`; nothing is written. Step two posts the same bytes back (with
their checksum and the source version the preview was made from) and applies them in one transaction.
Cancelling is a link: it writes nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from timeline.admin_views import file_too_large
from timeline.ingest.clean import MAX_FILE_BYTES
from timeline.ingest.errors import IngestError
from timeline.models import Source
from timeline.reimport import apply_reimport, prepare_reimport, preview_reimport
from timeline.versions import StaleVersion, parse_version

PASTED = "pasted text"


class ReimportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="The article as a text or HTML file, of any name and in any encoding the import reads "
        "(UTF-8, GBK, Big5, UTF-16…). It is read like a new import: site furniture (bylines, share bars, "
        "ICP footers) is dropped.",
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

    def article_bytes(self) -> tuple[bytes, str]:
        """The bytes to import and where they came from (the file's name, or "pasted text")."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].replace("\r\n", "\n").encode("utf-8"), PASTED


def checksum(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


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
        raw, name = form.article_bytes()
        try:
            prepared = prepare_reimport(source, raw, file_name=name)
            preview = preview_reimport(source, prepared, from_name=name)
        except IngestError as exc:
            form.add_error(None, f"Nothing was imported. {exc}")
        else:
            context.update(
                preview=preview,
                text=prepared.cleaned_text,
                payload=base64.b64encode(raw).decode("ascii"),
                name=name,
                checksum=checksum(raw),
                version=source.version,
            )
            return TemplateResponse(request, "admin/timeline/source/reimport_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/timeline/source/reimport.html", context)


def _apply(model_admin, request, source, change_url, context):
    try:
        raw = base64.b64decode(request.POST.get("payload", ""), validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    name = request.POST.get("name", "")[:255]
    version = parse_version(request.POST.get("version"))
    if not raw or checksum(raw) != request.POST.get("checksum") or version is None:
        model_admin.message_user(
            request, "The previewed text did not arrive intact; nothing was imported. Upload it again.", messages.ERROR
        )
        return redirect(reverse("admin:timeline_source_reimport", args=[source.pk]))
    try:
        result = apply_reimport(source, raw, expected_version=version, file_name=name, user=request.user)
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
