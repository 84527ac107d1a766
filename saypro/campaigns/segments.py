"""The segment builder's criteria: a small registry, one entry per criterion.

A criterion is a key, a label, a little form (its fields, validated the same
way for the web builder and for the API's JSON) and one function that narrows
a queryset of people. A segment's ``rules`` are ``{criterion key: the form's
cleaned data}``; a criterion left empty is not stored and does not narrow.

Adding a criterion is one ``Criterion`` passed to ``register``: the builder
page, the live count, the API and the description all follow. Only criteria
that work are registered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from saypro.academy.models import Course, Enrolment
from saypro.accounts.models import User
from saypro.catalog.models import Category, Order, OrderItem, Product, StoreMembership
from saypro.core.errors import ValidationFailed
from saypro.messaging.models import Message, Wait
from saypro.rewards import selectors as rewards_selectors
from saypro.rewards.models import Badge


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    form_class: type["CriterionForm"]
    is_used: Callable[[dict], bool]
    narrow: Callable[[QuerySet[User], dict, datetime], QuerySet[User]]
    describe: Callable[[dict], str]


CRITERIA: dict[str, Criterion] = {}


def register(criterion: Criterion) -> Criterion:
    CRITERIA[criterion.key] = criterion
    return criterion


def _json_ready(data: dict) -> dict:
    return {key: value.pk if hasattr(value, "pk") else value for key, value in data.items()}


def clean_rules(rules: Mapping[str, Any]) -> dict:
    """Validate JSON rules ``{key: {field: value}}``; the cleaned rules, unused ones dropped.

    Raises ``ValidationFailed`` naming the first wrong field as ``<key>-<field>``
    (the builder form's field name).
    """
    if not isinstance(rules, Mapping):
        raise ValidationFailed("Rules are an object of criteria.", details={"field": "rules"})
    cleaned = {}
    for key, data in rules.items():
        criterion = CRITERIA.get(key)
        if criterion is None:
            raise ValidationFailed(
                f"“{key}” is not a segment criterion: use one of {', '.join(CRITERIA)}.",
                details={"field": "rules"},
            )
        if not isinstance(data, Mapping):
            raise ValidationFailed(
                f"The “{criterion.label}” rule is an object of fields.", details={"field": key}
            )
        cleaned_data = _validated(criterion, criterion.form_class(data=data))
        if cleaned_data is not None:
            cleaned[key] = cleaned_data
    return cleaned


def rules_from_form_data(data: Mapping[str, Any]) -> tuple[dict, dict[str, forms.Form]]:
    """Rules from the builder's fields (``<key>-<field>``), and the bound criterion forms.

    Raises ``ValidationFailed`` for the first wrong field; the forms carry every error.
    """
    bound = bind(data)
    rules, first_error = {}, None
    for key, criterion in CRITERIA.items():
        try:
            cleaned = _validated(criterion, bound[key])
        except ValidationFailed as error:
            first_error = first_error or error
            continue
        if cleaned is not None:
            rules[key] = cleaned
    if first_error is not None:
        raise first_error
    return rules, bound


def bind(data: Mapping[str, Any]) -> dict[str, forms.Form]:
    """The builder's criterion forms bound to its fields (``<key>-<field>``)."""
    return {key: criterion.form_class(data=data, prefix=key) for key, criterion in CRITERIA.items()}


def unbound_forms(rules: Mapping[str, dict] | None = None) -> dict[str, forms.Form]:
    """The builder's criterion forms filled with ``rules`` (a saved segment's)."""
    rules = rules or {}
    return {
        key: criterion.form_class(initial=rules.get(key), prefix=key)
        for key, criterion in CRITERIA.items()
    }


def _validated(criterion: Criterion, form: forms.Form) -> dict | None:
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        name = f"{criterion.key}-{field}" if field != "__all__" else criterion.key
        raise ValidationFailed(f"{criterion.label}: {errors[0]}", details={"field": name})
    cleaned = _json_ready(form.cleaned_data)
    return cleaned if criterion.is_used(cleaned) else None


def narrow(users: QuerySet[User], rules: Mapping[str, dict], now: datetime) -> QuerySet[User]:
    """``users`` narrowed by every rule (all must hold); rules are already cleaned."""
    for key, rule in rules.items():
        users = CRITERIA[key].narrow(users, rule, now)
    return users


def describe(rules: Mapping[str, dict]) -> list[str]:
    return [CRITERIA[key].describe(rule) for key, rule in rules.items() if key in CRITERIA]


class CriterionForm(forms.Form):
    """A criterion's fields: every rule is optional ("Any" skips it), so none says so."""

    mark_optional = False


# --- Role ------------------------------------------------------------------------------------

ROLE_CHOICES = {
    "buyer": "Buyers (placed at least one order)",
    "seller": "Sellers (owners and agents of an active store)",
    "both": "People who are both",
}


class RoleForm(CriterionForm):
    role = forms.ChoiceField(
        choices=[("", "Anyone"), *ROLE_CHOICES.items()], required=False, label="Role"
    )


def _buyers() -> QuerySet:
    return Order.objects.values("buyer_id")


def _sellers() -> QuerySet:
    return StoreMembership.objects.filter(store__is_active=True).values("user_id")


def _narrow_role(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    role = rule["role"]
    if role in ("buyer", "both"):
        users = users.filter(pk__in=_buyers())
    if role in ("seller", "both"):
        users = users.filter(pk__in=_sellers())
    return users


register(
    Criterion(
        key="role",
        label="Role",
        form_class=RoleForm,
        is_used=lambda rule: bool(rule["role"]),
        narrow=_narrow_role,
        describe=lambda rule: ROLE_CHOICES[rule["role"]],
    )
)


# --- Activity in a period --------------------------------------------------------------------

ACTIVITY_CHOICES = {
    "messages_at_least": "Sent at least",
    "messages_at_most": "Sent at most",
    "orders_at_least": "Placed at least",
}


class ActivityForm(CriterionForm):
    action = forms.ChoiceField(
        choices=[("", "Any activity"), *ACTIVITY_CHOICES.items()], required=False, label="Activity"
    )
    count = forms.IntegerField(
        min_value=0, max_value=10_000, required=False, initial=1, label="How many"
    )
    days = forms.IntegerField(
        min_value=1, max_value=365, required=False, initial=30, label="In the last … days"
    )

    def clean(self):
        data = super().clean()
        if data.get("action"):
            for field in ("count", "days"):
                if data.get(field) is None and field not in self.errors:
                    self.add_error(field, "Give a number for this activity rule.")
        return data


def _narrow_activity(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    since = now - timedelta(days=rule["days"])
    count = rule["count"]
    if rule["action"] == "orders_at_least":
        rows = Order.objects.filter(placed_at__gte=since, placed_at__lt=now).values("buyer_id")
        key = "buyer_id"
    else:
        rows = Message.objects.filter(created_at__gte=since, created_at__lt=now).values("sender_id")
        key = "sender_id"
    counted = rows.annotate(total=Count("pk"))
    if rule["action"] == "messages_at_most":
        return users.exclude(pk__in=counted.filter(total__gt=count).values(key))
    if count == 0:
        return users
    return users.filter(pk__in=counted.filter(total__gte=count).values(key))


def _describe_activity(rule: dict) -> str:
    thing = "order" if rule["action"] == "orders_at_least" else "message"
    plural = "" if rule["count"] == 1 else "s"
    return (
        f"{ACTIVITY_CHOICES[rule['action']]} {rule['count']} {thing}{plural} "
        f"in the last {rule['days']} days"
    )


register(
    Criterion(
        key="activity",
        label="Activity",
        form_class=ActivityForm,
        is_used=lambda rule: bool(rule["action"]),
        narrow=_narrow_activity,
        describe=_describe_activity,
    )
)


# --- Category --------------------------------------------------------------------------------

RELATION_CHOICES = {"bought": "Bought in it", "sells": "Sells in it"}


class CategoryForm(CriterionForm):
    category = forms.ModelChoiceField(
        queryset=Category.objects.select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name"
        ),
        required=False,
        empty_label="Any category",
        label="Category",
        help_text="Includes its sub-categories.",
    )
    relation = forms.ChoiceField(
        choices=list(RELATION_CHOICES.items()), required=False, initial="bought", label="Relation"
    )

    def clean_relation(self):
        return self.cleaned_data.get("relation") or "bought"


def category_subtree(category_id: int) -> list[int]:
    """The category and every category below it (one query per level)."""
    found, level = [category_id], [category_id]
    while level:
        level = list(Category.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found.extend(level)
    return found


def _narrow_category(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    subtree = category_subtree(rule["category"])
    if rule["relation"] == "sells":
        stores = Product.objects.filter(category_id__in=subtree, is_active=True).values("store_id")
        return users.filter(
            pk__in=StoreMembership.objects.filter(store__in=stores, store__is_active=True).values(
                "user_id"
            )
        )
    bought = OrderItem.objects.filter(product__category_id__in=subtree).exclude(
        order__status=Order.Status.CANCELLED
    )
    return users.filter(pk__in=bought.values("order__buyer_id"))


def _describe_category(rule: dict) -> str:
    category = Category.objects.select_related("parent").filter(pk=rule["category"]).first()
    name = str(category) if category else "a deleted category"
    verb = "Sells" if rule["relation"] == "sells" else "Bought"
    return f"{verb} in {name} (or below it)"


register(
    Criterion(
        key="category",
        label="Category",
        form_class=CategoryForm,
        is_used=lambda rule: rule["category"] is not None,
        narrow=_narrow_category,
        describe=_describe_category,
    )
)


# --- Response-rate band (sellers) ------------------------------------------------------------

RESPONSE_WINDOW = timedelta(days=30)
# band key -> (label, lowest share included, highest share excluded)
RESPONSE_BANDS: dict[str, tuple[str, float, float]] = {
    "under_50": ("Under 50 %", 0.0, 0.5),
    "50_80": ("50–80 %", 0.5, 0.8),
    "80_95": ("80–95 %", 0.8, 0.95),
    "95_up": ("95 % or more", 0.95, 1.01),
}


class ResponseBandForm(CriterionForm):
    band = forms.ChoiceField(
        choices=[("", "Any"), *((key, band[0]) for key, band in RESPONSE_BANDS.items())],
        required=False,
        label="Store response rate (30 days)",
        help_text="Share of buyers' waits answered within the response goal.",
    )


def store_response_rates(now: datetime) -> dict[int, float]:
    """``{store id: share of waits answered within the goal}`` over the 30 days before ``now``.

    Counted: waits that started in the window, except those closed as "no
    response needed" and those still open and not yet due (not decided yet).
    A store with no counted wait has no rate.
    """
    waits = (
        Wait.objects.filter(started_at__gte=now - RESPONSE_WINDOW, started_at__lt=now)
        .exclude(outcome=Wait.Outcome.NO_RESPONSE_NEEDED)
        .exclude(outcome=Wait.Outcome.OPEN, due_at__gt=now)
    )
    on_time = Q(outcome=Wait.Outcome.ANSWERED, ended_at__lte=F("due_at"))
    rows = waits.values("conversation__store_id").annotate(
        total=Count("pk"), on_time=Count("pk", filter=on_time)
    )
    return {row["conversation__store_id"]: row["on_time"] / row["total"] for row in rows}


def _narrow_band(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    _, low, high = RESPONSE_BANDS[rule["band"]]
    stores = [store for store, rate in store_response_rates(now).items() if low <= rate < high]
    return users.filter(
        pk__in=StoreMembership.objects.filter(store_id__in=stores, store__is_active=True).values(
            "user_id"
        )
    )


register(
    Criterion(
        key="response_band",
        label="Response rate",
        form_class=ResponseBandForm,
        is_used=lambda rule: bool(rule["band"]),
        narrow=_narrow_band,
        describe=lambda rule: (
            f"Store answers {RESPONSE_BANDS[rule['band']][0]} of waits within "
            f"{settings.MESSAGING_RESPONSE_GOAL_HOURS} hours"
        ),
    )
)


# --- Badges ----------------------------------------------------------------------------------

HOLDING_CHOICES = {"has": "Holds the badge", "lacks": "Does not hold it"}


class BadgeForm(CriterionForm):
    badge = forms.ModelChoiceField(
        queryset=Badge.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Any badge (no rule)",
        label="Badge",
        help_text="A store badge counts for every member of the store.",
    )
    holding = forms.ChoiceField(
        choices=list(HOLDING_CHOICES.items()), required=False, initial="has", label="Holds it"
    )

    def clean_holding(self):
        return self.cleaned_data.get("holding") or "has"


def _narrow_badge(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    badge = Badge.objects.filter(pk=rule["badge"]).first()
    ids = rewards_selectors.holders(badge.code) if badge else set()
    return users.filter(pk__in=ids) if rule["holding"] == "has" else users.exclude(pk__in=ids)


def _describe_badge(rule: dict) -> str:
    badge = Badge.objects.filter(pk=rule["badge"]).first()
    name = f"the {badge.name} badge" if badge else "a deleted badge"
    return f"Holds {name}" if rule["holding"] == "has" else f"Does not hold {name}"


register(
    Criterion(
        key="badge",
        label="Badge",
        form_class=BadgeForm,
        is_used=lambda rule: rule["badge"] is not None,
        narrow=_narrow_badge,
        describe=_describe_badge,
    )
)


# --- Training (Seller Academy) ---------------------------------------------------------------

TRAINING_CHOICES = {"completed": "Completed", "not_completed": "Has not completed"}


class TrainingForm(CriterionForm):
    training = forms.ChoiceField(
        choices=[("", "Any"), *TRAINING_CHOICES.items()], required=False, label="Training"
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(status=Course.Status.PUBLISHED).order_by("position"),
        required=False,
        empty_label="Any Academy course",
        label="Course",
    )


def _narrow_training(users: QuerySet[User], rule: dict, now: datetime) -> QuerySet[User]:
    done = Enrolment.objects.filter(completed_at__isnull=False, completed_at__lte=now)
    if rule["course"] is not None:
        done = done.filter(course_id=rule["course"])
    trained = done.values("user_id")
    if rule["training"] == "completed":
        return users.filter(pk__in=trained)
    return users.exclude(pk__in=trained)


def _describe_training(rule: dict) -> str:
    course = Course.objects.filter(pk=rule["course"]).first() if rule["course"] else None
    what = f"“{course.title}”" if course else "any Academy course"
    return f"{TRAINING_CHOICES[rule['training']]} {what}"


register(
    Criterion(
        key="training",
        label="Training",
        form_class=TrainingForm,
        is_used=lambda rule: bool(rule["training"]),
        narrow=_narrow_training,
        describe=_describe_training,
    )
)
