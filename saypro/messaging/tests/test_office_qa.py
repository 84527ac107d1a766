"""Office moderation found in browser QA: the access record on the report page, acting on a
report that was already resolved, and the buyer and the store never seeing staff's notes."""

import pytest
from django.urls import reverse

from saypro.accounts.tests.factories import StaffFactory
from saypro.messaging import services
from saypro.messaging.models import ConversationReport, StaffAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(buyer, conversation):
    return services.report_conversation(buyer, conversation, "The seller insulted me.")


def report_url(report, action: str = "") -> str:
    return f"/office/messaging/reports/{report.pk}/{action}"


def test_the_report_page_shows_who_read_the_conversation_when_and_why(client, staff, report):
    colleague = StaffFactory(email="colleague@example.test")
    services.record_staff_access(colleague, report.conversation, "Second opinion on the insult")
    client.force_login(staff)

    before = client.get(report_url(report))
    assert [access.staff for access in before.context["accesses"]] == [colleague]
    page = before.content.decode()
    assert "colleague@example.test" in page and "“Second opinion on the insult”" in page

    opened = client.post(report_url(report, "open"), {"reason": "Checking the insult report"})
    assert opened.status_code == 200
    assert [(a.staff, a.reason) for a in opened.context["accesses"]] == [
        (staff, "Checking the insult report"),
        (colleague, "Second opinion on the insult"),
    ]
    assert "office@example.test" in opened.content.decode()


def test_a_report_nobody_opened_says_so(client, staff, report):
    client.force_login(staff)
    response = client.get(report_url(report))
    assert response.context["accesses"] == []
    assert "Nobody from the office has read it yet." in response.content.decode()


@pytest.mark.parametrize(
    ("action", "data"),
    [("resolve", {"resolution": "Again"}), ("open", {"reason": "Read it once more"})],
)
def test_acting_on_a_resolved_report_is_a_409_that_says_who_resolved_it(
    client, staff, report, action, data
):
    client.force_login(staff)
    assert (
        client.post(report_url(report, "resolve"), {"resolution": "Warned the store."}).status_code
        == 302
    )

    again = client.post(report_url(report, action), data)

    assert again.status_code == 409
    page = again.content.decode()
    assert "was already resolved by office@example.test" in page
    assert "“Warned the store.”" in page and "Nothing was changed." in page
    report.refresh_from_db()
    assert (report.status, report.resolution) == ("resolved", "Warned the store.")
    assert StaffAccess.objects.count() == 0


def test_reading_a_resolved_report_is_a_404_that_explains(client, staff, report):
    services.resolve_report(staff, report, "No abuse found.")
    client.force_login(staff)
    response = client.get(report_url(report))
    assert response.status_code == 404
    assert "“No abuse found.”" in response.content.decode()


def test_a_report_that_never_existed_is_a_plain_404(client, staff):
    client.force_login(staff)
    assert client.get("/office/messaging/reports/999999/").status_code == 404
    response = client.post("/office/messaging/reports/999999/resolve", {"resolution": "x"})
    assert response.status_code == 404
    assert ConversationReport.objects.count() == 0


def test_a_race_lost_to_another_resolver_is_a_409_next_to_the_form(
    client, staff, report, monkeypatch
):
    """The report was open when the page loaded, resolved by someone else before the save."""
    colleague = StaffFactory(email="colleague@example.test")
    real_resolve = services.resolve_report

    def resolved_first(user, found, resolution, **options):
        real_resolve(colleague, found, "Handled by a colleague.")
        return real_resolve(user, found, resolution, **options)

    monkeypatch.setattr(services, "resolve_report", resolved_first)
    client.force_login(staff)
    response = client.post(report_url(report, "resolve"), {"resolution": "Warned the store."})

    assert response.status_code == 409
    assert response.context["resolve_form"].non_field_errors() == [
        "This report is already resolved."
    ]
    report.refresh_from_db()
    assert (report.resolved_by, report.resolution) == (colleague, "Handled by a colleague.")


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_the_buyer_and_the_store_never_see_staff_notes(client, request, who, staff, report):
    services.record_staff_access(staff, report.conversation, "Private: checking the insult")
    services.resolve_report(staff, report, "Private: warned the store")
    person = request.getfixturevalue(who)
    client.force_login(person)
    if who == "buyer":
        url = reverse("messaging:conversation", kwargs={"pk": report.conversation_id})
    else:
        url = f"/seller/{report.conversation.store.slug}/inbox/{report.conversation_id}/"
    page = client.get(url).content.decode()
    assert "Is the shirt in stock in M?" in page
    assert "Private:" not in page and "office@example.test" not in page


def test_the_queue_refuses_other_methods_without_a_500(client, staff, report):
    client.force_login(staff)
    response = client.post("/office/messaging/reports/")
    assert response.status_code in (302, 405)
    assert ConversationReport.objects.get().status == "open"
