from django import forms

from saypro.core.errors import ApplicationError


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's refusal next to the (visible) field it names, or above the form."""
    field = (error.details or {}).get("field") if isinstance(error.details, dict) else None
    visible = field in form.fields and not form.fields[field].widget.is_hidden
    form.add_error(field if visible else None, error.message)


def posted(request):
    """The form data of a POST, even an empty one (so it is validated, not shown blank)."""
    return request.POST if request.method == "POST" else None
