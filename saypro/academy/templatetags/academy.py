from django import template

from saypro.academy import selectors
from saypro.coaching.results import Coaching
from saypro.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Staff-written Markdown (lessons, descriptions) as sanitised HTML, images allowed."""
    return render_markdown(text, images=True)


@register.filter
def coaching(grading: dict) -> Coaching:
    """A stored exercise grade as the coach's result, for the findings partial."""
    return Coaching.from_dict(grading)


@register.filter
def quiz_field(form, question):
    """The quiz form's bound field for ``question``."""
    return form[form.field_name(question)]


@register.filter
def chosen_for(attempt, question) -> list[int]:
    """The choice ids an attempt chose for ``question``."""
    return attempt.answers.get(str(question.pk), [])


@register.inclusion_tag("academy/partials/dashboard_story.html")
def featured_story():
    """The latest featured success story, as a compact card (the seller dashboard)."""
    return {"story": selectors.featured_story()}
