"""Login protection (django-axes): repeated failures lock out the account and, separately, the client
address, for a while, with a page that says so."""

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
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_five_failures_lock_the_account_even_with_the_right_password(client, staff):
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
    locked = attempt(client, "editor", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert (
        "Sign-in temporarily locked" in page and "for the account “editor”" in page and "15 minutes" in page
    )
    # From another address, the right password is still refused: the account itself is locked.
    response = attempt(client, "editor", "right-pass-1", ip="198.51.100.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address_for_every_account(client, staff):
    for number in range(5):
        attempt(client, f"guess-{number}", "wrong")
    assert attempt(client, "editor", "right-pass-1").status_code == 429
    # Another address is not affected.
    response = attempt(client, "editor", "right-pass-1", ip="198.51.100.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(4):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", "right-pass-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "editor", "wrong").status_code == 200
