"""API shapes of points, badges and rewards."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class PointsEntryOut(Schema):
    id: int
    points: int = Field(description="Positive when earned, negative when redeemed.")
    reason: str = Field(description="earned or redeemed")
    rule: str | None = Field(description="The earning rule's code, for earned points.")
    note: str
    created_at: datetime


class PointsOut(Schema):
    balance: int = Field(description="The sum of the ledger; never negative.")
    items: list[PointsEntryOut]
    count: int


class BadgeOut(Schema):
    code: str
    name: str
    description: str
    icon: str


class BadgeAwardOut(Schema):
    badge: BadgeOut
    store: str | None = Field(description="The store's name, for a store badge.")
    earned_at: datetime
    lost_at: datetime | None = Field(description="Empty while the badge is held.")
    rate: float | None = Field(description="The share measured when earned (0–1).")
    count: int = Field(description="The cases measured when earned.")


class BadgesOut(Schema):
    current: list[BadgeAwardOut]
    history: list[BadgeAwardOut]


class RewardOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    cost: int = Field(description="In points.")
    percent_off: int | None
    amount_off: Decimal | None = Field(description="In rand.")
    stock: int | None = Field(description="Codes left; empty for unlimited.")
    ends_at: datetime | None


class RedemptionOut(Schema):
    id: int
    reward: RewardOut
    code: str
    points: int = Field(description="What it cost (negative, as in the ledger).")
    balance: int = Field(description="The balance after the redemption.")
    issued_at: datetime
    expires_at: datetime
