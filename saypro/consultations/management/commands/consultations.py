"""``saypro consultations load``: put the shipped consultation topics into the database."""

from django.core.management.base import BaseCommand, CommandError

from saypro.academy.content import ContentError
from saypro.consultations import services


class Command(BaseCommand):
    help = "Consultations: `load` creates or updates the shipped topics."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser(
            "load",
            help="Create the shipped topics and update their text; a topic the office "
            "switched off stays off.",
        )

    def handle(self, *args, action: str, **options):
        try:
            report = services.load_topics()
        except ContentError as error:
            raise CommandError(f"The shipped content is invalid: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Consultation topics loaded: {report.created} created, {report.updated} updated."
            )
        )
