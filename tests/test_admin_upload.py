"""Uploading an article in the admin: the same import pipeline as ``import_sources`` (atomic,
idempotent, same refusals), HTML reduced to text, and a re-import that reports what changed and which
citations now need an editor."""

import hashlib
import io
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.factories import cite, make_item
from timeline import tasks, workflow
from timeline.admin_views import html_to_text
from timeline.models import Citation, CitationStatus, ImportJob, Passage, Source, Status

pytestmark = pytest.mark.django_db

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
UPLOAD = reverse("admin:timeline_source_upload")
ARTICLE = (
    "测试文章标题\n\n"
    "2015年12月，OpenAI 在旧金山成立，创始人包括奥特曼和马斯克。\n\n"
    "第二段：𠀋字在这里，GPT-4o 于2024年5月13日发布。\n"
)


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=workflow.EDITOR))
    client.force_login(user)
    return client


def fields(**overrides):
    data = {
        "key": "upload-test",
        "title": "测试文章标题",
        "publisher": "测试出版社",
        "author": "",
        "language": "zh-Hans",
        "published": "2024-05-20",
        "reference_date": "",
        "reference_note": "",
        "original_url": "",
        "text": "",
    }
    data.update(overrides)
    return data


def upload(client, content: bytes, name="upload-test.txt", **overrides):
    return client.post(UPLOAD, {**fields(**overrides), "file": SimpleUploadedFile(name, content)})


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


def test_upload_creates_the_source_and_its_passages(editor_client):
    response = upload(editor_client, ARTICLE.encode())
    assert response.status_code == 200 and not form_errors(response)
    source = Source.objects.get(key="upload-test")
    assert (source.file_name, source.reference_date.isoformat()) == ("upload-test.txt", "2024-05-20")
    assert list(source.passages.values_list("text", flat=True)) == [
        "2015年12月，OpenAI 在旧金山成立，创始人包括奥特曼和马斯克。",
        "第二段：𠀋字在这里，GPT-4o 于2024年5月13日发布。",
    ]
    assert [(r.key, r.status) for r in response.context["outcome"].results] == [("upload-test", "created")]
    assert source.history.count() == 1


def test_a_reupload_of_the_same_file_is_unchanged_and_writes_nothing(editor_client):
    upload(editor_client, ARTICLE.encode())
    before = Source.objects.get(key="upload-test").updated_at
    response = upload(editor_client, ARTICLE.encode())
    assert [r.status for r in response.context["outcome"].results] == ["unchanged"]
    assert Source.objects.get(key="upload-test").updated_at == before


def test_a_shipped_article_reuploaded_with_its_manifest_is_unchanged(editor_client):
    """The admin and ``import_sources`` produce the same rows from the same file and fields."""
    manifest = yaml.safe_load((SOURCES / "003_ce7abde17486f85c.yaml").read_text(encoding="utf-8"))
    overrides = {
        name: manifest[name] or ""
        for name in ("key", "title", "publisher", "author", "language", "reference_date", "reference_note")
    }
    overrides.update(published="", original_url="")
    raw = (SOURCES / "003_ce7abde17486f85c.txt").read_bytes()
    passages = Passage.objects.filter(source__key="q-star-exposed").count()
    response = upload(editor_client, raw, name="003_ce7abde17486f85c.txt", **overrides)
    assert not form_errors(response)
    assert [(r.key, r.status, r.passages) for r in response.context["outcome"].results] == [
        ("q-star-exposed", "unchanged", passages)
    ]


def test_pasted_text_is_imported_like_a_file(editor_client):
    response = editor_client.post(UPLOAD, fields(text=ARTICLE.replace("\n", "\r\n")))
    assert not form_errors(response)
    source = Source.objects.get(key="upload-test")
    assert source.file_name == "upload-test.txt" and "\r" not in source.raw_text
    assert source.passages.count() == 2


def test_an_html_upload_is_reduced_to_text(editor_client):
    html = (
        "<!DOCTYPE html><html><head><title>ignored</title><style>p{color:red}</style></head><body>"
        "<h1>测试文章标题</h1><p>2015年12月，OpenAI 在旧金山成立，创始人包括奥特曼&amp;马斯克。</p>"
        "<script>alert('x')</script><p>第二段：𠀋字在这里。</p></body></html>"
    )
    response = upload(editor_client, html.encode(), name="article.html")
    assert not form_errors(response)
    source = Source.objects.get(key="upload-test")
    assert "<" not in source.raw_text and "alert" not in source.raw_text
    assert list(source.passages.values_list("text", flat=True)) == [
        "2015年12月，OpenAI 在旧金山成立，创始人包括奥特曼&马斯克。",
        "第二段：𠀋字在这里。",
    ]


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    assert (
        html_to_text("<p>一\n二</p><ul><li>甲</li><li>乙</li></ul><br><noscript>x</noscript>")
        == "一 二\n\n甲\n\n乙\n"
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "The submitted file is empty."),
        (
            b"\x00\x01binary\x00",
            "binary.txt",
            "Nothing was imported. binary.txt: binary content (a NUL byte at offset 0)",
        ),
        ("测试文章标题\n\n正文。".encode("gbk"), "gbk.txt", "Nothing was imported. gbk.txt: not UTF-8 text"),
        (b"<html><body>\xff</body></html>", "bad.html", "Nothing was imported. bad.html: not UTF-8 text"),
        (b"   \n\n  ", "blank.txt", "Nothing was imported. blank.txt: the file holds only whitespace."),
    ],
)
def test_bad_files_are_refused_and_leave_no_rows(editor_client, content, name, message):
    sources, passages = Source.objects.count(), Passage.objects.count()
    response = upload(editor_client, content, name=name)
    assert response.status_code == 200
    assert any(error.startswith(message) for error in form_errors(response)), form_errors(response)
    assert (Source.objects.count(), Passage.objects.count()) == (sources, passages)
    assert not Source.objects.filter(key="upload-test").exists()


def test_manifest_refusals_are_the_pipelines(editor_client):
    response = upload(editor_client, ARTICLE.encode(), published="", reference_date="2024-05-21")
    assert form_errors(response) == [
        "Nothing was imported. manifest of upload-test.txt: 'reference_date' (2024-05-21) differs from "
        "'published' (None); say why in 'reference_note'."
    ]
    assert not Source.objects.filter(key="upload-test").exists()


def test_a_changed_reupload_lists_changed_passages_and_citations_to_fix(editor_client):
    upload(editor_client, ARTICLE.encode())
    passage = Passage.objects.get(source__key="upload-test", ordinal=2)
    item = make_item(slug="cites-upload", date="2024-05-13", status=Status.DRAFT)
    cite(item, passage, "𠀋字在这里")
    changed = ARTICLE.replace("第二段：𠀋字在这里，GPT-4o", "第二段：GPT-4o")
    response = upload(editor_client, changed.encode())
    outcome = response.context["outcome"]
    assert [(r.status, r.passages_updated) for r in outcome.results] == [("updated", 1)]
    [change] = outcome.passage_changes["upload-test"]
    assert (change.ordinal, change.after) == (2, "第二段：GPT-4o 于2024年5月13日发布。")
    citation = Citation.objects.get(item=item)
    assert citation.status == CitationStatus.ORPHAN
    assert outcome.citations_to_fix == [citation]
    page = response.content.decode()
    assert reverse("admin:timeline_item_change", args=[item.pk]) in page


def test_contributors_cannot_upload(client, django_user_model):
    user = django_user_model.objects.create_user("contributor", password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=workflow.CONTRIBUTOR))
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, ARTICLE.encode()).status_code == 403
    assert not Source.objects.filter(key="upload-test").exists()


def test_upload_form_can_be_prefilled_from_a_source_for_a_reimport(editor_client):
    response = editor_client.get(UPLOAD, {"source": "q-star-exposed"})
    assert response.context["form"].initial["reference_date"].isoformat() == "2023-11-24"


def test_upload_sha_is_computed_from_the_bytes(editor_client):
    upload(editor_client, ARTICLE.encode())
    assert Source.objects.get(key="upload-test").raw_sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()


def run_worker(monkeypatch) -> None:
    """`manage.py db_worker --batch` in this process. Between jobs it closes connections that are not in
    autocommit mode, which the test's own transaction is not (on PostgreSQL that would end the test)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_large_upload_is_a_background_job_with_progress(editor_client, settings, monkeypatch):
    """Issue 12, finding 2: a long import ran inside the web request and hit gunicorn's 30 s timeout.
    Uploads over TIMELINE_BACKGROUND_IMPORT_BYTES become a job that `manage.py db_worker` runs; the
    editor watches its page (it refreshes itself) until it reports what it did."""
    settings.TIMELINE_BACKGROUND_IMPORT_BYTES = 100
    response = upload(editor_client, ARTICLE.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_source_import_job", args=[job.pk])
    assert not Source.objects.filter(key="upload-test").exists()  # nothing written in the request
    page = editor_client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "queued" in page

    heard = []
    real_update = tasks._update
    monkeypatch.setattr(tasks, "_update", lambda job, **fields: (heard.append(fields.get("progress")),
                                                                real_update(job, **fields)))
    run_worker(monkeypatch)
    assert "upload-test: finding dates, passage 2 of 2" in heard and "Writing passages and date mentions" in heard
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.finished_at
    assert Source.objects.get(key="upload-test").passages.count() == 2
    page = editor_client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page and "created upload-test (2 passages)" in " ".join(page.split())


def test_a_background_job_that_is_refused_says_why_and_writes_nothing(editor_client, settings, monkeypatch):
    settings.TIMELINE_BACKGROUND_IMPORT_BYTES = 10
    response = upload(editor_client, b"\x00\x01 not text at all \xff\xfe" * 10)
    assert response.status_code == 302
    run_worker(monkeypatch)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED and job.report.startswith("Nothing was imported.")
    assert not Source.objects.filter(key="upload-test").exists()
    assert "Nothing was imported." in editor_client.get(response["Location"]).content.decode()
