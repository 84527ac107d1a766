"""Forms of the messaging pages. The services validate again; these give early, per-field errors."""

import uuid

from django import forms

from saypro.messaging.models import (
    MAX_CARDS,
    PAUSE_DAYS,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    QuickReply,
)
from saypro.messaging.selectors import BOXES

SEARCH_MAX_LENGTH = 200  # as the API's ``SearchIn.q``
BOX_LABELS = {
    "inbox": "Inbox",
    "waiting": "Waiting for you",
    "product": "About products",
    "order": "About orders",
    "archived": "Archived",
}


def new_client_id() -> str:
    """A fresh ``client_id`` for a form: submitting the same form twice sends one message."""
    return uuid.uuid4().hex


class BoxForm(forms.Form):
    box = forms.ChoiceField(
        required=False, choices=[(box, BOX_LABELS.get(box, box)) for box in BOXES]
    )

    def box_or_default(self) -> str:
        return (self.cleaned_data.get("box") if self.is_valid() else "") or "inbox"


class SearchForm(forms.Form):
    """Full-text search in the person's conversations (``selectors.search_messages``)."""

    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        label="Search your messages",
        widget=forms.SearchInput(attrs={"placeholder": "e.g. delivery, navy dress"}),
        help_text=(
            "Finds the messages with every word (or a word starting with it), "
            "in archived conversations too."
        ),
    )

    def query(self) -> str:
        """The valid query, stripped; empty when there is none or it has an error."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class MessageForm(forms.Form):
    """A message in an existing conversation (buyer or store side).

    ``products`` are the store's active products for the product-card picker;
    without them the form has no product choice (a buyer's composer).
    """

    text = forms.CharField(
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    quick_reply_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    product_ids = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        label="Product cards",
        widget=forms.CheckboxSelectMultiple,
    )
    acknowledge_contact = forms.BooleanField(
        required=False, label="Send it anyway: I know it contains contact details or a link"
    )

    max_cards = MAX_CARDS

    def __init__(self, *args, products=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", new_client_id())
        super().__init__(*args, **kwargs)
        self.products = list(products)
        self.fields["product_ids"].choices = [
            (product.pk, product.title) for product in self.products
        ]

    @property
    def needs_acknowledgement(self) -> bool:
        """The service warned about contact details: show the "send anyway" checkbox."""
        return getattr(self, "contact_warning", False)


class StartForm(forms.Form):
    """The first message of a conversation ("Ask the seller")."""

    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The store's team sees it in their inbox and usually answers within a day.",
    )
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    acknowledge_contact = forms.BooleanField(
        required=False, label="Send it anyway: I know it contains contact details or a link"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", new_client_id())
        super().__init__(*args, **kwargs)

    @property
    def needs_acknowledgement(self) -> bool:
        return getattr(self, "contact_warning", False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        label="What is wrong?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The marketplace office reads the conversation and acts on it.",
    )


class StaffAccessForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        label="Why do you need to read this conversation?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with your name and the time; the audit trail keeps it.",
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        label="Resolution",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you found and did (e.g. “warned the store”, “no abuse found”).",
    )
    pause_days = forms.TypedChoiceField(
        label="Their messages",
        coerce=int,
        choices=[
            (days, f"Pause for {days} days" if days else "Leave them as they are")
            for days in PAUSE_DAYS
        ],
        required=False,
        empty_value=0,
        initial=0,
        widget=forms.RadioSelect,
        help_text="A pause stops the buyer and the store writing to each other, in every "
        "conversation between them; both see why and until when. It lifts by itself.",
    )


class QuickReplyForm(forms.Form):
    title = forms.CharField(max_length=80, label="Title", help_text="Only your team sees it.")
    topic = forms.ChoiceField(
        choices=QuickReply.Topic.choices,
        initial=QuickReply.Topic.OTHER,
        label="Answers questions about",
        help_text=(
            "Suggested when a buyer's message asks about this and the conversation has what "
            "the reply speaks of (an order, a product). “Other”: when the message shares its words."
        ),
    )
    body = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
