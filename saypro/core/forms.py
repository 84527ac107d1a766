from django import forms

from saypro.core.errors import ApplicationError


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = (error.details or {}).get("field") if isinstance(error.details, dict) else None
    form.add_error(field if field in form.fields else None, error.message)
