"""People and their API tokens.

Roles are not a single column, because a person can hold several at once:
every active user can buy; a user is a *seller* through a membership of a
store (``catalog.StoreMembership``, role owner or agent); ``is_staff`` marks
marketplace office staff (who also reach the Django admin); ``is_superuser``
marks admins.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    is_staff = models.BooleanField(
        "office staff",
        default=False,
        help_text="Marketplace office staff: moderation, campaigns, KPIs and the admin site.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email.split("@")[0]

    @property
    def is_office_staff(self) -> bool:
        return self.is_active and self.is_staff


def token_digest(raw_token: str) -> str:
    """The SHA-256 digest under which a token is stored (the token itself never is)."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once.

    The token is ``sp_<prefix>_<secret>``; ``prefix`` is stored in clear so a
    person can tell their tokens apart in the list.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (sp_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
