"""Two editors in two Chromium contexts (two separate sessions) edit the same item: the second save shows
the conflict page instead of silently dropping the first editor's title, and saving it keeps both
changes. A contributor whose draft is published while they type gets their text back with the reason."""


import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import cite, ensure_editorial_groups, make_item, make_source
from tests.test_browser_admin import http_live_server  # noqa: F401  (fixture)
from timeline import workflow
from timeline.models import Item, ItemDraftRevision, Status

pytestmark = pytest.mark.browser


def _user(django_user_model, name, group):
    ensure_editorial_groups()
    user = django_user_model.objects.create_user(name, password="browser-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def _signed_in_page(browser, base_url, name, next_url):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}{reverse('admin:login')}?next={next_url}")
    page.fill("#id_username", name)
    page.fill("#id_password", "browser-pass-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def item(transactional_db, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    source = make_source(key="browser-conflict-source")
    item = make_item(slug="browser-conflict", status=Status.DRAFT, title_en="Old title", summary_en="Old summary.")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    return item


def test_two_editors_get_a_conflict_page_not_a_lost_update(http_live_server, item, chromium, django_user_model):  # noqa: F811
    _user(django_user_model, "alice", workflow.EDITOR)
    _user(django_user_model, "bob", workflow.EDITOR)
    change_url = reverse("admin:timeline_item_change", args=[item.pk])

    a = _signed_in_page(chromium, http_live_server.url, "alice", change_url)
    b = _signed_in_page(chromium, http_live_server.url, "bob", change_url)
    # Bob's page was opened second, so its first heartbeat already names Alice.
    b.wait_for_selector("#presence-notice:not([hidden])")
    assert "Also editing now: alice" in b.text_content("#presence-notice")

    a.fill("#id_title_en", "Title by Alice")
    a.click("input[name=_continue]")
    a.wait_for_selector(".messagelist .success")

    b.fill("#id_summary_en", "Summary by Bob.")
    # Bob's page learns of Alice's save on its next heartbeat (returning to the tab triggers one).
    b.evaluate("window.dispatchEvent(new Event('focus'))")
    b.wait_for_selector("#presence-notice:has-text('A newer version was saved by alice')")
    b.click("input[name=_continue]")
    b.wait_for_selector("#conflict-form")
    reason = b.text_content("#conflict-reason")
    assert "alice saved a newer version" in reason and "Nothing is lost" in reason
    assert b.text_content("#conflict-title_en .conflict-theirs").strip() == "Title by Alice"
    assert b.text_content("#conflict-summary_en .conflict-yours").strip() == "Summary by Bob."
    assert b.is_checked("#conflict-title_en input[value=theirs]")
    assert b.is_checked("#conflict-summary_en input[value=yours]")
    b.click("#conflict-form input[type=submit]")
    b.wait_for_selector(".messagelist .success")
    assert b.input_value("#id_title_en") == "Title by Alice"
    assert b.input_value("#id_summary_en") == "Summary by Bob."

    saved = Item.objects.get(pk=item.pk)
    assert (saved.title_en, saved.summary_en, saved.citations.count()) == ("Title by Alice", "Summary by Bob.", 1)


def test_a_contributor_keeps_the_text_typed_while_the_draft_was_published(
    http_live_server, item, chromium, django_user_model  # noqa: F811
):
    editor = _user(django_user_model, "alice", workflow.EDITOR)
    _user(django_user_model, "carol", workflow.CONTRIBUTOR)
    change_url = reverse("admin:timeline_item_change", args=[item.pk])
    page = _signed_in_page(chromium, http_live_server.url, "carol", change_url)
    typed = "Twenty minutes of careful writing by Carol."
    page.fill("#id_summary_en", typed)

    # Meanwhile (the browser is idle; Playwright's sync API runs between calls) an editor publishes it.
    workflow.apply_transition(item, name="submit", user=editor)
    workflow.apply_transition(item, name="publish", user=editor)

    page.click("input[name=_continue]")
    page.wait_for_selector("#conflict-reason")
    assert "It is published now" in page.text_content("#conflict-reason")
    assert page.input_value("#typed-text textarea[aria-label='Summary en (your text)']") == typed
    assert Item.objects.get(pk=item.pk).summary_en == "Old summary."
    # The refusal offers to keep the text as a draft revision of the now published item.
    page.click("#save-as-draft button[name=_save_draft]")
    page.wait_for_selector(".messagelist .success")
    assert "Saved as a draft revision" in page.text_content(".messagelist")
    assert Item.objects.get(pk=item.pk).summary_en == "Old summary."
    assert ItemDraftRevision.objects.get(item=item).values == {"summary_en": typed}


@pytest.fixture
def published(item, django_user_model):
    editor = _user(django_user_model, "alice", workflow.EDITOR)
    workflow.apply_transition(item, name="submit", user=editor)
    workflow.apply_transition(item, name="publish", user=editor)
    item.refresh_from_db()
    return item


def test_enter_in_a_published_items_form_saves_it_and_a_contributors_enter_saves_a_draft(
    http_live_server, published, chromium, django_user_model  # noqa: F811
):
    _user(django_user_model, "carol", workflow.CONTRIBUTOR)
    change_url = reverse("admin:timeline_item_change", args=[published.pk])
    page = _signed_in_page(chromium, http_live_server.url, "alice", change_url)
    page.fill("#id_title_en", "Title saved with Enter")
    page.press("#id_title_en", "Enter")
    page.wait_for_selector(".messagelist .success")
    published.refresh_from_db()
    assert published.title_en == "Title saved with Enter"  # the live item, as "Save" would
    assert not ItemDraftRevision.objects.filter(item=published).exists()

    contributor = _signed_in_page(chromium, http_live_server.url, "carol", change_url)
    assert contributor.locator("input[name=_save]").count() == 0
    contributor.fill("#id_title_en", "A contributor's title, pressed Enter")
    contributor.press("#id_title_en", "Enter")
    contributor.wait_for_selector(".messagelist .success")
    assert "Saved as a draft revision" in contributor.text_content(".messagelist")
    assert Item.objects.get(pk=published.pk).title_en == "Title saved with Enter"
    assert ItemDraftRevision.objects.get(item=published).values == {"title_en": "A contributor's title, pressed Enter"}


def test_the_merged_box_is_as_tall_as_its_text(http_live_server, item, chromium, django_user_model):  # noqa: F811
    _user(django_user_model, "alice", workflow.EDITOR)
    _user(django_user_model, "bob", workflow.EDITOR)
    change_url = reverse("admin:timeline_item_change", args=[item.pk])
    a = _signed_in_page(chromium, http_live_server.url, "alice", change_url)
    b = _signed_in_page(chromium, http_live_server.url, "bob", change_url)
    sentence = "The board said the chief executive had not been consistently candid in his communications. "
    a.fill("#id_summary_en", "Alice: " + sentence * 6)
    a.click("input[name=_continue]")
    a.wait_for_selector(".messagelist .success")
    b.fill("#id_summary_en", "Bob: " + sentence * 6)
    b.click("input[name=_continue]")
    b.wait_for_selector("#conflict-form")
    box = b.locator("#conflict-summary_en textarea")
    size = box.evaluate("el => ({client: el.clientHeight, scroll: el.scrollHeight})")
    assert size["client"] > 150 and size["scroll"] <= size["client"] + 2, size  # all of it shows, no scrolling
    assert box.input_value().startswith("Bob: ")
