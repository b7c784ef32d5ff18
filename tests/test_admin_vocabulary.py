"""Entities, tags and eras that published items show are published content (issue 12, finding 6).

A contributor renaming a person or a tag used by 33 published items changed every public surface at
once, with no review and no history. Now only editors change what published items show (contributors
see it read-only and are told to propose the change), and every change is in a revertible history.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import make_entity, make_item
from tests.test_admin import form_data
from timeline import workflow
from timeline.models import Entity, Era, Status, Tag

pytestmark = pytest.mark.django_db


def signed_in(client, django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def most_used_tag() -> Tag:
    return max(Tag.objects.all(), key=workflow.published_uses)


def rename(client, obj, field, value):
    url = reverse(f"admin:timeline_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    data = form_data(page) if page.status_code == 200 and "adminform" in page.context else {}
    data[field] = value
    return page, client.post(url, data)


@pytest.mark.parametrize("kind", ["entity", "tag", "era"])
def test_finding_6_a_contributor_cannot_change_what_published_items_show(client, django_user_model, kind):
    contributor = signed_in(client, django_user_model, "contributor", workflow.CONTRIBUTOR)
    obj = {"entity": lambda: Entity.objects.get(slug="sam-altman"), "tag": most_used_tag,
           "era": lambda: Era.objects.first()}[kind]()
    uses = workflow.published_uses(obj)
    assert uses >= 1
    before = obj.name_en
    page, response = rename(contributor, obj, "name_en", "Renamed by a contributor")
    assert page.status_code == 200  # they can still read it
    if kind != "era":  # contributors never had change_era; for the others, the page says why
        assert f"{uses} published items show" in page.content.decode()
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.name_en == before
    public = client.get("/").content.decode() + client.get("/api/items/?page=1").content.decode()
    assert "Renamed by a contributor" not in public


def test_a_contributor_still_names_what_only_drafts_use(client, django_user_model):
    contributor = signed_in(client, django_user_model, "contributor", workflow.CONTRIBUTOR)
    person = make_entity("draft-only-person", name_en="Draft Person")
    make_item(slug="a-draft", status=Status.DRAFT).people.add(person)
    _, response = rename(contributor, person, "name_en", "Draft Person, corrected")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name_en == "Draft Person, corrected"


@pytest.mark.parametrize("kind", ["entity", "tag", "era"])
def test_an_editors_change_is_in_the_history_and_can_be_reverted(client, django_user_model, kind):
    editor = signed_in(client, django_user_model, "editor", workflow.EDITOR)
    obj = {"entity": lambda: Entity.objects.get(slug="sam-altman"), "tag": most_used_tag,
           "era": lambda: Era.objects.first()}[kind]()
    before = obj.name_en
    _, response = rename(editor, obj, "name_en", f"{before} (edited)")
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.name_en == f"{before} (edited)"
    param = {"entity": "person", "tag": "tag", "era": "era"}[kind]
    assert f"{before} (edited)" in client.get("/", {param: obj.slug}).content.decode()
    history = list(obj.history.order_by("history_date"))
    assert history[-1].name_en == f"{before} (edited)" and history[-1].history_user.username == "editor"
    model = obj._meta.model_name
    assert editor.get(reverse(f"admin:timeline_{model}_history", args=[obj.pk])).status_code == 200
    assert len(history) >= 2  # the loader's creation, then the edit
    old = history[-2]
    url = reverse(f"admin:timeline_{model}_simple_history", args=[obj.pk, old.history_id])
    page = editor.get(url)
    assert page.status_code == 200
    assert editor.post(url, form_data(page)).status_code == 302
    obj.refresh_from_db()
    assert obj.name_en == before
