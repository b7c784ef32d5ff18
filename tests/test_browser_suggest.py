"""The suggested-items page in headless Chromium: an editor accepts one candidate with the keyboard
(confirming that it is not a duplicate of the shipped item it resembles), adds a second candidate as a citation to the new item (merge), dismisses a third, and publishes the
item; its citations are exact, and the dismissed candidate is gone from the page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.test_suggest_admin import ARTICLE, prepared
from timeline.ingest.pipeline import import_prepared
from timeline.models import DismissedCandidate, Item, Source, Status

pytestmark = pytest.mark.browser


@pytest.fixture
def http_live_server(request, live_data):
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield request.getfixturevalue("live_server")


def card(page, text: str):
    return page.locator(".candidate", has_text=text).first


def test_accept_merge_dismiss_then_publish(http_live_server, chromium, settings, django_user_model):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    import_prepared(prepared("browser-suggest", ARTICLE))
    source = Source.objects.get(key="browser-suggest")
    django_user_model.objects.create_superuser("chief", "chief@example.org", "browser-pass-1")
    candidates_url = reverse("admin:timeline_source_candidates", args=[source.pk])

    page = chromium.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{http_live_server.url}{reverse('admin:login')}?next={candidates_url}")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "browser-pass-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{candidates_url}")

    # Accept with the keyboard: focus the card, press "a". The shipped chronology already has this event
    # (OpenAI LP, March 2019), so the first press is refused and nothing is created; the editor ticks "Not
    # a duplicate" and presses "a" again, and the draft item's page opens.
    before = Item.objects.count()
    card(page, "2019年3月,OpenAI宣布成立营利部门").focus()
    page.keyboard.press("a")
    page.get_by_text("is probably already in the chronology").wait_for()
    assert Item.objects.count() == before
    first = card(page, "2019年3月,OpenAI宣布成立营利部门")
    first.get_by_label("Not a duplicate: create a separate item").check()
    first.focus()
    page.keyboard.press("a")
    page.wait_for_url("**/timeline/item/*/change/")
    item_url = page.url
    page.fill("#id_title_en", "OpenAI creates a for-profit arm")
    page.fill("#id_summary_en", "A capped-profit company under the nonprofit.")
    page.click("input[name=_continue]")
    page.wait_for_url(item_url)

    # Merge: the chained "two months later" sentence becomes a second citation of that item.
    page.goto(f"{http_live_server.url}{candidates_url}")
    slug = item_url.rstrip("/").split("/")[-2]
    merge = card(page, "两个月后,微软宣布投资10亿美元")
    merge.locator("select[name=item]").select_option(label="OpenAI creates a for-profit arm")
    merge.get_by_role("button", name="Add citation").click()
    # The form posts to the page it is on: wait for the answer's message, not for the URL.
    page.get_by_text("Citation added to").wait_for()

    # Dismiss with the keyboard.
    card(page, "大家都很意外").focus()
    page.keyboard.press("d")
    page.get_by_text("Dismissed: “大家都很意外。”").wait_for()
    assert "大家都很意外" not in page.locator(".candidates-list").inner_text()

    # Review and publish through the workflow buttons.
    page.goto(item_url)
    page.get_by_role("button", name="Send to review").click()
    page.wait_for_url(item_url)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(item_url)
    page.close()

    item = Item.objects.get(pk=int(slug) if slug.isdigit() else None)
    assert item.status == Status.PUBLISHED
    assert (item.date_edtf, item.era.slug) == ("2019-03", "pivot")
    exacts = sorted(c.exact for c in item.citations.all())
    assert exacts == ["2019年3月,OpenAI宣布成立营利部门,奥特曼出任CEO。", "两个月后,微软宣布投资10亿美元。"]
    assert all(c.passage.text[c.start : c.end] == c.exact for c in item.citations.all())
    assert DismissedCandidate.objects.filter(source_key="browser-suggest", exact="大家都很意外。").exists()
