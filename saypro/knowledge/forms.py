from django import forms

from saypro.academy.content import COACH_GUIDELINE_KEYS
from saypro.knowledge.models import (
    COMMENT_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TAGS_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Article,
    Category,
    Kind,
)

GUIDELINE_CHOICES = [("", "None")] + [
    (key, key.replace("_", " ").capitalize()) for key in COACH_GUIDELINE_KEYS
]


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What would have made it more useful?",
    )


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    slug = forms.SlugField(
        max_length=80, help_text="The article's address: /help/articles/<slug>/."
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX_LENGTH, help_text="One sentence, shown in lists and search."
    )
    category = forms.ModelChoiceField(queryset=Category.objects.all())
    kind = forms.ChoiceField(choices=Kind.choices)
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Video address",
        help_text=(
            "For a video tutorial (https://…): YouTube and Vimeo play on the page. "
            "Leave it empty on a shipped tutorial to keep its screencast."
        ),
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18}), help_text="Markdown.")
    tags = forms.CharField(
        required=False, max_length=TAGS_MAX_LENGTH, help_text="Comma-separated, for search."
    )
    coach_guideline = forms.ChoiceField(
        required=False,
        choices=GUIDELINE_CHOICES,
        help_text="Coach warnings on this guideline link to this article.",
    )
    related = forms.ModelMultipleChoiceField(
        queryset=Article.objects.order_by("title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Shown beside the article. Hold Ctrl (⌘ on a Mac) to choose several.",
    )

    def __init__(self, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if article is not None:  # an article keeps its address: links point at it
            del self.fields["slug"]
            self.fields["related"].queryset = Article.objects.exclude(pk=article.pk).order_by(
                "title"
            )

    @staticmethod
    def initial_for(article: Article) -> dict:
        return {
            "title": article.title,
            "summary": article.summary,
            "category": article.category_id,
            "kind": article.kind,
            "video_url": article.video_url,
            "body": article.body,
            "tags": article.tags,
            "coach_guideline": article.coach_guideline,
            "related": list(article.related.values_list("pk", flat=True)),
        }
