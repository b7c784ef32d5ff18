"""Citations stay true through re-imports (timeline.reimport, timeline.admin_reimport), on the shipped
articles: a re-import that deletes a cited sentence of a published item never shows a wrong highlight
(the public page shows the passage as verified, with a notice; the API reports the status without
offsets), the item can still be saved, and it is listed under "has problems"; re-import works from a
renamed file and from pasted text, previews paragraph by paragraph, and cancelling writes nothing."""

import json
import re
from html import escape, unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import cite, make_item
from tests.test_admin import editor, editor_client, errors_of, form_data, url  # noqa: F401  (fixtures)
from timeline import workflow
from timeline.ingest.article import read_article
from timeline.ingest.clean import normalize_fragment
from timeline.ingest.pipeline import import_new_article
from timeline.models import Citation, CitationStatus, Item, Passage, Source, Status
from timeline.reimport import ORPHAN, paragraph_changes

pytestmark = pytest.mark.django_db


def published_single_citation():
    """A published item of the shipped chronology with one citation, whose words occur once in the raw
    article (so deleting them from the file deletes exactly the cited sentence)."""
    for item in Item.objects.published().order_by("slug"):
        citations = list(item.citations.select_related("passage__source"))
        if len(citations) != 1:
            continue
        citation = citations[0]
        source = citation.passage.source
        if Source.objects.filter(file_name=source.file_name).count() > 1:
            continue  # a post of an index page: re-imported with its whole file, not here
        if len(citation.exact) >= 12 and source.raw_text.count(citation.exact) == 1:
            siblings = Citation.objects.filter(passage__source=source).exclude(pk=citation.pk)
            if not any(citation.exact in other.exact or other.exact in citation.exact for other in siblings):
                return item, citation
    raise AssertionError("the shipped chronology has no such item")


def reimport(client, source, **data):
    preview = client.post(url("source_reimport", source.pk), data)
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert "preview" in preview.context, errors_of(preview) or preview.context["form"].errors
    apply = {
        "step": "apply",
        "version": preview.context["version"],
        "checksum": preview.context["checksum"],
        "payload": preview.context["payload"],
        "name": preview.context["name"],
    }
    return preview, client.post(url("source_reimport", source.pk), apply)


def test_deleting_a_cited_sentence_keeps_the_verified_passage_for_readers(client, editor_client):  # noqa: F811
    item, citation = published_single_citation()
    source = citation.passage.source
    verified_passage = citation.passage.text
    new_text = source.raw_text.replace(citation.exact, "")
    upload = SimpleUploadedFile("any-name-at-all.txt", new_text.encode("utf-8"))
    preview, applied = reimport(editor_client, source, step="preview", file=upload)

    fate = next(f for f in preview.context["preview"].fates if f.citation.pk == citation.pk)
    assert fate.fate == ORPHAN and fate.published
    assert applied.status_code == 302
    citation.refresh_from_db()
    assert citation.status == CitationStatus.ORPHAN
    assert (citation.verified_text, citation.exact) == (verified_passage, verified_passage[citation.verified_start : citation.verified_end])

    # The public page: the passage as it was verified, marked, and a notice; never the changed passage.
    page = client.get(item.get_absolute_url()).content.decode()
    assert "The source has changed since this was cited." in page
    assert f'<mark class="cite depth-1">{citation.exact}</mark>' in page
    # The quoted block is the verified passage, not the changed one (whose opening may be the same
    # words, when the deleted sentence ended the paragraph: compare the whole text, tags stripped).
    quoted = re.sub(r"<[^>]+>", "", page.split("passage-as-cited")[1].split(">", 1)[1].split("</blockquote>")[0])
    assert unescape(quoted) == verified_passage != Passage.objects.get(pk=citation.passage_id).text
    # The source page highlights nothing for it, and says why when a reader follows its link.
    source_page = client.get(f"{source.get_absolute_url()}?hl={citation.pk}").content.decode()
    assert f'id="c-{citation.pk}"' not in source_page
    assert "The source has changed since citation" in source_page
    # The API reports the status, no offsets into the changed text, and the verified snapshot.
    document = client.get(reverse("timeline:api-item", args=[item.slug])).json()
    cited = document["citations"][0]
    assert cited["status"] == "orphan"
    assert (cited["selector"]["start"], cited["selector"]["end"]) == (None, None)
    assert cited["verified"]["passage_text"] == verified_passage

    # Editors can still save the item, e.g. with a correction note; it is listed under "has problems".
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["note_en"] = "The source article no longer contains the sentence cited here."
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.note_en.startswith("The source article")
    problems = editor_client.get(url("item_changelist") + "?problems=unverified").content.decode()
    assert item.title_en in problems and "re-cite" in problems


def test_publishing_an_unverified_citation_is_still_refused(editor_client, editor):  # noqa: F811
    """Saving stays possible; putting the orphaned claim back on the site after unpublishing is not."""
    item, citation = published_single_citation()
    source = citation.passage.source
    reimport(editor_client, source, step="preview", text=source.raw_text.replace(citation.exact, ""))
    item.refresh_from_db()
    workflow.apply_transition(item, name="unpublish", user=editor, note="source changed")
    workflow.apply_transition(item, name="submit", user=editor)
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.apply_transition(item, name="publish", user=editor)
    assert "is orphan; an editor must re-anchor it" in str(refused.value)
    assert "It has no exact citation" in str(refused.value)


def test_pasted_text_with_an_inserted_paragraph_is_one_insertion(editor_client):  # noqa: F811
    source = Source.objects.get(key="netease-openai-idealists")
    before = list(source.passages.values_list("pk", "ordinal", "text"))
    cited = dict(Citation.objects.filter(passage__source=source).values_list("pk", "exact"))
    marker = source.passages.get(ordinal=5).text.split("\n")[0][:30]
    assert source.raw_text.count(marker) == 1
    pasted = source.raw_text.replace(marker, "這是一個新插入的段落，用來測試重新匯入。\n\n" + marker)
    pasted = pasted.replace("\n", "\r\n")  # as a browser sends a textarea
    preview = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "text": pasted})
    changes = preview.context["preview"].changes
    assert [(c.kind, len(c.before), [text for _, text in c.after]) for c in changes] == [
        ("insert", 0, ["這是一個新插入的段落，用來測試重新匯入。"])
    ]
    assert {f.fate for f in preview.context["preview"].fates} <= {"kept", "moved"}
    # Previewing (and then cancelling) wrote nothing.
    assert list(source.passages.values_list("pk", "ordinal", "text")) == before
    assert Source.objects.get(pk=source.pk).version == source.version

    applied = editor_client.post(
        url("source_reimport", source.pk),
        {"step": "apply", "version": preview.context["version"], "checksum": preview.context["checksum"],
         "payload": preview.context["payload"], "name": preview.context["name"]},
    )
    assert applied.status_code == 302
    source.refresh_from_db()
    assert source.version == 2 and source.file_name.endswith(".txt")
    assert dict(Citation.objects.filter(passage__source=source, status="exact").values_list("pk", "exact")) == cited


def test_a_stale_preview_is_refused_and_writes_nothing(editor_client):  # noqa: F811
    source = Source.objects.get(key="netease-openai-idealists")
    preview = editor_client.post(
        url("source_reimport", source.pk), {"step": "preview", "text": source.raw_text + "\n\n新的結尾段落。\n"}
    )
    Source.objects.filter(pk=source.pk).update(version=source.version + 1)  # someone re-imported meanwhile
    response = editor_client.post(
        url("source_reimport", source.pk),
        {"step": "apply", "version": preview.context["version"], "checksum": preview.context["checksum"],
         "payload": preview.context["payload"], "name": preview.context["name"]},
        follow=True,
    )
    assert "since this preview was made; nothing was imported" in response.content.decode()
    assert source.passages.count() == Source.objects.get(pk=source.pk).passages.count()
    assert "新的結尾段落" not in Source.objects.get(pk=source.pk).raw_text


def test_pasted_html_is_reduced_to_the_same_article(editor_client):  # noqa: F811
    """The article saved as HTML (each line of the page a paragraph element, a script and a style
    beside them) re-imports as the same text: every citation is found again, verbatim."""
    source = Source.objects.get(key="netease-openai-idealists")
    lines = [line for line in source.raw_text.split("\n") if line.strip()]
    html = (
        "<!DOCTYPE html><html><head><title>page</title><style>p{color:red}</style></head><body>"
        "<script>var tracking = 1;</script>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</body></html>"
    )
    preview = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "text": html})
    assert "preview" in preview.context, preview.context["form"].errors
    assert "tracking" not in preview.context["text"] and "<p>" not in preview.context["text"]
    fates = preview.context["preview"].fates
    assert fates and all(fate.fate in ("kept", "moved") for fate in fates)


def test_paragraph_changes_pair_paragraphs_not_positions():
    before = [(1, "a"), (2, "b"), (3, "c")]
    after = [(1, "a"), (2, "new"), (3, "b"), (4, "c")]
    assert [(c.kind, c.before, c.after) for c in paragraph_changes(before, after)] == [("insert", [], [(2, "new")])]
    assert json.dumps([c.kind for c in paragraph_changes(before, [(1, "a"), (2, "c")])]) == '["delete"]'


def test_a_form_opened_before_a_reimport_cannot_write_stale_offsets_back(editor_client):  # noqa: F811
    """The re-import moves a citation (a paragraph is inserted before it) and gives its item a new
    version; saving the form opened earlier shows the conflict page, and saving that keeps the citation
    where the re-import put it, on the same words."""
    source = Source.objects.get(key="netease-openai-idealists")
    citation = (
        Citation.objects.filter(passage__source=source, passage__ordinal__gt=5, item__status=Status.DRAFT)
        .order_by("pk")
        .first()
        or Citation.objects.filter(passage__source=source, passage__ordinal__gt=5).order_by("pk").first()
    )
    item = citation.item
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["note_en"] = "Typed while the source was re-imported."
    marker = source.passages.get(ordinal=5).text.split("\n")[0][:30]
    pasted = source.raw_text.replace(marker, "這是一個新插入的段落。\n\n" + marker)
    reimport(editor_client, source, step="preview", text=pasted)
    citation.refresh_from_db()
    moved = (citation.passage_id, citation.start, citation.end, citation.exact)

    conflict = editor_client.post(url("item_change", item.pk), data)
    assert conflict.status_code == 409
    from tests.test_admin_conflicts import submitted

    saved = editor_client.post(url("item_change", item.pk), submitted(conflict))
    assert saved.status_code == 302, errors_of(saved)
    citation.refresh_from_db()
    assert (citation.passage_id, citation.start, citation.end, citation.exact) == moved
    assert citation.status == CitationStatus.EXACT
    assert Item.objects.get(pk=item.pk).note_en == "Typed while the source was re-imported."


# --- the import's own pipeline: encodings, HTML through trafilatura, the general line rules -------------------

PAGES = Path(__file__).parent / "data" / "pages"
CHROME = ("责任编辑", "ICP", "版权所有", "分享到", "新浪首页", "相关新闻")


def imported_stargate():
    """The GBK Sina page imported as a new article (as `import_article` does), with a draft item citing
    its third paragraph."""
    draft = read_article((PAGES / "sina-gbk-stargate.html").read_bytes(), file_name="sina-gbk-stargate.html")
    import_new_article(draft.prepared("sina-stargate-test"))
    source = Source.objects.get(key="sina-stargate-test")
    passage = next(p for p in source.passages.order_by("ordinal") if "孙正义" in p.text)
    item = make_item(slug="stargate-chair-test", date="2025-01-21", status=Status.DRAFT)
    citation = cite(item, passage, "软银董事长孙正义将出任星际之门董事长")
    return source, citation


def test_a_gbk_page_reimported_under_another_name_goes_through_the_import_pipeline(editor_client):  # noqa: F811
    source, citation = imported_stargate()
    paragraphs = list(source.passages.order_by("ordinal").values_list("text", flat=True))
    assert not any(word in text for text in paragraphs for word in CHROME)
    # The same page with one more paragraph, still GBK (declared gb2312 in a meta tag), another file name.
    page = (PAGES / "sina-gbk-stargate.html").read_bytes().decode("gbk")
    added = "　　另据报道，星际之门的第二个数据中心选址仍在评估之中。"
    page = page.replace("<p>　　OpenAI首席执行官", f"<p>{added}</p>\n<p>　　OpenAI首席执行官")
    upload = SimpleUploadedFile("saved page (2).htm", page.encode("gbk"), content_type="text/html")
    preview, applied = reimport(editor_client, source, step="preview", file=upload)
    changes = preview.context["preview"].changes
    assert [(c.kind, [text for _, text in c.after]) for c in changes] == [("insert", [added.strip("　")])]
    assert not any(word in preview.context["text"] for word in CHROME)
    assert [f.fate for f in preview.context["preview"].fates] == ["kept"]
    assert applied.status_code == 302
    source.refresh_from_db()
    texts = list(source.passages.order_by("ordinal").values_list("text", flat=True))
    assert added.strip("　") in texts and not any(word in text for text in texts for word in CHROME)
    assert source.file_name == "sina-gbk-stargate.html"  # the recorded name stays
    citation.refresh_from_db()
    assert citation.status == CitationStatus.EXACT and citation.exact == "软银董事长孙正义将出任星际之门董事长"


def test_a_gbk_text_scrape_with_a_byline_share_bar_and_icp_footer_reimports_as_the_same_article(editor_client):  # noqa: F811
    source, citation = imported_stargate()
    paragraphs = list(source.passages.order_by("ordinal").values_list("text", flat=True))
    scrape = "\n\n".join(
        [
            "新浪首页 科技 财经 登录",
            "OpenAI联手软银甲骨文启动“星际之门”项目 总投资5000亿美元",
            "2025年01月22日 07:41 新浪科技",
            "分享到：微信 微博 QQ空间",
            *paragraphs,
            "责任编辑：刘明亮",
            "新浪公司 版权所有 京ICP证000007",
        ]
    )
    upload = SimpleUploadedFile("stargate.txt", scrape.encode("gbk"), content_type="text/plain")
    preview = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "file": upload})
    assert "preview" in preview.context, errors_of(preview) or preview.context["form"].errors
    prepared = preview.context["preview"].prepared
    assert [p.text for p in prepared.passages] == paragraphs  # decoded from GBK, furniture dropped
    assert preview.context["preview"].changes == []
    assert [f.fate for f in preview.context["preview"].fates] == ["kept"]


def test_a_file_in_an_unreadable_encoding_is_refused_plainly(editor_client):  # noqa: F811
    source, _ = imported_stargate()
    before = source.raw_text
    upload = SimpleUploadedFile("page.bin", bytes(range(256)) * 8, content_type="application/octet-stream")
    response = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "file": upload})
    assert response.status_code == 200 and "preview" not in response.context
    assert any("Nothing was imported." in message and "binary content" in message for message in errors_of(response) + list(response.context["form"].non_field_errors()))
    assert Source.objects.get(pk=source.pk).raw_text == before


@pytest.mark.parametrize("key", ["netease-openai-idealists", "q-star-exposed"])
def test_a_shipped_article_saved_as_gb18030_with_site_furniture_reimports_unchanged(editor_client, key):  # noqa: F811
    """The shipped articles keep their manifests' rules, which drop the same furniture: a copy in another
    encoding with a byline, a share bar and an ICP footer added changes no paragraph and no citation."""
    source = Source.objects.get(key=key)
    opening = source.passages.get(ordinal=1).text[:10]
    first = next(line for line in source.raw_text.split("\n") if normalize_fragment(line).startswith(opening))
    assert source.raw_text.count(first) == 1
    page = source.raw_text.replace(first, "责任编辑：张三\n\n分享到：微信 微博 QQ空间\n\n" + first, 1)
    assert "责任编辑" in page
    page += "\n\n京ICP备12345678号-1 版权所有\n"
    upload = SimpleUploadedFile("copy.txt", page.encode("gb18030"), content_type="text/plain")
    preview = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "file": upload})
    assert "preview" in preview.context, errors_of(preview) or preview.context["form"].errors
    assert preview.context["preview"].changes == []
    assert {fate.fate for fate in preview.context["preview"].fates} == {"kept"}
    assert not any(word in preview.context["text"] for word in ("责任编辑", "分享到", "ICP"))


def test_the_preview_sums_up_the_fates_and_lists_the_changed_ones_first(editor_client):  # noqa: F811
    """Deleting one cited sentence: the summary at the top counts kept / moved / fuzzy / orphaned
    citations, and the orphan is the first row of the table even when its passage comes last."""
    item, citation = published_single_citation()
    source = citation.passage.source
    total = Citation.objects.filter(passage__source=source).count()
    new_text = source.raw_text.replace(citation.exact, "")
    upload = SimpleUploadedFile("any-name.txt", new_text.encode("utf-8"))
    preview = editor_client.post(url("source_reimport", source.pk), {"step": "preview", "file": upload})
    fates = preview.context["preview"].fates
    counts = dict(preview.context["preview"].fate_counts)
    assert sum(counts.values()) == total and counts[ORPHAN] >= 1
    assert fates[0].citation.pk == citation.pk and fates[0].fate == ORPHAN
    order = ["orphan", "fuzzy", "moved", "kept"]
    assert [order.index(f.fate) for f in fates] == sorted(order.index(f.fate) for f in fates)
    page = preview.content.decode()
    summary = page.split('id="citation-fate-summary"')[1].split("</p>")[0]
    expected = ", ".join(
        f"{counts[fate]} {'orphaned' if fate == ORPHAN else fate}" for fate in ("orphan", "fuzzy", "moved", "kept")
    )
    assert f"<strong>Citations:</strong>\n    {expected}" in summary
    assert page.index('id="citation-fate-summary"') < page.index('id="paragraph-changes"')


def test_an_item_whose_citation_a_reimport_orphans_gets_one_history_entry_saying_so(editor_client, editor):  # noqa: F811
    item, citation = published_single_citation()
    source = citation.passage.source
    entries = item.history.count()
    upload = SimpleUploadedFile("changed-article.txt", source.raw_text.replace(citation.exact, "").encode("utf-8"))
    preview, applied = reimport(editor_client, source, step="preview", file=upload)
    assert applied.status_code == 302
    assert item.history.count() == entries + 1  # one entry for the item, whatever its citations did
    latest = item.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == editor
    reason = latest.history_change_reason
    assert reason.startswith("citation “") and len(reason) <= 100  # PostgreSQL enforces the column's 100
    assert "is orphaned: the cited words are gone from the new text (re-import of" in reason
    page = editor_client.get(reverse("admin:timeline_item_history", args=[item.pk])).content.decode()
    assert escape("is orphaned: the cited words are gone from the new text (re-import of") in page
