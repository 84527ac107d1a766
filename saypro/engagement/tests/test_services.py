"""Prompt rules (dates, audience, cap, dismissal), built-in figures and their hiding,
counting, the office's editor with its permissions, tutorial progress."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.tests.factories import MembershipFactory
from saypro.core.errors import NotFound, PermissionDenied, ValidationFailed
from saypro.core.testing import postgresql_only, run_at_once
from saypro.engagement import selectors, services
from saypro.engagement.models import Audience, Placement, Prompt, PromptEvent, TutorialProgress
from saypro.engagement.placeholders import BUILT_IN_PROMPTS
from saypro.engagement.selectors import PageSubject
from saypro.engagement.tests.factories import PromptFactory
from saypro.messaging import services as messaging
from saypro.messaging.models import QuickReply
from saypro.messaging.tests.factories import ConversationFactory, MessageFactory
from saypro.reviews.tests.factories import ReviewFactory

NOW = timezone.now().replace(microsecond=0)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_built_ins():
    """Each test chooses its prompts: the built-ins the migration wrote are switched off."""
    Prompt.objects.filter(code__isnull=False).update(is_active=False)


def see(user, placement, subject=None, *, now=NOW):
    """What the ``prompts`` template tag does on a page view: read, then count as shown."""
    shown = selectors.prompts_for(user, placement, subject, now=now)
    services.record_shown(user=user, shown=shown, now=now)
    return shown


def titles(shown):
    return [item.title for item in shown]


def built_in(code):
    prompt = Prompt.objects.get(code=code)
    prompt.is_active = True
    prompt.save()
    return prompt


# --- Rules -----------------------------------------------------------------------------------


def test_a_prompt_fills_its_placeholders_for_the_page(buyer, product):
    PromptFactory(
        title="Hi {first_name}", text="{product} from {store}", cta_link="/s/{store_slug}/"
    )
    [item] = see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product))
    assert (item.title, item.text, item.cta_link) == (
        "Hi Thandi",
        "Linen shirt from Cape Linen Co",
        "/s/cape-linen-co/",
    )
    assert (item.store_id, item.product_id) == (product.store_id, product.pk)


def test_anonymous_visitors_see_no_prompts(product):
    PromptFactory()
    assert see(AnonymousUser(), Placement.PRODUCT_PAGE, PageSubject(product=product)) == []
    assert PromptEvent.objects.count() == 0


def test_dates_and_the_switch_decide_when_a_prompt_runs(buyer, product):
    subject = PageSubject(product=product)
    PromptFactory(title="Later", starts_at=NOW + timedelta(hours=1))
    PromptFactory(title="Over", ends_at=NOW)
    PromptFactory(title="Off", is_active=False)
    PromptFactory(title="Now", starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1))
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject)) == ["Now"]
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject, now=NOW + timedelta(hours=2))) == [
        "Later",
        "Now",
    ]


def test_only_the_placement_of_the_page(buyer, product):
    PromptFactory(title="Order", placement=Placement.ORDER_PAGE)
    assert see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product)) == []


def test_the_cap_counts_showings_per_person_within_its_days(buyer, product):
    subject = PageSubject(product=product)
    PromptFactory(title="Capped", max_shows=2, per_days=7)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject)) == ["Capped"]
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject, now=NOW + timedelta(days=1))) == [
        "Capped"
    ]
    assert see(buyer, Placement.PRODUCT_PAGE, subject, now=NOW + timedelta(days=2)) == []
    # Another person has their own cap; a week after the first showing one is free again.
    assert titles(see(UserFactory(), Placement.PRODUCT_PAGE, subject)) == ["Capped"]
    later = NOW + timedelta(days=7, seconds=1)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject, now=later)) == ["Capped"]
    assert PromptEvent.objects.filter(user=buyer, kind="shown").count() == 3


def test_a_dismissed_prompt_never_shows_again(buyer, product):
    subject = PageSubject(product=product)
    prompt = PromptFactory(title="Dismiss me", max_shows=10, per_days=1)
    see(buyer, Placement.PRODUCT_PAGE, subject)
    services.dismiss_prompt(user=buyer, prompt=prompt, product_id=product.pk, now=NOW)
    services.dismiss_prompt(user=buyer, prompt=prompt, now=NOW)  # a second click: counted once
    assert see(buyer, Placement.PRODUCT_PAGE, subject, now=NOW + timedelta(days=365)) == []
    assert PromptEvent.objects.filter(kind="dismissed").count() == 1


def test_the_database_keeps_one_dismissal_per_person_and_prompt(buyer):
    prompt = PromptFactory()
    PromptEvent.objects.create(user=buyer, prompt=prompt, kind="dismissed")
    with pytest.raises(IntegrityError), transaction.atomic():
        PromptEvent.objects.create(user=buyer, prompt=prompt, kind="dismissed")
    PromptEvent.objects.create(user=buyer, prompt=prompt, kind="shown")  # other kinds repeat


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_dismissals_racing_each_other_record_one():
    buyer, prompt = UserFactory(), PromptFactory()

    results = run_at_once([lambda: services.dismiss_prompt(user=buyer, prompt=prompt)] * 4)

    assert all(isinstance(result, PromptEvent) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert PromptEvent.objects.filter(kind="dismissed").count() == 1


def test_priority_orders_and_at_most_two_per_placement(buyer, product):
    for priority in (10, 90, 50):
        PromptFactory(title=f"P{priority}", priority=priority)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product))) == [
        "P90",
        "P50",
    ]


def test_audience_roles(buyer, seller, store, product):
    other_store_seller = MembershipFactory().user
    PromptFactory(title="Buyers", audience=Audience.BUYERS)
    PromptFactory(title="Sellers", audience=Audience.SELLERS, priority=60)
    subject = PageSubject(product=product)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject)) == ["Buyers"]
    assert titles(see(other_store_seller, Placement.PRODUCT_PAGE, subject)) == ["Sellers"]
    # The product's own store sees no buyer prompts on its own product.
    assert see(seller, Placement.PRODUCT_PAGE, subject) == []


def test_new_accounts_only(product):
    PromptFactory(title="Welcome", joined_within_days=14)
    newcomer = UserFactory(date_joined=NOW - timedelta(days=13))
    old_hand = UserFactory(date_joined=NOW - timedelta(days=15))
    assert titles(see(newcomer, Placement.PRODUCT_PAGE, PageSubject(product=product))) == [
        "Welcome"
    ]
    assert see(old_hand, Placement.PRODUCT_PAGE, PageSubject(product=product)) == []


def test_people_who_never_sent_a_message(buyer, product):
    PromptFactory(title="Ask", only_never_messaged=True)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product))) == ["Ask"]
    MessageFactory(conversation__buyer=buyer)
    assert see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product)) == []


def test_sellers_whose_store_has_buyers_waiting(buyer, seller, store, product):
    PromptFactory(
        title="Answer",
        placement=Placement.SELLER_DASHBOARD,
        audience=Audience.SELLERS,
        only_with_buyers_waiting=True,
    )
    assert see(seller, Placement.SELLER_DASHBOARD, PageSubject(store=store)) == []
    messaging.start_conversation(buyer, store_id=store.pk, product_id=product.pk, text="Hi?")
    assert titles(see(seller, Placement.SELLER_DASHBOARD, PageSubject(store=store))) == ["Answer"]
    # Seller placements are for the store's own team only.
    assert see(buyer, Placement.SELLER_DASHBOARD, PageSubject(store=store)) == []


def test_after_a_review_is_posted_only_while_it_is_fresh(buyer, product):
    PromptFactory(title="Thanks", placement=Placement.REVIEW_POSTED)
    subject = PageSubject(product=product)
    assert see(buyer, Placement.REVIEW_POSTED, subject) == []
    ReviewFactory(order_item__order__buyer=buyer, order_item__product=product, published_at=NOW)
    assert titles(see(buyer, Placement.REVIEW_POSTED, subject)) == ["Thanks"]
    assert see(buyer, Placement.REVIEW_POSTED, subject, now=NOW + timedelta(hours=2)) == []


# --- Built-in prompts ------------------------------------------------------------------------


def answered(store, *seconds, days_ago=1):
    for value in seconds:
        ConversationFactory(
            store=store, first_response_seconds=value, created_at=NOW - timedelta(days=days_ago)
        )


def test_ask_store_shows_the_stores_real_median_response_time(buyer, store, product):
    built_in("ask_store")
    answered(store, 600, 1200, 1700, 3600, 7200)  # median 1700 s → rounded up to 30 minutes
    answered(store, 90_000, 90_000, 90_000, days_ago=91)  # too old to count
    ConversationFactory(store=store)  # not answered yet: no figure
    [item] = see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product))
    assert item.title == "Questions? Ask Cape Linen Co"
    assert item.text == "Cape Linen Co usually replies within 30 minutes."
    assert item.cta_link == f"/messages/new/?store={store.pk}&product={product.pk}"


def test_ask_store_is_hidden_without_enough_data_or_when_slow(buyer, store, product, settings):
    built_in("ask_store")
    subject = PageSubject(product=product)
    answered(store, 600, 600, 600, 600)  # 4 < the minimum sample of 5
    assert see(buyer, Placement.PRODUCT_PAGE, subject) == []
    answered(store, 13 * 3600, 13 * 3600, 13 * 3600, 13 * 3600, 13 * 3600)  # median 13 h
    assert selectors.median_first_response(store, now=NOW) == 13 * 3600
    assert see(buyer, Placement.PRODUCT_PAGE, subject) == []
    settings.ENGAGEMENT_RESPONSE_MAX_HOURS = 14
    assert titles(see(buyer, Placement.PRODUCT_PAGE, subject)) == ["Questions? Ask Cape Linen Co"]


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (1, "5 minutes"),
        (301, "10 minutes"),
        (3300, "55 minutes"),
        (3301, "1 hour"),
        (3601, "2 hours"),
    ],
)
def test_response_times_read_as_buyers_expect(seconds, label):
    assert selectors.response_time_label(seconds) == label


def test_buyers_waiting_counts_the_open_waits_and_hides_at_zero(buyer, seller, store, product):
    built_in("buyers_waiting_inbox")
    subject = PageSubject(store=store)
    assert see(seller, Placement.SELLER_INBOX, subject) == []
    messaging.start_conversation(
        buyer, store_id=store.pk, product_id=product.pk, text="Do you ship?"
    )
    [item] = see(seller, Placement.SELLER_INBOX, subject)
    assert item.title == "1 buyer waiting for an answer"
    assert item.cta_link == "/seller/cape-linen-co/inbox/?box=waiting"
    messaging.start_conversation(UserFactory(), store_id=store.pk, text="Open on Sunday?")
    assert titles(see(seller, Placement.SELLER_INBOX, subject)) == [
        "2 buyers waiting for an answer"
    ]


def test_the_quick_replies_tip_goes_to_stores_that_do_not_use_them(buyer, seller, store, product):
    built_in("quick_replies_tip")
    subject = PageSubject(store=store)
    assert titles(see(seller, Placement.SELLER_INBOX, subject)) == [
        "Reply faster with quick replies"
    ]
    reply = QuickReply.objects.create(store=store, title="Sizes", body="See the chart.")
    conversation, _, _ = messaging.start_conversation(
        buyer, store_id=store.pk, product_id=product.pk, text="Which size?"
    )
    messaging.send_message(seller, conversation, text="See the chart.", quick_reply_id=reply.pk)
    assert see(seller, Placement.SELLER_INBOX, subject) == []


def test_built_ins_are_installed_once_and_keep_staff_edits():
    Prompt.objects.filter(code="ask_store").update(title="Ask {store} now")
    assert services.install_builtin_prompts() == 0
    Prompt.objects.filter(code="quick_replies_tip").delete()
    assert services.install_builtin_prompts() == 1
    assert set(Prompt.objects.exclude(code=None).values_list("code", flat=True)) == set(
        BUILT_IN_PROMPTS
    )
    assert Prompt.objects.get(code="ask_store").title == "Ask {store} now"


# --- Clicks and dismissals -------------------------------------------------------------------


def test_clicks_are_counted_with_their_page(buyer, product):
    prompt = PromptFactory()
    event = services.record_click(
        user=buyer, prompt=prompt, store_id=product.store_id, product_id=product.pk, now=NOW
    )
    assert (event.kind, event.store_id, event.product_id, event.at) == (
        "clicked",
        product.store_id,
        product.pk,
        NOW,
    )


def test_a_switched_off_prompt_takes_no_clicks(buyer):
    prompt = PromptFactory(is_active=False)
    with pytest.raises(NotFound):
        services.record_click(user=buyer, prompt=prompt)
    with pytest.raises(NotFound):
        services.dismiss_prompt(user=buyer, prompt=prompt)
    assert PromptEvent.objects.count() == 0


# --- The office's editor ---------------------------------------------------------------------


def fields(**changes):
    return {
        "name": "Notification settings tip",
        "placement": Placement.BUYER_MESSAGES,
        "audience": Audience.SIGNED_IN,
        "joined_within_days": None,
        "only_never_messaged": False,
        "only_with_buyers_waiting": False,
        "title": "Hear about answers your way, {first_name}",
        "text": "Pop-ups, email or a daily digest.",
        "cta_label": "Choose",
        "cta_link": "/notifications/settings/",
        "max_shows": 3,
        "per_days": 7,
        "starts_at": NOW,
        "ends_at": NOW + timedelta(days=30),
        "priority": 50,
        **changes,
    }


def test_staff_create_a_prompt(staff):
    prompt = services.create_prompt(actor=staff, now=NOW, **fields())
    assert (prompt.name, prompt.code, prompt.is_active, prompt.created_at) == (
        "Notification settings tip",
        None,
        True,
        NOW,
    )


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_only_staff_manage_prompts(request, who):
    actor = request.getfixturevalue(who)
    prompt = PromptFactory(title="Unchanged")
    with pytest.raises(PermissionDenied):
        services.create_prompt(actor=actor, **fields())
    with pytest.raises(PermissionDenied):
        services.update_prompt(actor=actor, prompt=prompt, title="Changed")
    with pytest.raises(PermissionDenied):
        services.set_prompt_active(actor=actor, prompt=prompt, is_active=False)
    prompt.refresh_from_db()
    assert (prompt.title, prompt.is_active) == ("Unchanged", True)
    assert Prompt.objects.filter(code=None).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": NOW}, "ends_at", "The end must come after the start."),
        ({"max_shows": 0}, "max_shows", "Show it at least once."),
        ({"per_days": 0}, "per_days", "The cap counts over at least one day."),
        ({"cta_link": "https://example.com/"}, "cta_link", "must be a path on this site"),
        ({"cta_link": "//example.com/"}, "cta_link", "must be a path on this site"),
        ({"title": "Hi {nickname}"}, "title", "Not a placeholder here: nickname"),
        ({"text": "Replies in {response_time}"}, "text", "Not a placeholder here: response_time"),
        ({"text": "About {store}"}, "text", "Not a placeholder here: store"),  # Messages: no store
        ({"title": "Hi {first_name"}, "title", "a brace that is not part of"),
        ({"cta_link": "/s/{store}/"}, "cta_link", "Not a placeholder here: store"),
        ({"cta_label": "  "}, "cta_label", "The call to action is required."),
        (
            {"placement": Placement.SELLER_INBOX, "audience": Audience.BUYERS},
            "audience",
            "Only sellers see the Seller Center",
        ),
        ({"only_with_buyers_waiting": True}, "only_with_buyers_waiting", "needs a store"),
    ],
)
def test_invalid_prompts_are_refused_on_their_field(staff, changes, field, message):
    with pytest.raises(ValidationFailed) as refused:
        services.create_prompt(actor=staff, **fields(**changes))
    assert refused.value.details == {"field": field}
    assert message in refused.value.message
    assert not Prompt.objects.filter(code=None).exists()


def test_staff_edit_a_built_in_but_not_its_placement(staff):
    prompt = Prompt.objects.get(code="ask_store")
    updated = services.update_prompt(
        actor=staff, prompt=prompt, text="Usually answers within {response_time}.", now=NOW
    )
    assert (updated.text, updated.updated_at) == ("Usually answers within {response_time}.", NOW)
    with pytest.raises(ValidationFailed):
        services.update_prompt(actor=staff, prompt=prompt, placement=Placement.ORDER_PAGE)
    assert Prompt.objects.get(code="ask_store").placement == Placement.PRODUCT_PAGE


def test_staff_switch_a_prompt_off_and_on(staff, buyer, product):
    prompt = PromptFactory(title="Tip")
    services.set_prompt_active(actor=staff, prompt=prompt, is_active=False)
    assert see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product)) == []
    services.set_prompt_active(actor=staff, prompt=prompt, is_active=True)
    assert titles(see(buyer, Placement.PRODUCT_PAGE, PageSubject(product=product))) == ["Tip"]


# --- Tutorials -------------------------------------------------------------------------------


def test_a_tour_started_stepped_through_and_completed(buyer):
    services.record_tutorial(user=buyer, code="buyer_messages", action="start", now=NOW)
    services.record_tutorial(user=buyer, code="buyer_messages", action="step", step=3)
    services.record_tutorial(user=buyer, code="buyer_messages", action="step", step=2)
    progress = TutorialProgress.objects.get(user=buyer)
    assert (progress.started_at, progress.last_step, progress.completed_at) == (NOW, 3, None)
    later = NOW + timedelta(minutes=2)
    done = services.record_tutorial(user=buyer, code="buyer_messages", action="complete", now=later)
    assert (done.last_step, done.completed_at, done.skipped_at) == (5, later, None)


def test_replays_are_counted_and_a_skip_after_completing_is_not(buyer):
    services.record_tutorial(user=buyer, code="buyer_messages", action="start", now=NOW)
    services.record_tutorial(user=buyer, code="buyer_messages", action="complete", now=NOW)
    services.record_tutorial(user=buyer, code="buyer_messages", action="replay")
    progress = services.record_tutorial(user=buyer, code="buyer_messages", action="replay")
    progress = services.record_tutorial(user=buyer, code="buyer_messages", action="skip")
    assert (progress.replays, progress.completed_at, progress.skipped_at) == (2, NOW, None)
    assert TutorialProgress.objects.count() == 1


def test_a_step_posted_with_the_completion_does_not_undo_it(buyer, monkeypatch):
    """The last step and "complete" are posted together; the step request may have read the
    row before the completion was written (SQLite has no row locks): it must not undo it."""
    services.record_tutorial(user=buyer, code="buyer_messages", action="start", now=NOW)
    stale = TutorialProgress.objects.get(user=buyer)
    services.record_tutorial(user=buyer, code="buyer_messages", action="complete", now=NOW)
    monkeypatch.setattr(services, "_progress_row", lambda user, code, now: stale)

    progress = services.record_tutorial(user=buyer, code="buyer_messages", action="step", step=4)

    assert (progress.last_step, progress.completed_at) == (5, NOW)


def test_a_skipped_tour(buyer):
    progress = services.record_tutorial(user=buyer, code="buyer_messages", action="skip", now=NOW)
    assert (progress.skipped_at, progress.completed_at) == (NOW, None)


def test_tour_refusals_change_nothing(buyer, seller):
    with pytest.raises(NotFound):
        services.record_tutorial(user=buyer, code="nowhere", action="start")
    with pytest.raises(PermissionDenied):
        services.record_tutorial(user=buyer, code="seller_inbox", action="start")
    with pytest.raises(ValidationFailed):
        services.record_tutorial(user=buyer, code="buyer_messages", action="step", step=6)
    with pytest.raises(ValidationFailed):
        services.record_tutorial(user=buyer, code="buyer_messages", action="jump")
    assert TutorialProgress.objects.count() == 0
    assert services.record_tutorial(user=seller, code="seller_inbox", action="start").pk
