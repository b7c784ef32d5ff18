"""The editorial admin: editors import, cite, date, review and publish here.

One ``@admin.register`` class per model; HTML only through ``format_html``. The careful path is the easy
one: citations are chosen with the passage picker (never typed offsets), dates are typed as EDTF or picked,
status changes go through :mod:`timeline.workflow` (buttons on the item page and bulk actions, both
refusing to publish an unsourced claim), and every change to items, citations and sources is kept by
django-simple-history with who, when and what, viewable as a diff and revertible.
"""

from __future__ import annotations

from functools import lru_cache, partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from timeline import admin_import, drafts, search, workflow
from timeline.admin_candidates import candidates_view
from timeline.admin_conflicts import VersionedAdminMixin, listed_version
from timeline.admin_history import RevisionAdminMixin
from timeline.admin_proposals import ProposalsForVocabularyMixin
from timeline.admin_reimport import reimport_view
from timeline.admin_views import (
    PICKER_FIELDS,
    CitationFormSet,
    CitationInlineForm,
    EntityForm,
    ItemForm,
    SourceUploadForm,
    StaffLoginForm,
    import_upload,
    parse_date_preview,
    picker_data,
)
from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.ingest.errors import IngestError
from timeline.ingest.passages import make_passages
from timeline.ingest.pipeline import import_prepared
from timeline.ingest.prepare import PreparedSource
from timeline.models import (
    CHRONOLOGICAL_ORDER,
    Citation,
    CitationStatus,
    Entity,
    EntityKind,
    Era,
    ImportJob,
    Item,
    ItemDraftRevision,
    Passage,
    Source,
    Status,
    Tag,
)
from timeline.scripts import to_traditional
from timeline.tasks import run_import_job
from timeline.versions import parse_version

admin.site.site_header = "OpenAI chronology — editorial admin"
admin.site.site_title = "Chronology admin"
admin.site.index_title = "Import, cite, date, review and publish"
admin.site.login_form = StaffLoginForm


def _count(queryset) -> Coalesce:
    """A correlated COUNT subquery: no join, so filters on the same relation cannot multiply it."""
    counted = queryset.order_by().values(queryset.model._meta.get_field("item").attname)
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
    )


def _normalized_variants(term: str) -> set[str]:
    """The term as typed, in simplified and in traditional script (OpenCC)."""
    return {term, search.normalize(term), to_traditional(term)}




@lru_cache(maxsize=4096)
def _date_label(edtf: str) -> str:
    """The English label of an EDTF value; cached, since parsing EDTF costs milliseconds per value."""
    try:
        return FuzzyDate.parse(edtf).label_en
    except FuzzyDateError:
        return edtf


class RevertWithMessagesMixin:
    """A revert refused by a model's own checks says why instead of failing with a server error."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._timeline_reverting = True
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, "The revert was refused: " + " ".join(exc.messages), messages.ERROR)
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]))


def _citation_rows(post) -> int:
    """How many citation rows a submission says it has (0 when the number is missing or not a number)."""
    total = post.get("citations-TOTAL_FORMS") or ""
    return min(int(total), 1000) if total.isdigit() else 0


# --- items ----------------------------------------------------------------------------------------------


def only_drafts(request, item) -> bool:
    """True when ``request.user`` may change ``item`` only as a draft revision (a contributor, a
    published item)."""
    return not workflow.can_edit(request.user, item) and workflow.can_draft(request.user, item)


def may_edit_form(request, item) -> bool:
    """Whether the item's change form (fields and citation rows) is editable for this request: always
    when the user may edit the item, and for a draft revision (shown, or posted as one) when they may only
    draft it."""
    if workflow.can_edit(request.user, item):
        return True
    return getattr(request, "_timeline_drafting", False) and workflow.can_draft(request.user, item)


class PersonFilter(admin.SimpleListFilter):
    title = "person"
    parameter_name = "person"

    def lookups(self, request, model_admin):
        people = Entity.objects.filter(kind=EntityKind.PERSON, items_as_person__isnull=False).distinct()
        return [
            (entity.slug, f"{entity.name_en} · {entity.name_zh}") for entity in people.order_by("name_en")
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(people__slug=self.value()) | Q(speaker__slug=self.value())).distinct()
        return queryset


class CitedSourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"
    through = "item"  # the lookup from a citation to the filtered model

    def lookups(self, request, model_admin):
        return [(key, f"{title} ({key})") for key, title in Source.objects.values_list("key", "title")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if queryset.model is Citation:
            return queryset.filter(passage__source__key=self.value())
        return queryset.filter(
            Exists(Citation.objects.filter(item=OuterRef("pk"), passage__source__key=self.value()))
        )


class ProblemFilter(admin.SimpleListFilter):
    title = "has problems"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return [
            ("any", "any problem"),
            ("no-exact", "no exact citation"),
            ("unverified", "fuzzy or orphan citations"),
            ("late", "dated after its sources"),
            ("none", "no problems"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        exact = Exists(Citation.objects.filter(item=OuterRef("pk"), status=CitationStatus.EXACT))
        unverified = Exists(Citation.objects.filter(item=OuterRef("pk")).exclude(status=CitationStatus.EXACT))
        latest = (
            Citation.objects.filter(item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(latest=Max(Coalesce("passage__source__published", "passage__source__reference_date")))
            .values("latest")[:1]
        )
        queryset = queryset.annotate(latest_source=Subquery(latest))
        late = Q(latest_source__isnull=False, date_start__gt=F("latest_source"))
        conditions = {"no-exact": ~exact, "unverified": unverified, "late": late}
        if value in conditions:
            return queryset.filter(conditions[value])
        if value == "any":
            return queryset.filter(~exact | unverified | late)
        if value == "none":
            return queryset.filter(exact, ~unverified, ~late)
        return queryset


class CitationInline(admin.TabularInline):
    """The item's citations: shown read-only (offsets included); new ones come from the passage picker,
    which fills the hidden passage / start / end of a new row."""

    model = Citation
    form = CitationInlineForm
    formset = CitationFormSet
    extra = 0
    fields = ("where", "cited_text", "translation_en", "offsets", "state", "passage", "start", "end")
    readonly_fields = ("where", "cited_text", "offsets", "state")
    verbose_name_plural = "citations (add with “Cite a passage” below)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("passage__source")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit_form(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_form(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit_form(request, obj)

    @admin.display(description="source")
    def where(self, citation):
        if not citation.passage_id:
            return format_html('<span class="picker-where">{}</span>', "—")
        passage = citation.passage
        return format_html(
            '<a href="{}" title="{}">{} ¶{}</a>',
            passage.get_absolute_url(),
            passage.source.title,
            passage.source.key,
            passage.ordinal,
        )

    @admin.display(description="cited words (with context)")
    def cited_text(self, citation):
        if not citation.exact:
            return format_html('<span class="picker-preview">{}</span>', "—")
        return format_html(
            '<span class="picker-preview"><span class="citation-context">…{}</span><mark>{}</mark>'
            '<span class="citation-context">{}…</span></span>',
            citation.prefix[-12:],
            citation.exact,
            citation.suffix[:12],
        )

    @admin.display(description="code points")
    def offsets(self, citation):
        if citation.start is None or citation.end is None:
            return format_html('<span class="picker-offsets">{}</span>', "—")
        return format_html('<span class="picker-offsets">{}–{}</span>', citation.start, citation.end)

    @admin.display(description="state")
    def state(self, citation):
        if not citation.pk:
            return "new"
        return citation.get_status_display()


@admin.register(Item)
class ItemAdmin(VersionedAdminMixin, RevisionAdminMixin, RevertWithMessagesMixin, SimpleHistoryAdmin):
    form = ItemForm
    dependent_fields = {"date_edtf": PICKER_FIELDS}
    track_presence = True
    inlines = [CitationInline]
    change_form_template = "admin/timeline/item/change_form.html"
    list_display = (
        "title_en",
        "title_zh",
        "date_label",
        "kind",
        "era",
        "status",
        "citation_count",
        "verification",
    )
    list_display_links = ("title_en", "title_zh")
    list_filter = ("status", "kind", "era", "date_precision", PersonFilter, CitedSourceFilter, ProblemFilter)
    list_select_related = ("era",)
    list_per_page = 100
    search_fields = ("slug",)  # the real search is get_search_results over the normalised search text
    search_help_text = "Titles, summaries, quotes, people and tags, in simplified or traditional script."
    ordering = CHRONOLOGICAL_ORDER
    autocomplete_fields = ("people", "organizations", "tags", "speaker")
    prepopulated_fields = {"slug": ("title_en",)}
    readonly_fields = ("status", "date_bounds", "date_labels", "published_at", "created_at", "updated_at")
    actions = ("send_to_review", "return_to_draft", "publish_selected", "unpublish_selected")
    fieldsets = (
        (None, {"fields": ("slug", "kind", "status", "importance", "sequence", "era", "confirm_era")}),
        (
            "Date",
            {
                "fields": (
                    "date_edtf",
                    ("date_year", "date_month", "date_day", "date_is_approximate"),
                    "date_bounds",
                    "date_labels",
                ),
                "description": "Type EDTF or pick a year, month and day; suggestions from the cited passage "
                "appear in “Cite a passage” below.",
            },
        ),
        ("Text", {"fields": ("title_en", "title_zh", "summary_en", "summary_zh", "note_en", "note_zh")}),
        ("People, organisations and tags", {"fields": ("people", "organizations", "tags")}),
        (
            "Quote (only for kind “quote”)",
            {
                "fields": (
                    "quote_text",
                    "quote_language",
                    "speaker",
                    "quote_translation_en",
                    "quote_context_en",
                    "quote_context_zh",
                ),
            },
        ),
        ("Record", {"fields": ("published_at", "created_at", "updated_at")}),
        ("Checks", {"fields": ("confirm_not_duplicate",)}),
    )

    class Media:
        css = {"all": ["timeline/admin/picker.css", "timeline/admin/conflict.css"]}
        js = ["timeline/admin/picker.js", "timeline/admin/presence.js"]

    # -- list ------------------------------------------------------------------------------------------

    def get_queryset(self, request):
        citations = Citation.objects.filter(item=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                citations_total=_count(citations),
                citations_exact=_count(citations.filter(status=CitationStatus.EXACT)),
                citations_fuzzy=_count(citations.filter(status=CitationStatus.FUZZY)),
                citations_orphan=_count(citations.filter(status=CitationStatus.ORPHAN)),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        search.refresh_missing_search_text()
        matched = search.matching(Item.objects.all(), term).values("pk")
        return queryset.filter(Q(pk__in=matched) | Q(slug__icontains=term)), False

    @admin.display(description="date", ordering="date_start")
    def date_label(self, item):
        return _date_label(item.date_edtf)

    @admin.display(description="citations", ordering="citations_total")
    def citation_count(self, item):
        return item.citations_total

    @admin.display(description="verification")
    def verification(self, item):
        if not item.citations_total:
            return format_html('<span class="verification verification-none">{}</span>', "no citation")
        broken = [
            f"{count} {name}"
            for count, name in ((item.citations_fuzzy, "fuzzy"), (item.citations_orphan, "orphan"))
            if count
        ]
        if broken:
            # The source changed under these citations: readers see the verified snapshot until re-cited.
            return format_html(
                '<span class="verification verification-broken">⚠ {}</span> <a href="{}#passage-picker">re-cite</a>',
                ", ".join(broken),
                reverse("admin:timeline_item_change", args=[item.pk]),
            )
        return format_html(
            '<span class="verification verification-ok">✓ {} exact</span>', item.citations_exact
        )

    # -- form ------------------------------------------------------------------------------------------

    @admin.display(description="bounds")
    def date_bounds(self, item):
        if not item.pk:
            return "shown after saving"
        approximate = ", approximate" if item.date_approximate else ""
        bounds = f"{item.date_start.isoformat()} – {item.date_end.isoformat()}"
        return f"{bounds} ({item.precision_name}{approximate})"

    @admin.display(description="labels")
    def date_labels(self, item):
        if not item.pk:
            return "shown after saving"
        return format_html("{} · {}", item.date.label_en, item.date.label_zh)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "_timeline_reverting", False):
            form = type("RevertItemForm", (form,), {"reverting": True})
        return form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit_form(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_delete(request.user, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A contributor may open a published item's form and save it as a draft revision, nothing else:
        # the form is editable when shown and when posted as a draft; any other save is refused as
        # before (the conflict page gives the text back with the reason).
        request._timeline_drafting = request.method in ("GET", "HEAD") or "_save_draft" in request.POST
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and only_drafts(request, obj):
                extra_context = {
                    **(extra_context or {}),
                    "show_save": False,
                    "show_save_and_continue": False,
                    "show_save_and_add_another": False,
                    "drafts_only": True,
                }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def edit_refusal(self, request, obj):
        if "_save_draft" in request.POST and workflow.can_draft(request.user, obj):
            return None  # kept as a draft revision, the live item untouched
        return workflow.edit_refusal(request.user, obj)

    def draft_offer(self, request, obj):
        if "_save_draft" in request.POST or not workflow.can_draft(request.user, obj):
            return None
        skip = {"csrfmiddlewaretoken", "base_version", "_draft_stamp", "_save", "_continue", "_addanother"}
        fields = [(key, value) for key, values in request.POST.lists() if key not in skip for value in values]
        waiting = ItemDraftRevision.objects.filter(item=obj).first()
        # Added to the user's own waiting draft; someone else's draft they have not seen is never
        # overwritten (the draft save refuses it and says whose it is).
        own = waiting is None or waiting.author_id == request.user.pk
        stamp = drafts.draft_stamp(waiting) if own else request.POST.get("_draft_stamp", "")
        return [*fields, ("base_version", str(obj.version)), ("_draft_stamp", stamp)]

    def conflict_notes(self, request, obj):
        post = request.POST
        rows = range(_citation_rows(post))
        added = sum(1 for i in rows if not post.get(f"citations-{i}-id") and post.get(f"citations-{i}-passage"))
        removed = sum(1 for i in rows if post.get(f"citations-{i}-id") and post.get(f"citations-{i}-DELETE"))
        saved = [
            f"{c.passage.source.key} ¶{c.passage.ordinal} “{c.exact[:40]}” ({c.get_status_display()})"
            for c in Citation.objects.filter(item=obj).select_related("passage__source")
        ]
        notes = ["Citations saved now: " + ("; ".join(saved) if saved else "none") + "."]
        if added or removed:
            notes.append(
                f"Your citation changes are kept and applied when you save: {added} new, {removed} removed."
            )
        return notes

    def effective_posted(self, request, name, data):
        # An empty era is filled in from the date on save (ItemForm._check_era): compare that era.
        if name != "era" or data:
            return data
        from timeline.suggest.candidates import era_ranges
        from timeline.suggest.engine import era_for

        try:
            slug, _ = era_for(request.POST.get("date_edtf", "").strip(), era_ranges())
        except (FuzzyDateError, ValueError):
            return data
        era = Era.objects.filter(slug=slug).first() if slug else None
        return str(era.pk) if era is not None else data

    def resolve_inline_rows(self, post, obj):
        # Saved citation rows are never edited in the form (their selector is read-only), so after a
        # conflict they take the stored selector: a re-import may have moved it meanwhile, and the stale
        # offsets must not be cited again.
        stored = {str(c.pk): c for c in Citation.objects.filter(item=obj)}
        for index in range(_citation_rows(post)):
            key = post.get(f"citations-{index}-id")
            if not key:
                continue
            citation = stored.get(key)
            if citation is None:
                continue  # deleted meanwhile: the formset says so, and the editor cites it again
            post[f"citations-{index}-passage"] = str(citation.passage_id)
            post[f"citations-{index}-start"] = str(citation.start)
            post[f"citations-{index}-end"] = str(citation.end)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_submit_permission(self, request):
        return request.user.is_active and request.user.has_perm(workflow.SUBMIT_PERMISSION)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.refresh_search_text([form.instance])

    def save_model(self, request, obj, form, change):
        if "_save_draft" in request.POST:
            # A draft revision never writes the live item (RevisionAdminMixin keeps it aside); reaching
            # this would be a bug, so refuse rather than publish the edits.
            raise PermissionDenied("A draft revision does not change the live item.")
        super().save_model(request, obj, form, change)
        if getattr(request, "_timeline_reverting", False):
            search.refresh_search_text([obj])  # a revert saves no formsets, so save_related is not called

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self._workflow_context(request, obj))
        context["picker_sources"] = Source.objects.only("pk", "key", "title", "published").order_by(
            "published", "key"
        )
        context["picker_url"] = reverse("admin:timeline_item_picker", args=[0])
        context["parse_date_url"] = reverse("admin:timeline_item_parse_date")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_context(self, request, item):
        if item is None or item.pk is None:
            return {"transitions": [], "provenance_notes": [], "editorial_notes": []}
        transitions = [
            {
                "name": t.name,
                "label": t.label,
                "url": reverse("admin:timeline_item_transition", args=[item.pk, t.name]),
                "refusal": workflow.transition_refusal(request.user, item, t.name),
            }
            for t in workflow.allowed_transitions(request.user, item)
        ]
        notes = workflow.publish_refusals(item)
        return {
            "transitions": transitions,
            "provenance_notes": notes,
            "editorial_notes": workflow.editorial_warnings(item),
        }

    # -- extra views -------------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("picker/<int:source_id>/", view(self.picker_view), name="timeline_item_picker"),
            path("parse-date/", view(self.parse_date_view), name="timeline_item_parse_date"),
            *self.presence_urls(),
            *self.revision_urls(),
            path(
                "<path:object_id>/transition/<slug:name>/",
                view(self.transition_view),
                name="timeline_item_transition",
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request, source_id):
        """The passages of one source, with their date mentions, for the passage picker (JSON)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        source = get_object_or_404(Source, pk=source_id)
        return JsonResponse(picker_data(source), json_dumps_params={"ensure_ascii": False})

    def parse_date_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return JsonResponse(
            parse_date_preview(request.GET.get("edtf", "")), json_dumps_params={"ensure_ascii": False}
        )

    def transition_view(self, request, object_id, name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if name not in workflow.TRANSITIONS:
            raise Http404("No such transition.")
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404("No such item.")
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        if name in workflow.NOTE_REQUIRED and not self._confirmed(request):
            return self._confirm_transition(request, [item], name)
        self._apply(request, [item], name, expected={item.pk: parse_version(request.POST.get("version"))})
        return redirect(reverse("admin:timeline_item_change", args=[item.pk]))

    @staticmethod
    def _confirmed(request) -> bool:
        return "confirmed" in request.POST and bool(request.POST.get("note", "").strip())

    def _confirm_transition(self, request, items, name):
        """Ask for the reason (shown in the history) and a confirmation before e.g. unpublishing."""
        transition = workflow.TRANSITIONS[name]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: give a reason",
            "opts": self.model._meta,
            "transition": transition,
            "items": [
                (item, request.POST.get(f"_version-{item.pk}") or request.POST.get("version") or item.version)
                for item in items
            ],
            "missing_note": "confirmed" in request.POST,
            "single": len(items) == 1 and "action" not in request.POST,
            "note": request.POST.get("note", ""),
        }
        return TemplateResponse(request, "admin/timeline/item/transition_confirm.html", context)

    # -- transitions, one or many ----------------------------------------------------------------------

    def _apply(self, request, items, name, expected=None):
        transition = workflow.TRANSITIONS[name]
        note = request.POST.get("note", "")
        done, refused = [], []
        for item in items:
            version = (expected or {}).get(item.pk) or listed_version(request, item)
            try:
                workflow.apply_transition(item, name=name, user=request.user, expected_version=version, note=note)
            except workflow.TransitionRefused as exc:
                refused.append((item, str(exc)))
            else:
                done.append(item)
                self.log_change(request, item, f"{transition.label}: {note}" if note.strip() else transition.label)
        if done:
            self.message_user(
                request,
                format_html(
                    "{} {}: {}",
                    f"{len(done)} item{'s' if len(done) != 1 else ''}",
                    transition.done,
                    ", ".join(str(item) for item in done),
                ),
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                format_html(
                    "{} not {}:<ul>{}</ul>",
                    f"{len(refused)} item{'s were' if len(refused) != 1 else ' was'}",
                    transition.done,
                    format_html_join(
                        "",
                        '<li><a href="{}">{}</a>: {}</li>',
                        (
                            (reverse("admin:timeline_item_change", args=[item.pk]), item, reason)
                            for item, reason in refused
                        ),
                    ),
                ),
                messages.ERROR,
            )

    @admin.action(description="Send selected items to review", permissions=["submit"])
    def send_to_review(self, request, queryset):
        self._apply(request, queryset, "submit")

    @admin.action(description="Return selected items to draft", permissions=["submit"])
    def return_to_draft(self, request, queryset):
        self._apply(request, queryset, "withdraw")

    @admin.action(description="Publish selected items (each must be fully sourced)", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, "publish")

    @admin.action(description="Unpublish selected items (asks for a reason)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        if not self._confirmed(request):
            return self._confirm_transition(request, list(queryset), "unpublish")
        self._apply(request, queryset, "unpublish")


# --- citations ------------------------------------------------------------------------------------------


@admin.register(Citation)
class CitationAdmin(RevertWithMessagesMixin, SimpleHistoryAdmin):
    """Citations are made on their item's page; here they are listed (e.g. all fuzzy ones) and their
    history kept. Nothing is typed here."""

    list_display = ("item", "where", "cited", "status", "verified_at")
    list_filter = ("status", CitedSourceFilter)
    list_select_related = ("item", "passage__source")
    search_fields = ("exact", "item__slug", "item__title_en", "item__title_zh")
    readonly_fields = (
        "item",
        "passage",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "status",
        "verified_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.can_edit(request.user, obj.item)
        )

    def has_delete_permission(self, request, obj=None):
        # The last citation of a published item must not vanish behind the item form's back.
        if obj is not None and obj.item.status == Status.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj) and (
            obj is None or workflow.can_edit(request.user, obj.item)
        )

    @admin.display(description="source", ordering="passage__source__key")
    def where(self, citation):
        return f"{citation.passage.source.key} ¶{citation.passage.ordinal} [{citation.start}–{citation.end}]"

    @admin.display(description="cited words")
    def cited(self, citation):
        return citation.exact if len(citation.exact) <= 60 else citation.exact[:59] + "…"


# --- sources --------------------------------------------------------------------------------------------


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ("ordinal", "text", "cited_by", "needs_attention")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                cited=Count("citations"),
                unverified=Count("citations", filter=~Q(citations__status=CitationStatus.EXACT)),
            )
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="cited by")
    def cited_by(self, passage):
        return passage.cited

    @admin.display(description="fuzzy or orphan")
    def needs_attention(self, passage):
        if not passage.unverified:
            return ""
        url = reverse("admin:timeline_citation_changelist") + f"?passage__id__exact={passage.pk}"
        return format_html('<a href="{}">⚠ {}</a>', url, passage.unverified)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    """Sources are written only by the import pipeline: the add page is the two-step import of a new
    article (timeline.admin_import), the upload page re-imports, and a revert from the history re-imports
    that version through the pipeline."""

    inlines = [PassageInline]
    list_display = (
        "key",
        "title",
        "publisher",
        "language",
        "published",
        "reference_date",
        "passage_count",
        "citation_count",
        "is_public",
        "suggestions",
    )
    list_filter = ("is_public", "language", "publisher")
    search_fields = ("key", "title", "publisher", "author")
    ordering = ("published", "key")
    fields = (
        *Source.METADATA_FIELDS,
        "is_public",
        "file_name",
        "raw_sha256",
        "imported_at",
        "updated_at",
    )
    readonly_fields = fields
    change_form_template = "admin/timeline/source/change_form.html"
    change_list_template = "admin/timeline/source/change_list.html"
    actions = ("publish_sources", "unpublish_sources")

    def has_publish_permission(self, request):
        return request.user.has_perm("timeline.publish_source")

    @admin.action(description="Publish the selected sources on the site", permissions=["publish"])
    def publish_sources(self, request, queryset):
        count = queryset.filter(is_public=False).update(is_public=True)
        self.message_user(request, f"{count} source(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected sources", permissions=["publish"])
    def unpublish_sources(self, request, queryset):
        # A published item never cites an unpublished source (publishing the item requires it): its
        # card and page would show the source's name, passages and links. Such sources stay published
        # until the items citing them are unpublished or cite elsewhere.
        cited = queryset.filter(
            is_public=True, passages__citations__item__status=Status.PUBLISHED
        ).distinct().order_by("key")
        kept = list(cited.values_list("key", flat=True))
        count = queryset.filter(is_public=True).exclude(key__in=kept).update(is_public=False)
        if kept:
            self.message_user(
                request,
                format_html(
                    "Not unpublished: {}. Published items cite them; unpublish those items (or move their "
                    "citations) first.",
                    ", ".join(kept),
                ),
                messages.ERROR,
            )
        self.message_user(request, f"{count} source(s) unpublished.", messages.SUCCESS if count else messages.INFO)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": admin_import.can_import(request.user)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        return admin_import.import_view(self, request)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                passages_total=Count("passages", distinct=True),
                citations_total=Count("passages__citations", distinct=True),
            )
        )

    @admin.display(description="passages", ordering="passages_total")
    def passage_count(self, source):
        return source.passages_total

    @admin.display(description="citations", ordering="citations_total")
    def citation_count(self, source):
        return source.citations_total

    @admin.display(description="suggestions")
    def suggestions(self, source):
        return format_html(
            '<a href="{}">Suggested items</a>', reverse("admin:timeline_source_candidates", args=[source.pk])
        )

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="timeline_source_upload"),
            path("import/", self.admin_site.admin_view(self.import_view), name="timeline_source_import"),
            path(
                "<int:object_id>/candidates/",
                self.admin_site.admin_view(self.candidates_view),
                name="timeline_source_candidates",
            ),
            path(
                "key/<slug:key>/candidates/",
                self.admin_site.admin_view(self.candidates_by_key_view),
                name="timeline_source_candidates_by_key",
            ),
            path("import/<int:job_id>/", self.admin_site.admin_view(self.import_job_view),
                 name="timeline_source_import_job"),
            path(
                "<int:object_id>/reimport/",
                self.admin_site.admin_view(partial(reimport_view, self)),
                name="timeline_source_reimport",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # A new article is imported in two steps (and stays unpublished); the upload page re-imports.
        return self.import_view(request)

    def candidates_view(self, request, object_id):
        """Suggested events and quotes beside the article (timeline.admin_candidates)."""
        return candidates_view(self, request, object_id)

    def candidates_by_key_view(self, request, key):
        """The same page addressed by source key (the import result links here)."""
        source = get_object_or_404(Source.objects.only("pk"), key=key)
        return redirect("admin:timeline_source_candidates", source.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def upload_view(self, request):
        """Upload an article with its manifest fields; it goes through the import pipeline."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        outcome = None
        if request.method == "POST":
            form = SourceUploadForm(request.POST, request.FILES)
            if form.is_valid():
                raw, file_name = form.raw_bytes()
                if len(raw) > settings.TIMELINE_BACKGROUND_IMPORT_BYTES:
                    # Too long for a web request (gunicorn stops a worker at 30 s): a background job.
                    job = ImportJob.objects.create(
                        created_by=request.user, file_name=file_name, raw=raw, manifest=form.manifest(raw)
                    )
                    run_import_job.enqueue(job.pk)
                    return redirect(reverse("admin:timeline_source_import_job", args=[job.pk]))
                try:
                    outcome = import_upload(raw, form.manifest(raw), file_name=file_name)
                except IngestError as exc:
                    form.add_error(None, f"Nothing was imported. {exc}")
                else:
                    for result in outcome.results:
                        self.message_user(request, f"{result.key}: {result.status}.", messages.SUCCESS)
        else:
            initial = {}
            key = request.GET.get("source")
            if key:
                initial = SourceUploadForm.initial_for(get_object_or_404(Source, key=key))
            form = SourceUploadForm(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload an article",
            "opts": self.model._meta,
            "form": form,
            "outcome": outcome,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/timeline/source/upload.html", context)

    def import_job_view(self, request, job_id):
        """Where a background import has got to; the page reloads itself until the job is done."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob.objects.defer("raw"), pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Importing {job.file_name}",
            "opts": self.model._meta,
            "job": job,
            "report_lines": job.report.splitlines(),
        }
        return TemplateResponse(request, "admin/timeline/source/import_job.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        source = get_object_or_404(Source, pk=unquote(object_id))
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        record = get_object_or_404(Source.history.model, id=source.pk, history_id=version_id)
        try:
            result = revert_source(record.instance)
        except IngestError as exc:
            self.message_user(request, f"The revert was refused, nothing changed. {exc}", messages.ERROR)
        else:
            self.message_user(
                request, f"Reverted through the import pipeline: {result.describe()}", messages.SUCCESS
            )
            self.log_change(request, source, f"Reverted to version {version_id}")
        return redirect(reverse("admin:timeline_source_change", args=[source.pk]))


def revert_source(version: Source):
    """Re-import an old version of a source (its stored text and fields) through the pipeline, so its
    passages follow and its citations are re-anchored exactly as on a file re-import."""
    prepared = PreparedSource(
        key=version.key,
        title=version.title,
        publisher=version.publisher,
        author=version.author,
        language=version.language,
        published=version.published,
        reference_date=version.reference_date,
        reference_note=version.reference_note,
        original_url=version.original_url,
        file_name=version.file_name,
        raw_text=version.raw_text,
        raw_sha256=version.raw_sha256,
        cleaned_text=version.cleaned_text,
        offset_map=tuple(tuple(run) for run in version.offset_map),
        references=tuple(version.references),
        passages=make_passages(version.cleaned_text),
    )
    return import_prepared(prepared)


# --- entities, eras, tags ---------------------------------------------------------------------------------


def _refresh_items(queryset) -> None:
    search.refresh_search_text(list(queryset.distinct()))


class VocabularyAdmin(ProposalsForVocabularyMixin, RevertWithMessagesMixin, SimpleHistoryAdmin):
    """Entities, tags and eras: history and revert like items; those that published items show are
    changed by editors only (timeline.workflow.may_change_vocabulary), contributors see them read-only
    and propose changes that an editor applies or rejects (timeline.admin_proposals)."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.may_change_vocabulary(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.may_change_vocabulary(request.user, obj))


@admin.register(Entity)
class EntityAdmin(VersionedAdminMixin, VocabularyAdmin):
    form = EntityForm
    list_display = ("name_en", "name_zh", "kind", "slug", "alias_list")
    list_filter = ("kind",)
    search_fields = ("slug", "name_en", "name_zh")
    prepopulated_fields = {"slug": ("name_en",)}

    # Autocomplete from these item fields offers only entities of the matching kind.
    AUTOCOMPLETE_KINDS = {"people": EntityKind.PERSON, "organizations": EntityKind.ORGANIZATION}

    @admin.display(description="aliases")
    def alias_list(self, entity):
        return ", ".join(entity.aliases or []) or "—"

    def _view_only(self, request, obj) -> bool:
        """The change page shown read-only (the proposal form, built from the same admin, keeps the field)."""
        match = getattr(request, "resolver_match", None)
        on_change_page = match is not None and match.url_name == "timeline_entity_change"
        return on_change_page and obj is not None and not self.has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        # Read-only (a contributor on a published entity): the aliases as a list of names, not raw JSON.
        fields = super().get_fields(request, obj)
        if not self._view_only(request, obj):
            return fields
        return list(dict.fromkeys("alias_list" if name == "aliases" else name for name in fields))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "alias_list"] if self._view_only(request, obj) else fields

    def get_search_results(self, request, queryset, search_term):
        """Names and aliases, in either script. Aliases are a JSON list, matched in Python (a few hundred
        entities at most) so that the same rule holds on SQLite and PostgreSQL."""
        kind = self.AUTOCOMPLETE_KINDS.get(request.GET.get("field_name", ""))
        if kind and request.GET.get("model_name") == "item":
            queryset = queryset.filter(kind=kind)
        term = search_term.strip()
        if not term:
            return queryset, False
        wanted = search.normalize(term)
        names = Q()
        for variant in _normalized_variants(term):
            names |= (
                Q(slug__icontains=variant) | Q(name_en__icontains=variant) | Q(name_zh__icontains=variant)
            )
        alias_ids = [
            pk
            for pk, aliases in Entity.objects.values_list("pk", "aliases")
            if any(wanted in search.normalize(alias) for alias in aliases or [])
        ]
        return queryset.filter(names | Q(pk__in=alias_ids)), False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _refresh_items(Item.objects.filter(Q(people=obj) | Q(organizations=obj) | Q(speaker=obj)))


@admin.register(Tag)
class TagAdmin(VersionedAdminMixin, VocabularyAdmin):
    list_display = ("name_en", "name_zh", "slug")
    search_fields = ("slug", "name_en", "name_zh")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        names = Q()
        for variant in _normalized_variants(term):
            names |= (
                Q(slug__icontains=variant) | Q(name_en__icontains=variant) | Q(name_zh__icontains=variant)
            )
        return queryset.filter(names), False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _refresh_items(Item.objects.filter(tags=obj))


@admin.register(Era)
class EraAdmin(VersionedAdminMixin, VocabularyAdmin):
    list_display = ("name_en", "name_zh", "start", "end")
    search_fields = ("slug", "name_en", "name_zh")
    prepopulated_fields = {"slug": ("name_en",)}
    ordering = ("start",)
