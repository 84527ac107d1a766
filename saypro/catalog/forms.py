from decimal import Decimal
from uuid import uuid4

from django import forms
from django.conf import settings

from saypro.catalog.models import Category, Order, StoreMembership
from saypro.catalog.selectors import PRODUCT_SORTS, leaf_categories
from saypro.catalog.services import (
    CURRENCY_NOT_A_CODE,
    MAX_PRICE,
    MAX_QUANTITY,
    MAX_STOCK,
    PRICE_NOT_A_NUMBER,
    PRICE_OUT_OF_RANGE,
    STOCK_OUT_OF_RANGE,
    ProductInput,
)
from saypro.core.idempotency import CLIENT_ID

SORT_LABELS = {
    "relevance": "Best match",
    "newest": "Newest",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "title": "Name A–Z",
}


class ProductSearchForm(forms.Form):
    mark_optional = False  # every filter is optional; saying so on each adds only noise

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.SearchInput(attrs={"placeholder": "e.g. linen shirt"}),
    )
    category = forms.SlugField(required=False, widget=forms.HiddenInput)
    min_price = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Min price"
    )
    max_price = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Max price"
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in PRODUCT_SORTS],
        label="Sort by",
        error_messages={
            "invalid_choice": "“%(value)s” is not a sort order: the most relevant come first."
        },
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", "Max price must be at least the min price.")
        return data


class OrderForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=MAX_QUANTITY, initial=1, label="Quantity")
    client_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, stock: int, **kwargs):
        """The box offers no more than are in stock; placing the order checks again.

        Each form shown carries a new ``client_id``, so submitting it twice (a retry after a
        slow answer, a resubmitted page) places one order.
        """
        super().__init__(*args, **kwargs)
        self.fields["quantity"].widget.attrs["max"] = min(stock, MAX_QUANTITY)
        self.fields["client_id"].initial = str(uuid4())

    def clean_client_id(self) -> str:
        """A hidden field's error would show nowhere: a damaged key is said above the form."""
        client_id = self.cleaned_data["client_id"]
        if client_id and not CLIENT_ID.match(client_id):
            self.add_error(None, "This order form is damaged. Reload the page and order again.")
        return client_id


class ProductForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        empty_label="Choose…",
        error_messages={"invalid_choice": "Choose one of the categories in the list."},
    )
    # The messages are the services' (and so the catalog import's), whatever the mistake.
    price = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,  # no max_digits: one message for a too-large price, not two
        decimal_places=2,
        error_messages={
            "invalid": PRICE_NOT_A_NUMBER,
            "min_value": PRICE_OUT_OF_RANGE,
            "max_value": PRICE_OUT_OF_RANGE,
            "max_decimal_places": "Price must be in whole cents, at most 2 decimals.",
        },
    )
    currency = forms.CharField(
        required=False,  # blank: the marketplace's on a new product; an edit keeps the product's
        max_length=3,
        initial=settings.MARKETPLACE_CURRENCY,
        help_text="The price's currency: a three-letter ISO code such as ZAR, USD or EUR.",
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
        error_messages={"max_length": CURRENCY_NOT_A_CODE},
    )
    stock = forms.IntegerField(
        min_value=0,
        max_value=MAX_STOCK,
        initial=0,
        error_messages={key: STOCK_OUT_OF_RANGE for key in ("invalid", "min_value", "max_value")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = leaf_categories()

    def to_input(self) -> ProductInput:
        data = self.cleaned_data
        return ProductInput(
            title=data["title"],
            description=data["description"],
            category=data["category"],
            price=data["price"],
            currency=data["currency"],
            stock=data["stock"],
        )


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "All statuses"), *Order.Status.choices],
        label="Status",
        error_messages={
            "invalid_choice": "“%(value)s” is not an order status: showing orders of every status."
        },
    )


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Order.Status.choices)


class StoreProfileForm(forms.Form):
    """A store's name and what it sells: given when it opens, changed on its profile page."""

    name = forms.CharField(max_length=120, label="Store name")
    description = forms.CharField(
        label="What you sell",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Buyers see this on your store page.",
    )


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label="Email of the person to add",
        help_text="They need a SayPro account; ask them to sign up first.",
    )
    role = forms.ChoiceField(choices=StoreMembership.Role.choices, initial="agent")


class MemberRoleForm(forms.Form):
    """One team member's role; ids are the member's own so every row's label is distinct."""

    role = forms.ChoiceField(choices=StoreMembership.Role.choices)

    def __init__(self, membership: StoreMembership, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_member_{membership.pk}_%s")
        kwargs.setdefault("initial", {"role": membership.role})
        super().__init__(*args, **kwargs)
        self.membership = membership
