"""The knowledge base's video tutorials: short screencasts of the product, with captions.

Each tutorial is ``<slug>.md`` in this folder: TOML front matter between
``+++`` lines, then the Markdown text the article page shows under the video
(what the video shows, the steps written out). Its video and captions are
static files, ``knowledge/static/knowledge/tutorials/<slug>.webm`` and
``<slug>.vtt``, made by ``record.py`` from the running product. They live
here, beside the recorder, rather than in ``academy/content/knowledge``,
because the recorder, its scenes and their outputs change together whenever
the UI does. ``load_tutorials`` reads and checks them against the shipped
content (categories, related articles) and raises ``ContentError`` naming
the file and field at fault; ``knowledge.loading`` puts them in the database.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from saypro.academy.content import Article, Content, ContentError, read_markdown

TUTORIALS_DIR = Path(__file__).resolve().parent
STATIC_DIR = TUTORIALS_DIR.parent / "static" / "knowledge" / "tutorials"
STATIC_PREFIX = "knowledge/tutorials"  # where STATIC_DIR's files are served, under STATIC_URL
FIELDS = {"title", "summary", "category", "updated", "related", "tags"}
SLUG_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class Tutorial:
    article: Article  # kind "video"
    video_file: str  # static path of the screencast (WebM); its captions sit next to it (.vtt)

    @property
    def video_path(self) -> Path:
        return STATIC_DIR / Path(self.video_file).name

    @property
    def captions_path(self) -> Path:
        return self.video_path.with_suffix(".vtt")


def load_tutorials(content: Content, directory: Path = TUTORIALS_DIR) -> tuple[Tutorial, ...]:
    """Every ``*.md`` in ``directory``, checked; ContentError on the first fault."""
    paths = sorted(directory.glob("*.md"))
    slugs = {path.stem for path in paths}
    categories = {category.slug for category in content.categories}
    known = {article.slug for article in content.articles} | slugs
    tutorials = []
    for path in paths:
        if not set(path.stem) <= SLUG_CHARACTERS:
            raise ContentError(path, "", f"{path.stem!r} is not a slug (a-z, 0-9 and hyphens)")
        if path.stem in {article.slug for article in content.articles}:
            raise ContentError(path, "", "an article of academy/content/knowledge has this slug")
        front, body = read_markdown(path)
        unknown = set(front) - FIELDS
        if unknown:
            raise ContentError(path, sorted(unknown)[0], "unknown field")
        missing = FIELDS - {"related", "tags"} - set(front)
        if missing:
            raise ContentError(path, sorted(missing)[0], "required")
        texts = {name: front[name] for name in ("title", "summary", "category")}
        for name, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                raise ContentError(path, name, "must be a text that is not empty")
        if front["category"] not in categories:
            raise ContentError(path, "category", f"unknown category {front['category']!r}")
        if not isinstance(front["updated"], date):
            raise ContentError(path, "updated", "must be a TOML date (2026-11-30)")
        related = tuple(front.get("related", ()))
        wrong = [slug for slug in related if slug not in known - {path.stem}]
        if wrong:
            raise ContentError(path, "related", f"unknown article {wrong[0]!r}")
        tutorial = Tutorial(
            article=Article(
                slug=path.stem,
                title=texts["title"].strip(),
                category=front["category"],
                kind="video",
                summary=texts["summary"].strip(),
                updated=front["updated"],
                related=related,
                tags=tuple(front.get("tags", ())),
                coach_guideline="",
                body=body,
            ),
            video_file=f"{STATIC_PREFIX}/{path.stem}.webm",
        )
        for file in (tutorial.video_path, tutorial.captions_path):
            if not file.is_file():
                raise ContentError(path, "", f"{file.name} is missing: run record.py")
        tutorials.append(tutorial)
    return tuple(tutorials)
