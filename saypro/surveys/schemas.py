"""API shapes of a person's survey invitations and their answer."""

from datetime import datetime

from ninja import Field, Schema

from saypro.surveys.models import COMMENT_MAX_LENGTH


class SurveyOut(Schema):
    question: str
    kind: str = Field(description="rating_5 (1–5) or nps_11 (0–10).")
    lowest: int = Field(description="The lowest score on the scale.")
    highest: int = Field(description="The highest score on the scale.")
    comment_prompt: str = Field(description="Empty: the survey takes no comment.")


class InvitationOut(Schema):
    token: str = Field(description="Identifies the invitation in /surveys/<token>/ and below.")
    survey: SurveyOut
    about: str = Field(description="What it is about, e.g. the conversation's store.")
    created_at: datetime
    expires_at: datetime


class InvitationList(Schema):
    items: list[InvitationOut]
    count: int


class SurveyAnswerIn(Schema):
    score: int = Field(
        ge=0, le=10, strict=True, description="On the survey's scale; a JSON number."
    )
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH, description="Plain text, optional.")


class SurveyAnswerOut(Schema):
    token: str
    score: int
    comment: str
    created_at: datetime


class DismissOut(Schema):
    token: str
    dismissed_at: datetime
