"""Login protection (django-axes): repeated failures for one account from one client address lock out
that (account, address) pair for a while, with a page that says so. Neither the account alone nor the
address alone is locked (issue 12): a stranger cannot lock out an editor who signs in from elsewhere."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-pass-1", is_staff=True)


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def test_settings_lock_out_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]  # the pair, not each alone


def test_five_failures_lock_the_account_from_that_address_even_with_the_right_password(client, staff):
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
    locked = attempt(client, "editor", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert (
        "Sign-in temporarily locked" in page and "for the account “editor”" in page and "15 minutes" in page
    )
    # The page states the rule as it is: this account from this address, nothing wider.
    text = " ".join(page.split())
    assert "signing in to that account from this address is locked" in text
    # Branded as this site's admin, not Django's default header.
    from django.contrib import admin

    assert admin.site.site_header in page and "Django administration" not in page
    assert "this account from another address, can sign in" in text
    assert "or from this" not in text and "axes_reset_ip_username" in text
    # From the same address, the right password is still refused: the pair is locked.
    assert attempt(client, "editor", "right-pass-1").status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address the editor signs in: a stranger's failures do not lock them out.
    response = attempt(client, "editor", "right-pass-1", ip="198.51.100.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_failures_for_other_accounts_from_one_address_do_not_lock_an_editor_there(client, staff):
    for number in range(5):
        attempt(client, f"guess-{number}", "wrong")
    # Each guessed name has one failure; the editor's account from this address has none.
    response = attempt(client, "editor", "right-pass-1")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(4):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-pass-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
