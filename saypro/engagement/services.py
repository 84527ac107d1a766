"""Every write of engagement: showings, clicks and dismissals of prompts; the office's
prompts; tutorial progress; and the built-in prompts the data migration installs.

Prompt events are recorded for signed-in people only. Only office staff
create, edit or switch off prompts; a refused or invalid change raises an
``ApplicationError`` and changes nothing.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from saypro.accounts.models import User
from saypro.catalog.models import Product, Store
from saypro.core.errors import NotFound, PermissionDenied, ValidationFailed
from saypro.engagement import placeholders
from saypro.engagement.models import (
    SELLER_PLACEMENTS,
    Audience,
    Placement,
    Prompt,
    PromptEvent,
    TutorialProgress,
)
from saypro.engagement.selectors import ShownPrompt
from saypro.engagement.tutorials import TUTORIALS

EDITABLE_FIELDS = (
    "name",
    "placement",
    "audience",
    "joined_within_days",
    "only_never_messaged",
    "only_with_buyers_waiting",
    "title",
    "text",
    "cta_label",
    "cta_link",
    "max_shows",
    "per_days",
    "starts_at",
    "ends_at",
    "priority",
)
TUTORIAL_ACTIONS = ("start", "replay", "step", "complete", "skip")


# --- Prompt events -----------------------------------------------------------------------------


def record_shown(
    *, user: User, shown: Iterable[ShownPrompt], now: datetime | None = None
) -> list[PromptEvent]:
    """One ``shown`` event per prompt rendered on a page (what the cap counts).

    One INSERT, atomic by itself: no transaction of its own, so a page view pays
    for no savepoint.
    """
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    return PromptEvent.objects.bulk_create(
        PromptEvent(
            prompt=item.prompt,
            user=user,
            kind=PromptEvent.Kind.SHOWN,
            store_id=item.store_id,
            product_id=item.product_id,
            at=now,
        )
        for item in shown
    )


def _refuse(field: str, message: str) -> None:
    raise ValidationFailed(message, details={"field": field})


def _check(user: User, prompt: Prompt, store_id: int | None, product_id: int | None) -> None:
    if not user.is_authenticated:
        raise PermissionDenied("Log in to use prompts.")
    if not prompt.is_active:
        raise NotFound("This prompt is switched off.")
    if store_id is not None and not Store.objects.filter(pk=store_id).exists():
        _refuse("store_id", "No such store.")
    if product_id is not None and not Product.objects.filter(pk=product_id).exists():
        _refuse("product_id", "No such product.")


def _event(user: User, prompt: Prompt, kind: str, store_id, product_id, now) -> PromptEvent:
    return PromptEvent.objects.create(
        prompt=prompt,
        user=user,
        kind=kind,
        store_id=store_id,
        product_id=product_id,
        at=now or timezone.now(),
    )


@transaction.atomic
def record_click(
    *,
    user: User,
    prompt: Prompt,
    store_id: int | None = None,
    product_id: int | None = None,
    now: datetime | None = None,
) -> PromptEvent:
    """The person followed the prompt's call to action."""
    _check(user, prompt, store_id, product_id)
    return _event(user, prompt, PromptEvent.Kind.CLICKED, store_id, product_id, now)


@transaction.atomic
def dismiss_prompt(
    *,
    user: User,
    prompt: Prompt,
    store_id: int | None = None,
    product_id: int | None = None,
    now: datetime | None = None,
) -> PromptEvent:
    """The person closed the prompt: it is never shown to them again (counted once)."""
    _check(user, prompt, store_id, product_id)
    dismissals = PromptEvent.objects.filter(
        user_id=user.pk, prompt=prompt, kind=PromptEvent.Kind.DISMISSED
    )
    existing = dismissals.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: the race's loser reads the winner's row
            return _event(user, prompt, PromptEvent.Kind.DISMISSED, store_id, product_id, now)
    except IntegrityError:
        return dismissals.get()


# --- The office's prompts ----------------------------------------------------------------------


def _require_office(actor: User) -> None:
    if not actor.is_authenticated or not actor.is_office_staff:
        raise PermissionDenied("Only the marketplace office manages prompts.")


def _validate(prompt: Prompt) -> None:
    """Every rule of a saved prompt; the first broken one is refused with its field."""
    if prompt.placement not in Placement.values:
        _refuse("placement", "Choose where the prompt shows.")
    if prompt.audience not in Audience.values:
        _refuse("audience", "Choose who sees the prompt.")
    for field in ("name", "title", "cta_label", "cta_link"):
        if not getattr(prompt, field).strip():
            _refuse(field, f"The {Prompt._meta.get_field(field).verbose_name} is required.")
    if prompt.max_shows < 1:
        _refuse("max_shows", "Show it at least once.")
    if prompt.per_days < 1:
        _refuse("per_days", "The cap counts over at least one day.")
    if prompt.starts_at and prompt.ends_at and prompt.ends_at <= prompt.starts_at:
        _refuse("ends_at", "The end must come after the start.")
    link = prompt.cta_link.strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        _refuse("cta_link", "The link must be a path on this site, starting with “/”.")
    if prompt.placement in SELLER_PLACEMENTS and prompt.audience == Audience.BUYERS:
        _refuse("audience", "Only sellers see the Seller Center: choose sellers or anyone.")
    if prompt.only_with_buyers_waiting and prompt.placement not in SELLER_PLACEMENTS:
        _refuse(
            "only_with_buyers_waiting",
            "“Buyers waiting” needs a store: use it on a Seller Center placement.",
        )
    usable = placeholders.allowed(prompt.placement, prompt.code)
    text_names = usable & set(placeholders.TEXT_PLACEHOLDERS)
    link_names = usable & set(placeholders.LINK_PLACEHOLDERS)
    for field, names in (
        ("title", text_names),
        ("text", text_names),
        ("cta_label", text_names),
        ("cta_link", link_names),
    ):
        wrong = placeholders.unknown(getattr(prompt, field), names)
        if wrong:
            known = ", ".join(f"{{{name}}}" for name in sorted(names)) or "none"
            _refuse(
                field,
                f"Not a placeholder here: {', '.join(wrong)}. Usable on this placement: {known}.",
            )


@transaction.atomic
def create_prompt(*, actor: User, now: datetime | None = None, **fields) -> Prompt:
    """A new office prompt (never a built-in: those come from the data migration)."""
    _require_office(actor)
    now = now or timezone.now()
    prompt = Prompt(created_at=now, updated_at=now, **_editable(fields))
    _validate(prompt)
    prompt.save()
    return prompt


@transaction.atomic
def update_prompt(*, actor: User, prompt: Prompt, now: datetime | None = None, **fields) -> Prompt:
    """Change a prompt's wording, rules, cap or dates. A built-in keeps its placement."""
    _require_office(actor)
    prompt = Prompt.objects.select_for_update().get(pk=prompt.pk)
    changes = _editable(fields)
    if prompt.is_built_in and changes.get("placement", prompt.placement) != prompt.placement:
        _refuse("placement", "A built-in prompt keeps its placement: its figure belongs there.")
    for name, value in changes.items():
        setattr(prompt, name, value)
    _validate(prompt)
    prompt.updated_at = now or timezone.now()
    prompt.save()
    return prompt


@transaction.atomic
def set_prompt_active(
    *, actor: User, prompt: Prompt, is_active: bool, now: datetime | None = None
) -> Prompt:
    """Switch a prompt on or off; its counts are kept either way."""
    _require_office(actor)
    Prompt.objects.filter(pk=prompt.pk).update(
        is_active=is_active, updated_at=now or timezone.now()
    )
    prompt.refresh_from_db()
    return prompt


def _editable(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }


def install_builtin_prompts(model=Prompt) -> int:
    """Create the built-in prompts that are missing (staff edits of existing ones are kept).

    ``model`` is the historical model when a data migration calls it. Returns how
    many were created.
    """
    existing = set(
        model.objects.filter(code__in=placeholders.BUILT_IN_PROMPTS).values_list("code", flat=True)
    )
    created = model.objects.bulk_create(
        model(code=code, **definition)
        for code, definition in placeholders.BUILT_IN_PROMPTS.items()
        if code not in existing
    )
    return len(created)


# --- Tutorials ---------------------------------------------------------------------------------


@transaction.atomic
def record_tutorial(
    *, user: User, code: str, action: str, step: int = 1, now: datetime | None = None
) -> TutorialProgress:
    """One move in a guided tour: ``start``, ``replay``, ``step`` (reached step n),
    ``complete`` or ``skip``.

    The first ``start`` (or a replay without one) creates the row; ``completed_at``
    keeps the first completion and ``skipped_at`` the first skip before any, so the
    office's counts are per person, not per visit. The row is locked for the update.
    """
    if not user.is_authenticated:
        raise PermissionDenied("Log in to take the tour.")
    tutorial = TUTORIALS.get(code)
    if tutorial is None:
        raise NotFound(f"There is no tour “{code}”.")
    if tutorial.for_sellers and not user.stores.exists():
        raise PermissionDenied("This tour is for sellers.")
    if action not in TUTORIAL_ACTIONS:
        raise ValidationFailed(
            f"Unknown action “{action}”: use one of {', '.join(TUTORIAL_ACTIONS)}.",
            details={"field": "action"},
        )
    if not 1 <= step <= len(tutorial.steps):
        raise ValidationFailed(
            f"This tour has steps 1 to {len(tutorial.steps)}.", details={"field": "step"}
        )
    now = now or timezone.now()
    progress = _progress_row(user, code, now)
    # One UPDATE of only the fields this move changes, computed by the database: moves
    # posted at once (the last step and "complete") never undo each other.
    changes = {
        "replay": {"replays": F("replays") + 1},
        "step": {"last_step": Greatest("last_step", step)},
        "complete": {
            "last_step": len(tutorial.steps),
            "completed_at": Coalesce("completed_at", Value(now)),
        },
        "skip": {"skipped_at": Coalesce("skipped_at", Value(now))},
    }.get(action)  # "start": the row is all it takes
    rows = TutorialProgress.objects.filter(pk=progress.pk)
    if action == "skip":
        rows = rows.filter(completed_at__isnull=True)
    if changes:
        rows.update(**changes)
    progress.refresh_from_db()
    return progress


def _progress_row(user: User, code: str, now: datetime) -> TutorialProgress:
    rows = TutorialProgress.objects.select_for_update()
    progress = rows.filter(user=user, tutorial=code).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            return TutorialProgress.objects.create(user=user, tutorial=code, started_at=now)
    except IntegrityError:  # the same person's other tab created it a moment ago
        return rows.get(user=user, tutorial=code)
