"""Errors the emulated Bot API answers with, and the violations it records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API error answer: HTTP status = error_code, Telegram's description text.

    `violation` names the kind of contract breach (spec, limit, entities, ...) when the
    error means the bot sent something Telegram documents as invalid; the server then
    also records it in `emu.violations`. Plain state errors (chat not found, message is
    not modified, 429) leave it None: a correct bot must expect and handle those.
    """

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        parameters: dict[str, Any] | None = None,
        violation: str | None = None,
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters
        self.violation = violation

    def envelope(self) -> dict[str, Any]:
        """Telegram's JSON body for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str, *, violation: str | None = None) -> ApiError:
    """A 400 "Bad Request: <detail>" error."""
    return ApiError(400, f"Bad Request: {detail}", violation=violation)


def forbidden(detail: str) -> ApiError:
    """A 403 "Forbidden: <detail>" error."""
    return ApiError(403, f"Forbidden: {detail}")


QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


@dataclass(frozen=True)
class Violation:
    """A request that breaks the Bot API contract; any of these fails the test."""

    method: str
    kind: str
    detail: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.method}: [{self.kind}] {self.detail}"
