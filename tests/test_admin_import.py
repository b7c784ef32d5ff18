"""The admin's two-step import of a new article: read → preview (editable) → import, unpublished."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from timeline import workflow
from timeline.models import Source

pytestmark = pytest.mark.django_db
PAGES = Path(__file__).parent / "data" / "pages"
IMPORT = reverse("admin:timeline_source_import")


def _login(client, django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.fixture
def contributor_client(client, django_user_model):
    _login(client, django_user_model, "contributor", workflow.CONTRIBUTOR)
    return client


def _read(client, name):
    upload = SimpleUploadedFile(name, (PAGES / name).read_bytes())
    return client.post(IMPORT, {"step": "input", "file": upload})


def _preview_post(response, **changes):
    """The preview form as the browser would send it, with ``changes`` applied."""
    metadata = response.context["metadata"]
    data = {"step": "preview", "action": "preview"}
    for name in metadata.fields:
        value = metadata[name].value()
        if value not in (None, "", False):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["keep"] = [str(line.number) for line in response.context["lines"] if line.kept]
    data.update(changes)
    return data


def test_contributor_reads_previews_and_imports_unpublished(contributor_client):
    response = _read(contributor_client, "hk01-altman-fired.txt")
    assert response.status_code == 200
    page = response.content.decode()
    metadata = response.context["metadata"]
    assert metadata["title"].value() == "OpenAI突解僱奧特曼 董事會指其溝通不坦誠 布羅克曼同日辭職"
    assert metadata["published"].value().isoformat() == "2023-11-18"
    assert metadata["language"].value() == "zh-Hant"
    assert "撰文：國際新聞組" in page and "credit line" in page  # a dropped line with its reason
    assert "周五" in page  # a date mention

    data = _preview_post(response, action="import", key="hk01-fired", publisher="香港01")
    response = contributor_client.post(IMPORT, data)
    source = Source.objects.get(key="hk01-fired")
    assert response.status_code == 302
    assert (source.publisher, source.is_public) == ("香港01", False)
    assert source.passages.count() == 4
    assert contributor_client.get(reverse("timeline:source", args=["hk01-fired"])).status_code == 404


def test_editor_keeps_a_page_template_line_of_an_html_page(client, django_user_model):
    """A footer trafilatura left out is listed as dropped; ticked, it is imported as a passage."""
    _login(client, django_user_model, "editor", workflow.EDITOR)
    response = _read(client, "ce-openai-tsinghua.html")
    footer = next(line for line in response.context["lines"] if line.text.startswith("版权所有 中国经济网"))
    assert footer.reason == "not part of the main text (page template)"
    assert "not part of the main text (page template)" in response.content.decode()
    data = _preview_post(response, key="ce-footer")
    data["keep"].append(str(footer.number))
    response = client.post(IMPORT, data)
    assert response.context["document"]["passages"][-1]["text"] == footer.text
    client.post(IMPORT, _preview_post(response, action="import", key="ce-footer"))
    source = Source.objects.get(key="ce-footer")
    assert source.cleaned_text.endswith(footer.text)
    assert source.author == "王思远"


def test_editor_toggles_lines_in_the_preview(client, django_user_model):
    _login(client, django_user_model, "editor", workflow.EDITOR)
    response = _read(client, "hk01-altman-fired.txt")
    lines = response.context["lines"]
    tags = next(line for line in lines if line.text.startswith("#OpenAI"))
    first = next(line for line in lines if line.kept)
    data = _preview_post(response, key="hk01-toggled")
    data["keep"] = [n for n in data["keep"] if n != str(first.number)] + [str(tags.number)]
    response = client.post(IMPORT, data)
    texts = [p["text"] for p in response.context["document"]["passages"]]
    assert texts[-1] == "#OpenAI #人工智能"
    assert not any(t.startswith("人工智能初創公司") for t in texts)
    data = _preview_post(response, action="import", key="hk01-toggled")
    client.post(IMPORT, data)
    assert Source.objects.get(key="hk01-toggled").cleaned_text.endswith("#OpenAI #人工智能")


def test_a_contradicted_year_must_be_confirmed(contributor_client):
    response = _read(contributor_client, "udn-board-crisis.txt")
    data = _preview_post(response, action="import", key="udn-wrong-year", published="2024-11-22")
    response = contributor_client.post(IMPORT, data)
    assert response.status_code == 200
    assert "contradicts the page&#x27;s dateline" in response.content.decode()
    assert response.context["metadata"].errors["confirm"]
    assert not Source.objects.filter(key="udn-wrong-year").exists()
    data["confirm"] = "on"
    contributor_client.post(IMPORT, data)
    assert Source.objects.get(key="udn-wrong-year").published.isoformat() == "2024-11-22"


def test_unpublished_source_is_hidden_until_an_editor_publishes_it(client, django_user_model):
    _login(client, django_user_model, "editor", workflow.EDITOR)
    response = _read(client, "cna-gpt4o.html")
    client.post(IMPORT, _preview_post(response, action="import", key="cna-new"))
    source = Source.objects.get(key="cna-new")
    client.logout()
    assert client.get(reverse("timeline:source", args=["cna-new"])).status_code == 404
    assert client.get("/api/sources/cna-new/").status_code == 404
    assert "cna-new" not in client.get("/api/sources/").content.decode()
    assert "cna-new" not in client.get("/sitemap.xml").content.decode()
    _login(client, django_user_model, "chief", workflow.EDITOR)
    changelist = reverse("admin:timeline_source_changelist")
    client.post(changelist, {"action": "publish_sources", "_selected_action": [source.pk]})
    client.logout()
    assert client.get(reverse("timeline:source", args=["cna-new"])).status_code == 200


def test_contributors_cannot_publish_sources(contributor_client):
    changelist = contributor_client.get(reverse("admin:timeline_source_changelist"))
    assert "publish_sources" not in changelist.content.decode()
    assert IMPORT in changelist.content.decode()


def test_bad_input_is_a_message_not_an_error(contributor_client):
    binary = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    response = contributor_client.post(IMPORT, {"step": "input", "file": binary})
    assert response.status_code == 200
    assert "binary" in response.content.decode()
    response = contributor_client.post(IMPORT, {"step": "input", "url": "http://127.0.0.1:9/admin/"})
    assert "internal address" in response.content.decode()
    response = contributor_client.post(IMPORT, {"step": "preview", "action": "import", "key": "x", "title": "x"})
    assert response.status_code == 302  # nothing in the session: start again


def test_anonymous_and_viewers_cannot_import(client):
    assert client.get(IMPORT).status_code == 302  # to the login page


def test_the_add_page_is_the_import(client, django_user_model):
    """"Add source" opens the two-step import; the upload page stays for re-imports."""
    _login(client, django_user_model, "editor", workflow.EDITOR)
    response = client.get(reverse("admin:timeline_source_add"))
    assert response.templates[0].name == "admin/timeline/source/import.html"


def test_a_tampered_preview_is_a_message(contributor_client):
    response = _read(contributor_client, "hk01-altman-fired.txt")
    data = _preview_post(response, key="tampered")
    data["keep"] = ["9999", "x"]
    response = contributor_client.post(IMPORT, data)
    assert response.status_code == 200
    assert "no line number(s) [9999]" in response.content.decode()


def test_an_article_already_imported_is_flagged_in_the_preview_and_needs_the_second_copy_box(contributor_client):
    """The preview names the existing source and links to its re-import; importing under a new key is
    refused (nothing written) until "Import a second copy anyway" is ticked."""
    response = _read(contributor_client, "hk01-altman-fired.txt")
    contributor_client.post(IMPORT, _preview_post(response, action="import", key="hk01-first"))
    existing = Source.objects.get(key="hk01-first")

    response = _read(contributor_client, "hk01-altman-fired.txt")
    page = response.content.decode()
    assert 'id="import-duplicate"' in page and "hk01-first" in page
    assert reverse("admin:timeline_source_reimport", args=[existing.pk]) in page
    assert "Import a second copy anyway" in page

    refused = contributor_client.post(IMPORT, _preview_post(response, action="import", key="hk01-second"))
    assert refused.status_code == 200 and "Nothing was imported" in refused.content.decode()
    assert "already imported as source &#x27;hk01-first&#x27;" in refused.content.decode()
    assert not Source.objects.filter(key="hk01-second").exists()

    accepted = contributor_client.post(
        IMPORT, _preview_post(response, action="import", key="hk01-second", allow_duplicate="on")
    )
    assert accepted.status_code == 302 and Source.objects.filter(key="hk01-second").exists()


def test_a_new_article_shows_no_duplicate_box(contributor_client):
    page = _read(contributor_client, "hk01-altman-fired.txt").content.decode()
    assert 'id="import-duplicate"' not in page and "Import a second copy anyway" not in page


def test_a_source_cited_by_published_items_is_not_unpublished(client, django_user_model, live_data):
    """Unpublishing a source that published items cite would put them on the public site citing a
    hidden article (their cards link it by name): refused for that source with the reason, while the
    other selected sources are unpublished (found by review: the action used to hide it regardless)."""
    from timeline.models import Item, Status

    cited = Source.objects.filter(is_public=True, passages__citations__item__status=Status.PUBLISHED).distinct().first()
    item = Item.objects.published().filter(citations__passage__source=cited).first()
    uncited = Source.objects.create(key="uncited-source", title="Uncited", language="zh-Hans",
                                    reference_date="2025-01-01", is_public=True)
    _login(client, django_user_model, "chief", workflow.EDITOR)
    changelist = reverse("admin:timeline_source_changelist")
    response = client.post(changelist, {"action": "unpublish_sources", "_selected_action": [cited.pk, uncited.pk]},
                           follow=True)
    text = response.content.decode()
    assert f"Not unpublished: {cited.key}" in text and "1 source(s) unpublished." in text
    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert cited.is_public and not uncited.is_public
    client.logout()
    assert client.get(reverse("timeline:source", args=[cited.key])).status_code == 200
    assert client.get(reverse("timeline:item", args=[item.slug])).status_code == 200
