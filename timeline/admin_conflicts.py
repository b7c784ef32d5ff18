"""Editors never overwrite each other: versioned change forms and the conflict page.

:class:`VersionedAdminMixin` goes on every ModelAdmin whose model has a ``version``
(:mod:`timeline.versions`). Its change form carries the version it was read at; a save based on an
older version, or one the editor may no longer make (a contributor's draft published meanwhile), is
not written. Instead the editor gets the conflict page: field by field what they typed, what the other
editor saved and what it was before, with a choice per field (theirs, yours, or an edited merge). Their
whole submission, inline rows included, rides along in hidden fields, so nothing typed is lost; when the
refusal is a permission change, the typed text is shown with the reason, ready to copy.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html

from timeline import presence
from timeline.versions import StaleVersion, claim_version, current_version, parse_version

VERSION_FIELD = "base_version"
RESOLVING = "_resolving_conflict"
CHOICE_PREFIX, MERGED_PREFIX = "_resolve-", "_merged-"
THEIRS, YOURS, MERGED = "theirs", "yours", "merged"


@dataclass
class FieldConflict:
    name: str
    label: str
    base: str  # as text, for reading
    theirs: str
    yours: str
    yours_changed: bool
    theirs_changed: bool
    mergeable: bool  # free text: an edited merge may be typed

    @property
    def both_changed(self) -> bool:
        # Only fields whose two sides differ are listed, so "both changed" is a real conflict.
        return self.yours_changed and self.theirs_changed

    @property
    def merge_rows(self) -> int:
        """Rows for the merge box: as tall as the longer side needs in its narrow column."""
        return max(textarea_rows(self.yours, 40), textarea_rows(self.theirs, 40))

    @property
    def default(self) -> str | None:
        """The side kept unless the editor chooses: the only side that changed; none when both did."""
        if self.both_changed:
            return None
        return THEIRS if self.theirs_changed else YOURS


def textarea_rows(text: str, cols: int, *, least: int = 2, most: int = 30) -> int:
    """How many rows of ``cols`` columns ``text`` fills (a CJK character takes two columns), plus one to
    type into, between ``least`` and ``most``: the box fits its content without scrolling. Browsers with
    CSS ``field-sizing: content`` size it themselves; this is the fallback."""
    rows = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        rows += max(1, -(-width // cols))
    return min(most, max(least, rows + 1))


def _as_text(field: forms.Field, value) -> str:
    """A field value as an editor reads it: choice labels and related objects' names, not ids."""
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        ids = [str(getattr(v, "pk", v)) for v in value]
        return ", ".join(str(o) for o in field.queryset.filter(pk__in=ids).order_by("pk")) if ids else ""
    if isinstance(field, forms.ModelChoiceField):
        pk = getattr(value, "pk", value)
        found = field.queryset.filter(pk=pk).first()
        return str(found) if found is not None else str(pk)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}
        return labels.get(str(value), str(value))
    if isinstance(field, forms.BooleanField):
        return "yes" if value else "no"
    return str(value)


def _as_data(field: forms.Field, value) -> list[str]:
    """A model value as the POST data of ``field`` (a list: one entry per value)."""
    value = field.prepare_value(value)
    if value is None or value is False:
        return []
    if value is True:
        return ["on"]
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return [str(value)]


def _as_post(name: str, field: forms.Field, value) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist(name, _as_data(field, value))
    return data


def _posted(field: forms.Field, data: QueryDict, name: str):
    """What ``field``'s widget reads from ``data`` (the shape ``Field.has_changed`` compares)."""
    return field.widget.value_from_datadict(data, MultiValueDict(), name)


def _differs(field: forms.Field, initial, data) -> bool:
    """Whether posted ``data`` differs from the value ``initial``, by the field's own rule (as Django
    decides which fields a form changed); line endings and surrounding blanks do not count."""
    if isinstance(data, str):
        data = data.replace("\r\n", "\n").strip()
    if isinstance(initial, str):
        initial = initial.replace("\r\n", "\n").strip()
    return field.has_changed(initial, data)


class VersionedAdminMixin:
    """Optimistic concurrency for a ModelAdmin's change form (see the module docstring)."""

    conflict_template = "admin/timeline/conflict.html"
    # Form fields derived from another field: dropped from the submission when that field takes the
    # other editor's value, so they cannot pull it back (the item's date picker boxes).
    dependent_fields: dict[str, tuple[str, ...]] = {}

    # -- the form carries its version ------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        probing = "fields" in kwargs and kwargs["fields"] is None  # ModelAdmin.get_fields asking for names
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or obj.pk is None or probing:
            return form
        # The current row's version, also when ``obj`` is an old revision shown for a revert.
        version = current_version(self.model, obj.pk) or obj.version
        field = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=version)
        return type(form.__name__, (form,), {VERSION_FIELD: field})

    def edit_refusal(self, request, obj) -> str | None:
        """Why this user may not save ``obj`` as it is now, although they could open its form."""
        if not self.has_change_permission(request, obj):
            return "You no longer have permission to change it."
        return None

    def save_model(self, request, obj, form, change):
        if change and obj.pk is not None:
            expected = parse_version(form.cleaned_data.get(VERSION_FIELD))
            claim_version(obj, expected if expected is not None else obj.version)
        super().save_model(request, obj, form, change)

    # -- a stale or refused save becomes the conflict page ---------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        if RESOLVING in request.POST:
            # Choices made on a conflict page; "theirs" means the record as it is now.
            request.POST = self._resolved_post(request, obj)
        posted = parse_version(request.POST.get(VERSION_FIELD))
        refusal = self.edit_refusal(request, obj)
        if refusal is None and posted is not None and posted != obj.version:
            return self.conflict_view(request, obj, posted)
        if refusal is not None:
            return self.conflict_view(request, obj, posted, refusal=refusal)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersion:
            # Lost the race between the check above and the save; the atomic block wrote nothing.
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise
            return self.conflict_view(request, obj, posted)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleVersion as exc:
            self.message_user(request, f"Nothing was restored. {exc} Look at the history again.", messages.ERROR)
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]))

    def _conflict_form(self, request, obj):
        # change=False: the form must list every field even when the user lost the right to change them.
        return self.get_form(request, obj, change=False)

    def base_instance(self, obj, version: int | None):
        """The record as it was at ``version`` (from its history), or None if that is not known."""
        history = getattr(type(obj), "history", None)
        if version is None or history is None:
            return None
        record = history.filter(**{type(obj)._meta.pk.attname: obj.pk, "version": version}).order_by(
            "-history_date"
        ).first()
        return record.instance if record is not None else None

    def field_conflicts(self, request, obj, base_version: int | None) -> list[FieldConflict]:
        form_class = self._conflict_form(request, obj)
        theirs_form = form_class(instance=obj)
        base = self.base_instance(obj, base_version)
        base_form = form_class(instance=base) if base is not None else None
        model_fields = {f.name for f in self.model._meta.get_fields()}
        conflicts = []
        for name, field in theirs_form.fields.items():
            if name not in model_fields:
                continue
            multiple = isinstance(field, forms.MultipleChoiceField)
            theirs_value = theirs_form[name].initial
            yours_data = self.effective_posted(request, name, _posted(field, request.POST, name))
            if not _differs(field, theirs_value, yours_data):
                continue  # the same either way (also when both made the same change)
            if base_form is not None:
                base_value = self._base_value(base_form, base, name)
                theirs_changed = _differs(field, base_value, _posted(field, _as_post(name, field, theirs_value), name))
                yours_changed = _differs(field, base_value, yours_data)
            else:
                base_value, theirs_changed, yours_changed = None, True, True
            raw = request.POST.getlist(name)
            conflicts.append(
                FieldConflict(
                    name=name,
                    label=str(field.label or name),
                    base=_as_text(field, base_value) if base_form is not None else "(not known)",
                    theirs=_as_text(field, theirs_value),
                    yours=_as_text(field, raw if multiple else (raw[0] if raw else "")),
                    yours_changed=yours_changed,
                    theirs_changed=theirs_changed,
                    mergeable=isinstance(field, forms.CharField)
                    and not isinstance(field.widget, forms.HiddenInput),
                )
            )
        return conflicts

    def effective_posted(self, request, name, data):
        """What the save would store for ``name`` from the posted ``data`` (a hook: a field left empty to
        be filled in by the form, like the item's era, compares as the value it would be filled with)."""
        return data

    def _base_value(self, base_form, base, name):
        # A historical instance reads many-to-many links from the live row; its record has its own.
        record = getattr(base, "_history", None)
        field = self.model._meta.get_field(name)
        if record is not None and isinstance(field, models.ManyToManyField) and hasattr(record, name):
            target = field.m2m_reverse_field_name()
            return list(getattr(record, name).values_list(target, flat=True))
        return base_form[name].initial

    def conflict_view(self, request, obj, base_version: int | None, *, refusal: str | None = None):
        opts = self.model._meta
        conflicts = self.field_conflicts(request, obj, base_version)
        latest = None
        history = getattr(type(obj), "history", None)
        if history is not None:
            latest = history.filter(**{opts.pk.attname: obj.pk}).order_by("-history_date").first()
        resolved = {c.name for c in conflicts}
        carried = [
            (key, value)
            for key, values in request.POST.lists()
            if key not in resolved
            and key not in (VERSION_FIELD, "csrfmiddlewaretoken", RESOLVING)
            and not key.startswith((CHOICE_PREFIX, MERGED_PREFIX))
            for value in values
        ]
        for conflict in conflicts:
            carried += [(f"_yours-{conflict.name}", v) for v in request.POST.getlist(conflict.name)]
        typed = [
            (str(field.label or name), value, textarea_rows(value, 80))
            for name, field in self._conflict_form(request, obj).base_fields.items()
            for value in [request.POST.get(name, "")]
            if isinstance(field, forms.CharField) and value.strip()
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Your changes to “{obj}” were not saved yet",
            "opts": opts,
            "original": obj,
            "refusal": refusal,
            "conflicts": conflicts,
            "notes": self.conflict_notes(request, obj),
            "carried": carried,
            "typed": typed,
            "version": obj.version,
            "base_version": base_version,
            "latest": latest,
            "action_url": request.get_full_path(),
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
            "version_field": VERSION_FIELD,
            "resolving_field": RESOLVING,
            "choice_prefix": CHOICE_PREFIX,
            "merged_prefix": MERGED_PREFIX,
            "draft_offer": self.draft_offer(request, obj) if refusal else None,
        }
        return TemplateResponse(request, self.conflict_template, context, status=403 if refusal else 409)

    def draft_offer(self, request, obj) -> list[tuple[str, str]] | None:
        """Hidden fields that re-post the refused submission as a draft revision, when the user may save
        one instead (a hook; items offer it to contributors whose draft was published meanwhile)."""
        return None

    def _resolved_post(self, request, obj):
        """The submission with every field resolved as chosen on the conflict page."""
        post = request.POST.copy()
        form_class = self.get_form(request, obj, change=True)
        theirs_form = form_class(instance=obj)
        for key in list(post.keys()):
            if not key.startswith(CHOICE_PREFIX):
                continue
            name = key[len(CHOICE_PREFIX) :]
            choice = post.get(key)
            yours = post.getlist(f"_yours-{name}")
            if name not in theirs_form.fields:
                continue
            if choice == THEIRS:
                post.setlist(name, _as_data(theirs_form.fields[name], theirs_form[name].initial))
                for dependent in self.dependent_fields.get(name, ()):
                    post.pop(dependent, None)
            elif choice == MERGED:
                post.setlist(name, [post.get(f"{MERGED_PREFIX}{name}", "")])
            else:
                post.setlist(name, yours)
        for key in list(post.keys()):
            if key.startswith((CHOICE_PREFIX, MERGED_PREFIX, "_yours-")) or key == RESOLVING:
                post.pop(key)
        self.resolve_inline_rows(post, obj)
        return post

    def conflict_notes(self, request, obj) -> list[str]:
        """Plain sentences about what the field table does not show (a hook; items describe citations)."""
        return []

    def resolve_inline_rows(self, post, obj) -> None:
        """Bring inline rows posted from the stale form up to date (a hook; items use it for citations)."""

    # -- presence: who else has the form open, and whether a newer version was saved --------------------

    track_presence = False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.track_presence and obj is not None and obj.pk is not None:
            presence.touch(self.model, obj.pk, request.user)
            opts = self.model._meta
            context["presence_url"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_presence", args=[obj.pk])
            context["others_editing"] = presence.others(self.model, obj.pk, request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def presence_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name=f"{opts.app_label}_{opts.model_name}_presence",
            )
        ]

    def presence_view(self, request, object_id):
        """The form's heartbeat (POST): who else is editing, and the saved version with who saved it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return JsonResponse({"error": "No such record, or you may not see it."}, status=404)
        if request.POST.get("leave"):
            presence.leave(self.model, obj.pk, request.user)
        else:
            presence.touch(self.model, obj.pk, request.user)
        answer = {"others": presence.others(self.model, obj.pk, request.user), "version": obj.version}
        history = getattr(type(obj), "history", None)
        latest = history.filter(**{self.model._meta.pk.attname: obj.pk}).order_by("-history_date").first() if history else None
        if latest is not None:
            user = latest.history_user
            answer["saved_by"] = (user.get_full_name() or user.get_username()) if user else ""
            answer["saved_at"] = latest.history_date.isoformat()
        return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})

    # -- bulk actions: each row carries the version the list showed --------------------------------------

    def action_checkbox(self, obj):
        checkbox = super().action_checkbox(obj)
        return format_html(
            '{}<input type="hidden" name="_version-{}" value="{}">', checkbox, obj.pk, obj.version
        )



def listed_version(request, obj) -> int | None:
    """The version of ``obj`` the changelist showed when its bulk action was chosen (None: not shown)."""
    return parse_version(request.POST.get(f"_version-{obj.pk}"))
