import json
from datetime import timedelta

import pytest
from django.utils import timezone

from saypro.accounts.tests.factories import token_client
from saypro.surveys.models import Invitation, Kind, Response
from saypro.surveys.tests.factories import InvitationFactory, SurveyFactory

JSON = "application/json"


@pytest.fixture
def invitation(buyer):
    return InvitationFactory(user=buyer, survey=SurveyFactory(kind=Kind.NPS_11))


def answer(client, invitation, body):
    return client.post(
        f"/api/v1/surveys/invitations/{invitation.token}/answer",
        json.dumps(body),
        content_type=JSON,
    )


def test_a_person_lists_their_open_invitations(buyer, invitation):
    InvitationFactory(user=buyer, created_at=timezone.now() - timedelta(days=20))  # expired
    InvitationFactory()  # someone else's

    body = token_client(buyer).get("/api/v1/surveys/invitations").json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["token"] == invitation.token
    assert item["survey"] == {
        "question": invitation.survey.question,
        "kind": "nps_11",
        "lowest": 0,
        "highest": 10,
        "comment_prompt": invitation.survey.comment_prompt,
    }


def test_answer_once_then_409(buyer, invitation):
    client = token_client(buyer)

    first = answer(client, invitation, {"score": 9, "comment": "Great"})
    second = answer(client, invitation, {"score": 1})

    assert first.status_code == 201 and first.json()["score"] == 9
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_answered"
    assert list(Response.objects.values_list("score", flat=True)) == [9]


def test_expired_is_410_and_off_scale_is_400(buyer, invitation):
    client = token_client(buyer)
    too_high = InvitationFactory(user=buyer)  # a 1–5 survey

    assert answer(client, too_high, {"score": 6}).json()["error"]["details"] == {"field": "score"}
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    expired = answer(client, invitation, {"score": 9})

    assert expired.status_code == 410
    assert expired.json()["error"]["code"] == "invitation_closed"
    assert Response.objects.count() == 0


@pytest.mark.parametrize("who", ["seller", "staff"])
def test_someone_elses_invitation_is_404(request, who, invitation):
    client = token_client(request.getfixturevalue(who))

    assert answer(client, invitation, {"score": 9}).status_code == 404
    dismissed = client.post(f"/api/v1/surveys/invitations/{invitation.token}/dismiss")
    assert dismissed.status_code == 404
    invitation.refresh_from_db()
    assert invitation.dismissed_at is None and Response.objects.count() == 0


def test_dismiss_closes_it(buyer, invitation):
    client = token_client(buyer)

    response = client.post(f"/api/v1/surveys/invitations/{invitation.token}/dismiss")

    assert response.status_code == 200
    assert client.get("/api/v1/surveys/invitations").json()["count"] == 0
    assert answer(client, invitation, {"score": 9}).status_code == 410


def test_anonymous_is_401(client, invitation):
    assert client.get("/api/v1/surveys/invitations").status_code == 401
    assert answer(client, invitation, {"score": 9}).status_code in (401, 403)
    assert Response.objects.count() == 0


@pytest.mark.parametrize("score", [True, "9", 9.0])
def test_a_score_that_is_not_a_json_number_is_422_and_records_nothing(buyer, invitation, score):
    """``true`` would otherwise be read as the score 1, and "9" as 9."""
    client = token_client(buyer)
    response = answer(client, invitation, {"score": score})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None
