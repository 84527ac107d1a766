from ninja import Schema


class MembershipOut(Schema):
    store_id: int
    store_slug: str
    store_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    is_office_staff: bool
    is_admin: bool
    memberships: list[MembershipOut]
