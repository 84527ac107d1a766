"""The shared form-field component: labels, groups, and errors read with their controls."""

from django import forms
from django.template.loader import render_to_string

from saypro.core.testing import described_errors


class Choices(forms.Form):
    name = forms.CharField(help_text="As on your ID.")
    size = forms.ChoiceField(choices=[("s", "Small"), ("m", "Medium")], widget=forms.RadioSelect)
    extras = forms.MultipleChoiceField(
        choices=[("gift", "Gift wrap"), ("note", "Note")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pick any.",
    )
    agree = forms.BooleanField(label="I agree")


def render(form) -> str:
    return render_to_string("components/form.html", {"form": form})


def test_a_refused_group_is_read_out_with_its_errors():
    html = render(Choices(data={"size": "xl", "extras": ["other"]}))
    assert described_errors(html) == {
        "name": "As on your ID. This field is required.",
        "size": "Select a valid choice. xl is not one of the available choices.",
        "extras": "Pick any. Select a valid choice. other is not one of the available choices.",
        "agree": "This field is required.",
    }


def test_groups_are_named_by_a_legend_and_single_controls_by_a_label():
    html = render(Choices())
    assert "<legend>Size</legend>" in html and "<legend>Extras</legend>" in html
    assert '<label for="id_name">Name</label>' in html
    assert '<label for="id_size">' not in html and '<label for="id_extras">' not in html
    assert html.count("<fieldset") == html.count("</fieldset>") == 2
    assert '<fieldset class="field" aria-describedby="id_extras_helptext">' in html
