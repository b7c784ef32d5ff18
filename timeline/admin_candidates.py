"""The source's candidates page in the admin: suggested events and quotes beside the article text.

Accept turns a candidate into a draft item with its citation, date, era, people, organisations, tags
and quote filled in (the editor adds the English title, summary and translation); a candidate that is
probably an existing item is accepted only with "Not a duplicate" ticked, and is offered "Add as
citation to" that item instead; "Add as citation"
attaches the span to an existing item; Dismiss remembers the decision by source key and exact text,
so it survives a re-import. A candidate with other readings of its date (a report's date, the start of
an interval, the date in force at its own precision…) offers "Accept as …" for each, one click. Every
action is a POST of the candidate's kind, passage and span, checked against the candidates computed
now, so a stale page cannot create a citation that no longer fits (nor a date it does not offer).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify

from timeline import search, workflow
from timeline.models import Citation, Entity, Era, Item, ItemKind, Source, Status, Tag
from timeline.suggest.candidates import era_ranges, raw_candidates, suggest
from timeline.suggest.dismissals import dismiss
from timeline.suggest.duplicates import mark_duplicates
from timeline.suggest.engine import era_for
from timeline.versions import bump


def _find(source: Source, post) -> object | None:
    try:
        wanted = (post.get("kind"), int(post.get("passage", "")), int(post.get("start", "")), int(post.get("end", "")))
    except ValueError:
        return None
    for candidate in raw_candidates(source):
        if (candidate.kind, candidate.passage, candidate.start, candidate.end) == wanted:
            return candidate
    return None


def _unique_slug(base: str) -> str:
    base = slugify(base)[:100] or "item"
    slug, n = base, 1
    while Item.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def accept(source: Source, candidate, date: str | None = None) -> Item:
    """A draft item from ``candidate``, with its exact citation (raises ValidationError when it cannot).

    ``date`` is one of the candidate's alternative readings of its date, chosen by the editor instead of the
    best one; the era is then the one containing it.
    """
    era = candidate.era
    if date and date != candidate.edtf:
        if date not in {alternative["date"] for alternative in candidate.alternatives}:
            raise ValidationError(f"“{date}” is not one of this suggestion's dates.")
        era, _why = era_for(date, era_ranges())
    speaker = None
    if candidate.kind == ItemKind.QUOTE:
        speaker = Entity.objects.filter(slug=candidate.speaker).first() if candidate.speaker else None
        if speaker is None:
            raise ValidationError(
                f"The speaker “{candidate.speaker_name or 'unknown'}” is not an entity yet: add it under "
                "Entities (a person, or a group for a described speaker), then accept again."
            )
    passage = source.passages.get(ordinal=candidate.passage)
    item = Item(
        slug=_unique_slug(f"{source.key}-{candidate.kind}-{candidate.passage}-{candidate.start}"),
        kind=candidate.kind,
        status=Status.DRAFT,
        date_edtf=date or candidate.edtf or str(source.reference_date.year) + "~",
        title_en="",
        title_zh=candidate.title,
        summary_zh=candidate.summary,
        era=Era.objects.filter(slug=era).first(),
        quote_text=candidate.exact if speaker else "",
        quote_language=source.language if speaker else "",
        speaker=speaker,
    )
    item.save()
    item.people.set(Entity.objects.filter(slug__in=candidate.people))
    item.organizations.set(Entity.objects.filter(slug__in=candidate.organizations))
    item.tags.set(Tag.objects.filter(slug__in=candidate.tags))
    Citation.from_span(item=item, passage=passage, start=candidate.start, end=candidate.end).save()
    search.refresh_search_text([item])
    return item


def cite_refusal(user, source: Source, item: Item) -> str | None:
    """Why ``user`` may not add a citation of ``source`` to ``item`` from this page (None when they may).

    The same rule as the item form: contributors change drafts only. And a published item never cites an
    unpublished source, which would put its text on the public site before an editor publishes it.
    """
    refusal = workflow.edit_refusal(user, item)
    if refusal:
        return refusal
    if item.status == Status.PUBLISHED and not source.is_public:
        return (
            f"“{item.slug}” is published and this source is not yet: publish the source first, or cite it "
            "from a draft."
        )
    return None


@transaction.atomic
def add_citation(source: Source, candidate, item: Item) -> tuple[Citation, bool]:
    """The citation of ``candidate`` on ``item`` and whether it was created now; a new one moves the item
    to a new version, so a form opened on it before cannot overwrite it unseen."""
    passage = source.passages.get(ordinal=candidate.passage)
    citation = Citation.objects.filter(item=item, passage=passage, start=candidate.start, end=candidate.end).first()
    if citation is not None:
        return citation, False
    citation = Citation.from_span(item=item, passage=passage, start=candidate.start, end=candidate.end)
    citation.save()
    bump(Item.objects.filter(pk=item.pk))
    search.refresh_search_text([item])
    return citation, True


def candidates_view(model_admin, request, object_id):
    source = get_object_or_404(Source, pk=object_id)
    if not model_admin.has_view_permission(request, source):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm("timeline.add_item"):
            raise PermissionDenied
        candidate = _find(source, request.POST)
        action = request.POST.get("action")
        here = reverse("admin:timeline_source_candidates", args=[source.pk])
        if candidate is None:
            messages.error(request, "That candidate is no longer suggested for this source; nothing was changed.")
            return redirect(here)
        if action == "dismiss":
            dismiss(source_key=source.key, candidate=candidate, user=request.user.get_username())
            messages.success(request, f"Dismissed: “{candidate.exact[:40]}”. It stays dismissed after a re-import.")
            return redirect(here)
        if action == "accept":
            mark_duplicates(source, [candidate])
            likely = [mark for mark in candidate.duplicate_of if "item" in mark]
            if likely and not request.POST.get("confirm_duplicate"):
                names = "; ".join(f"“{mark['item']}” ({mark['why']})" for mark in likely)
                messages.error(
                    request,
                    f"“{candidate.exact[:40]}” is probably already in the chronology: {names}. Add it as a "
                    "citation to that item, or tick “Not a duplicate: create a separate item” and accept "
                    "again. Nothing was created.",
                )
                return redirect(here)
            try:
                item = accept(source, candidate, date=request.POST.get("date") or None)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages) + " Nothing was created.")
                return redirect(here)
            messages.success(request, "Draft item created: add the English title, summary and translation.")
            return redirect(reverse("admin:timeline_item_change", args=[item.pk]))
        if action == "cite":
            item = Item.objects.filter(slug=request.POST.get("item", "")).first()
            if item is None:
                messages.error(request, "Choose the item to add the citation to; nothing was changed.")
                return redirect(here)
            refusal = cite_refusal(request.user, source, item)
            if refusal:
                messages.error(request, f"{refusal} Nothing was changed.")
                return redirect(here)
            try:
                _, created = add_citation(source, candidate, item)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages) + " Nothing was changed.")
                return redirect(here)
            name = item.title_en or item.title_zh or item.slug
            if created:
                messages.success(request, f"Citation added to “{name}”.")
            else:
                messages.info(request, f"“{name}” already cites these words; nothing was changed.")
            return redirect(here)
        messages.error(request, "Unknown action; nothing was changed.")
        return redirect(here)
    candidates = suggest(source)
    duplicate_slugs = {mark["item"] for c in candidates for mark in c.duplicate_of if "item" in mark}
    duplicates = {item.slug: item for item in Item.objects.filter(slug__in=duplicate_slugs)}
    for candidate in candidates:
        candidate.duplicate_links = [
            (reverse("admin:timeline_item_change", args=[duplicates[mark["item"]].pk]),
             duplicates[mark["item"]].title_en or duplicates[mark["item"]].title_zh or mark["item"], mark["why"],
             mark["item"])
            if mark.get("item") in duplicates
            else ("", f"source {mark.get('source', '')}", mark["why"], "")
            for mark in candidate.duplicate_of
        ]
        candidate.has_duplicate_item = any("item" in mark for mark in candidate.duplicate_of)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Suggested items: {source}",
        "source": source,
        "original": source,
        "passages": list(source.passages.order_by("ordinal")),
        "candidates": candidates,
        "items": Item.objects.order_by("-updated_at").only("slug", "title_en", "title_zh")[:200],
    }
    return TemplateResponse(request, "admin/timeline/source/candidates.html", context)
