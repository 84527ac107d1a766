import factory
from allauth.account.models import EmailAddress
from django.test import Client

from saypro.accounts.models import User
from saypro.accounts.services import create_api_token

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    is_staff = True


def token_client(user) -> Client:
    """A test client that authenticates to the API with a new personal token of ``user``."""
    _, secret = create_api_token(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})
