"""A small hand-built marketplace whose every KPI was worked out by hand (see test_kpis.py).

All times are marketplace-local (Africa/Johannesburg, UTC+2). "Now" is
20 October 2026, 12:00, in Q4; Q3 2026 is the quarter checked, Q2 the one
before it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from saypro.academy.models import Course, Enrolment
from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import Order, OrderItem
from saypro.catalog.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ProductFactory,
    StoreFactory,
    SubcategoryFactory,
)
from saypro.consultations.models import Booking
from saypro.consultations.tests.factories import make_expert, make_slot, make_topic
from saypro.improvements.models import Plan
from saypro.knowledge.models import Article, ArticleView
from saypro.knowledge.models import Category as KnowledgeCategory
from saypro.messaging.models import Conversation, Message, ProductCard, Side, Wait
from saypro.reviews.models import Answer, Review
from saypro.surveys.models import Invitation, Response, Survey, Trigger
from saypro.webinars.tests.factories import RegistrationFactory, SessionFactory

ZONE = ZoneInfo("Africa/Johannesburg")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=ZONE)


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


@dataclass
class World:
    store_a: object
    store_b: object
    sam: object  # owner of store A
    bea: object  # owner of store B, also a buyer at store A
    ann: object  # a buyer
    home: object  # store A's department
    garden: object  # store B's department


class Builder:
    def __init__(self) -> None:
        self.orders = 0

    def conversation(self, buyer, store, created_at, started_by=Side.BUYER, topic=""):
        return Conversation.objects.create(
            buyer=buyer,
            store=store,
            topic=topic,
            started_by=started_by,
            created_at=created_at,
            last_message_at=created_at,
        )

    def message(self, conversation, sender, side, created_at, *, spam=False):
        return Message.objects.create(
            conversation=conversation,
            sender=sender,
            side=side,
            text="Hello",
            fingerprint=f"{conversation.pk}-{created_at.isoformat()}-{sender.pk}",
            is_spam=spam,
            created_at=created_at,
        )

    def wait(self, message, *, ended_at=None, outcome=Wait.Outcome.ANSWERED):
        started = message.created_at
        return Wait.objects.create(
            conversation=message.conversation,
            message=message,
            started_at=started,
            due_at=started + timedelta(hours=24),
            outcome=outcome,
            ended_at=ended_at,
            response_seconds=(
                int((ended_at - started).total_seconds())
                if outcome == Wait.Outcome.ANSWERED
                else None
            ),
        )

    def order(self, buyer, store, product, placed_at, status=Order.Status.DELIVERED):
        self.orders += 1
        order = Order.objects.create(
            number=f"SP-W{self.orders:05d}",
            buyer=buyer,
            store=store,
            status=status,
            total=Decimal("100.00"),
            placed_at=placed_at,
        )
        item = OrderItem.objects.create(
            order=order,
            product=product,
            title=product.title,
            unit_price=Decimal("100.00"),
            quantity=1,
        )
        return order, item

    def review(self, item, rating, published_at, status=Review.Status.PUBLISHED):
        return Review.objects.create(
            product=item.product,
            store=item.order.store,
            order_item=item,
            author=item.order.buyer,
            rating=rating,
            body="About the product.",
            status=status,
            created_at=published_at,
            published_at=published_at,
            response_due_at=published_at + timedelta(hours=48),
        )

    def answer(self, review, member, published_at, coach_score):
        return Answer.objects.create(
            review=review,
            store=review.store,
            author=member,
            body="Thank you.",
            published_at=published_at,
            response_time=published_at - review.published_at,
            coach_score=coach_score,
        )

    def plan(self, store, product, created_at, **fields):
        return Plan.objects.create(
            store=store,
            product=product,
            template=Plan.Template.CHANGE_SIZING,
            title="Fix the sizing",
            problem="Too small.",
            goal_metric=Plan.Metric.AVERAGE_RATING,
            goal_target=4.5,
            goal_due=created_at.date() + timedelta(days=60),
            created_at=created_at,
            **fields,
        )


def build() -> World:
    b = Builder()
    home, garden = CategoryFactory(name="Home"), CategoryFactory(name="Garden")
    store_a, store_b = StoreFactory(name="Store A"), StoreFactory(name="Store B")
    linen = ProductFactory(store=store_a, category=SubcategoryFactory(parent=home))
    ProductFactory(store=store_b, category=garden)
    sam = MembershipFactory(store=store_a).user
    bea = MembershipFactory(store=store_b).user
    ann = UserFactory()

    # Q2: one conversation on 30 June 23:30 local (21:30 UTC): 2 messages.
    c0 = b.conversation(ann, store_a, at(6, 30, 23, 30), topic="c0")
    b.wait(b.message(c0, ann, Side.BUYER, at(6, 30, 23, 30)), ended_at=at(6, 30, 23, 45))
    b.message(c0, sam, Side.STORE, at(6, 30, 23, 45))

    # C1: Ann asks store A; replies after 150 min, then after 25 h; she buys 3 days later.
    c1 = b.conversation(ann, store_a, at(8, 3, 10), topic="c1")
    b.wait(b.message(c1, ann, Side.BUYER, at(8, 3, 10)), ended_at=at(8, 3, 12, 30))
    b.message(c1, ann, Side.BUYER, at(8, 3, 11), spam=True)
    b.message(c1, sam, Side.STORE, at(8, 3, 12, 30))
    b.wait(b.message(c1, ann, Side.BUYER, at(8, 4, 9)), ended_at=at(8, 5, 10))
    b.message(c1, sam, Side.STORE, at(8, 5, 10))
    b.order(ann, store_a, linen, at(8, 6, 9))

    # C2: Bea (a seller) asks store A at 23:30 on 30 Sept; answered at 08:30 next day, in Q4,
    # with a product card; she buys on 5 Oct (within 7 days).
    c2 = b.conversation(bea, store_a, at(9, 30, 23, 30), topic="c2")
    b.wait(b.message(c2, bea, Side.BUYER, at(9, 30, 23, 30)), ended_at=at(10, 1, 8, 30))
    reply = b.message(c2, sam, Side.STORE, at(10, 1, 8, 30))
    ProductCard.objects.create(message=reply, product=linen)
    b.order(bea, store_a, linen, at(10, 5, 10))

    # C3: "no response needed".
    c3 = b.conversation(ann, store_a, at(9, 10, 14), topic="c3")
    b.wait(
        b.message(c3, ann, Side.BUYER, at(9, 10, 14)),
        ended_at=at(9, 10, 15),
        outcome=Wait.Outcome.NO_RESPONSE_NEEDED,
    )

    # C4: Ann asks store B; never answered (abandoned).
    c4 = b.conversation(ann, store_b, at(9, 15, 9), topic="c4")
    b.wait(b.message(c4, ann, Side.BUYER, at(9, 15, 9)), outcome=Wait.Outcome.OPEN)

    # C5: store A writes first.
    c5 = b.conversation(ann, store_a, at(8, 20, 10), started_by=Side.STORE, topic="c5")
    b.message(c5, sam, Side.STORE, at(8, 20, 10))

    # C6: 1 July 00:30 local = 30 June 22:30 UTC: a Q3 conversation; answered in 60 min.
    c6 = b.conversation(ann, store_b, at(7, 1, 0, 30), topic="c6")
    b.wait(b.message(c6, ann, Side.BUYER, at(7, 1, 0, 30)), ended_at=at(7, 1, 1, 30))
    b.message(c6, bea, Side.STORE, at(7, 1, 1, 30))

    # Reviews of store A (each on its own delivered order).
    def item():
        return b.order(ann, store_a, linen, at(6, 1))[1]

    r1 = b.review(item(), 5, at(7, 10, 10))
    b.answer(r1, sam, at(7, 11, 9), 80)  # 23 h
    r2 = b.review(item(), 1, at(8, 1, 10))
    b.answer(r2, sam, at(8, 4, 10), 60)  # 72 h: late
    r3 = b.review(item(), 4, at(8, 15, 10))
    b.answer(r3, sam, at(8, 15, 20), 90)  # 10 h
    r3.rating, r3.edited_at = 2, at(8, 20, 10)  # edited after its answer: now negative
    r3.save()
    b.review(item(), 1, at(9, 1, 10), status=Review.Status.HIDDEN)
    b.review(item(), 2, at(9, 20, 10))  # never answered
    b.review(item(), 4, at(10, 19, 18))  # Q4, younger than 48 h at NOW

    # Plans of store A.
    b.plan(
        store_a,
        linen,
        at(7, 5, 9),
        suggestion_key="sizing",
        status=Plan.Status.MEASURED,
        shipped_at=at(8, 10, 9),
        measured_at=at(9, 15, 9),
        verdict=Plan.Verdict.HELPED,
    )
    b.plan(store_a, linen, at(8, 1, 9), status=Plan.Status.SHIPPED, shipped_at=at(9, 1, 9))
    b.plan(store_a, linen, at(9, 5, 9), status=Plan.Status.IN_PROGRESS)

    # Education: Sam enrols in the review course and completes it; Bea does not.
    course = Course.objects.create(
        slug="responding-to-reviews",
        title="Responding to reviews",
        summary="Answer reviews well.",
        topics=["Reviews"],
        status=Course.Status.PUBLISHED,
        counts_for_target=True,
    )
    enrolment = Enrolment.objects.create(
        user=sam, course=course, enrolled_at=at(8, 1, 9), completed_at=at(9, 1, 9)
    )
    survey = Survey.objects.create(
        title="Course", question="How useful?", trigger=Trigger.COURSE_COMPLETED
    )
    for person, score in ((sam, 5), (bea, 3)):
        invitation = Invitation.objects.create(
            survey=survey,
            user=person,
            subject_type=ContentType.objects.get_for_model(Enrolment),
            subject_id=enrolment.pk,
            expires_at=at(12, 1),
            answered_at=at(9, 2, 9),
        )
        Response.objects.create(
            invitation=invitation, survey=survey, score=score, created_at=at(9, 2, 9)
        )
    # Resources in Q3: Sam reads an article (Ann too, but she is no seller); Sam and Bea
    # attend a webinar; Bea holds a consultation; a seller's no-show does not count.
    kb = KnowledgeCategory.objects.create(slug="reviews", title="Reviews")
    article = Article.objects.create(
        slug="answering",
        title="Answering",
        summary="How.",
        body="Text.",
        category=kb,
        updated_on=date(2026, 7, 1),
    )
    for person in (sam, ann):
        ArticleView.objects.create(article=article, user=person, day=date(2026, 8, 2))
    session = SessionFactory(starts_at=at(8, 12, 10), created_at=at(8, 1))
    for person in (sam, bea):
        RegistrationFactory(session=session, user=person, attended=True, created_at=at(8, 2))
    topic = make_topic()
    expert = make_expert(topics=[topic])
    for starts_at, person, store, status in (
        (at(9, 3, 10), bea, store_b, Booking.Status.COMPLETED),
        (at(9, 4, 10), sam, store_a, Booking.Status.NO_SHOW),
    ):
        Booking.objects.create(
            slot=make_slot(expert, starts_at),
            seller=person,
            store=store,
            topic=topic,
            status=status,
            meeting_link="https://meet.example/expert",
            created_at=at(9, 1, 10),
        )
    return World(store_a, store_b, sam, bea, ann, home, garden)
