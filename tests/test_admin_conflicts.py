"""Editors never overwrite each other (timeline.admin_conflicts, timeline.versions): a save based on a
stale version shows the conflict page with both sides, field by field, and the page's own form saves the
merge; a contributor whose draft was published meanwhile gets the text back with the reason; workflow
buttons and bulk actions check the version the page showed; the form's heartbeat names other editors."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import cite, make_entity, make_item, make_source
from tests.test_admin import form_data, url
from timeline import workflow
from timeline.models import Entity, Item, Status

pytestmark = pytest.mark.django_db


class _FormInputs(HTMLParser):
    """The fields a browser would submit from the form with id ``form_id`` (checked radios, textareas)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.textarea = form_id, False, None
        self.data: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind == "submit":
                return
            self.data.append((attrs["name"], attrs.get("value", "")))
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self.data.append((name, value[1:] if value.startswith("\n") else value))
            self.textarea = None
        elif tag == "form":
            self.inside = False


def submitted(response, form_id="conflict-form", **choices) -> dict:
    parser = _FormInputs(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    for name, value in choices.items():
        data[name] = [value]
    return data


def _login(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def editors(django_user_model):
    return _login(django_user_model, "alice", workflow.EDITOR), _login(django_user_model, "bob", workflow.EDITOR)


@pytest.fixture
def draft():
    source = make_source(key="conflict-source")
    item = make_item(slug="conflict-item", status=Status.DRAFT, title_en="Old title", summary_en="Old summary.")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    return item


def test_lost_update_becomes_a_conflict_page_and_both_changes_are_kept(editors, draft):
    """The issue's case: A changes the title and saves, B (from the same version) changes the summary."""
    (alice, a), (bob, b) = editors
    a_data = form_data(a.get(url("item_change", draft.pk)))
    b_data = form_data(b.get(url("item_change", draft.pk)))
    a_data["title_en"] = "Title by Alice"
    assert a.post(url("item_change", draft.pk), a_data).status_code == 302
    b_data["summary_en"] = "Summary by Bob."
    page = b.post(url("item_change", draft.pk), b_data)

    assert page.status_code == 409
    draft.refresh_from_db()
    assert (draft.title_en, draft.summary_en) == ("Title by Alice", "Old summary.")  # B wrote nothing
    conflicts = {c.name: c for c in page.context["conflicts"]}
    assert set(conflicts) == {"title_en", "summary_en"}
    title, summary = conflicts["title_en"], conflicts["summary_en"]
    assert (title.base, title.theirs, title.yours, title.default) == (
        "Old title", "Title by Alice", "Old title", "theirs"
    )
    assert (summary.base, summary.theirs, summary.yours, summary.default) == (
        "Old summary.", "Old summary.", "Summary by Bob.", "yours"
    )
    assert page.context["notes"] == ["Citations saved now: conflict-source ¶2 “OpenAI 成立” (exact)."]
    text = page.content.decode()
    assert "alice saved a newer version" in text and "Summary by Bob." in text

    saved = b.post(url("item_change", draft.pk), submitted(page))
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.title_en, draft.summary_en) == ("Title by Alice", "Summary by Bob.")
    assert draft.citations.count() == 1  # the inline rows rode along untouched
    assert draft.version == 3


def test_both_editing_one_field_can_be_merged_by_hand(editors, draft):
    (_, a), (_, b) = editors
    a_data = form_data(a.get(url("item_change", draft.pk)))
    b_data = form_data(b.get(url("item_change", draft.pk)))
    a_data["summary_en"] = "Alice's summary."
    a.post(url("item_change", draft.pk), a_data)
    b_data["summary_en"] = "Bob's summary."
    page = b.post(url("item_change", draft.pk), b_data)
    conflict = page.context["conflicts"][0]
    assert (conflict.name, conflict.both_changed, conflict.default) == ("summary_en", True, None)
    # No side is preselected when both changed: the radio group is required in the browser.
    assert 'value="theirs"  required' in page.content.decode()

    data = submitted(page, **{"_resolve-summary_en": "merged", "_merged-summary_en": "Alice's and Bob's summary."})
    assert b.post(url("item_change", draft.pk), data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary_en == "Alice's and Bob's summary."


def test_a_conflict_resolution_that_is_itself_stale_conflicts_again(editors, draft):
    (_, a), (_, b) = editors
    b_data = form_data(b.get(url("item_change", draft.pk)))
    a_data = form_data(a.get(url("item_change", draft.pk)))
    a_data["title_en"] = "First by Alice"
    a.post(url("item_change", draft.pk), a_data)
    b_data["title_en"] = "Title by Bob"
    page = b.post(url("item_change", draft.pk), b_data)
    a_data = form_data(a.get(url("item_change", draft.pk)))
    a_data["title_en"] = "Second by Alice"
    a.post(url("item_change", draft.pk), a_data)
    again = b.post(url("item_change", draft.pk), submitted(page, **{"_resolve-title_en": "yours"}))
    assert again.status_code == 409
    draft.refresh_from_db()
    assert draft.title_en == "Second by Alice"
    assert "Title by Bob" in again.content.decode()


def test_contributor_whose_draft_was_published_gets_the_text_back_with_the_reason(
    django_user_model, editors, draft
):
    (alice, _), _ = editors
    _, contributor = _login(django_user_model, "carol", workflow.CONTRIBUTOR)
    data = form_data(contributor.get(url("item_change", draft.pk)))
    workflow.apply_transition(draft, name="submit", user=alice)
    workflow.apply_transition(draft, name="publish", user=alice)
    data["summary_en"] = "A long paragraph Carol typed for twenty minutes."
    page = contributor.post(url("item_change", draft.pk), data)

    assert page.status_code == 403
    text = page.content.decode()
    assert "It is published now, and only editors may change an item" in text
    assert "A long paragraph Carol typed for twenty minutes." in text
    assert "alice" in text and "Publish" in text  # who changed it, and how
    draft.refresh_from_db()
    assert draft.summary_en == "Old summary."


def test_a_workflow_button_from_a_stale_page_is_refused(editors, draft):
    (alice, a), _ = editors
    shown = draft.version
    data = form_data(a.get(url("item_change", draft.pk)))
    data["title_en"] = "Changed meanwhile"
    a.post(url("item_change", draft.pk), data)
    response = a.post(url("item_transition", draft.pk, "submit"), {"version": shown}, follow=True)
    assert "changed by someone else since you loaded the page" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_bulk_actions_check_the_version_each_row_showed(editors, draft):
    (_, a), _ = editors
    other = make_item(slug="conflict-other", status=Status.DRAFT)
    listing = a.get(url("item_changelist")).content.decode()
    assert f'name="_version-{draft.pk}" value="{draft.version}"' in listing
    Item.objects.filter(pk=draft.pk).update(version=draft.version + 1)  # someone saved it meanwhile
    response = a.post(
        url("item_changelist"),
        {
            "action": "send_to_review",
            "_selected_action": [draft.pk, other.pk],
            f"_version-{draft.pk}": str(draft.version),
            f"_version-{other.pk}": str(other.version),
        },
        follow=True,
    )
    draft.refresh_from_db()
    other.refresh_from_db()
    assert (draft.status, other.status) == (Status.DRAFT, Status.REVIEW)
    assert "changed by someone else" in response.content.decode()


def test_unpublishing_asks_for_a_reason_and_keeps_it_in_the_history(editors, draft):
    (alice, a), _ = editors
    workflow.apply_transition(draft, name="submit", user=alice)
    workflow.apply_transition(draft, name="publish", user=alice)
    draft.refresh_from_db()
    confirm = a.post(url("item_transition", draft.pk, "unpublish"), {"version": draft.version})
    assert confirm.status_code == 200 and b"Reason (shown in the item" in confirm.content
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED  # asking wrote nothing
    empty = a.post(url("item_transition", draft.pk, "unpublish"), {"version": draft.version, "confirmed": "1"})
    assert b"Give a reason" in empty.content
    done = a.post(
        url("item_transition", draft.pk, "unpublish"),
        {"version": draft.version, "confirmed": "1", "note": "The date is disputed by a newer source."},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.history.latest().history_change_reason == "Unpublish: The date is disputed by a newer source."


def test_presence_names_the_other_editor_and_reports_a_newer_version(editors, draft):
    (_, a), (_, b) = editors
    a.get(url("item_change", draft.pk))
    page = b.get(url("item_change", draft.pk))
    assert page.context["others_editing"] == ["alice"]
    assert "Also editing now: alice" in page.content.decode()
    data = form_data(page)
    data["title_en"] = "Saved by Bob"
    b.post(url("item_change", draft.pk), data)
    beat = a.post(url("item_presence", draft.pk)).json()
    assert beat["others"] == ["bob"] and beat["version"] == 2 and beat["saved_by"] == "bob"
    assert a.post(url("item_presence", draft.pk), {"leave": "1"}).status_code == 200
    assert b.post(url("item_presence", draft.pk)).json()["others"] == []
    assert a.get(url("item_presence", draft.pk)).status_code == 405


def test_entities_are_versioned_too(editors):
    (_, a), (_, b) = editors
    entity = make_entity(slug="conflict-person")
    a_data = form_data(a.get(url("entity_change", entity.pk)))
    b_data = form_data(b.get(url("entity_change", entity.pk)))
    a_data["name_en"] = "Name by Alice"
    assert a.post(url("entity_change", entity.pk), a_data).status_code == 302
    b_data["name_zh"] = "鲍勃的名字"
    page = b.post(url("entity_change", entity.pk), b_data)
    assert page.status_code == 409
    # Entities keep no history yet, so the page cannot tell who changed what: both are listed to choose.
    assert [(c.name, c.theirs, c.yours) for c in page.context["conflicts"]] == [
        ("name_en", "Name by Alice", "Test Person"),
        ("name_zh", "测试人物", "鲍勃的名字"),
    ]
    data = submitted(page, **{"_resolve-name_en": "theirs", "_resolve-name_zh": "yours"})
    assert b.post(url("entity_change", entity.pk), data).status_code == 302
    entity = Entity.objects.get(pk=entity.pk)
    assert (entity.name_en, entity.name_zh, entity.version) == ("Name by Alice", "鲍勃的名字", 3)
