"""Contributors propose changes to the names that published items show; editors apply or reject them.

An entity, tag or era that published items show is published content, so only an editor changes it
(:func:`timeline.workflow.may_change_vocabulary`). A contributor opens "Propose a change" on its page,
edits the same form and says why: a :class:`~timeline.models.VocabularyProposal` is stored, and nothing
public changes. Editors see the pending proposals (a list, and a count on the admin index and on the
entity, tag and era lists) and either

* apply one: its values are posted through the record's own change form, so the save is the versioned
  editor save with its history entry (the editor as the user, the proposer in the change reason) and
  the same side effects (search text of the items that show it). A record changed since the proposal
  was made gets the conflict page, field by field, instead of being overwritten; or
* reject one with a reason, which the contributor sees beside their proposal.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from timeline import workflow
from timeline.admin_conflicts import RESOLVING, VERSION_FIELD, _as_data, _as_text, _posted
from timeline.models import ProposalStatus, VocabularyProposal
from timeline.versions import parse_version

PROPOSAL_FIELD = "_proposal"  # rides along the change form's submission when an editor applies one


def is_editor(user) -> bool:
    return user.has_perm(workflow.PUBLISH_PERMISSION)


def pending() -> models.QuerySet[VocabularyProposal]:
    return VocabularyProposal.objects.filter(status=ProposalStatus.PENDING)


def proposal_url(proposal: VocabularyProposal) -> str:
    return reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])


def target_admin(admin_site, proposal: VocabularyProposal):
    return admin_site._registry[proposal.target_model]


class ProposeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        required=False,
        max_length=2000,
        help_text="Why the change is right (a source, a spelling rule…): the editor who reviews it reads this.",
    )


def _form_values(form_class, obj) -> QueryDict:
    """``obj`` as the POST data of its change form."""
    form = form_class(instance=obj)
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        if name != VERSION_FIELD:
            data.setlist(name, _as_data(field, form[name].initial))
    return data


def describe_changes(form_class, obj, proposal: VocabularyProposal) -> list[dict]:
    """Each proposed field: its label, the value now and the value proposed, as an editor reads them."""
    form = form_class(instance=obj)
    rows = []
    for name, values in proposal.values.items():
        field = form.fields.get(name)
        if field is None:
            continue
        data = QueryDict(mutable=True)
        data.setlist(name, values)
        posted = _posted(field, data, name)
        rows.append(
            {
                "label": str(field.label or name),
                "now": _as_text(field, form[name].initial),
                "proposed": _as_text(field, posted if isinstance(posted, list) else (values[0] if values else "")),
            }
        )
    return rows


class ProposalsForVocabularyMixin:
    """On EntityAdmin, TagAdmin and EraAdmin: the "Propose a change" page for contributors, and the hook
    that marks a proposal applied when an editor's save carries it."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/propose/",
                self.admin_site.admin_view(self.propose_view),
                name=f"{opts.app_label}_{opts.model_name}_propose",
            ),
            *super().get_urls(),
        ]

    def may_propose(self, request, obj) -> bool:
        """Whoever may read the record but not change it proposes instead."""
        return self.has_view_permission(request, obj) and not self.has_change_permission(request, obj)

    def propose_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_propose", args=[obj.pk])

    def propose_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such record.")
        opts = self.model._meta
        if self.has_change_permission(request, obj):
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        if not self.may_propose(request, obj):
            raise PermissionDenied
        form_class = self.get_form(request, obj, change=False)  # every field, editable
        if request.method == "POST":
            form = form_class(request.POST, instance=self.model.objects.get(pk=obj.pk))
            extra = ProposeForm(request.POST)
            if form.is_valid() and extra.is_valid():
                changed = [name for name in form.changed_data if name != VERSION_FIELD]
                if not changed:
                    form.add_error(None, "You changed nothing: edit the fields you want changed, then propose.")
                else:
                    proposal = VocabularyProposal.objects.create(
                        model=opts.model_name,
                        object_id=obj.pk,
                        object_label=str(obj)[:200],
                        base_version=parse_version(request.POST.get(VERSION_FIELD)) or obj.version,
                        values={name: request.POST.getlist(name) for name in changed},
                        reason=extra.cleaned_data["reason"].strip(),
                        proposed_by=request.user,
                    )
                    self.message_user(
                        request,
                        "Your proposal was sent to the editors. Nothing changes on the public site until an "
                        "editor applies it; its status is shown here.",
                        messages.SUCCESS,
                    )
                    return redirect(proposal_url(proposal))
        else:
            form, extra = form_class(instance=obj), ProposeForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Propose a change to “{obj}”",
            "opts": opts,
            "original": obj,
            "form": form,
            "extra": extra,
            "uses": workflow.published_uses(obj),
            "proposals": VocabularyProposal.objects.filter(model=opts.model_name, object_id=obj.pk)[:20],
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/timeline/propose.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None and request.method == "GET":
            waiting = pending().filter(model=self.model._meta.model_name, object_id=obj.pk).count()
            if self.may_propose(request, obj):
                extra_context["propose_url"] = self.propose_url(obj)
                self.message_user(
                    request,
                    format_html(
                        "{} published items show “{}”, so only an editor can change it. "
                        '<a href="{}">Propose a change</a> for an editor to review.',
                        workflow.published_uses(obj),
                        obj,
                        self.propose_url(obj),
                    ),
                    messages.INFO,
                )
            elif waiting and is_editor(request.user):
                self.message_user(
                    request,
                    format_html(
                        '{} proposed change(s) to “{}” wait for review: <a href="{}">review them</a>.',
                        waiting,
                        obj,
                        reverse("admin:timeline_vocabularyproposal_changelist")
                        + f"?status__exact=pending&model__exact={self.model._meta.model_name}&object_id={obj.pk}",
                    ),
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and is_editor(request.user):
            waiting = pending().filter(model=self.model._meta.model_name).count()
            if waiting:
                self.message_user(
                    request,
                    format_html(
                        '{} proposed change(s) to {} wait for review: <a href="{}">review them</a>.',
                        waiting,
                        self.model._meta.verbose_name_plural,
                        reverse("admin:timeline_vocabularyproposal_changelist")
                        + f"?status__exact=pending&model__exact={self.model._meta.model_name}",
                    ),
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        proposal = None
        proposal_id = request.POST.get(PROPOSAL_FIELD)
        if change and proposal_id and is_editor(request.user):
            proposal = (
                VocabularyProposal.objects.select_for_update()
                .filter(
                    pk=parse_version(proposal_id) or 0,
                    status=ProposalStatus.PENDING,
                    model=self.model._meta.model_name,
                    object_id=obj.pk,
                )
                .first()
            )
        if proposal is not None:
            proposer = proposal.proposed_by.get_username() if proposal.proposed_by else "a deleted user"
            obj._change_reason = f"Proposed by {proposer} (proposal #{proposal.pk})"
        super().save_model(request, obj, form, change)
        if proposal is not None:
            proposal.status = ProposalStatus.APPLIED
            proposal.decided_by = request.user
            proposal.decided_at = timezone.now()
            proposal.applied_version = obj.version
            changed = [name for name in form.changed_data if name != VERSION_FIELD]
            proposal.decision_note = "Applied" + (f" ({', '.join(changed)})" if changed else " (no field differed)")
            proposal.save()


@admin.register(VocabularyProposal)
class VocabularyProposalAdmin(admin.ModelAdmin):
    """Editors review every proposal here; contributors follow their own."""

    list_display = ("__str__", "status", "fields_changed", "proposed_by", "proposed_at", "decided_by", "decision_note")
    list_filter = ("status", "model")
    search_fields = ("object_label", "reason")
    list_select_related = ("proposed_by", "decided_by")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_editor(request.user):
            return queryset
        return queryset.filter(proposed_by=request.user)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "object_id" or super().lookup_allowed(lookup, value, request)

    # Proposals are made from the record's page and decided on their own page, never edited here.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or is_editor(request.user) or obj.proposed_by_id == request.user.pk

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="fields")
    def fields_changed(self, proposal):
        return ", ".join(proposal.values)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:proposal_id>/apply/", view(self.apply_view), name="timeline_vocabularyproposal_apply"),
            path("<int:proposal_id>/reject/", view(self.reject_view), name="timeline_vocabularyproposal_reject"),
            *super().get_urls(),
        ]

    def _proposal(self, request, proposal_id) -> VocabularyProposal:
        proposal = self.get_queryset(request).filter(pk=proposal_id).first()
        if proposal is None:
            raise Http404("No such proposal.")
        return proposal

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self._proposal(request, parse_version(unquote(object_id)) or 0)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        obj = proposal.target()
        rows, stale, target_url = [], False, None
        if obj is not None:
            owner = target_admin(self.admin_site, proposal)
            rows = describe_changes(owner.get_form(request, obj, change=False), obj, proposal)
            stale = obj.version != proposal.base_version
            opts = obj._meta
            target_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": str(proposal),
            "opts": self.model._meta,
            "proposal": proposal,
            "target": obj,
            "target_url": target_url,
            "rows": rows,
            "stale": stale,
            "may_decide": is_editor(request.user) and proposal.status == ProposalStatus.PENDING and obj is not None,
        }
        return TemplateResponse(request, "admin/timeline/proposal.html", context)

    def apply_view(self, request, proposal_id):
        """Post the proposal through the record's change form, as the editor (see the module docstring)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not is_editor(request.user):
            raise PermissionDenied
        proposal = self._proposal(request, proposal_id)
        back = redirect(proposal_url(proposal))
        if proposal.status != ProposalStatus.PENDING:
            self.message_user(request, f"This proposal was already {proposal.status}; nothing changed.", messages.ERROR)
            return back
        obj = proposal.target()
        if obj is None:
            self.message_user(request, "The record was deleted; nothing to apply.", messages.ERROR)
            return back
        owner = target_admin(self.admin_site, proposal)
        if RESOLVING not in request.POST:
            # The record's values now, with the proposed fields on top, based on the version it was made from.
            data = _form_values(owner.get_form(request, obj, change=True), obj)
            for name, values in proposal.values.items():
                data.setlist(name, values)
            data[VERSION_FIELD] = str(proposal.base_version)
            data[PROPOSAL_FIELD] = str(proposal.pk)
            data["csrfmiddlewaretoken"] = request.POST.get("csrfmiddlewaretoken", "")
            request.POST = data
        # Else: the choices made on the conflict page, which carried the proposal id along.
        response = owner.changeform_view(request, str(obj.pk))
        if response.status_code == 302:
            proposal.refresh_from_db()
            if proposal.status == ProposalStatus.APPLIED:
                self.message_user(request, f"Applied {proposal}; the history of “{obj}” records it.", messages.SUCCESS)
            return back
        if response.status_code == 200 and getattr(response, "context_data", None):
            form = response.context_data.get("adminform")
            errors = form.form.errors.as_text() if form is not None else "the form was refused"
            self.message_user(request, f"Not applied, nothing changed: {errors}", messages.ERROR)
            return back
        if response.status_code == 409 and getattr(response, "context_data", None) is not None:
            # The conflict page words it for this case: the proposer made "your" side, the other editor
            # changed the record since; the applying editor did neither.
            response.context_data["applying_proposal"] = proposal
        return response  # the conflict page (409) or a refusal

    def reject_view(self, request, proposal_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not is_editor(request.user):
            raise PermissionDenied
        proposal = self._proposal(request, proposal_id)
        reason = " ".join(request.POST.get("reason", "").split())
        if not reason:
            self.message_user(request, "Say why you reject it: the contributor reads the reason.", messages.ERROR)
            return redirect(proposal_url(proposal))
        with transaction.atomic():
            updated = pending().filter(pk=proposal.pk).update(
                status=ProposalStatus.REJECTED,
                decided_by=request.user,
                decided_at=timezone.now(),
                decision_note=reason[:2000],
            )
        if updated:
            self.message_user(request, f"Rejected {proposal}. Nothing changed.", messages.SUCCESS)
        else:
            self.message_user(request, "This proposal was already decided; nothing changed.", messages.ERROR)
        return redirect(proposal_url(proposal))
