"""The editorial workflow: who may move an item where, and what publishing demands.

Users get their rights only from the two groups the data migration creates, so these tests also check
that the groups hold the permissions the rules expect.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from tests.factories import cite, make_item, make_source
from timeline import workflow
from timeline.models import Citation, CitationStatus, Item, ItemKind, Status
from timeline.workflow import TransitionRefused, apply_transition, transition_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributor(django_user_model):
    user = django_user_model.objects.create_user("contributor", password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=workflow.CONTRIBUTOR))
    return django_user_model.objects.get(pk=user.pk)  # a fresh copy: no cached permissions


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=workflow.EDITOR))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def sourced_item():
    """An item in review with one exact citation of a passage that supports it."""
    source = make_source()
    item = make_item(slug="workflow-sourced", date="2015-12", status=Status.REVIEW)
    cite(item, source.passages.get(ordinal=2), "2015年12月，OpenAI 成立")
    return item


def test_groups_hold_the_workflow_permissions():
    """Contributors may submit but not publish; editors may do both and delete."""
    contributor = set(Group.objects.get(name="Contributor").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_item", "change_item", "view_item", "submit_item", "add_citation"} <= contributor
    assert "publish_item" not in contributor
    assert {"publish_item", "submit_item", "delete_item", "add_source", "change_source"} <= editor


@pytest.mark.parametrize(
    ("name", "status", "contributor_may", "editor_may"),
    [
        ("submit", Status.DRAFT, True, True),
        ("withdraw", Status.REVIEW, True, True),
        ("publish", Status.REVIEW, False, True),
        ("unpublish", Status.PUBLISHED, False, True),
    ],
)
def test_each_transition_for_contributor_and_editor(
    contributor, editor, sourced_item, name, status, contributor_may, editor_may
):
    """The permission decides, per transition; the rule is the same for a button and a bulk action."""
    Item.objects.filter(pk=sourced_item.pk).update(status=status)
    sourced_item.refresh_from_db()
    assert (transition_refusal(contributor, sourced_item, name) is None) is contributor_may
    assert (transition_refusal(editor, sourced_item, name) is None) is editor_may


def test_contributor_is_told_why_publishing_is_refused(contributor, sourced_item):
    with pytest.raises(TransitionRefused, match="You do not have permission to publish items."):
        apply_transition(sourced_item, name="publish", user=contributor)
    sourced_item.refresh_from_db()
    assert sourced_item.status == Status.REVIEW


def test_publishing_sets_status_and_time_and_unpublishing_clears_it(editor, sourced_item):
    item = apply_transition(sourced_item, name="publish", user=editor)
    assert item.status == Status.PUBLISHED and item.published_at is not None
    item = apply_transition(item, name="unpublish", user=editor)
    assert item.status == Status.DRAFT and item.published_at is None


def test_publishing_is_refused_without_an_exact_citation(editor):
    """An unsourced claim never goes public: no citation at all, or only a fuzzy one."""
    item = make_item(slug="unsourced", status=Status.REVIEW)
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(item, name="publish", user=editor)
    assert str(refused.value).startswith("It cannot be published yet. It has no exact citation:")

    source = make_source()
    citation = cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    Citation.objects.filter(pk=citation.pk).update(status=CitationStatus.FUZZY)
    with pytest.raises(TransitionRefused) as refused:
        apply_transition(item, name="publish", user=editor)
    message = str(refused.value)
    assert "It has no exact citation" in message
    assert "Citation of test-source ¶2 is fuzzy; an editor must re-anchor it." in message
    item.refresh_from_db()
    assert item.status == Status.REVIEW


def test_publishing_runs_the_provenance_check(editor):
    """A date after every cited source's publication is refused, with the dates in the message."""
    source = make_source()
    item = make_item(slug="too-late", date="2025-01", status=Status.REVIEW)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    refusal = transition_refusal(editor, item, "publish")
    assert refusal == (
        "It cannot be published yet. It is dated 2025-01, after the latest publication of its sources "
        "(2024-05-20)."
    )


def test_a_draft_must_go_through_review_before_publishing(editor, sourced_item):
    Item.objects.filter(pk=sourced_item.pk).update(status=Status.DRAFT)
    sourced_item.refresh_from_db()
    assert transition_refusal(editor, sourced_item, "publish") == (
        "It is draft; only an item in review can be published. Send it to review first."
    )


def test_contributors_edit_and_delete_drafts_only(contributor, editor, sourced_item):
    draft = make_item(slug="a-draft", status=Status.DRAFT)
    assert workflow.can_edit(contributor, draft) and workflow.can_delete(contributor, draft)
    assert not workflow.can_edit(contributor, sourced_item)  # in review
    published = Item.objects.published().first()
    assert not workflow.can_edit(contributor, published) and not workflow.can_delete(contributor, published)
    assert workflow.can_edit(editor, published) and workflow.can_delete(editor, published)


def test_visible_items_previews_drafts_for_staff_only(contributor, django_user_model):
    draft = make_item(slug="a-draft", status=Status.DRAFT)
    assert not workflow.visible_items(AnonymousUser()).filter(pk=draft.pk).exists()
    outsider = django_user_model.objects.create_user("reader", password="unused-pass-1")
    assert not workflow.visible_items(outsider).filter(pk=draft.pk).exists()
    assert workflow.visible_items(contributor).filter(pk=draft.pk).exists()
    assert workflow.visible_items(AnonymousUser()).count() == Item.objects.published().count()


def test_claim_errors_speak_plainly_about_quotes_and_dates():
    source = make_source()
    passage = source.passages.get(ordinal=2)
    item = Item(slug="q", kind=ItemKind.QUOTE, quote_text="OpenAI 成立了", date_edtf="2025")
    citation = Citation.from_span(
        item=item, passage=passage, start=passage.text.index("OpenAI"), end=len(passage.text)
    )
    errors = workflow.claim_errors(item, [citation])
    assert errors == [
        "The quote is not verbatim the text of any of its citations. It follows the cited words for 9 "
        "characters (“…OpenAI 成立”), then has “了” where the passage has “。”. Copy the quote from the "
        "source, or cite the words it quotes.",
        "The date 2025 is later than every cited source was published (the latest on 2024-05-20): a source "
        "cannot report what had not happened yet. Check the date.",
    ]
    assert workflow.claim_errors(item, []) == []


def test_a_long_unpublish_reason_fits_the_history_column(editor, sourced_item):
    """The history keeps 100 characters of reason (PostgreSQL refuses more); a long note is cut, not a 500."""
    item = apply_transition(sourced_item, name="publish", user=editor)
    reason = "The source retracted the report; " * 10
    item = apply_transition(item, name="unpublish", user=editor, note=reason)
    record = item.history.order_by("-history_date", "-history_id").first()
    limit = type(record)._meta.get_field("history_change_reason").max_length
    assert len(record.history_change_reason) == limit
    assert "The source retracted the report; The source" in record.history_change_reason
    assert record.history_change_reason.endswith("…")
