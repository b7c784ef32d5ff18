"""Draft revisions of published items (timeline.drafts): edits saved as a draft stay off the public site,
the live version keeps showing, and an editor publishes them later with one labelled history entry."""

import pytest
from django.test import Client

from tests.test_admin import (  # noqa: F401  (fixtures)
    contributor,
    contributor_client,
    editor,
    editor_client,
    errors_of,
    form_data,
    url,
)
from timeline import workflow
from timeline.models import (
    Citation,
    CitationStatus,
    Item,
    ItemDraftRevision,
    ItemKind,
    Passage,
    Source,
    Status,
    Tag,
)
from timeline.reimport import apply_reimport

pytestmark = pytest.mark.django_db


def test_a_draft_revision_keeps_the_live_item_until_it_is_published(client, editor_client, editor):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    live_title, live_version = item.title_en, item.version
    tag = Tag.objects.exclude(pk__in=item.tags.values("pk")).order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["title_en"] = "A reworded title, not public yet"
    data["tags"] = [*data.get("tags", []), str(tag.pk)]
    data["_save_draft"] = "Save my edits as a draft revision"
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)

    item.refresh_from_db()
    assert (item.title_en, item.version, item.tags.filter(pk=tag.pk).exists()) == (live_title, live_version, False)
    public = client.get(item.get_absolute_url()).content.decode()
    assert live_title in public and "A reworded title" not in public
    page = editor_client.get(url("item_change", item.pk)).content.decode()
    assert "A draft revision by editor" in page and "A reworded title, not public yet" in page

    history_before = item.history.count()
    published = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version})
    assert published.status_code == 302
    item.refresh_from_db()
    assert item.title_en == "A reworded title, not public yet" and item.tags.filter(pk=tag.pk).exists()
    assert item.status == Status.PUBLISHED and not ItemDraftRevision.objects.filter(item=item).exists()
    assert item.history.count() == history_before + 1
    latest = item.history.latest()
    assert latest.history_change_reason.startswith("Published the draft revision by editor")
    assert latest.tags.filter(tag=tag).exists()
    assert "A reworded title, not public yet" in client.get(item.get_absolute_url()).content.decode()


def test_a_stale_draft_publish_and_a_discard_change_nothing(editor_client):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["summary_en"] = "Draft summary."
    data["_save_draft"] = "1"
    editor_client.post(url("item_change", item.pk), data)
    refused = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version - 1 or 99}, follow=True)
    assert "The draft revision was not published." in refused.content.decode()
    assert Item.objects.get(pk=item.pk).summary_en == item.summary_en
    editor_client.post(url("item_draft_discard", item.pk))
    assert not ItemDraftRevision.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).summary_en == item.summary_en


def test_publishing_a_draft_never_undoes_a_later_edit_of_the_live_item(editor_client):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    draft_data = form_data(editor_client.get(url("item_change", item.pk)))
    draft_data["title_en"] = "Title from the draft"
    draft_data["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), draft_data).status_code == 302
    assert set(ItemDraftRevision.objects.get(item=item).values) == {"title_en"}

    # Someone edits another field of the live item: the draft still publishes, and keeps that edit.
    live = form_data(editor_client.get(url("item_change", item.pk)))
    live["summary_en"] = "Summary edited on the live item."
    assert editor_client.post(url("item_change", item.pk), live).status_code == 302
    item.refresh_from_db()
    assert editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}).status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.summary_en) == ("Title from the draft", "Summary edited on the live item.")

    # A draft of a field the live item changed since is refused, saying which field.
    draft_data = form_data(editor_client.get(url("item_change", item.pk)))
    draft_data["summary_en"] = "Summary from a second draft."
    draft_data["_save_draft"] = "1"
    editor_client.post(url("item_change", item.pk), draft_data)
    live = form_data(editor_client.get(url("item_change", item.pk)))
    live["summary_en"] = "Summary edited again on the live item."
    editor_client.post(url("item_change", item.pk), live)
    item.refresh_from_db()
    refused = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True)
    assert "the live item changed in the same field (summary en)" in refused.content.decode()
    item.refresh_from_db()
    assert item.summary_en == "Summary edited again on the live item."


# --- contributors, citations, re-checks on publishing ----------------------------------------------------------


def two_citation_event(*, reimportable: bool = False):
    """A published event of the shipped chronology with two or more exact citations (one can go); with
    ``reimportable``, its second citation's source is an article of its own (not a post of an index file)."""
    for item in Item.objects.published().filter(kind=ItemKind.EVENT).order_by("slug"):
        citations = list(item.citations.order_by("pk"))
        if len(citations) < 2 or any(c.status != CitationStatus.EXACT for c in citations):
            continue
        source = citations[1].passage.source
        if not reimportable or Source.objects.filter(file_name=source.file_name).count() == 1:
            return item, citations
    raise AssertionError("the shipped chronology has no published event with two exact citations")


def uncited_span(item, source):
    """Words of ``source`` the item does not cite yet, occurring once in its raw text (a passage start)."""
    cited = {(c.passage_id, c.start, c.end) for c in item.citations.all()}
    for passage in source.passages.order_by("ordinal"):
        exact = passage.text[:14]
        if len(passage.text) > 30 and exact.strip() == exact and (passage.pk, 0, 14) not in cited:
            if source.raw_text.count(exact) == 1:
                return passage, 0, 14
    raise AssertionError(f"no uncited passage start in {source.key}")


def add_row(data: dict, passage, start: int, end: int, translation: str = "") -> dict:
    index = int(data["citations-TOTAL_FORMS"])
    data.update(
        {
            f"citations-{index}-passage": str(passage.pk),
            f"citations-{index}-start": str(start),
            f"citations-{index}-end": str(end),
            f"citations-{index}-translation_en": translation,
            "citations-TOTAL_FORMS": str(index + 1),
        }
    )
    return data


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_contributor_drafts_a_published_item_with_citation_changes_and_an_editor_publishes_it(
    client, contributor_client, contributor, editor  # noqa: F811
):
    item, citations = two_citation_event()
    live_title, live_version = item.title_en, item.version
    live_citations = sorted(item.citations.values_list("pk", "translation_en"))
    change = url("item_change", item.pk)

    page = contributor_client.get(change)
    html = page.content.decode()
    assert 'name="_save_draft"' in html and 'id="drafts-only"' in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html  # only the draft can be saved
    data = form_data(page)
    data["title_en"] = "A contributor's reworded title"

    # A plain save is refused on the server, with the typed text back and the offer to keep it as a draft.
    refused = contributor_client.post(change, data)
    assert refused.status_code == 403
    refused_html = refused.content.decode()
    assert "A contributor&#x27;s reworded title" in refused_html and 'id="save-as-draft"' in refused_html
    assert Item.objects.get(pk=item.pk).title_en == live_title

    # As a draft: the title, one citation removed, one re-translated, one new span cited.
    passage, start, end = uncited_span(item, citations[1].passage.source)
    data["citations-0-DELETE"] = "on"
    data["citations-1-translation_en"] = "A reworded translation from the draft."
    add_row(data, passage, start, end, "The new cited words, translated.")
    data["_save_draft"] = "Save my edits as a draft revision"
    saved = contributor_client.post(change, data)
    assert saved.status_code == 302, errors_of(saved)
    item.refresh_from_db()
    assert (item.title_en, item.version) == (live_title, live_version)
    assert sorted(item.citations.values_list("pk", "translation_en")) == live_citations
    draft = ItemDraftRevision.objects.get(item=item)
    assert [e["id"] for e in draft.citations["removed"]] == [citations[0].pk]
    assert [(e["id"], e["translation_en"]) for e in draft.citations["changed"]] == [
        (citations[1].pk, "A reworded translation from the draft.")
    ]
    assert [(e["passage"], e["start"], e["end"], e["exact"]) for e in draft.citations["added"]] == [
        (passage.pk, start, end, passage.text[start:end])
    ]
    public = client.get(item.get_absolute_url()).content.decode()
    assert live_title in public and "reworded title" not in public

    # The contributor cannot publish it (the server refuses), nor discard another author's draft.
    assert contributor_client.post(url("item_draft_publish", item.pk), {"version": item.version}).status_code == 403
    assert Item.objects.get(pk=item.pk).title_en == live_title and ItemDraftRevision.objects.filter(item=item).exists()

    reviewer = logged_in(editor)
    shown = reviewer.get(change).content.decode()
    assert "A draft revision by contributor" in shown and "citation added" in shown and "citation removed" in shown
    history_before = item.history.count()
    published = reviewer.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True)
    assert "The draft revision is published: the site shows it now." in published.content.decode()
    item.refresh_from_db()
    assert item.title_en == "A contributor's reworded title" and item.status == Status.PUBLISHED
    assert not Citation.objects.filter(pk=citations[0].pk).exists()
    assert Citation.objects.get(pk=citations[1].pk).translation_en == "A reworded translation from the draft."
    new = item.citations.get(passage=passage, start=start, end=end)
    assert (new.exact, new.status, new.translation_en) == (
        passage.text[start:end], CitationStatus.EXACT, "The new cited words, translated."
    )
    assert item.history.count() == history_before + 1 and not ItemDraftRevision.objects.filter(item=item).exists()
    assert "A contributor&#x27;s reworded title" in client.get(item.get_absolute_url()).content.decode()


def test_a_draft_whose_cited_words_a_reimport_changed_is_refused_whole(editor_client, editor):  # noqa: F811
    item, citations = two_citation_event(reimportable=True)
    source = citations[1].passage.source
    passage, start, end = uncited_span(item, source)
    exact = passage.text[start:end]
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["title_en"] = "Title from a draft that must not half-apply"
    data["citations-0-DELETE"] = "on"
    add_row(data, passage, start, end)
    data["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), data).status_code == 302

    # The source is re-imported with those words reworded.
    source = Source.objects.get(pk=source.pk)
    reworded = "改写过的开头" + exact[6:]
    apply_reimport(source, source.raw_text.replace(exact, reworded).encode("utf-8"), expected_version=source.version)
    assert Passage.objects.get(pk=passage.pk).text[start:end] != exact

    item.refresh_from_db()
    before = sorted(item.citations.values_list("pk", flat=True))
    refused = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True)
    message = refused.content.decode()
    assert "The draft revision was not published; nothing changed." in message
    assert f"The draft cites “{exact}” at {start}–{end} of {source.key} ¶{passage.ordinal}, but the source now has" in message
    item.refresh_from_db()
    assert item.title_en != "Title from a draft that must not half-apply"
    assert sorted(item.citations.values_list("pk", flat=True)) == before  # the removal was not applied either
    assert ItemDraftRevision.objects.filter(item=item).exists()  # kept, to be re-cited


def test_a_draft_of_an_item_unpublished_since_is_applied_not_published(editor_client, editor):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["summary_en"] = "Summary from the draft."
    data["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), data).status_code == 302
    workflow.apply_transition(item, name="unpublish", user=editor, note="checking a claim")
    item.refresh_from_db()
    page = editor_client.get(url("item_change", item.pk)).content.decode()
    assert "Apply the draft revision" in page and "Publish the draft revision" not in page
    assert "the site shows the live version" not in page and "(not on the site)" in page
    applied = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True).content.decode()
    assert "The draft revision is applied to the item. The item is draft, so the site does not show it" in applied
    assert "the site shows it now" not in applied
    item.refresh_from_db()
    assert (item.summary_en, item.status) == ("Summary from the draft.", Status.DRAFT)


def test_a_draft_saved_meanwhile_is_never_replaced_unseen(editor_client, contributor):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    editor_page = form_data(editor_client.get(url("item_change", item.pk)))  # no draft yet
    other = logged_in(contributor)
    theirs = form_data(other.get(url("item_change", item.pk)))
    theirs["summary_en"] = "The contributor's draft summary."
    theirs["_save_draft"] = "1"
    assert other.post(url("item_change", item.pk), theirs).status_code == 302

    editor_page["title_en"] = "The editor's draft title"
    editor_page["_save_draft"] = "1"
    refused = editor_client.post(url("item_change", item.pk), editor_page)
    assert refused.status_code == 403
    assert "a draft revision by contributor was saved" in refused.content.decode()
    assert "The editor&#x27;s draft title" in refused.content.decode()  # typed text comes back
    assert ItemDraftRevision.objects.get(item=item).values == {"summary_en": "The contributor's draft summary."}

    # Opened again (the draft shown), the editor's draft goes on top of the contributor's.
    page = editor_client.get(url("item_change", item.pk))
    again = form_data(page)
    again["title_en"] = "The editor's draft title"
    again["_draft_stamp"] = page.context["draft_stamp"]
    again["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), again).status_code == 302
    assert ItemDraftRevision.objects.get(item=item).values == {
        "summary_en": "The contributor's draft summary.",
        "title_en": "The editor's draft title",
    }


def test_keeping_refused_text_as_a_draft_never_overwrites_someone_elses_draft(editor_client, contributor):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    other = logged_in(contributor)
    typed = form_data(other.get(url("item_change", item.pk)))  # opened before the editor's draft
    mine = form_data(editor_client.get(url("item_change", item.pk)))
    mine["summary_en"] = "The editor's draft summary."
    mine["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), mine).status_code == 302

    typed["title_en"] = "A contributor's plain save"
    refused = other.post(url("item_change", item.pk), typed)
    assert refused.status_code == 403 and refused.context["draft_offer"]
    offered = {}
    for key, value in refused.context["draft_offer"]:
        offered.setdefault(key, []).append(value)
    again = other.post(url("item_change", item.pk), {**offered, "_save_draft": "1"})
    assert again.status_code == 403 and "a draft revision by editor was saved" in again.content.decode()
    assert "A contributor&#x27;s plain save" in again.content.decode()
    assert ItemDraftRevision.objects.get(item=item).values == {"summary_en": "The editor's draft summary."}


def test_a_draft_that_changes_an_existing_citations_span_publishes_the_new_span(
    client, contributor_client, editor  # noqa: F811
):
    """Moving a live citation to other words (its hidden start/end changed) is kept in the draft as the old
    citation removed plus the new span added, checked again and applied on publishing, never dropped."""
    item, citations = two_citation_event()
    moved = citations[1]
    passage = moved.passage
    new_start, new_end = moved.start, moved.end - 1
    if not passage.text[new_start:new_end].strip() or new_end <= new_start:
        new_start, new_end = moved.start, moved.end + 1
    change = url("item_change", item.pk)
    data = form_data(contributor_client.get(change))
    index = next(
        key.split("-")[1] for key, value in data.items() if key.endswith("-id") and value == str(moved.pk)
    )
    data[f"citations-{index}-start"], data[f"citations-{index}-end"] = str(new_start), str(new_end)
    data["_save_draft"] = "Save my edits as a draft revision"
    saved = contributor_client.post(change, data)
    assert saved.status_code == 302, errors_of(saved)
    assert Citation.objects.get(pk=moved.pk).end == moved.end  # the live item is untouched
    draft = ItemDraftRevision.objects.get(item=item)
    assert [e["id"] for e in draft.citations["removed"]] == [moved.pk]
    assert [(e["passage"], e["start"], e["end"]) for e in draft.citations["added"]] == [(passage.pk, new_start, new_end)]

    reviewer = logged_in(editor)
    shown = reviewer.get(change).content.decode()
    assert "citation added" in shown and "citation removed" in shown
    item.refresh_from_db()
    published = reviewer.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True)
    assert "The draft revision is published" in published.content.decode()
    assert not Citation.objects.filter(pk=moved.pk).exists()
    now = item.citations.get(passage=passage, start=new_start, end=new_end)
    assert (now.exact, now.status) == (passage.text[new_start:new_end], CitationStatus.EXACT)
