from datetime import date

from ninja import Field, Schema


class KnowledgeCategoryRef(Schema):
    slug: str
    title: str


class KnowledgeArticleRef(Schema):
    slug: str
    title: str


class KnowledgeArticleSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    kind: str
    category: KnowledgeCategoryRef
    updated_on: date = Field(description='The "Last updated" date.')
    url: str
    title_html: str | None = Field(
        None, description="Searches only: the title, HTML-escaped, matches in <mark>."
    )
    snippet_html: str | None = Field(
        None, description="Searches only: a passage, HTML-escaped, matches in <mark>."
    )


class KnowledgeArticleOut(Schema):
    slug: str
    title: str
    summary: str
    kind: str
    category: KnowledgeCategoryRef
    updated_on: date
    url: str
    video_url: str
    video_file_url: str = Field(description="The shipped screencast (WebM), or empty.")
    captions_url: str = Field(description="Its WebVTT captions, or empty.")
    tags: list[str]
    coach_guideline: str
    body: str = Field(description="Markdown.")
    body_html: str = Field(description="The body rendered and sanitised.")
    related: list[KnowledgeArticleRef] = Field(
        description="Related published articles (slug and title)."
    )
