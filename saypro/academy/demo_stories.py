"""Demo office work in the Academy: two published success stories and a draft course.

Written through the authoring services as the demo office account, after the
demo's improvement plan is measured (``saypro.improvements.demo``) and the
sellers' learning history exists, so every figure a story shows is the demo
data's own:

- "Sizing that fits" is the demo owner's store and its measured plan (the
  dresses that ran small): the story's steps are the plan's steps, and its
  before/after is the plan's stored measurement;
- "Every review answered in two days" is the other store whose team answered
  the most reviews in the last 90 days: its share answered within 48 hours and
  the certificates its people hold are counted from the data.

The office's draft course ("Photos that sell") shows authoring in progress.
Idempotent: nothing is written once any story exists, or without the office
account.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from saypro.academy import authoring
from saypro.academy.authoring import CourseInput, LessonInput, StoryInput
from saypro.academy.models import Certificate, Course, SuccessStory
from saypro.accounts.models import User
from saypro.catalog.demo import ACCOUNTS
from saypro.catalog.models import Store
from saypro.improvements.models import Plan
from saypro.reviews.models import RESPONSE_GOAL, Answer

ANSWER_WINDOW = timedelta(days=90)
DRAFT_SLUG = "photos-that-sell"


def load_demo_stories(*, now: datetime) -> int:
    """Create the stories and the draft course; how many stories were published."""
    office = User.objects.filter(email=ACCOUNTS["office"].email, is_staff=True).first()
    if office is None or SuccessStory.objects.exists():
        return 0
    published = 0
    plan = (
        Plan.objects.filter(status=Plan.Status.MEASURED, impact__ready=True)
        .select_related("store", "product", "theme")
        .order_by("measured_at")
        .first()
    )
    if plan is not None:
        _publish(office, _sizing_story(plan), now - timedelta(days=2))
        published += 1
    answering = _best_answering_store(now, exclude=plan.store_id if plan else None)
    if answering is not None:
        _publish(office, _answering_story(answering, now), now - timedelta(days=9))
        published += 1
    _draft_course(office, now)
    return published


def _publish(office: User, data: StoryInput, when: datetime) -> None:
    story = authoring.create_story(office, data, now=when - timedelta(hours=3))
    authoring.publish_story(office, story, now=when)


def _sizing_story(plan: Plan) -> StoryInput:
    store, product = plan.store, plan.product
    theme = plan.theme.name.lower() if plan.theme else "fit"
    steps = "\n".join(f"- {step.text}" for step in plan.steps.order_by("position"))
    owner = ACCOUNTS["owner"]
    return StoryInput(
        title=f"Sizing that fits: how {store.name} stopped the “runs small” reviews",
        store=store,
        plan=plan,
        featured=True,
        summary=(
            f"Reviews of the {product.title} kept saying it ran small. The team read them "
            "as a to-do list, changed the size guide and the listing, and measured the result."
        ),
        body=(
            f"## The problem\n\n"
            f"For months the {product.title} drew the same complaint: order your usual size and "
            f"it is too tight. The insights page put **{theme}** at the top of the store's "
            "negative themes, and the returns said the same.\n\n"
            "## What the team changed\n\n"
            f"The owner opened an improvement plan straight from the reviews, with the worst "
            f"of them attached as evidence, and the team worked through it:\n\n{steps}\n\n"
            "## How they knew it worked\n\n"
            "SayPro compared the reviews written after the change reached buyers with the "
            "same length of time before it. The figures below are that measurement, not a "
            "guess: fewer buyers now mention the fit at all, and the ones who do are mostly "
            "happy with it.\n\n"
            "## Try it in your store\n\n"
            "The course *Turning feedback into better products* walks through the same "
            "steps with a practice product: find the top issue, plan the fix, measure it."
        ),
        quote=(
            "We had been answering the same complaint one review at a time. Planning the fix "
            "once, and seeing the numbers move, was the best afternoon we spent this year."
        ),
        quote_author=f"{owner.first_name} {owner.last_name}, owner of {store.name}",
    )


def _best_answering_store(now: datetime, *, exclude: int | None) -> Store | None:
    since = now - ANSWER_WINDOW
    stores = (
        Store.objects.exclude(pk=exclude)
        .annotate(
            answers=Count(
                "review_answers",
                filter=Q(
                    review_answers__published_at__gte=since,
                    review_answers__withdrawn_at__isnull=True,
                ),
            )
        )
        .filter(answers__gt=0)
        .order_by("-answers", "pk")
    )
    return stores.first()


def _answering_story(store: Store, now: datetime) -> StoryInput:
    answers = Answer.objects.filter(
        store=store, published_at__gte=now - ANSWER_WINDOW, withdrawn_at__isnull=True
    )
    total = answers.count()
    on_time = answers.filter(response_time__lte=RESPONSE_GOAL).count()
    certified = Certificate.objects.filter(
        enrolment__user__memberships__store=store,
        enrolment__course__slug="responding-to-reviews",
    ).count()
    team = f"{certified} of its people hold" if certified != 1 else "one of its people holds"
    return StoryInput(
        title=f"Every review answered: {store.name}'s two-day habit",
        store=store,
        summary=(
            f"{store.name} answered {on_time} of its last {total} reviews within 48 hours. "
            "The habit started with a course and a shared rule: no review waits for Monday."
        ),
        body=(
            "## A habit, not a campaign\n\n"
            f"In the last 90 days {store.name} published **{total} answers** to reviews, "
            f"**{on_time}** of them within the marketplace's 48-hour goal. {team.capitalize()} "
            "the *Responding to reviews* certificate.\n\n"
            "## What the team does\n\n"
            "- The Seller Center's review inbox is the first tab opened each morning; the "
            "oldest unanswered review goes first, negative ones before praise.\n"
            "- Every answer names the product and the buyer's actual point, and a complaint "
            "gets a concrete next step: a replacement, a refund or a message thread.\n"
            "- The response coach checks each draft before it is published; a warning is "
            "fixed, not ignored.\n\n"
            "## Why it matters\n\n"
            "Buyers read answers before they buy. A prompt, specific answer to a bad review "
            "tells the next buyer what will happen if something goes wrong, and that is "
            "often what decides the sale."
        ),
        quote=(
            "The practice reviews in the course were harder than our real ones. After those, "
            "answering a disappointed buyer the same day felt normal."
        ),
        quote_author=f"The team at {store.name}",
    )


def _draft_course(office: User, now: datetime) -> None:
    if Course.objects.filter(slug=DRAFT_SLUG).exists():
        return
    course = authoring.create_course(
        office,
        CourseInput(
            title="Photos that sell",
            slug=DRAFT_SLUG,
            summary="Take product photos on a phone that answer buyers' questions before they ask.",
            description=(
                "Most questions buyers send about a product are answered by a photo that was "
                "never taken. This course shows which photos to take and how to take them "
                "with a phone and daylight."
            ),
            topics=["Listings"],
            estimated_minutes=25,
        ),
        now=now - timedelta(days=1),
    )
    module = authoring.add_module(office, course, "The five photos every listing needs")
    authoring.add_lesson(
        office,
        module,
        LessonInput(
            title="Answer the questions buyers ask",
            minutes=6,
            body=(
                "Read the last twenty questions buyers sent your store. Most fall into a "
                "few groups: *how big is it*, *what is it made of*, *what does it look like "
                "on*. Each group is a photo:\n\n"
                "1. The whole product on a plain background.\n"
                "2. Next to something everyone knows the size of.\n"
                "3. The material, close enough to see the weave or the finish.\n"
                "4. In use: worn, filled, switched on.\n"
                "5. Everything in the box."
            ),
        ),
    )
    authoring.add_lesson(
        office,
        module,
        LessonInput(
            title="Daylight and a phone",
            minutes=5,
            body=(
                "Shoot next to a window, out of direct sun, with the phone's main camera "
                "(not the wide lens). Turn off the flash; tap the product to focus; keep the "
                "background plain so the product is the only thing to look at."
            ),
        ),
    )
