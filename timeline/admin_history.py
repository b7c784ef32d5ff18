"""The item history editors can use: one history entry per save, a field-by-field comparison of any
revision (citations and people / organisations / tags included), and restoring one field or the whole
revision, each labelled as a restore in the history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import label_for_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from timeline import drafts, revisions, search, workflow
from timeline.models import Item, ItemDraftRevision, Status
from timeline.versions import StaleVersion, claim_version, parse_version


class RevisionAdminMixin:
    history_list_display = ("status", "compare_link")
    object_history_list_template = "admin/timeline/item/object_history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        labels = [
            capfirst(label_for_field(name, self.model, self)) for name in self.get_history_list_display(request)
        ]
        return super().history_view(request, object_id, {**(extra_context or {}), "history_list_labels": labels})

    # -- one entry per save, restores labelled ------------------------------------------------------------

    def save_related(self, request, form, formsets, change):
        def save():
            super(RevisionAdminMixin, self).save_related(request, form, formsets, change)

        revisions.one_history_record(form.instance, save)

    def save_model(self, request, obj, form, change):
        restoring = getattr(request, "_timeline_restoring", None)
        if restoring is not None:
            obj._change_reason = f"Restored the whole revision #{restoring}"
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            request._timeline_restoring = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- draft revisions of published items -----------------------------------------------------------------

    DRAFT_STAMP = "_draft_stamp"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None and "_save_draft" in request.POST:
            item = self.get_object(request, unquote(object_id))
            if item is not None and item.status == Status.PUBLISHED and self.has_change_permission(request, item):
                saved = self._save_draft(request, item)
                if saved is not None:
                    return saved
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _save_draft(self, request, item):
        """Validate the whole submission (item form and citation rows) as a save would, and keep it as the
        item's draft revision; None when it is not valid (the change view then shows the errors)."""
        waiting = ItemDraftRevision.objects.filter(item=item).first()
        if drafts.draft_stamp(waiting) != request.POST.get(self.DRAFT_STAMP, ""):
            who = waiting.author if waiting is not None and waiting.author else "someone"
            refusal = (
                f"a draft revision by {who} was saved (or published, or discarded) while you were editing, and "
                "yours would replace it. Open the item again to see it, then add your changes."
            )
            return self.conflict_view(request, item, parse_version(request.POST.get("base_version")), refusal=refusal)
        form = self.get_form(request, item, change=True)(request.POST, request.FILES, instance=item)
        valid = form.is_valid()
        candidate = form.instance if valid else item
        formsets, _ = self._create_formsets(request, candidate, change=True)
        if not (valid and all(formset.is_valid() for formset in formsets)):
            return None
        drafts.save_draft(Item.objects.get(pk=item.pk), form, formsets, user=request.user)
        who = "an editor publishes" if not workflow.can_publish(request.user) else "it is published"
        self.message_user(
            request,
            f"Saved as a draft revision. The live item is unchanged until {who} the draft.",
            messages.SUCCESS,
        )
        return redirect(self._history_url("change", item.pk))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = ItemDraftRevision.objects.filter(item=obj).select_related("author").first() if obj and obj.pk else None
        context["draft_revision"] = draft
        context["draft_stamp"] = drafts.draft_stamp(draft)
        context["draft_stamp_field"] = self.DRAFT_STAMP
        if draft is not None:
            context["draft_changes"] = drafts.draft_changes(obj, draft)
            context["draft_publish_url"] = self._history_url("draft_publish", obj.pk)
            context["draft_discard_url"] = self._history_url("draft_discard", obj.pk)
            context["can_publish_draft"] = workflow.can_publish(request.user)
            context["can_discard_draft"] = workflow.can_publish(request.user) or draft.author_id == request.user.pk
        return super().render_change_form(request, context, add, change, form_url, obj)

    def draft_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if action == "discard":
            draft = ItemDraftRevision.objects.filter(item=item).first()
            # An editor discards any draft; a contributor only their own.
            if not (self.has_change_permission(request, item) or (draft is not None and draft.author_id == request.user.pk)):
                raise PermissionDenied
            drafts.discard_draft(item)
            self.message_user(request, "The draft revision was discarded; the live item is unchanged.", messages.SUCCESS)
            return redirect(self._history_url("change", item.pk))
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        try:
            item = drafts.publish_draft(
                item, user=request.user, expected_version=parse_version(request.POST.get("version")) or 0
            )
        except ValidationError as exc:
            self.message_user(
                request, f"The draft revision was not published; nothing changed. {' '.join(exc.messages)}", messages.ERROR
            )
        except StaleVersion as exc:
            self.message_user(
                request, f"The draft revision was not published. {exc} Reload the item first.", messages.ERROR
            )
        else:
            if item.status == Status.PUBLISHED:
                done = "The draft revision is published: the site shows it now."
            else:
                done = (
                    f"The draft revision is applied to the item. The item is {item.get_status_display()}, so the "
                    "site does not show it until it is published."
                )
            self.message_user(request, done, messages.SUCCESS)
        return redirect(self._history_url("change", item.pk))

    # -- comparing and restoring one field ----------------------------------------------------------------

    @staticmethod
    def _history_url(name, *args):
        return reverse(f"admin:timeline_item_{name}", args=args)

    def compare_link(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            self._history_url("revision", record.id, record.history_id),
            _("compare field by field"),
        )

    compare_link.short_description = _("Compare")

    def revision_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/<int:history_id>/compare/",
                view(self.revision_view),
                name="timeline_item_revision",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/<str:field_name>/",
                view(self.restore_field_view),
                name="timeline_item_restore_field",
            ),
            path("<path:object_id>/draft/publish/", view(self.draft_view), {"action": "publish"}, name="timeline_item_draft_publish"),
            path("<path:object_id>/draft/discard/", view(self.draft_view), {"action": "discard"}, name="timeline_item_draft_discard"),
        ]

    def _record(self, request, object_id, history_id):
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        record = item.history.filter(history_id=history_id).first()
        if record is None:
            raise Http404("No such revision of this item.")
        return item, record

    def revision_view(self, request, object_id, history_id):
        item, record = self._record(request, object_id, history_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revision of {record.history_date:%Y-%m-%d %H:%M} by {record.history_user or 'someone'}",
            "opts": self.model._meta,
            "original": item,
            "record": record,
            "changes": revisions.revision_changes(item, record),
            "can_restore": self.has_change_permission(request, item),
            "history_url": self._history_url("history", item.pk),
            "restore_all_url": reverse("admin:timeline_item_simple_history", args=[item.pk, record.history_id]),
        }
        return TemplateResponse(request, "admin/timeline/item/revision.html", context)

    def restore_field_view(self, request, object_id, history_id, field_name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item, record = self._record(request, object_id, history_id)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        back = self._history_url("revision", item.pk, history_id)
        expected = parse_version(request.POST.get("version"))
        fields = {field.name: field for field in revisions.compared_fields()}
        if field_name not in fields or field_name in revisions.NOT_RESTORABLE:
            self.message_user(request, f"Nothing was restored: “{field_name}” cannot be restored on its own.", messages.ERROR)
            return redirect(back)
        label = str(fields[field_name].verbose_name)
        try:
            with transaction.atomic():
                item.skip_history_when_saving = True
                try:
                    revisions.restore_field(item, record, field_name)
                finally:
                    del item.skip_history_when_saving
                item.full_clean(validate_unique=field_name == "slug", validate_constraints=False)
                citations = list(item.citations.select_related("passage__source"))
                problems = workflow.save_errors(item, citations)
                if problems:
                    raise ValidationError(problems)
                claim_version(item, expected if expected is not None else item.version)
                item._change_reason = f"Restored {label} from revision #{history_id}"
                item._history_user = request.user
                item.save()
                search.refresh_search_text([item])
        except ValueError as exc:
            self.message_user(request, f"Nothing was restored: {exc}.", messages.ERROR)
            return redirect(back)
        except ValidationError as exc:
            self.message_user(request, f"Nothing was restored: {' '.join(exc.messages)}", messages.ERROR)
            return redirect(back)
        except StaleVersion as exc:
            self.message_user(request, f"Nothing was restored. {exc} Look at the revision again.", messages.ERROR)
            return redirect(back)
        self.message_user(request, f"Restored {label} from this revision.", messages.SUCCESS)
        return redirect(self._history_url("history", item.pk))
