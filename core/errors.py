"""The one error type that core services raise for bad input or a forbidden state change.

The API layer turns it into a `UserError` in a mutation payload; anything else that escapes a service is a bug
and is masked before it reaches a client.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, field={self.field!r})"


class DomainErrors(Exception):
    """Several problems found at once (e.g. one per invalid field), so a form can show them all."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class PermissionDenied(Exception):
    """The actor may not do this. `authenticated` tells the API whether to say UNAUTHENTICATED or FORBIDDEN."""

    def __init__(self, message: str, *, authenticated: bool) -> None:
        super().__init__(message)
        self.message = message
        self.authenticated = authenticated
