from ninja import Router

from saypro.accounts.schemas import MembershipOut, MeOut
from saypro.catalog.selectors import memberships_of
from saypro.core.api import AUTH, ERRORS

router = Router(tags=["accounts"], auth=AUTH)


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request):
    """The authenticated person, with their roles: office staff, admin, store memberships."""
    user = request.auth
    return MeOut(
        id=user.pk,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_office_staff=user.is_office_staff,
        is_admin=user.is_superuser,
        memberships=[
            MembershipOut(
                store_id=membership.store_id,
                store_slug=membership.store.slug,
                store_name=membership.store.name,
                role=membership.role,
            )
            for membership in memberships_of(user)
        ],
    )
