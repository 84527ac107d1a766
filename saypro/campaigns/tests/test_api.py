"""The campaigns API: office staff only; the same rules and errors as the pages."""

import pytest

from saypro.accounts.tests.factories import token_client
from saypro.campaigns.models import Campaign, Segment

CAMPAIGN = {
    "name": "Answer faster",
    "channel": "in_app_banner",
    "holdout_percent": 0,
    "variants": [
        {
            "title": "Buyers love quick answers",
            "body": "Answer **today**.",
            "cta_label": "Open inbox",
            "cta_path": "/messages/",
        }
    ],
}


@pytest.fixture
def office(staff):
    return token_client(staff)


def test_build_a_segment_send_a_campaign_and_read_its_results(office, buyer, seller):
    count = office.post(
        "/api/v1/campaigns/segments/count",
        {"rules": {"role": {"role": "seller"}}},
        content_type="application/json",
    )
    assert count.json() == {
        "count": 1,
        "rules": ["Sellers (owners and agents of an active store)"],
    }
    segment = office.post(
        "/api/v1/campaigns/segments",
        {"name": "Sellers", "rules": {"role": {"role": "seller"}}},
        content_type="application/json",
    )
    assert segment.status_code == 201 and segment.json()["count"] == 1
    created = office.post(
        "/api/v1/campaigns",
        {**CAMPAIGN, "segment_id": segment.json()["id"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    campaign_id = created.json()["id"]
    sent = office.post(f"/api/v1/campaigns/{campaign_id}/send")
    assert sent.json()["status"] == "sent"
    assert office.post(f"/api/v1/campaigns/{campaign_id}/send").status_code == 409
    results = office.get(f"/api/v1/campaigns/{campaign_id}").json()
    assert results["groups"] == [
        {"group": "A", "members": 1, "delivered": 1, "opened": 0, "clicked": 0},
        {"group": "holdout", "members": 0, "delivered": 0, "opened": 0, "clicked": 0},
    ]
    assert results["is_final"] is False and results["lift"]["treated_n"] == 1
    assert office.get("/api/v1/campaigns").json()["count"] == 1


def test_bad_input_is_a_400_and_nothing_is_written(office, staff):
    bad_rules = office.post(
        "/api/v1/campaigns/segments",
        {"name": "Busy", "rules": {"activity": {"action": "messages_at_least"}}},
        content_type="application/json",
    )
    assert bad_rules.status_code == 400
    assert bad_rules.json()["error"]["details"] == {"field": "activity-count"}
    segment = Segment.objects.create(name="All", rules={}, created_by=staff)
    off_site = {**CAMPAIGN, "segment_id": segment.pk}
    off_site["variants"] = [{**CAMPAIGN["variants"][0], "cta_path": "https://evil.example/"}]
    response = office.post("/api/v1/campaigns", off_site, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "a_cta_path"}
    assert Segment.objects.count() == 1 and Campaign.objects.count() == 0


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_only_office_staff(request, who):
    client = token_client(request.getfixturevalue(who))
    assert client.get("/api/v1/campaigns").status_code == 403
    response = client.post(
        "/api/v1/campaigns/segments",
        {"name": "Mine", "rules": {}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Segment.objects.count() == 0
