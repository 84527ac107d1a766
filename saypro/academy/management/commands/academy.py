"""``saypro academy load``: put the shipped Academy content into the database."""

from django.core.management.base import BaseCommand, CommandError

from saypro.academy import loading
from saypro.academy.content import ContentError


class Command(BaseCommand):
    help = "Seller Academy content: `load` adds the shipped courses and practice material."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "load",
            help="Create the shipped courses that do not exist yet (published) and update "
            "the practice reviews, buyer questions and product sets. Courses that exist "
            "are left as the office edited them.",
        )

    def handle(self, *args, action: str, **options):
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
