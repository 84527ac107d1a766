"""``saypro demo [--seed N] [--scale tiny|small|medium] [--if-empty]``: the demo marketplace."""

import argparse

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from saypro.academy.demo import AcademyReport, load_demo_academy, load_demo_course_survey
from saypro.academy.loading import load_content
from saypro.analytics import rollups
from saypro.analytics.demo import AnalyticsReport, load_demo_analytics
from saypro.campaigns.demo import CampaignsReport, load_demo_campaigns
from saypro.catalog.demo import (
    DEFAULT_SCALE,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    SCALES,
    DemoReport,
    demo_logins,
    load_demo,
    marketplace_has_stores,
)
from saypro.consultations.demo import ConsultationsReport, load_demo_consultations
from saypro.core.progress import tqdm_bars
from saypro.engagement.demo import EngagementReport, load_demo_engagement
from saypro.improvements.demo import PlansReport, load_demo_plans
from saypro.insights.demo import InsightsReport, load_demo_insights
from saypro.knowledge.demo import KnowledgeReport, load_demo_knowledge
from saypro.knowledge.loading import load_content as load_knowledge
from saypro.messaging.demo import MessagingReport, load_demo_messaging
from saypro.notifications.demo import NotificationsReport, load_demo_notifications
from saypro.reviews.demo import ReviewsReport, load_demo_reviews
from saypro.rewards.demo import RewardsReport, load_demo_rewards
from saypro.support.demo import SupportReport, load_demo_support
from saypro.surveys.demo import SurveysReport, load_demo_surveys
from saypro.webinars.demo import WebinarsReport, load_demo_webinars


def seed_value(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number.") from None
    if seed < 0:
        raise argparse.ArgumentTypeError("the seed must be zero or more.")
    return seed


class Command(BaseCommand):
    help = (
        "Generate the demo marketplace: a category tree, stores with owners and agents, "
        "products, buyers, nine months of orders, and reviews with sellers' answers, "
        "analysed, with rising issues and a shipped improvement plan, "
        "and buyers' conversations with stores; "
        "then print the demo logins. "
        "Does nothing if demo data is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=seed_value,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default=DEFAULT_SCALE,
            help=f"How much data (default {DEFAULT_SCALE}): "
            + "; ".join(
                f"{name}: {size.stores} stores, {size.stores * size.products_per_store:,} "
                f"products, {size.buyers:,} buyers, {size.orders:,} orders"
                for name, size in SCALES.items()
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database has any store (the logins are still printed).",
        )

    def handle(self, *args, seed: int, scale: str, if_empty: bool, verbosity: int, **options):
        if if_empty and marketplace_has_stores():
            self.stdout.write("The database already has stores; no demo data was added.")
            academy = load_content()  # new shipped courses still arrive
            self.stdout.write(
                f"Academy: {academy.courses_created} new course(s) loaded, "
                f"{academy.courses_kept} already there."
            )
            knowledge = load_knowledge()  # and new or updated shipped articles
            self.stdout.write(
                f"Knowledge base: {knowledge.created} new article(s), {knowledge.updated} "
                f"updated, {knowledge.kept} edited by the office and kept."
            )
            if rollups.missing_store_quarters():  # a database from before analytics 0004
                self.stdout.write("KPI rollups from an older version: rebuilding them.")
                rollups.rebuild(
                    restart=True,
                    progress=tqdm_bars(self.stderr, enabled=verbosity >= 1, unit=" days"),
                )
        else:
            now = timezone.now()
            progress = tqdm_bars(self.stderr, enabled=verbosity >= 1, unit=" rows", width=12)
            insights = plans = notifications = None
            with transaction.atomic():  # the marketplace, its reviews and insights: all or nothing
                report = load_demo(seed=seed, scale=scale, now=now, progress=progress)
                reviews = load_demo_reviews(seed=seed, now=now, progress=progress)
                if reviews.created:  # analyse them, find what is rising, ship the story's plan
                    insights = load_demo_insights(seed=seed, now=now, progress=progress)
                    plans = load_demo_plans(seed=seed, now=now)
                messaging = load_demo_messaging(seed=seed, now=now, progress=progress)
                notifications = load_demo_notifications(now=now) if messaging.created else None
                academy = load_demo_academy(seed=seed, now=now)
                rewards = load_demo_rewards(now=now)
                surveys = load_demo_surveys(seed=seed, now=now, progress=progress)
                load_demo_course_survey(seed=seed, now=now)  # after the surveys demo: see its doc
                engagement = load_demo_engagement(seed=seed, now=now)
                campaigns = load_demo_campaigns(seed=seed, now=now)
                support = load_demo_support(seed=seed, now=now)
                consultations = load_demo_consultations(seed=seed, now=now)
                webinars = load_demo_webinars(seed=seed, now=now)
                knowledge = load_demo_knowledge(seed=seed, now=now)
                analytics = load_demo_analytics(now=now)
            # After the commit: every day of the demo's history rolled up for the KPIs.
            rebuilt = rollups.rebuild(
                restart=True,
                now=now,
                progress=tqdm_bars(self.stderr, enabled=verbosity >= 1, unit=" days", width=12),
            )
            self._print_report(report)
            self._print_reviews(reviews)
            if insights is not None:
                self._print_insights(insights, plans)
            self._print_messaging(messaging)
            if notifications is not None:
                self._print_notifications(notifications)
            self._print_academy(academy)
            self._print_rewards(rewards)
            self._print_surveys(surveys)
            self._print_engagement(engagement)
            self._print_campaigns(campaigns)
            self._print_support(support)
            self._print_consultations(consultations)
            self._print_webinars(webinars)
            self._print_knowledge(knowledge)
            self._print_analytics(analytics, rebuilt)
        self._print_logins()

    def _print_report(self, report: DemoReport) -> None:
        if not report.created:
            self.stdout.write(
                f"Demo data is already loaded ({report.stores:,} demo stores, "
                f"{report.products:,} products, {report.orders:,} orders); left as it is. "
                "To generate it again, start from an empty database."
            )
            return
        rows = (
            ("categories", f"{report.categories:,}"),
            ("stores", f"{report.stores:,}"),
            ("products", f"{report.products:,} ({report.inactive_products:,} inactive)"),
            ("buyers", f"{report.buyers:,}"),
            ("orders", f"{report.orders:,} ({report.order_items:,} items)"),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo marketplace created (seed {report.seed}, scale {report.scale}) "
                f"in {report.seconds:.1f} s:"
            )
        )
        for label, value in rows:
            self.stdout.write(f"  {label:<12}{value}")

    def _print_reviews(self, report: ReviewsReport) -> None:
        if not report.created:
            if report.reviews:
                self.stdout.write(
                    f"Demo reviews are already loaded ({report.reviews:,} reviews); "
                    "left as they are."
                )
            return
        share = report.reviews / report.reviewable_items if report.reviewable_items else 0
        on_time = report.answers_on_time / report.answers if report.answers else 0
        rows = (
            ("reviews", f"{report.reviews:,} ({share:.0%} of delivered items)"),
            (
                "answers",
                f"{report.answers:,} ({on_time:.0%} on time, {report.poor_answers:,} poor)",
            ),
            ("unanswered", f"{report.waiting:,} ({report.overdue:,} overdue)"),
            (
                "moderation",
                f"{report.held:,} held, {report.reported_reviews:,} reported "
                f"({report.reports:,} reports)",
            ),
            ("helpful", f"{report.helpful_votes:,} votes"),
        )
        self.stdout.write(self.style.SUCCESS(f"Demo reviews created in {report.seconds:.1f} s:"))
        for label, value in rows:
            self.stdout.write(f"  {label:<12}{value}")

    def _print_insights(self, report: InsightsReport, plans: PlansReport | None) -> None:
        products = report.products_with_issues
        rows = [
            ("analysed", f"{report.analysed:,} reviews in {report.analysis_seconds:.1f} s"),
            (
                "rising",
                f"{report.rising_issues:,} open issues on {products:,} "
                f"product{'s' if products != 1 else ''}",
            ),
            *(
                (
                    "",
                    f"{', '.join(story.subjects) or 'nothing'} on “{story.product}” "
                    f"({story.store}, {story.owner_email})",
                )
                for story in report.stories
            ),
            (
                "suggestions",
                f"{report.suggestions:,} ({report.requested:,} asked for by 3 or more "
                "buyers of one product)",
            ),
        ]
        if plans is not None and plans.created:
            outcome = plans.summary or "shipped, not measured yet"
            rows.append(("plan", f"{plans.store}: “{plans.title}” — {outcome}"))
        self.stdout.write(self.style.SUCCESS(f"Demo insights created in {report.seconds:.1f} s:"))
        for label, value in rows:
            self.stdout.write(f"  {label:<12}{value}")

    def _print_campaigns(self, report: CampaignsReport) -> None:
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo campaigns created in {report.seconds:.1f} s:")
                + f" “{report.finished}” sent to {report.audience:,} members "
                f"({report.holdout:,} held out, {report.clicked:,} clicked). {report.lift} "
                f"Draft: “{report.draft}”."
            )

    def _print_support(self, report: SupportReport) -> None:
        if not report.created:
            if report.tickets:
                self.stdout.write(
                    f"Demo support tickets are already loaded ({report.tickets} tickets); "
                    "left as they are."
                )
            return
        average = f"{report.average:.1f}" if report.average is not None else "–"
        self.stdout.write(
            self.style.SUCCESS(f"Demo support desk created in {report.seconds:.1f} s:")
            + f" {report.tickets} tickets ({report.open} open, {report.closed} closed; "
            f"{report.ratings} ratings, average {average} of 5), {report.shifts} rota shifts "
            f"over {len(report.agents)} office people ({', '.join(report.agents[1:])})."
        )

    def _print_webinars(self, report: WebinarsReport) -> None:
        verb = "created" if report.created else "already loaded"
        self.stdout.write(
            self.style.SUCCESS(f"Demo webinars {verb}:")
            + f" {report.past} past, {report.upcoming} upcoming ({report.series} monthly series), "
            f"{report.registrations:,} registrations, {report.attended:,} attended."
        )

    def _print_knowledge(self, report: KnowledgeReport) -> None:
        self.stdout.write(self.style.SUCCESS("Knowledge base:"))
        self.stdout.write(
            f"  {'articles':<12}{report.articles:,} published in {report.categories} topics; "
            f"{report.views:,} views by {report.readers:,} people, {report.votes:,} helpful "
            f"votes ({report.comments:,} with a comment)"
        )

    def _print_analytics(self, report: AnalyticsReport, rebuilt) -> None:
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo KPI targets set in {report.seconds:.1f} s:")
                + f" {report.targets} targets for {', '.join(report.quarters)}."
            )
        if rebuilt is not None:
            self.stdout.write(
                f"KPI rollups built from {rebuilt.from_day} to {rebuilt.last_finished_day}."
            )

    def _print_messaging(self, report: MessagingReport) -> None:
        if not report.created:
            if report.conversations:
                self.stdout.write(
                    f"Demo conversations are already loaded ({report.conversations:,} "
                    "conversations); left as they are."
                )
            return

        def share(count: int, total: int) -> str:
            return f"{count / total:.0%}" if total else "–"

        growth = (
            f"; {report.growth - 1:+.0%} in the last 91 days against the 91 before"
            if report.growth is not None
            else ""
        )
        rows = (
            (
                "started",
                f"{report.conversations:,} conversations ({report.about_products:,} about "
                f"products, {report.about_orders:,} about orders, {report.general:,} general)"
                f"{growth}",
            ),
            (
                "messages",
                f"{report.messages:,} ({report.cards:,} product cards, "
                f"{report.quick_reply_messages:,} sent with {report.quick_replies:,} "
                "quick replies)",
            ),
            (
                "answered",
                f"{share(report.answered_within_hour, report.first_answers)} within an hour, "
                f"{share(report.answered_on_time, report.first_answers)} within the goal; "
                f"{report.no_response_needed:,} closed as no response needed",
            ),
            (
                "waiting",
                f"{report.waiting:,} ({report.overdue:,} overdue, {report.abandoned:,} "
                "abandoned for over 48 hours)",
            ),
            (
                "purchases",
                f"{report.followed_by_purchase:,} conversations followed by an order within 7 days",
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo conversations created in {report.seconds:.1f} s:")
        )
        for label, value in rows:
            self.stdout.write(f"  {label:<12}{value}")

    def _print_rewards(self, report: RewardsReport) -> None:
        if not report.created:
            self.stdout.write("Demo rewards are already loaded; left as they are.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo points and badges created in {report.seconds:.1f} s: "
                f"{report.points:,} points in {report.entries:,} entries for "
                f"{report.earners:,} people; {report.store_badges:,} store and "
                f"{report.buyer_badges:,} buyer badges; {report.rewards} rewards; "
                f"{report.redemption}."
            )
        )

    def _print_surveys(self, report: SurveysReport) -> None:
        satisfied = f"{report.satisfied_share:.0%}" if report.satisfied_share is not None else "–"
        nps = report.nps if report.nps is not None else "–"
        verb = f"created in {report.seconds:.1f} s" if report.created else "already loaded"
        self.stdout.write(
            f"Demo surveys {verb}: {report.surveys} surveys, {report.invitations:,} invitations, "
            f"{report.responses:,} answers ({report.comments:,} with a comment); "
            f"messaging {satisfied} satisfied, platform NPS {nps}"
        )

    def _print_engagement(self, report: EngagementReport) -> None:
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo engagement created in {report.seconds:.1f} s:")
                + f" {report.prompts} office prompts; {report.shown:,} shown, "
                f"{report.clicked:,} clicked ({report.followed:,} followed by a message), "
                f"{report.dismissed:,} dismissed; tours {report.tours_completed:,} completed, "
                f"{report.tours_skipped:,} skipped"
            )

    def _print_logins(self) -> None:
        logins = demo_logins()
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password: {DEMO_PASSWORD})"))
        for login in logins:
            note = f"  {login.store_name}" if login.store_name else ""
            if not login.exists:
                note = "  (not in this database)"
            self.stdout.write(f"  {login.role:<14}{login.email:<26}{note}".rstrip())
        if not any(login.exists for login in logins):
            self.stdout.write(
                "  These accounts exist only where `saypro demo` loaded the demo data; "
                "this database had stores before."
            )

    def _print_notifications(self, report: NotificationsReport) -> None:
        self.stdout.write(self.style.SUCCESS("Demo notifications created:"))
        self.stdout.write(
            f"  {'notified':<12}{report.notifications:,} notifications to "
            f"{report.people:,} people ({report.unread:,} unread)"
        )

    def _print_consultations(self, report: ConsultationsReport) -> None:
        self.stdout.write(self.style.SUCCESS("Consultations:"))
        self.stdout.write(
            f"  {'experts':<12}{report.experts:,} on {report.topics:,} topics, "
            f"{report.free_slots:,} free slots ahead"
        )
        self.stdout.write(
            f"  {'bookings':<12}{report.held:,} held, {report.upcoming:,} upcoming, "
            f"{report.cancelled:,} cancelled"
        )

    def _print_academy(self, report: AcademyReport) -> None:
        self.stdout.write(self.style.SUCCESS("Seller Academy:"))
        self.stdout.write(
            f"  {'courses':<12}{report.courses:,} published, {report.enrolments:,} enrolments, "
            f"{report.completed:,} completed with {report.certificates:,} certificates"
        )
        if report.stories:
            self.stdout.write(f"  {'stories':<12}{report.stories} success stories published")
