"""The knowledge base: categories, articles, how often they are read and whether they helped.

Articles ship with the product (``saypro/academy/content/knowledge``, put in the
database by ``loading.load_content``) and the office can edit them or add its
own. An article the office has saved is marked ``edited_by_office`` and the
shipped text never overwrites it again.

``search_text`` is the body as plain text (the Markdown rendered, tags
dropped): the full-text index covers it with the title, summary and tags, and
search snippets are cut from it, so no Markdown syntax shows in a result.
SQLite keeps an FTS5 table in step with this table through triggers;
PostgreSQL computes a weighted ``tsvector`` (migration 0002).

Reading is counted per article, day and reader (anonymous readers share one
row per article and day), so "views per quarter" and "distinct readers" are
cheap sums over a small table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

TITLE_MAX_LENGTH = 160
SUMMARY_MAX_LENGTH = 400
COMMENT_MAX_LENGTH = 1000
TAGS_MAX_LENGTH = 300


class Kind(models.TextChoices):
    GUIDE = "guide", "Guide"
    FAQ = "faq", "FAQ"
    BEST_PRACTICE = "best_practice", "Best practice"
    EXAMPLES = "examples", "Good and bad examples"
    VIDEO = "video", "Video tutorial"


class Category(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.CharField(max_length=SUMMARY_MAX_LENGTH, blank=True)
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:category", kwargs={"slug": self.slug})


class Article(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    body = models.TextField(help_text="Markdown.")
    search_text = models.TextField(blank=True, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GUIDE)
    video_url = models.URLField(blank=True, help_text="For a video tutorial: where it plays.")
    video_file = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text=(
            "A shipped screencast's static path (WebM); its captions (.vtt) sit next to it."
        ),
    )
    tags = models.CharField(
        max_length=TAGS_MAX_LENGTH, blank=True, help_text="Comma-separated, for search."
    )
    coach_guideline = models.CharField(
        max_length=32,
        blank=True,
        help_text="The response-coach guideline this article explains; its warnings link here.",
    )
    related = models.ManyToManyField("self", symmetrical=False, blank=True)
    updated_on = models.DateField(help_text='Shown as "Last updated".')
    published = models.BooleanField(default=True)
    edited_by_office = models.BooleanField(
        default=False, help_text="Saved by the office: the shipped text no longer replaces it."
    )
    shipped_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach_guideline"],
                condition=~Q(coach_guideline=""),
                name="knowledge_one_article_per_guideline",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", kwargs={"slug": self.slug})

    @property
    def captions_file(self) -> str:
        """The static path of the shipped screencast's WebVTT captions ("" without one)."""
        return self.video_file.removesuffix(".webm") + ".vtt" if self.video_file else ""

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ArticleView(models.Model):
    """How many times ``user`` (None: anonymous readers together) opened an article on ``day``."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    day = models.DateField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "user"],
                condition=Q(user__isnull=False),
                name="knowledge_view_per_reader_day",
            ),
            models.UniqueConstraint(
                fields=["article", "day"],
                condition=Q(user__isnull=True),
                name="knowledge_anonymous_view_per_day",
            ),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.count}"


class Feedback(models.Model):
    """A reader's "was this helpful?" answer; one per person and article, changeable."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    helpful = models.BooleanField()
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="knowledge_one_vote_each")
        ]

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article_id}"
