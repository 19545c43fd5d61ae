"""Errors a user can cause. bot.texts renders them in Chinese; no internals leak.

Core code raises them with a `code` and the values to show (core knows no texts); services
may still give a ready Chinese message. `bot.texts.error_text` turns either into the reply.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Base: the handler (or the one error handler) replies with `error_text(exc)`."""

    code: str = ""

    def __init__(self, message: str = "", *, code: str = "", **values: object) -> None:
        super().__init__(message or code or self.code)
        self.message = message
        if code:
            self.code = code
        self.values = values


class PermissionDenied(UserFacingError):
    """The caller may not do this here."""


class NotFound(UserFacingError):
    """What the caller named does not exist."""


class InvalidInput(UserFacingError):
    """The arguments are wrong; the message says what is expected."""


class NotBound(NotFound):
    """The group is not bound to an organisation."""

    code = "not_bound"


class NotManager(PermissionDenied):
    """The caller manages neither the group nor its organisation."""

    code = "not_manager"


class NotYourOrganisation(PermissionDenied):
    """The caller manages an organisation, but not the one this concerns."""

    code = "not_your_organisation"
