"""Staff can preview a draft at its item URL; everyone else gets 404, and previews are never cached."""

import pytest
from django.contrib.auth.models import Group, User

from tests.factories import cite, make_item
from timeline.models import Passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    item = make_item(slug="preview-draft", status="draft", title_en="Unpublished preview claim")
    cite(item, Passage.objects.get(source__key="q-star-exposed", ordinal=1), "OpenAI")
    return item


def test_anonymous_and_plain_users_get_404(client, draft):
    assert client.get("/items/preview-draft/").status_code == 404
    client.force_login(User.objects.create_user("reader", password="x"))
    assert client.get("/items/preview-draft/").status_code == 404


def test_an_editor_previews_the_draft_and_it_is_not_cacheable(client, draft):
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    response = client.get("/items/preview-draft/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unpublished preview claim" in html and "Preview: this item is draft" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_published_item_has_no_preview_banner(client):
    html = client.get("/items/alexnet/").content.decode()
    assert "Preview:" not in html
