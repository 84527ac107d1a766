from django import forms


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup`` after creating the user)."""

    first_name = forms.CharField(max_length=80, label="First name")
    last_name = forms.CharField(max_length=80, label="Last name", required=False)

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, label="Token name", help_text="What will use it, e.g. “inventory sync”."
    )
