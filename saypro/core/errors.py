"""The one error type services raise.

Services raise an ``ApplicationError`` subclass; it carries its HTTP status and
a stable machine-readable code. The API maps it once (``saypro.api``) to
``{"error": {"code", "message", "details"}}``; web views show ``message`` next
to the form or as a flash message. Raising one inside ``transaction.atomic``
rolls the whole use case back, so a refused action changes nothing.
"""

from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class ValidationFailed(ApplicationError):
    status = 400
    code = "validation_failed"


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
