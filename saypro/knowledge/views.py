"""Help-centre pages (public: anyone may read) and the office's article editor.

Reading an article counts a view; "Was this helpful?" needs a login (an
anonymous vote is refused with 401 and changes nothing). Office pages are for
office staff only: anonymous people are sent to log in, anyone else gets 403.
Reads go through ``selectors``, writes through ``services``.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saypro.academy.authoring import embed_url
from saypro.core.auth import login_required, require_office
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.markdown import render_markdown
from saypro.core.pagination import paginate
from saypro.knowledge import selectors, services
from saypro.knowledge.forms import ArticleForm, FeedbackForm
from saypro.knowledge.models import Article
from saypro.notifications import selectors as notification_selectors

SEARCH_PAGE_SIZE = 20


@require_GET
def hub(request):
    return render(
        request,
        "knowledge/pages/hub.html",
        {"categories": selectors.hub(), "popular": selectors.popular(request.user)},
    )


@require_GET
def category(request, slug: str):
    found = selectors.category_for(slug)
    if found is None:
        raise Http404("No such topic.")
    return render(request, "knowledge/pages/category.html", {"category": found})


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[: selectors.QUERY_MAX_LENGTH]
    context = {"query": query}
    if query:
        context.update(paginate(request, selectors.search(query), per_page=SEARCH_PAGE_SIZE))
    return render(request, "knowledge/pages/search.html", context)


def _article(request, slug: str) -> Article:
    found = selectors.article_for(request.user, slug)
    if found is None:
        raise Http404("No such article.")
    return found


def _article_page(request, article: Article, *, form=None, error="", status=200):
    feedback = selectors.feedback_of(request.user, article)
    context = {
        "article": article,
        "related": selectors.related_to(article),
        "feedback": feedback,
        "form": form or FeedbackForm(initial={"comment": feedback.comment if feedback else ""}),
        "error": error,
        "can_edit": services.can_edit(request.user),
        "embed": embed_url(article.video_url),
    }
    return render(request, "knowledge/pages/article.html", context, status=status)


@require_GET
def article(request, slug: str):
    found = _article(request, slug)
    if found.published:
        services.record_view(article=found, user=request.user)
    return _article_page(request, found)


@require_POST
def feedback(request, slug: str):
    """A vote (and optionally a comment); voting again changes the earlier answer."""
    found = _article(request, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _article_page(request, found, form=form, status=400)
    try:
        services.give_feedback(
            user=request.user,
            article=found,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as error:
        add_service_error(form, error)
        return _article_page(request, found, form=form, error=error.message, status=error.status)
    return redirect(f"{found.get_absolute_url()}#feedback")


# --- Office ----------------------------------------------------------------------------------


def _office_article(request, pk: int) -> Article:
    require_office(request)
    found = Article.objects.select_related("category").filter(pk=pk).first()
    if found is None:
        raise Http404("No such article.")
    return found


@login_required
@require_GET
def office_list(request):
    require_office(request)
    return _office_list_page(request)


def _office_list_page(request, *, status: int = 200):
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "knowledge/pages/office_list.html",
        {"articles": selectors.office_articles(query=query), "query": query},
        status=status,
    )


# The office list's buttons post published=1 (Publish) or published=0 (Unpublish).
PUBLISHED_VALUES = {"1": True, "0": False}


def _input(form: ArticleForm) -> services.ArticleInput:
    data = form.cleaned_data
    return services.ArticleInput(
        title=data["title"],
        slug=data.get("slug", ""),
        summary=data["summary"],
        body=data["body"],
        category=data["category"],
        kind=data["kind"],
        video_url=data["video_url"],
        tags=data["tags"],
        coach_guideline=data["coach_guideline"],
        related=tuple(data["related"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request, pk: int | None = None):
    """Create or change an article; "Preview" renders the Markdown without saving."""
    found = _office_article(request, pk) if pk is not None else None
    require_office(request)
    if request.method == "GET":
        initial = ArticleForm.initial_for(found) if found else None
        return _editor(request, ArticleForm(initial=initial, article=found), found)
    form = ArticleForm(request.POST, article=found)
    if not form.is_valid():
        return _editor(request, form, found, status=400)
    if request.POST.get("action") == "preview":
        return _editor(request, form, found, preview=render_markdown(form.cleaned_data["body"]))
    try:
        if found is None:
            found = services.create_article(staff=request.user, data=_input(form))
        else:
            found = services.update_article(staff=request.user, article=found, data=_input(form))
    except ApplicationError as error:
        add_service_error(form, error)
        return _editor(request, form, found, status=error.status)
    messages.success(request, f"“{found.title}” saved.")
    return redirect("office_knowledge:list")


def _editor(request, form, found, *, status=200, preview=None):
    return render(
        request,
        "knowledge/pages/office_edit.html",
        {"form": form, "article": found, "preview": preview},
        status=status,
    )


@login_required
@require_POST
def office_publish(request, pk: int):
    found = _office_article(request, pk)
    publish = PUBLISHED_VALUES.get(request.POST.get("published", ""))
    if publish is None:  # a tampered or missing value changes nothing
        messages.error(request, "Choose Publish or Unpublish.")
        return _office_list_page(request, status=400)
    services.set_published(staff=request.user, article=found, published=publish)
    state = "published" if publish else "unpublished: it left the help centre and its links"
    messages.success(request, f"“{found.title}” {state}.")
    return redirect("office_knowledge:list")


@login_required
@require_GET
def office_comments(request, pk: int):
    found = _office_article(request, pk)
    return render(
        request,
        "knowledge/pages/office_comments.html",
        {
            "article": found,
            "comments": selectors.comments_on(found),
            # the reader's own time zone (notification settings), as on their other pages
            "time_zone": notification_selectors.settings_for(request.user).time_zone,
        },
    )
