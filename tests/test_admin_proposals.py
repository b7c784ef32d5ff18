"""Contributors propose, editors decide (issue 12, finding 6; timeline.admin_proposals).

An entity, tag or era that published items show changes only through an editor. A contributor's
proposal is stored and changes nothing public; an editor applies it through the record's versioned save
(history names the editor and the proposer) or rejects it with a reason the contributor sees. A proposal
made from a version that someone changed since gets the conflict page, never a silent overwrite.
All on the shipped data, through the admin as a browser would use it.
"""

import json
from html import escape

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.test_admin import form_data
from tests.test_admin_conflicts import submitted
from timeline import workflow
from timeline.models import Entity, Era, ProposalStatus, Tag, VocabularyProposal

pytestmark = pytest.mark.django_db


def _login(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def contributor(django_user_model):
    return _login(django_user_model, "carol", workflow.CONTRIBUTOR)


@pytest.fixture
def editor(django_user_model):
    return _login(django_user_model, "erin", workflow.EDITOR)


def public_text(obj) -> str:
    """What readers see of ``obj``: the chronology filtered by it, and the catalogue API."""
    anon = Client()
    param = {"entity": "person", "tag": "tag", "era": "era"}[obj._meta.model_name]
    pages = [anon.get("/", {param: obj.slug}), anon.get("/api/entities/"), anon.get("/api/tags/")]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


def propose(client, obj, reason="A better spelling", **changes):
    model = obj._meta.model_name
    change_page = client.get(reverse(f"admin:timeline_{model}_change", args=[obj.pk]))
    propose_url = reverse(f"admin:timeline_{model}_propose", args=[obj.pk])
    assert change_page.status_code == 200 and propose_url in change_page.content.decode()
    page = client.get(propose_url)
    assert page.status_code == 200
    data = {}
    for bound in page.context["form"]:
        value = bound.value()
        if value is not None and value is not False:
            data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    data.update({name: [value] for name, value in changes.items()})
    data["reason"] = [reason]
    return client.post(propose_url, data)


def test_a_proposal_changes_nothing_until_an_editor_applies_it(contributor, editor):
    person = Entity.objects.get(slug="sam-altman")
    before, version = person.name_en, person.version
    assert workflow.published_uses(person) > 0
    response = propose(contributor, person, name_en="Samuel H. Altman")
    assert response.status_code == 302
    proposal = VocabularyProposal.objects.get()
    assert response["Location"] == reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])
    assert (proposal.status, proposal.values, proposal.base_version) == ("pending", {"name_en": ["Samuel H. Altman"]}, version)

    # Stored, not applied: the record, its history and every public surface are as before.
    person.refresh_from_db()
    assert (person.name_en, person.version) == (before, version)
    assert "Samuel H. Altman" not in public_text(person)

    # The contributor follows it; editors see the count and the proposal.
    mine = contributor.get(reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])).content.decode()
    assert "<strong>pending</strong>" in mine and "Samuel H. Altman" in mine and 'id="proposal-apply"' not in mine
    assert "1 proposed change to entities, tags or eras waits for review" in editor.get(reverse("admin:index")).content.decode()
    listing = editor.get(reverse("admin:timeline_entity_changelist")).content.decode()
    assert "1 proposed change(s) to entities wait for review" in listing
    page = editor.get(reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk]))
    assert [(r["now"], r["proposed"]) for r in page.context["rows"]] == [(before, "Samuel H. Altman")]
    # A contributor cannot apply it themselves.
    assert contributor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk])).status_code == 403

    response = editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name_en, person.version) == ("Samuel H. Altman", version + 1)
    assert "Samuel H. Altman" in public_text(person)
    last = person.history.order_by("-history_date").first()
    assert last.history_user.username == "erin" and last.name_en == "Samuel H. Altman"
    assert last.history_change_reason == f"Proposed by carol (proposal #{proposal.pk})"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by.username, proposal.applied_version) == ("applied", "erin", version + 1)
    mine = contributor.get(reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])).content.decode()
    assert "<strong>applied</strong>" in mine
    # Applying twice changes nothing more.
    editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk]))
    person.refresh_from_db()
    assert person.version == version + 1
    assert "proposed change" not in editor.get(reverse("admin:index")).content.decode()


def test_a_rejected_proposal_needs_a_reason_and_the_contributor_sees_it(contributor, editor):
    tag = max(Tag.objects.all(), key=workflow.published_uses)
    before = tag.name_en
    assert propose(contributor, tag, name_en="Renamed tag").status_code == 302
    proposal = VocabularyProposal.objects.get()
    reject = reverse("admin:timeline_vocabularyproposal_reject", args=[proposal.pk])
    editor.post(reject, {"reason": "  "})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING  # no reason, no decision
    assert editor.post(reject, {"reason": "The tag name follows the glossary."}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == ("rejected", "The tag name follows the glossary.")
    mine = contributor.get(reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])).content.decode()
    assert "<strong>rejected</strong>" in mine and "The tag name follows the glossary." in mine
    index = contributor.get(reverse("admin:index")).content.decode()
    assert "0 pending, 0 applied, 1 rejected" in index
    # A rejected proposal cannot be applied afterwards.
    editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk]))
    tag.refresh_from_db()
    assert tag.name_en == before and "Renamed tag" not in public_text(tag)


def test_a_stale_proposal_gets_the_conflict_page_not_an_overwrite(contributor, editor, django_user_model):
    person = Entity.objects.get(slug="sam-altman")
    assert propose(contributor, person, name_en="Proposed Name", name_zh="提议的名字").status_code == 302
    proposal = VocabularyProposal.objects.get()
    # Another editor renames it meanwhile.
    other = _login(django_user_model, "frank", workflow.EDITOR)
    url = reverse("admin:timeline_entity_change", args=[person.pk])
    data = form_data(other.get(url))
    data["name_en"] = "Name by Frank"
    assert other.post(url, data).status_code == 302
    assert "was changed since this proposal was made" in editor.get(
        reverse("admin:timeline_vocabularyproposal_change", args=[proposal.pk])
    ).content.decode()

    page = editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk]))
    assert page.status_code == 409
    conflicts = {c.name: (c.theirs, c.yours, c.both_changed) for c in page.context["conflicts"]}
    assert conflicts["name_en"] == ("Name by Frank", "Proposed Name", True)
    assert conflicts["name_zh"][1] == "提议的名字"
    # Worded for applying a proposal: carol proposed, frank changed the record since; not "you".
    text = " ".join(page.content.decode().split())
    assert "frank changed this record" in text and "after carol proposed this change" in text
    assert "while you were editing" not in text and "changed by you" not in text
    assert "proposed by carol" in text and "Proposed by carol" in text
    person.refresh_from_db()
    assert person.name_en == "Name by Frank"  # nothing overwritten
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    # The editor keeps Frank's English name and the proposed Chinese one: the proposal is applied with that.
    choices = submitted(page, **{"_resolve-name_en": "theirs", "_resolve-name_zh": "yours"})
    assert editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk]), choices).status_code == 302
    person.refresh_from_db()
    assert (person.name_en, person.name_zh) == ("Name by Frank", "提议的名字")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED and proposal.applied_version == person.version
    assert person.history.order_by("-history_date").first().history_change_reason.startswith("Proposed by carol")


def test_proposing_nothing_is_refused_and_editors_are_sent_to_the_form(contributor, editor):
    person = Entity.objects.get(slug="sam-altman")
    page = propose(contributor, person)
    assert page.status_code == 200 and "You changed nothing" in page.content.decode()
    assert not VocabularyProposal.objects.exists()
    response = editor.get(reverse("admin:timeline_entity_propose", args=[person.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/entity/{person.pk}/change/")


@pytest.mark.parametrize("kind", ["entity", "tag", "era"])
def test_every_kind_of_name_can_be_proposed_and_applied(contributor, editor, kind):
    obj = {"entity": lambda: Entity.objects.get(slug="sam-altman"),
           "tag": lambda: max(Tag.objects.all(), key=workflow.published_uses),
           "era": lambda: max(Era.objects.all(), key=workflow.published_uses)}[kind]()
    assert workflow.published_uses(obj) > 0
    assert propose(contributor, obj, name_zh=f"{obj.name_zh}（提议）").status_code == 302
    obj.refresh_from_db()
    assert not obj.name_zh.endswith("（提议）")
    proposal = VocabularyProposal.objects.get(model=kind)
    assert editor.post(reverse("admin:timeline_vocabularyproposal_apply", args=[proposal.pk])).status_code == 302
    obj.refresh_from_db()
    assert obj.name_zh.endswith("（提议）")
    assert obj.history.order_by("-history_date").first().history_change_reason.startswith("Proposed by carol")


def test_a_contributor_reads_an_entitys_aliases_as_a_list_not_json(contributor):
    person = max(Entity.objects.exclude(aliases=[]), key=workflow.published_uses)
    assert workflow.published_uses(person) and len(person.aliases) >= 1
    page = contributor.get(reverse("admin:timeline_entity_change", args=[person.pk])).content.decode()
    assert 'name="name_en"' not in page  # read-only for a contributor
    # "Propose a change" is among the submit-row buttons, not only inside the message at the top.
    row = page.split('<div class="submit-row">')[1].split("</div>")[0]
    propose = reverse("admin:timeline_entity_propose", args=[person.pk])
    assert f'<a href="{propose}" class="button default" id="propose-change-button">Propose a change</a>' in row
    assert escape(", ".join(person.aliases)) in page
    assert escape(json.dumps(person.aliases, ensure_ascii=False)) not in page
    assert escape(json.dumps(person.aliases)) not in page
