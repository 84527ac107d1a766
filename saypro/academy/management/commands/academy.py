"""``saypro academy load``: put the shipped Academy content into the database;
``saypro academy survey --office EMAIL``: start the survey asked after a completed course."""

from django.core.management.base import BaseCommand, CommandError

from saypro.academy import loading
from saypro.academy.content import ContentError
from saypro.accounts.models import User
from saypro.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Seller Academy content: `load` adds the shipped courses and practice material; "
        "`survey` starts the satisfaction survey asked after a completed course."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "load",
            help="Create the shipped courses that do not exist yet (published) and update "
            "the practice reviews, buyer questions and product sets. Courses that exist "
            "are left as the office edited them.",
        )
        survey = commands.add_parser(
            "survey",
            help="Create the active course-completed satisfaction survey (1-5 with a comment) "
            "as an office account, unless a course-completed survey exists.",
        )
        survey.add_argument(
            "--office", required=True, help="The email of the office account creating it."
        )

    def handle(self, *args, action: str, **options):
        if action == "survey":
            self._survey(options["office"])
            return
        try:
            report = loading.load_content()
        except ContentError as error:
            raise CommandError(f"The shipped content is invalid: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Academy content loaded: {report.courses_created} course(s) created "
                f"({report.lessons} lessons), {report.courses_kept} already there and left as "
                f"they are; {report.practice_items} practice items up to date."
            )
        )

    def _survey(self, email: str) -> None:
        actor = User.objects.filter(email__iexact=email.strip()).first()
        if actor is None:
            raise CommandError(f"No account has the email {email!r}.")
        try:
            survey = loading.create_course_survey(actor=actor)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if survey is None:
            self.stdout.write("A course-completed survey exists already; nothing was changed.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Survey “{survey.title}” created: sellers who complete a course are asked "
                    f"“{survey.question}”."
                )
            )
