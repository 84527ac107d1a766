"""``saypro token create EMAIL [--name NAME]``: print a new API token on the last line."""

from django.core.management.base import BaseCommand, CommandError

from saypro.accounts.selectors import user_by_email
from saypro.accounts.services import create_api_token
from saypro.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Manage personal API tokens. `token create` prints a new token on its last line."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("email")
        create.add_argument("--name", default="command line")

    def handle(self, *args, action: str, email: str, name: str, **options):
        user = user_by_email(email)
        if user is None:
            raise CommandError(f"No user has the email {email}.")
        try:
            token, raw = create_api_token(user=user, name=name)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stderr.write(f"Token “{token.name}” for {user.email}; it is shown only this once:")
        self.stdout.write(raw)
