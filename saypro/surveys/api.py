"""/api/v1 endpoints for a person's survey invitations: list the open ones, answer, decline.

Each person only sees and answers their own (another person's token is a 404).
"""

from django.http import HttpRequest
from ninja import Router, Status

from saypro.core.api import AUTH, ERRORS, ErrorOut, Slug
from saypro.core.errors import NotFound
from saypro.surveys import selectors, services
from saypro.surveys.schemas import DismissOut, InvitationList, SurveyAnswerIn, SurveyAnswerOut

router = Router(tags=["surveys"], auth=AUTH)

CLOSED_ERRORS = {**ERRORS, 410: ErrorOut}


def _invitation_data(invitation) -> dict:
    survey = invitation.survey
    return {
        "token": invitation.token,
        "survey": {
            "question": survey.question,
            "kind": survey.kind,
            "lowest": survey.scores[0],
            "highest": survey.scores[-1],
            "comment_prompt": survey.comment_prompt,
        },
        "about": selectors.subject_label(invitation),
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


def _own(request: HttpRequest, token: str):
    invitation = selectors.invitation_for(request.auth, token)
    if invitation is None:
        raise NotFound("No survey invitation with this token among yours.")
    return invitation


@router.get("/surveys/invitations", response={200: InvitationList, **ERRORS})
def list_invitations(request: HttpRequest):
    """The person's open invitations (not answered, declined or expired), oldest first."""
    rows = list(selectors.open_invitations(request.auth))
    return {"items": [_invitation_data(row) for row in rows], "count": len(rows)}


@router.post(
    "/surveys/invitations/{token}/answer", response={201: SurveyAnswerOut, **CLOSED_ERRORS}
)
def answer(request: HttpRequest, token: Slug, body: SurveyAnswerIn):
    """Answer once: 409 when answered already, 410 when expired or declined."""
    response = services.answer(
        invitation=_own(request, token), user=request.auth, score=body.score, comment=body.comment
    )
    return Status(
        201,
        {
            "token": token,
            "score": response.score,
            "comment": response.comment,
            "created_at": response.created_at,
        },
    )


@router.post("/surveys/invitations/{token}/dismiss", response={200: DismissOut, **CLOSED_ERRORS})
def dismiss(request: HttpRequest, token: Slug):
    """Decline ("no thanks"): the invitation is closed and not shown again (idempotent)."""
    invitation = services.dismiss(invitation=_own(request, token), user=request.auth)
    return {"token": token, "dismissed_at": invitation.dismissed_at}
