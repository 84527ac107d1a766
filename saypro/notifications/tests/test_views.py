"""Notification pages: the bell, the centre, marking read, settings, per person."""

import pytest
from django.urls import reverse

from saypro.accounts.tests.factories import UserFactory
from saypro.notifications.models import NotificationSettings, Preference
from saypro.notifications.tests.factories import NotificationFactory
from saypro.notifications.tokens import make_unsubscribe_token


def test_the_bell_shows_the_unread_count_on_every_page(client, buyer):
    NotificationFactory.create_batch(2, recipient=buyer)
    client.force_login(buyer)
    page = client.get("/").content.decode()
    assert "data-notification-total><span data-count>2</span>" in page
    assert "js/notifications.js" in page


def test_visitors_get_no_bell(client, db):
    assert b"data-notification-total" not in client.get("/").content


def test_the_centre_lists_escaped_text_and_marks_read(client, buyer, seller):
    mine = NotificationFactory(recipient=buyer, text="<b>Hi</b>", link="/orders/")
    NotificationFactory(recipient=seller, text="Not yours")
    client.force_login(buyer)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "&lt;b&gt;Hi&lt;/b&gt;" in page and "Not yours" not in page
    response = client.post(reverse("notifications:read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_opening_one_marks_it_read_and_goes_to_its_subject(client, buyer):
    mine = NotificationFactory(recipient=buyer, link="/orders/")
    client.force_login(buyer)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/orders/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_someone_elses_is_a_404(client, buyer, seller):
    theirs = NotificationFactory(recipient=seller)
    client.force_login(buyer)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, buyer):
    NotificationFactory.create_batch(3, recipient=buyer)
    client.force_login(buyer)
    client.post(reverse("notifications:read_all"))
    assert not buyer.notifications.filter(read_at__isnull=True).exists()


def test_mark_all_read_is_offered_only_while_something_is_unread(client, buyer):
    client.force_login(buyer)
    centre = reverse("notifications:centre")
    assert "data-mark-all-read hidden>" in client.get(centre).content.decode()
    NotificationFactory(recipient=buyer)
    assert "data-mark-all-read>" in client.get(centre).content.decode()


def test_menu_is_a_partial_for_htmx_and_the_full_page_otherwise(client, buyer):
    NotificationFactory(recipient=buyer, text="Latest")
    client.force_login(buyer)
    partial = client.get(reverse("notifications:menu"), headers={"HX-Request": "true"})
    assert b"Latest" in partial.content and b"<html" not in partial.content
    assert client.get(reverse("notifications:menu")).url == reverse("notifications:centre")


def settings_form(**changes):
    data = {
        "time_zone": "Europe/Berlin",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "digest_frequency": "weekly",
        "channel:message.new": "digest",
    }
    return {**data, **changes}


def test_settings_page_saves_the_grid_and_quiet_hours(client, seller):
    client.force_login(seller)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200 and b'name="channel:review.new"' in page.content
    data = settings_form()
    for field in page.context["form"].fields:
        if field.startswith("channel:") and field not in data:
            data[field] = page.context["form"].fields[field].initial
    response = client.post(reverse("notifications:settings"), data)
    assert response.status_code == 302
    assert Preference.objects.get(user=seller, type="message.new").channel == "digest"
    row = NotificationSettings.objects.get(user=seller)
    assert (row.time_zone, str(row.quiet_hours_start)) == ("Europe/Berlin", "22:00:00")


def test_settings_errors_show_next_to_the_field_and_save_nothing(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("notifications:settings"), settings_form(quiet_hours_end=""))
    assert response.status_code == 400
    assert "quiet_hours_end" in response.context["form"].errors
    assert not NotificationSettings.objects.exists() and not Preference.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Mars/Olympus is not one of"),
        ({"time_zone": "US/Eastern"}, "time_zone", "US/Eastern is not one of"),
        ({"quiet_hours_end": "22:00"}, "quiet_hours_end", "end at a different time"),
        ({"quiet_hours_start": "25:99"}, "quiet_hours_start", "Enter a valid time."),
        ({"channel:message.new": "pigeon"}, "channel:message.new", "pigeon is not one of"),
        ({"digest_frequency": "hourly"}, "digest_frequency", "hourly is not one of"),
    ],
)
def test_bad_settings_are_a_400_with_the_reason_and_save_nothing(
    client, buyer, changes, field, reason
):
    client.force_login(buyer)
    response = client.post(reverse("notifications:settings"), settings_form(**changes))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert reason in response.content.decode()
    assert not NotificationSettings.objects.exists() and not Preference.objects.exists()


def test_pages_need_a_login(client, db):
    for name in ["notifications:centre", "notifications:settings"]:
        assert client.get(reverse(name)).status_code == 302


def test_an_unsubscribe_link_that_no_longer_works_says_so_before_the_button(client, buyer):
    """The page that asks agrees with the one-click POST: no button for a link that fails."""
    gone = UserFactory(is_active=False)
    for token in [
        make_unsubscribe_token(buyer.pk, "no.such_type"),
        make_unsubscribe_token(gone.pk, "review.answered"),
        make_unsubscribe_token(999_999, "review.answered"),
    ]:
        page = client.get(reverse("notifications:unsubscribe", args=[token]))
        assert page.status_code == 404
        assert b"This link does not work" in page.content
        assert b"Unsubscribe from these emails?" not in page.content
    working = make_unsubscribe_token(buyer.pk, "review.answered")
    assert client.get(reverse("notifications:unsubscribe", args=[working])).status_code == 200
    assert not Preference.objects.exists()
