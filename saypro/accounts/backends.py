"""What office staff may do in the Django admin, without per-person permission rows.

Office staff (``User.is_office_staff``) see the marketplace's records there read-only, and
maintain its settings: earning rules, badges and rewards, the default notification channels,
product categories, stores and their teams. People's accounts and API tokens stay with
superusers, and nothing is deleted: the office switches things off instead.
"""

from django.contrib.auth.backends import BaseBackend

# (app label, model) the office adds and changes.
OFFICE_EDITS = frozenset(
    {
        ("rewards", "earningrule"),
        ("rewards", "badge"),
        ("rewards", "reward"),
        ("notifications", "defaultpreference"),
        ("catalog", "category"),
        ("catalog", "store"),
        ("catalog", "storemembership"),
    }
)
# Apps whose records the office views; ``accounts`` (people, tokens) is left out.
OFFICE_VIEWS = frozenset(
    {
        "catalog", "reviews", "insights", "improvements", "messaging", "notifications",
        "academy", "rewards", "surveys", "engagement", "campaigns", "support", "consultations",
        "webinars", "knowledge", "analytics",
    }
)  # fmt: skip


class OfficeBackend(BaseBackend):
    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not getattr(user_obj, "is_office_staff", False):
            return False
        app_label, _, codename = perm.partition(".")
        action, _, model = codename.partition("_")
        if action in {"add", "change"}:
            return (app_label, model) in OFFICE_EDITS
        return action == "view" and app_label in OFFICE_VIEWS

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return getattr(user_obj, "is_office_staff", False) and app_label in OFFICE_VIEWS
