"""Put the shipped knowledge base (``academy/content/knowledge`` and the video tutorials of
``knowledge/tutorials``) into the database.

Categories are matched by slug and take the shipped title, description and
order. Articles are matched by slug: a new one is created (published); one
the office never saved (``edited_by_office`` false) takes the shipped text
whenever it changed; one the office saved is left exactly as the office left
it. A digest of the shipped article is stored, so loading again when nothing
changed writes nothing: cheap enough for every ``make run`` and test setup.
One transaction: a load that fails changes nothing.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from saypro.academy import content as shipped
from saypro.knowledge.models import Article, Category
from saypro.knowledge.services import forget_links
from saypro.knowledge.text import normalise_tags, plain_text
from saypro.knowledge.tutorials import Tutorial, load_tutorials


@dataclass(frozen=True)
class LoadReport:
    categories: int
    created: int
    updated: int
    unchanged: int
    kept: int  # edited by the office, so left alone


def _digest(item: shipped.Article, video_file: str) -> str:
    data = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "category": item.category,
        "kind": item.kind,
        "updated": item.updated.isoformat(),
        "related": list(item.related),
        "tags": list(item.tags),
        "coach_guideline": item.coach_guideline,
    }
    if video_file:  # only then, so the other articles' digests stay as they were
        data["video_file"] = video_file
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def load_content(
    content: shipped.Content | None = None, tutorials: tuple[Tutorial, ...] | None = None
) -> LoadReport:
    content = content or shipped.load_content()
    if tutorials is None:
        tutorials = load_tutorials(content)
    items = [(item, "") for item in content.articles]
    items += [(tutorial.article, tutorial.video_file) for tutorial in tutorials]
    categories = {category.slug: category for category in Category.objects.all()}
    for item in content.categories:
        fields = {"title": item.title, "description": item.description, "order": item.order}
        category = categories.get(item.slug)
        if category is None:
            categories[item.slug] = Category.objects.create(slug=item.slug, **fields)
        elif any(getattr(category, name) != value for name, value in fields.items()):
            Category.objects.filter(pk=category.pk).update(**fields)
    existing = {article.slug: article for article in Article.objects.all()}
    now = timezone.now()
    created = updated = unchanged = kept = 0
    changed: list[shipped.Article] = []
    for item, video_file in items:
        article = existing.get(item.slug)
        if article is not None and article.edited_by_office:
            kept += 1
            continue
        digest = _digest(item, video_file)
        if article is not None and article.shipped_digest == digest:
            unchanged += 1
            continue
        fields = {
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "search_text": plain_text(item.body),
            "category": categories[item.category],
            "kind": item.kind,
            "video_file": video_file,
            "tags": normalise_tags(item.tags),
            "coach_guideline": item.coach_guideline,
            "updated_on": item.updated,
            "shipped_digest": digest,
            "updated_at": now,
        }
        if article is None:
            # A guideline the office gave to one of its own articles stays with that article.
            if (
                Article.objects.filter(coach_guideline=item.coach_guideline)
                .exclude(coach_guideline="")
                .exists()
            ):
                fields["coach_guideline"] = ""
            existing[item.slug] = Article.objects.create(slug=item.slug, created_at=now, **fields)
            created += 1
        else:
            if (
                Article.objects.filter(coach_guideline=item.coach_guideline)
                .exclude(coach_guideline="")
                .exclude(pk=article.pk)
                .exists()
            ):
                fields["coach_guideline"] = ""
            for name, value in fields.items():
                setattr(article, name, value)
            article.save()
            updated += 1
        changed.append(item)
    for item in changed:  # every article exists now, so related slugs resolve
        targets = [existing[slug] for slug in item.related if slug in existing]
        existing[item.slug].related.set(targets)
    if changed:
        forget_links()
    return LoadReport(len(content.categories), created, updated, unchanged, kept)
