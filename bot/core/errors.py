"""Errors a user can cause. Their message is the Chinese reply; no internals leak."""


class UserFacingError(Exception):
    """Base: the handler (or the error handler) replies with str(exc)."""


class PermissionDenied(UserFacingError):
    """The caller may not do this here."""


class NotFound(UserFacingError):
    """What the caller named does not exist."""


class InvalidInput(UserFacingError):
    """The arguments are wrong; the message says what is expected."""
