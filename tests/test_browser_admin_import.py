"""The two-step import of a new article in a real browser: a contributor uploads a GBK page, corrects the
detected values and lines in the preview, confirms a contradicted date, and the source arrives unpublished."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import test_browser_admin
from tests.test_browser_admin import chromium_page
from timeline.models import Source

pytestmark = pytest.mark.browser
http_live_server = test_browser_admin.http_live_server  # the live server without the HTTPS redirect
PAGES = Path(__file__).parent / "data" / "pages"


def test_contributor_imports_an_article_in_two_steps(http_live_server, transactional_db, settings, django_user_model):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    user = django_user_model.objects.create_user("reporter", password="browser-pass-1", is_staff=True)
    # A transactional test starts from a flushed database: give the contributor's two permissions directly.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="timeline", codename__in=["view_source", "import_source"])
    )
    changelist = reverse("admin:timeline_source_changelist")

    with chromium_page() as page:
        page.goto(f"{http_live_server.url}{reverse('admin:login')}?next={changelist}")
        page.fill("#id_username", "reporter")
        page.fill("#id_password", "browser-pass-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"**{changelist}")
        page.click("#import-article-link")

        # Step 1: a saved page in GB18030, labelled gb2312.
        page.set_input_files("#id_file", str(PAGES / "sina-gbk-stargate.html"))
        page.click("input[type=submit]")
        page.wait_for_selector("#article-preview-form")
        assert page.input_value("#id_title") == "OpenAI联手软银甲骨文启动“星际之门”项目 总投资5000亿美元"
        assert page.input_value("#id_published") == "2025-01-22"
        assert page.input_value("#id_publisher") == "新浪科技"
        assert page.input_value("#id_language") == "zh-Hans"
        editor_line = page.locator("tr.dropped", has_text="责任编辑：刘明亮")
        assert editor_line.locator("td.reason").text_content() == "credit line"
        assert page.locator("#import-dates li", has_text="1月22日").count() == 1

        # Step 2: keep the editor's credit after all, type a wrong year, preview again.
        editor_line.locator("input[name=keep]").check()
        page.fill("#id_key", "sina-stargate")
        page.fill("#id_published", "2024-01-22")
        page.get_by_role("button", name="Update preview").click()
        page.wait_for_selector("#import-warnings .needs-confirm")
        assert "contradicts the page's dateline" in page.locator("#import-warnings").text_content()

        # Importing without confirming is refused; confirming imports.
        page.get_by_role("button", name="Import (unpublished)").click()
        page.wait_for_selector(".field-confirm .errorlist")
        page.check("#id_confirm")
        page.get_by_role("button", name="Import (unpublished)").click()
        page.wait_for_selector(".messagelist .success")
        message = page.locator(".messagelist .success").text_content()

    assert "unpublished until an editor publishes it" in message
    source = Source.objects.get(key="sina-stargate")
    assert (source.is_public, source.published.isoformat(), source.publisher) == (False, "2024-01-22", "新浪科技")
    assert source.cleaned_text.endswith("责任编辑：刘明亮")
    assert source.raw_text.startswith("<!DOCTYPE html>")
