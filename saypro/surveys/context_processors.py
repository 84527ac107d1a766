"""The survey card: a person's open invitation, at the top of the pages it belongs on."""

from django.urls import reverse

from saypro.surveys import selectors, services
from saypro.surveys.models import Trigger

# Pages where no card is shown: the survey pages themselves, the admin, the API.
NO_CARD_PREFIXES = ("/surveys/", "/admin/", "/api/")


def _belongs_on(card: dict, path: str) -> bool:
    """Messaging satisfaction: on the buyer's Messages and that conversation; others anywhere."""
    if card["trigger"] == Trigger.CONVERSATION_CLOSED:
        return path in (
            reverse("messaging:inbox"),
            reverse("messaging:conversation", kwargs={"pk": card["subject_id"]}),
        )
    return True


def survey_card(request):
    """``survey_card``: a callable the base layout's include calls once, only on full pages.

    It costs nothing on pages that do not render the card (partials, JSON) and
    usually no query where it does (``selectors.card_for`` is cached). The
    first time a card is rendered its invitation is marked shown.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith(NO_CARD_PREFIXES):
        return {}
    found: list = []

    def card() -> dict | None:
        if not found:
            invitation = selectors.card_for(user)
            if invitation is not None and not _belongs_on(invitation, request.path):
                invitation = None
            if invitation is not None and not invitation["shown"]:
                services.mark_shown(invitation_id=invitation["id"], user=user)
            found.append(invitation)
        return found[0]

    return {"survey_card": card}
