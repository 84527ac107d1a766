"""The office dashboard's filters (one GET form) and the target form."""

from django import forms
from django.utils import timezone

from saypro.analytics.kpis import KPIS
from saypro.analytics.periods import Quarter
from saypro.catalog.models import Category, Store

QUARTERS_SHOWN = 8  # this quarter and the seven before it (two years)
DEFAULT_RANKING = "review_response_48h"
STORE_MATCHES_SHOWN = 5


def quarter_choices(now=None) -> list[Quarter]:
    """This quarter first, then the earlier ones."""
    quarter = Quarter.of(timezone.localtime(now or timezone.now()))
    found = []
    for _ in range(QUARTERS_SHOWN):
        found.append(quarter)
        quarter = quarter.previous()
    return found


def ranking_choices() -> list[tuple[str, str]]:
    return [(kpi.key, kpi.label) for kpi in KPIS if kpi.source == "rollup"]


class DashboardFilters(forms.Form):
    """Quarter, category (top-level), store (typed by name, resolved here) and the KPI the
    store ranking uses. Every field is optional; an invalid one falls back to its default."""

    quarter = forms.ChoiceField(
        label="Quarter",
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not one of the listed quarters (the last two years)."
        },
    )
    category = forms.TypedChoiceField(
        label="Category", required=False, coerce=int, empty_value=None
    )
    store = forms.CharField(
        label="Store",
        required=False,
        max_length=120,
        help_text="Type a store's name (or part of it); empty for every store.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "All stores"}),
    )
    rank = forms.ChoiceField(label="Rank stores by", required=False)

    def __init__(self, data=None, *, with_rank: bool = True, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.quarters = quarter_choices()
        self.fields["quarter"].choices = [(q.key, q.label) for q in self.quarters]
        departments = Category.objects.filter(parent__isnull=True).order_by("name")
        self.fields["category"].choices = [
            ("", "All categories"),
            *departments.values_list("pk", "name"),
        ]
        self.fields["rank"].choices = ranking_choices()
        if not with_rank:
            del self.fields["rank"]

    def clean_store(self) -> Store | None:
        text = self.cleaned_data["store"].strip()
        if not text:
            return None
        if text.isdigit():
            store = Store.objects.filter(pk=int(text)).first()
            if store is not None:
                return store
        exact = list(Store.objects.filter(name__iexact=text)[:2])
        if len(exact) == 1:
            return exact[0]
        matches = list(
            Store.objects.filter(name__icontains=text).order_by("name")[: STORE_MATCHES_SHOWN + 1]
        )
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(f"No store is called “{text}”.")
        names = ", ".join(store.name for store in matches[:STORE_MATCHES_SHOWN])
        more = " and more" if len(matches) > STORE_MATCHES_SHOWN else ""
        raise forms.ValidationError(
            f"Several stores match “{text}”: {names}{more}. Type more of the name."
        )

    def filters(self) -> dict:
        """The filters to use: the valid fields' values, the defaults for the others."""
        found = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        key = found.get("quarter") or self.quarters[0].key
        store = found.get("store")
        return {
            "quarter": Quarter.parse(key),
            "category_id": found.get("category"),
            "store": store,
            "store_id": store.pk if store is not None else None,
            "rank": found.get("rank") or DEFAULT_RANKING,
        }

    def query(self, **overrides) -> str:
        """The filters as a query string for links (store by id), with ``overrides``."""
        from urllib.parse import urlencode

        chosen = self.filters()
        params = {
            "quarter": chosen["quarter"].key,
            "category": chosen["category_id"] or "",
            "store": chosen["store_id"] or "",
        }
        params.update(overrides)
        return urlencode({name: value for name, value in params.items() if value not in ("", None)})


class TargetForm(forms.Form):
    kpi = forms.ChoiceField(
        choices=[(kpi.key, kpi.label) for kpi in KPIS], widget=forms.HiddenInput
    )
    value = forms.CharField(label="New target", max_length=32)
