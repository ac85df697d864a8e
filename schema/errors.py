"""How failures reach a client.

- A user mistake in a mutation is a `UserError` in the payload (see `user_errors`).
- A malformed request or a denied permission is a GraphQL error with `extensions.code` (`ApiError`), and so
  is a `DomainError` raised while resolving a query field (e.g. an unknown storefront, `first: 1000`).
- Anything else is a bug: it is logged with the request id and the client sees only that id.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from core.errors import DomainError, DomainErrors, PermissionDenied

logger = logging.getLogger("lini.graphql")
T = TypeVar("T")


class ApiError(GraphQLError):
    """A GraphQL error the client is meant to see, with a machine-readable code."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault, in camelCase; null for the whole input."
    )
    code: str
    message: str


def user_errors(error: DomainError | DomainErrors) -> list[UserError]:
    errors = error.errors if isinstance(error, DomainErrors) else [error]
    return [UserError(field=_camel(e.field), code=e.code, message=e.message) for e in errors]


async def attempt(operation: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """Run a service; a user mistake becomes the payload's `errors` (and the service changed nothing)."""
    try:
        return await operation(), []
    except (DomainError, DomainErrors) as error:
        return None, user_errors(error)


def _camel(name: str | None) -> str | None:
    """`fields.2.min_cm` → `fields.2.minCm`; a segment that is a code (`measurements.LINGKAR_BADAN`) is kept."""
    if not name:
        return name
    return ".".join(_camel_segment(segment) for segment in name.split("."))


def _camel_segment(segment: str) -> str:
    if segment != segment.lower():
        return segment
    head, *rest = segment.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class MaskInternalErrors(SchemaExtension):
    """Keeps expected errors, turns a `DomainError` into a coded error, and hides everything else."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not getattr(result, "errors", None):
            return
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None) or "-"
        result.errors = [self._process(error, request_id) for error in result.errors]

    def _process(self, error: GraphQLError, request_id: str) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return error  # syntax, validation, or an ApiError raised on purpose
        if isinstance(original, PermissionDenied):
            code = "FORBIDDEN" if original.authenticated else "UNAUTHENTICATED"
            return GraphQLError(original.message, nodes=error.nodes, path=error.path, extensions={"code": code})
        if isinstance(original, DomainError):
            return GraphQLError(
                original.message,
                nodes=error.nodes,
                path=error.path,
                extensions={"code": original.code, "field": _camel(original.field)},
            )
        logger.error(
            "internal error in request %s at %s",
            request_id,
            ".".join(str(p) for p in error.path or ()),
            exc_info=original,
        )
        return GraphQLError(
            f"Internal server error (request {request_id}).",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
