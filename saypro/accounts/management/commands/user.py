"""``saypro user create EMAIL --role buyer|seller|staff [--store NAME] [--password P]``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saypro.accounts.services import register_user
from saypro.catalog.services import open_store
from saypro.core.errors import ApplicationError

ROLES = ("buyer", "seller", "staff")


class Command(BaseCommand):
    help = "Manage users. `user create` makes a verified user and prints its id."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a verified user; print its id.")
        create.add_argument("email")
        create.add_argument("--role", choices=ROLES, default="buyer")
        create.add_argument("--store", help="Store name for a seller (default: from the email).")
        create.add_argument("--password", help="Without one, the user sets it by password reset.")
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")

    def handle(self, *args, action: str, **options):
        if options["store"] and options["role"] != "seller":
            raise CommandError("--store only goes with --role seller.")
        try:
            with transaction.atomic():
                user = register_user(
                    email=options["email"],
                    password=options["password"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    is_staff=options["role"] == "staff",
                )
                store = None
                if options["role"] == "seller":
                    name = options["store"] or f"{user.email.split('@')[0].title()}'s store"
                    store = open_store(owner=user, name=name)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if store is not None:
            self.stderr.write(f"{user.email} owns the store “{store.name}” (/{store.slug}).")
        self.stdout.write(str(user.pk))
