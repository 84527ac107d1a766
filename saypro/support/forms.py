from datetime import timedelta

from django import forms
from django.utils import timezone

from saypro.support.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    Category,
    Priority,
    Status,
)
from saypro.support.services import MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one's content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,.pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


ATTACHMENTS_HELP = (
    f"Screenshots (JPEG, PNG, GIF, WebP) or PDFs, up to {MAX_ATTACHMENTS} files of 5 MB each."
)


class TicketForm(forms.Form):
    store = forms.ChoiceField(
        label="Store",
        error_messages={
            "required": "Choose one of your stores.",
            "invalid_choice": "Choose one of your stores: tickets are opened for a store you "
            "are a member of.",
        },
    )
    category = forms.ChoiceField(
        label="What is it about?",
        choices=[("", "Choose a topic…"), *Category.choices],
        error_messages={"required": "Choose what the ticket is about."},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        initial=Priority.NORMAL,
        help_text="Urgent: your store cannot sell or answer buyers right now. "
        "We answer urgent tickets within an hour, day and night.",
    )
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX_LENGTH)
    description = forms.CharField(
        label="Describe the problem",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you did, what you expected and what happened instead.",
    )
    attachments = MultipleFileField(label="Attachments", required=False, help_text=ATTACHMENTS_HELP)

    def __init__(self, stores, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stores = {str(store.pk): store for store in stores}
        self.fields["store"].choices = [(pk, store.name) for pk, store in self.stores.items()]
        if len(self.stores) == 1:
            self.fields["store"].widget = forms.HiddenInput()
            self.fields["store"].initial = next(iter(self.stores))


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your reply first."},
    )
    attachments = MultipleFileField(label="Attachments", required=False, help_text=ATTACHMENTS_HELP)


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note (the seller never sees it)",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the note first."},
    )


class CloseForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with the help you got?",
        choices=[(5, "5 — very"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — not at all")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5."},
    )
    comment = forms.CharField(
        label="Anything we could do better?",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueueFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label="Tickets",
        required=False,
        choices=[("", "All"), ("mine", "Assigned to me"), ("unassigned", "Unassigned")],
    )
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=[("", "Any"), *Priority.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Active"), *Status.choices]
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any"), *Category.choices]
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Assign to", required=False)

    def __init__(self, staff, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(person.pk): person for person in staff}
        self.fields["assignee"].choices = [("", "Nobody")] + [
            (pk, person.get_full_name()) for pk, person in self.staff.items()
        ]


class StatusForm(forms.Form):
    """The statuses office staff set; an open ticket (not one of them) shows "Choose…"."""

    status = forms.ChoiceField(
        label="Status",
        choices=[
            ("", "Choose a status…"),
            (Status.WAITING_ON_OFFICE, Status.WAITING_ON_OFFICE.label),
            (Status.WAITING_ON_SELLER, Status.WAITING_ON_SELLER.label),
            (Status.RESOLVED, Status.RESOLVED.label),
        ],
        error_messages={"required": "Choose a status."},
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices)


class CannedReplyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=160)
    slug = forms.SlugField(label="Slug", max_length=80, help_text="a-z, 0-9 and hyphens.")
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any"), *Category.choices]
    )
    body = forms.CharField(
        label="Reply", max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )


class ShiftForm(forms.Form):
    staff = forms.ChoiceField(label="Who")
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    hours = forms.IntegerField(label="Hours", min_value=1, max_value=24, initial=8)

    def __init__(self, staff, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(person.pk): person for person in staff}
        self.fields["staff"].choices = [
            (pk, person.get_full_name()) for pk, person in self.staff.items()
        ]
        if not self.is_bound:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            self.fields["starts_at"].initial = start + timedelta(hours=1)
