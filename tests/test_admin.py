"""The editorial admin: every page renders, the list does not go N+1, search ignores the script, the item
form takes fuzzy dates and picker citations and refuses unsourced or contradicted claims in plain
language, workflow buttons and bulk actions follow timeline.workflow, and history is kept and revertible.

Runs against the shipped sources and chronology (loaded into every test database by conftest).
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import cite, make_item, make_source
from timeline import workflow
from timeline.models import Citation, CitationStatus, Entity, Item, ItemKind, Passage, Source, Status
from timeline.search import refresh_search_text

pytestmark = pytest.mark.django_db


def _user(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="unused-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return _user(django_user_model, "editor", workflow.EDITOR)


@pytest.fixture
def contributor(django_user_model):
    return _user(django_user_model, "contributor", workflow.CONTRIBUTOR)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


@pytest.fixture
def source():
    return make_source(
        key="admin-test-source",
        text="第一段。\n\n第二段有日期：2015年12月，OpenAI 成立。\n\n第三段：𠀋字之后，奧特曼說：「我們會成功。」",
    )


def url(name, *args):
    return reverse(f"admin:timeline_{name}", args=args)


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, from its bound forms."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def new_item_data(**fields) -> dict:
    data = {
        "slug": "admin-new-item",
        "kind": "event",
        "importance": "2",
        "sequence": "0",
        "date_edtf": "2015-12",
        "title_en": "OpenAI is founded (test)",
        "title_zh": "OpenAI 成立（测试）",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def with_citation(data: dict, passage: Passage, exact: str, index: int = 0) -> dict:
    """A new citation row as the passage picker fills it: passage and code-point offsets only."""
    start = passage.text.index(exact)
    data = dict(data)
    data[f"citations-{index}-passage"] = str(passage.pk)
    data[f"citations-{index}-start"] = str(start)
    data[f"citations-{index}-end"] = str(start + len(exact))
    data["citations-TOTAL_FORMS"] = str(int(data["citations-TOTAL_FORMS"]) + 1)
    return data


def errors_of(response) -> list[str]:
    messages = []
    if response.context and "adminform" in response.context:
        form = response.context["adminform"].form
        messages += [message for errors in form.errors.values() for message in errors]
        for inline in response.context["inline_admin_formsets"]:
            messages += list(inline.formset.non_form_errors())
            for form_errors in inline.formset.errors:
                messages += [message for errors in form_errors.values() for message in errors]
    return messages


# --- every page renders -------------------------------------------------------------------------------


def test_every_admin_page_renders_for_an_editor_and_a_superuser(client, editor, admin_user):
    """Changelist, add, change and history pages of every registered model, with real shipped rows."""
    checked = 0
    for user in (editor, admin_user):
        client.force_login(user)
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            if not user.has_module_perms(opts.app_label) or not user.has_perm(
                f"{opts.app_label}.view_{opts.model_name}"
            ):
                continue
            base = f"admin:{opts.app_label}_{opts.model_name}"
            response = client.get(reverse(f"{base}_changelist"))
            assert response.status_code == 200, (user, model)
            response = client.get(reverse(f"{base}_changelist"), {"q": "奧特曼"})
            assert response.status_code == 200, (user, model)
            if user.has_perm(f"{opts.app_label}.add_{opts.model_name}") and model_admin.has_add_permission(
                type("R", (), {"user": user})()
            ):
                assert client.get(reverse(f"{base}_add")).status_code == 200, (user, model)
            obj = model._default_manager.order_by("pk").last()
            if obj is not None:
                assert client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200, (user, model)
                assert client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200, (user, model)
            checked += 1
    assert checked >= 2 * 6  # item, citation, source, entity, era, tag at least, for both users


def test_item_list_queries_do_not_grow_with_the_number_of_items(editor_client, source):
    """List columns (era, citation counts, verification) come from select_related and subqueries."""
    changelist = url("item_changelist") + "?all=&status__exact=draft"

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(changelist)
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    passage = source.passages.get(ordinal=2)
    for n in range(3):
        cite(make_item(slug=f"n-plus-one-{n}", status=Status.DRAFT), passage, "OpenAI 成立")
    few_queries, few_rows = count_queries()
    for n in range(3, 60):
        cite(make_item(slug=f"n-plus-one-{n}", status=Status.DRAFT), passage, "OpenAI 成立")
    many_queries, many_rows = count_queries()
    assert (few_rows, many_rows) == (3, 60)
    assert many_queries == few_queries


def test_item_list_shows_counts_and_verification(editor_client, source):
    item = make_item(slug="listed-item", status=Status.DRAFT)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    fuzzy = cite(item, source.passages.get(ordinal=2), "2015年12月")
    Citation.objects.filter(pk=fuzzy.pk).update(status=CitationStatus.FUZZY)
    response = editor_client.get(url("item_changelist"), {"q": "listed-item"})
    row = response.context["cl"].result_list[0]
    assert (row.citations_total, row.citations_exact, row.citations_fuzzy) == (2, 1, 1)
    assert "⚠ 1 fuzzy" in response.content.decode()


# --- search and filters -----------------------------------------------------------------------------


def test_item_search_ignores_simplified_versus_traditional(editor_client):
    item = make_item(slug="script-test", status=Status.DRAFT, title_zh="奥特曼重返董事会")
    refresh_search_text([item])
    for term in ("奥特曼重返", "奧特曼重返", "SCRIPT-TEST"):
        response = editor_client.get(url("item_changelist"), {"q": term})
        assert [row.slug for row in response.context["cl"].result_list] == ["script-test"], term


def test_problem_filter_finds_unsourced_fuzzy_and_late_items(editor_client, source):
    passage = source.passages.get(ordinal=2)
    make_item(slug="no-citation", status=Status.DRAFT)
    fuzzy = make_item(slug="fuzzy-citation", status=Status.DRAFT)
    Citation.objects.filter(pk=cite(fuzzy, passage, "OpenAI 成立").pk).update(status=CitationStatus.ORPHAN)
    late = make_item(slug="dated-late", date="2025", status=Status.DRAFT)
    cite(late, passage, "OpenAI 成立")

    def slugs(problem):
        response = editor_client.get(url("item_changelist"), {"problems": problem, "status__exact": "draft"})
        return sorted(row.slug for row in response.context["cl"].result_list)

    assert slugs("no-exact") == ["fuzzy-citation", "no-citation"]
    assert slugs("unverified") == ["fuzzy-citation"]
    assert slugs("late") == ["dated-late"]
    assert slugs("any") == ["dated-late", "fuzzy-citation", "no-citation"]


def test_source_and_person_filters(editor_client, source):
    item = make_item(slug="filtered-item", status=Status.DRAFT)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    response = editor_client.get(url("item_changelist"), {"source": source.key})
    assert [row.slug for row in response.context["cl"].result_list] == ["filtered-item"]
    response = editor_client.get(url("item_changelist"), {"person": "sam-altman"})
    rows = response.context["cl"].result_list
    assert len(rows) > 0
    assert all(row.people.filter(slug="sam-altman").exists() or row.speaker_id for row in rows)


def test_entity_autocomplete_matches_names_and_aliases_in_either_script(editor_client):
    """Traditional 薩姆 finds 萨姆·奥特曼; only people are offered for the item's people field."""
    params = {"app_label": "timeline", "model_name": "item", "field_name": "people"}
    response = editor_client.get(reverse("admin:autocomplete"), {**params, "term": "薩姆"})
    assert "Sam Altman" in [result["text"] for result in response.json()["results"]]
    response = editor_client.get(reverse("admin:autocomplete"), {**params, "term": "Altman"})
    texts = [result["text"] for result in response.json()["results"]]
    assert texts == ["Sam Altman"]  # documents about Altman are not people


# --- the item form: dates --------------------------------------------------------------------------


def test_a_date_picked_as_year_month_day_becomes_edtf(editor_client):
    data = new_item_data(date_edtf="", date_year="2015", date_month="12", date_is_approximate="on")
    response = editor_client.post(url("item_add"), data)
    assert response.status_code == 302, errors_of(response)
    item = Item.objects.get(slug="admin-new-item")
    assert (item.date_edtf, item.date_start, item.date_end) == (
        "2015-12~",
        datetime.date(2015, 12, 1),
        datetime.date(2015, 12, 31),
    )
    assert item.status == Status.DRAFT
    page = editor_client.get(url("item_change", item.pk)).content.decode()
    assert "2015-12-01 – 2015-12-31 (month, approximate)" in page
    assert "c. December 2015 · 约2015年12月" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_edtf": "December 2015"}, "'December 2015' is not a supported EDTF date."),
        ({"date_edtf": ""}, "Enter the date as EDTF (for example 2018-02) or pick a year."),
        ({"date_edtf": "2016", "date_year": "2015"}, "The typed date 2016 and the picked date 2015 disagree"),
        ({"date_edtf": "", "date_year": "2015", "date_day": "3"}, "Pick the month of that day too."),
    ],
)
def test_date_mistakes_are_explained(editor_client, fields, message):
    response = editor_client.post(url("item_add"), new_item_data(**fields))
    assert response.status_code == 200
    assert any(error.startswith(message) for error in errors_of(response)), errors_of(response)
    assert not Item.objects.filter(slug="admin-new-item").exists()


def test_date_preview_endpoint(editor_client):
    data = editor_client.get(url("item_parse_date"), {"edtf": "2016~"}).json()
    assert (
        data["ok"] and data["label"] == {"en": "c. 2016", "zh": "约2016年"} and data["start"] == "2016-01-01"
    )
    assert not editor_client.get(url("item_parse_date"), {"edtf": "soon"}).json()["ok"]


# --- the item form: citations from the picker -------------------------------------------------------


def test_a_picked_span_is_saved_with_text_and_context_from_the_passage(editor_client, source):
    """The browser sends only passage and offsets; exact, prefix and suffix come from the passage."""
    passage = source.passages.get(ordinal=3)
    data = with_citation(new_item_data(), passage, "奧特曼說")
    data["citations-0-exact"] = "forged text is ignored"
    response = editor_client.post(url("item_add"), data)
    assert response.status_code == 302, errors_of(response)
    citation = Item.objects.get(slug="admin-new-item").citations.get()
    # 𠀋 is one code point (two UTF-16 units): the offsets count code points.
    assert (citation.start, citation.end) == (9, 13)
    assert (citation.exact, citation.prefix, citation.suffix) == (
        "奧特曼說",
        "第三段：𠀋字之后，",
        "：「我們會成功。」",
    )
    assert citation.status == CitationStatus.EXACT and citation.verified_at is not None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            40,
            45,
            "The selected span 40–45 is not in passage ¶2 of admin-test-source, which has 26 characters.",
        ),
        (5, 5, "The selected span 5–5 is not in passage ¶2"),
    ],
)
def test_a_span_outside_the_passage_is_refused(editor_client, source, start, end, message):
    passage = source.passages.get(ordinal=2)
    data = with_citation(new_item_data(), passage, "OpenAI")
    data.update({"citations-0-start": str(start), "citations-0-end": str(end)})
    response = editor_client.post(url("item_add"), data)
    assert any(error.startswith(message) for error in errors_of(response)), errors_of(response)
    assert not Item.objects.filter(slug="admin-new-item").exists()


def test_a_quote_that_is_not_verbatim_is_refused(editor_client, source):
    speaker = Entity.objects.get(slug="sam-altman")
    data = with_citation(
        new_item_data(
            kind="quote", quote_text="我們一定會成功。", speaker=str(speaker.pk), quote_language="zh-Hant"
        ),
        source.passages.get(ordinal=3),
        "我們會成功。",
    )
    response = editor_client.post(url("item_add"), data)
    assert (
        "The quote is not verbatim the text of any of its citations. It follows the cited words for 2 "
        "characters (“…我們”), then has “一定會成功。” where the passage has “會成功。”. Copy the quote from "
        "the source, or cite the words it quotes." in errors_of(response)
    )
    data["quote_text"] = "我們會成功。"
    response = editor_client.post(url("item_add"), data)
    assert response.status_code == 302, errors_of(response)
    assert Item.objects.get(slug="admin-new-item").kind == ItemKind.QUOTE


def test_a_date_after_every_cited_source_is_refused(editor_client, source):
    data = with_citation(new_item_data(date_edtf="2024-06"), source.passages.get(ordinal=2), "OpenAI 成立")
    response = editor_client.post(url("item_add"), data)
    assert (
        "The date 2024-06 is later than every cited source was published (the latest on 2024-05-20): "
        "a source "
        "cannot report what had not happened yet. Check the date." in errors_of(response)
    )


def test_a_published_item_cannot_lose_its_last_exact_citation(editor_client, source):
    item = make_item(slug="published-sourced", status=Status.PUBLISHED)
    citation = cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["citations-0-DELETE"] = "on"
    response = editor_client.post(url("item_change", item.pk), data)
    assert any(
        error.startswith("This item is published, so it must stay fully sourced. It has no exact citation")
        for error in errors_of(response)
    ), errors_of(response)
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_picker_endpoint_lists_passages_with_date_suggestions(editor_client, source):
    data = editor_client.get(url("item_picker", source.pk)).json()
    assert data["source"]["reference_date"] == "2024-05-20"
    second = data["passages"][1]
    assert (second["ordinal"], second["text"]) == (2, "第二段有日期：2015年12月，OpenAI 成立。")
    assert [(d["text"], d["edtf"], d["label_en"]) for d in second["dates"]] == [
        ("2015年12月", "2015-12", "December 2015")
    ]


def test_picker_endpoint_needs_a_staff_login(client, source):
    response = client.get(url("item_picker", source.pk))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- workflow in the admin ---------------------------------------------------------------------------


def test_publish_button_says_why_it_refuses(editor_client):
    item = make_item(slug="review-unsourced", status=Status.REVIEW)
    response = editor_client.post(url("item_transition", item.pk, "publish"), follow=True)
    text = [str(m) for m in response.context["messages"]]
    assert text[0].startswith("1 item was not published:")
    assert "It cannot be published yet. It has no exact citation" in text[0]
    item.refresh_from_db()
    assert item.status == Status.REVIEW
    assert editor_client.get(url("item_transition", item.pk, "publish")).status_code == 405


def test_publish_button_publishes_a_sourced_item_for_an_editor_only(editor_client, contributor, source):
    item = make_item(slug="review-sourced", status=Status.REVIEW)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    page = editor_client.get(url("item_change", item.pk)).content.decode()
    assert ">Publish</button>" in page and "✓ Fully sourced" in page
    editor_client.force_login(contributor)
    assert ">Publish</button>" not in editor_client.get(url("item_change", item.pk)).content.decode()
    editor_client.post(url("item_transition", item.pk, "publish"))
    item.refresh_from_db()
    assert item.status == Status.REVIEW


def test_bulk_publish_applies_the_same_rules_per_item(editor_client, source):
    sourced = make_item(slug="bulk-sourced", status=Status.REVIEW)
    cite(sourced, source.passages.get(ordinal=2), "OpenAI 成立")
    unsourced = make_item(slug="bulk-unsourced", status=Status.REVIEW)
    draft = make_item(slug="bulk-draft", status=Status.DRAFT)
    cite(draft, source.passages.get(ordinal=2), "OpenAI 成立")
    response = editor_client.post(
        url("item_changelist"),
        {"action": "publish_selected", "_selected_action": [sourced.pk, unsourced.pk, draft.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "1 item published: Title bulk-sourced"
    assert messages[1].startswith("2 items were not published:")
    assert "Send it to review first." in messages[1] and "It has no exact citation" in messages[1]
    statuses = dict(Item.objects.filter(slug__startswith="bulk-").values_list("slug", "status"))
    assert statuses == {"bulk-sourced": "published", "bulk-unsourced": "review", "bulk-draft": "draft"}


def test_contributor_can_send_to_review_but_has_no_publish_action(contributor_client):
    draft = make_item(slug="contrib-draft", status=Status.DRAFT)
    response = contributor_client.get(url("item_changelist"))
    actions = [choice[0] for choice in response.context["action_form"].fields["action"].choices]
    assert "send_to_review" in actions and "publish_selected" not in actions
    contributor_client.post(
        url("item_changelist"), {"action": "send_to_review", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    contributor_client.post(
        url("item_changelist"), {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_contributor_cannot_change_or_delete_a_published_item(contributor_client):
    published = Item.objects.published().first()
    page = contributor_client.get(url("item_change", published.pk))
    # The form opens for a draft revision only (timeline.drafts): no "Save", no delete.
    assert page.status_code == 200 and page.context["drafts_only"]
    html = page.content.decode()
    assert 'name="_save_draft"' in html and 'name="_save"' not in html and 'name="_continue"' not in html
    data = {"title_en": "Vandalised", "date_edtf": published.date_edtf}
    assert contributor_client.post(url("item_change", published.pk), data).status_code == 403
    assert contributor_client.post(url("item_delete", published.pk), {"post": "yes"}).status_code == 403
    response = contributor_client.post(
        url("item_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert response.status_code == 403 or "Cannot delete" in response.content.decode()
    assert Item.objects.filter(pk=published.pk, title_en=published.title_en).exists()


def test_contributor_creates_and_edits_a_draft(contributor_client, source):
    data = with_citation(new_item_data(), source.passages.get(ordinal=2), "OpenAI 成立")
    response = contributor_client.post(url("item_add"), data)
    assert response.status_code == 302, errors_of(response)
    item = Item.objects.get(slug="admin-new-item")
    data = form_data(contributor_client.get(url("item_change", item.pk)))
    data["title_en"] = "OpenAI is founded in San Francisco"
    assert contributor_client.post(url("item_change", item.pk), data).status_code == 302
    item.refresh_from_db()
    assert item.title_en == "OpenAI is founded in San Francisco" and item.status == Status.DRAFT


# --- history -------------------------------------------------------------------------------------------


def test_history_records_who_changed_what_and_revert_restores_it(editor_client, editor, source):
    item = make_item(slug="history-item", status=Status.DRAFT, title_en="First title")
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["title_en"] = "Second title"
    data = with_citation(data, source.passages.get(ordinal=2), "OpenAI 成立")
    assert editor_client.post(url("item_change", item.pk), data).status_code == 302

    latest = item.history.latest()
    assert (latest.history_user, latest.title_en, latest.history_type) == (editor, "Second title", "~")
    assert item.citations.get().history.get().history_user == editor
    page = editor_client.get(url("item_history", item.pk)).content.decode()
    assert "First title" in page and "Second title" in page  # the diff column

    first = item.history.earliest()
    revert_url = reverse("admin:timeline_item_simple_history", args=[item.pk, first.history_id])
    data = form_data(editor_client.get(revert_url))
    assert editor_client.post(revert_url, data).status_code == 302
    item.refresh_from_db()
    assert item.title_en == "First title"
    assert item.history.latest().history_user == editor


def test_a_revert_never_changes_the_status(editor_client, editor, source):
    """Reverting a published item to a draft version keeps it published; reverting cannot publish."""
    item = make_item(slug="revert-status", status=Status.REVIEW)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    workflow.apply_transition(item, name="publish", user=editor)
    review_version = item.history.filter(status=Status.REVIEW).earliest()
    revert_url = reverse("admin:timeline_item_simple_history", args=[item.pk, review_version.history_id])
    response = editor_client.post(revert_url, form_data(editor_client.get(revert_url)))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


# --- sources ------------------------------------------------------------------------------------------


def test_source_page_lists_passages_with_cited_by_counts(editor_client, source):
    item = make_item(slug="counted", status=Status.DRAFT)
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    cite(item, source.passages.get(ordinal=2), "2015年12月")
    response = editor_client.get(url("source_change", source.pk))
    rows = {p.ordinal: p.cited for p in response.context["inline_admin_formsets"][0].formset.queryset}
    assert rows == {1: 0, 2: 2, 3: 0}
    assert "Re-import this article" in response.content.decode()


def test_citation_of_a_published_item_cannot_be_deleted_from_the_citation_list(editor_client):
    citation = Citation.objects.filter(item__status=Status.PUBLISHED).first()
    assert editor_client.post(url("citation_delete", citation.pk), {"post": "yes"}).status_code == 403
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_source_revert_goes_through_the_pipeline(editor_client, editor):
    source = Source.objects.get(key="q-star-exposed")
    before = list(source.passages.values_list("ordinal", "text"))
    version = source.history.earliest()
    revert_url = reverse("admin:timeline_source_simple_history", args=[source.pk, version.history_id])
    assert editor_client.get(revert_url).status_code == 200
    response = editor_client.post(revert_url, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Reverted through the import pipeline: unchanged q-star-exposed ({len(before)} passages)"
    ]
    assert list(source.passages.values_list("ordinal", "text")) == before


def test_revert_restores_people_and_tags(editor_client):
    """People, organisations and tags are part of an item's history (simple-history m2m_fields)."""
    item = Item.objects.filter(tags__isnull=False, status=Status.PUBLISHED).first()
    tags_before = sorted(item.tags.values_list("slug", flat=True))
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["tags"] = []
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert not item.tags.exists()
    latest, previous = item.history.all()[:2]
    assert [change.field for change in latest.diff_against(previous).changes] == ["tags"]

    revert_url = reverse("admin:timeline_item_simple_history", args=[item.pk, previous.history_id])
    data = form_data(editor_client.get(revert_url))
    wanted = item.tags.model.objects.filter(slug__in=tags_before).values_list("pk", flat=True)
    assert sorted(data["tags"]) == sorted(str(pk) for pk in wanted)
    assert editor_client.post(revert_url, data).status_code == 302
    assert sorted(item.tags.values_list("slug", flat=True)) == tags_before
