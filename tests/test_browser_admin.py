"""The passage picker in a real browser: headless Chromium selects words with the keyboard in a
traditional-Chinese passage and after characters outside the Basic Multilingual Plane (an emoji and
𠀋, two UTF-16 units each), saves, and the stored citations carry code-point offsets."""

from contextlib import contextmanager

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_source
from timeline.benchmarks.chromium import launch_chromium
from timeline.models import Item

pytestmark = pytest.mark.browser

TRADITIONAL = "OpenAI再陷宮鬥：理想主義者是如何被擊碎的？2015年12月，奧特曼與馬斯克創辦了它。"
ASTRAL = "😀𠀋 伊利亞說：「我們會成功。」"


@pytest.fixture(scope="session")
def http_live_server(request, django_db_setup):
    """live_server without the HTTPS redirect. SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the
    server thread builds its handler, so the per-test override in conftest comes too late for it."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield request.getfixturevalue("live_server")


@contextmanager
def chromium_page():
    """A headless Chromium page. Playwright's sync API runs an event loop while it is open, so the
    test touches the database only before and after, never inside (Django would refuse, and a
    connection opened there would outlive the test)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def select_with_keyboard(page, textarea, skip: int, take: int) -> None:
    """Focus the passage (the caret starts at its beginning), move right ``skip`` characters, then
    Shift+Right ``take`` times."""
    textarea.focus()
    for _ in range(skip):
        page.keyboard.press("ArrowRight")
    for _ in range(take):
        page.keyboard.press("Shift+ArrowRight")


def test_picker_stores_code_point_offsets(http_live_server, transactional_db, settings, django_user_model):
    # The live server speaks plain HTTP; production cookies are Secure.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    source = make_source(key="browser-source", text=f"{TRADITIONAL}\n\n{ASTRAL}", language="zh-Hant")
    django_user_model.objects.create_superuser("chief", "chief@example.org", "browser-pass-1")
    add_url = reverse("admin:timeline_item_add")
    login_url = f"{http_live_server.url}{reverse('admin:login')}?next={add_url}"

    with chromium_page() as page:
        page.goto(login_url)
        page.fill("#id_username", "chief")
        page.fill("#id_password", "browser-pass-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"**{add_url}")

        page.fill("#id_slug", "picked-in-a-browser")
        page.fill("#id_title_en", "Picked in a browser")
        page.fill("#id_title_zh", "在浏览器中选取")

        page.select_option("#picker-source", str(source.pk))
        passages = page.locator("#picker-passages textarea")
        passages.nth(1).wait_for()

        # A date the passage mentions sets the item's date (EDTF field and the picked year/month).
        page.get_by_role("button", name="Use date “2015年12月” → December 2015 (2015-12)").click()
        assert page.input_value("#id_date_edtf") == "2015-12"
        assert page.input_value("#id_date_year") == "2015" and page.input_value("#id_date_month") == "12"

        # ¶1, traditional script: "奧特曼與馬斯克創辦了它" starts at code point 33.
        select_with_keyboard(page, passages.nth(0), skip=33, take=11)
        page.get_by_role("button", name="Cite selection in ¶1").click()
        # ¶2: 😀 and 𠀋 are one arrow press and one code point each, but two UTF-16 units each.
        select_with_keyboard(page, passages.nth(1), skip=3, take=3)
        page.keyboard.press("Enter")  # Enter in a passage cites the selection too
        status = page.locator("#picker-status").text_content()
        assert status == "New citation of ¶2, code points 3–6: “伊利亞”. Save the item to keep it."

        # A passage can be navigated and selected but not edited.
        page.keyboard.type("x")
        page.keyboard.press("Backspace")
        assert passages.nth(1).input_value() == ASTRAL

        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")

    item = Item.objects.get(slug="picked-in-a-browser")
    stored = list(
        item.citations.order_by("passage__ordinal").values_list("passage__ordinal", "start", "end", "exact")
    )
    assert stored == [(1, 33, 44, "奧特曼與馬斯克創辦了它"), (2, 3, 6, "伊利亞")]
    assert ASTRAL[3:6] == "伊利亞"  # Python indexes by code point, as the server stores
    assert item.date_edtf == "2015-12"


def test_a_contributor_cites_a_passage_with_the_picker_in_a_draft_of_a_published_item(
    http_live_server, transactional_db, settings, django_user_model
):
    """End to end in a browser: a contributor opens a published item, cites new words with the picker and
    saves a draft revision; the live item keeps its citations, the draft holds the new span."""
    from django.contrib.auth.models import Group

    from tests.factories import cite, ensure_editorial_groups, make_item
    from timeline import workflow
    from timeline.models import ItemDraftRevision

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    source = make_source(key="draft-picker-source", text=f"{TRADITIONAL}\n\n{ASTRAL}", language="zh-Hant")
    item = make_item(slug="published-for-a-draft", date="2015-12")
    cite(item, source.passages.get(ordinal=1), "OpenAI再陷宮鬥")
    user = django_user_model.objects.create_user("carol", password="browser-pass-2", is_staff=True)
    ensure_editorial_groups()
    user.groups.add(Group.objects.get(name=workflow.CONTRIBUTOR))
    change_url = reverse("admin:timeline_item_change", args=[item.pk])

    with chromium_page() as page:
        page.goto(f"{http_live_server.url}{reverse('admin:login')}?next={change_url}")
        page.fill("#id_username", "carol")
        page.fill("#id_password", "browser-pass-2")
        page.click("input[type=submit]")
        page.wait_for_url(f"**{change_url}")
        page.select_option("#picker-source", str(source.pk))
        passages = page.locator("#picker-passages textarea")
        passages.nth(1).wait_for()
        select_with_keyboard(page, passages.nth(1), skip=3, take=3)
        page.keyboard.press("Enter")
        assert "“伊利亞”" in page.locator("#picker-status").text_content()
        page.click("[name=_save_draft]")
        page.wait_for_selector(".messagelist .success")

    assert list(item.citations.values_list("exact", flat=True)) == ["OpenAI再陷宮鬥"]
    draft = ItemDraftRevision.objects.get(item=item)
    assert [(e["start"], e["end"], e["exact"]) for e in draft.citations["added"]] == [(3, 6, "伊利亞")]
