"""``saypro knowledge load``: put the shipped knowledge-base articles into the database."""

from django.core.management.base import BaseCommand, CommandError

from saypro.academy.content import ContentError
from saypro.knowledge import loading


class Command(BaseCommand):
    help = "Knowledge base: `load` adds and updates the shipped categories and articles."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "load",
            help="Create the shipped articles that do not exist yet and update those the "
            "office never edited. Articles the office saved are left as they are.",
        )

    def handle(self, *args, action: str, **options):
        try:
            report = loading.load_content()
        except ContentError as error:
            raise CommandError(f"The shipped content is invalid: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Knowledge base loaded: {report.categories} categories; articles: "
                f"{report.created} created, {report.updated} updated, {report.unchanged} "
                f"unchanged, {report.kept} edited by the office and kept."
            )
        )
