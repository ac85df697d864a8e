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
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError, InvalidGlobalIDError
from tortoise.exceptions import ValidationError as FieldValueError

from core.errors import DomainError, DomainErrors, PermissionDenied
from schema.enums import ErrorCode

logger = logging.getLogger("lini.graphql")
T = TypeVar("T")


class ApiError(GraphQLError):
    """A GraphQL error the client is meant to see, with a machine-readable code."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


@strawberry.type(description="A problem with the input of a mutation; nothing was changed.")
class UserError:
    field: str | None = strawberry.field(
        description="The input field at fault, in camelCase (`lines.0.quantity`); null for the whole input."
    )
    code: ErrorCode = strawberry.field(description="What went wrong, for code to act on.")  # type: ignore[valid-type]
    message: str = strawberry.field(description="What is wrong, in English, for a developer or a form.")


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
        if (error.extensions or {}).get("code") and (original is None or isinstance(original, GraphQLError)):
            return error  # syntax, validation, limits, or an ApiError raised on purpose
        if error.path is None:
            # before execution: the variables (graphql-core's coercion) or the choice of operation
            return _coded(error, "BAD_USER_INPUT", _without_exception_text(error))
        if isinstance(error, InvalidGlobalIDError) or isinstance(original, InvalidGlobalIDError | GlobalIDValueError):
            return _coded(error, "INVALID_ID", "Not a valid ID.")
        if isinstance(error, StrawberryInputCoercionError) or isinstance(original, StrawberryInputCoercionError):
            return _coded(error, "BAD_USER_INPUT", error.message)  # an argument strawberry could not convert
        if original is None or isinstance(original, GraphQLError):
            # graphql-core's own, during execution (a null for a non-null field, say): a bug, with a safe message
            logger.error("GraphQL error in request %s at %s: %s", request_id, _path(error), error.message)
            return _coded(error, "INTERNAL_SERVER_ERROR", error.message, requestId=request_id)
        if isinstance(original, FieldValueError):
            # a value no column can hold (too long, out of range), caught by the ORM before any SQL: the input's
            # fault, though a service should have said which field (the log names where, for whoever fixes it)
            logger.warning(
                "unvalidated input reached the ORM in request %s at %s: %s", request_id, _path(error), original
            )
            return _coded(error, "INVALID_VALUE", "A value is too long or out of range for what it is stored in.")
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
        logger.error("internal error in request %s at %s", request_id, _path(error), exc_info=original)
        return GraphQLError(
            f"Internal server error (request {request_id}).",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )


def _coded(error: GraphQLError, code: str, message: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions={"code": code, **extensions})


def _without_exception_text(error: GraphQLError) -> str:
    """graphql-core appends a scalar parser's exception to its message (`...; [<class 'decimal.Conversion...'>]`):
    the client is told what was wrong, not how Python said so."""
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError) and "; " in error.message:
        head, _, rest = error.message.partition("; ")
        expected = rest.split(". ", 1)[0]
        return f"{head}; {expected}." if expected.startswith("Expected") else f"{head}."
    return error.message


def _path(error: GraphQLError) -> str:
    return ".".join(str(p) for p in error.path or ())
