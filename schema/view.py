"""The GraphQL HTTP view's defences, as a mixin for strawberry's ASGI view (`server.LiniGraphQL`).

- the body is read by `schema.request_body` (UTF-8 JSON, one object, bounded depth and size, no NUL);
- `extensions.persistedQuery` and registered documents are resolved by `schema.documents`;
- every refusal before GraphQL runs, and every HTTP error strawberry raises, is answered as GraphQL JSON with
  `extensions.code` and `requestId`; nothing answers plain text or a traceback.
"""

from __future__ import annotations

import dataclasses
from contextvars import ContextVar
from typing import Any

from cross_web import HTTPException
from graphql import ExecutionResult, GraphQLError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError

from core.settings import Settings
from schema.documents import DocumentNotFound, DocumentNotTrusted, PersistedDocuments
from schema.errors import ApiError
from schema.request_body import RequestRefused, decode, request_object
from schema.request_id import STATUS_CODES, current_request_id, error_body

# The operation of the request being served, once read ahead of strawberry (by the response cache's lookup).
READ_OPERATION: ContextVar[GraphQLRequestData | None] = ContextVar("lini_read_operation", default=None)


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = error_body(code, message, current_request_id())
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def http_error_response(status: int, reason: str, headers: dict[str, str] | None = None) -> Response:
    return error_response(status, STATUS_CODES.get(status, f"HTTP_{status}"), reason, headers)


async def starlette_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404, 405 and 413 (body too large), as JSON."""
    assert isinstance(exc, StarletteHTTPException)
    return http_error_response(exc.status_code, exc.detail, dict(exc.headers or {}))


def refusal_response(error: RequestRefused | HTTPException) -> Response:
    if isinstance(error, RequestRefused):
        return error_response(error.status, error.code, error.message)
    return http_error_response(error.status_code, error.reason)


class HardenedView:
    """Mixed into strawberry's `GraphQL` view before it, so these methods are the ones it calls."""

    settings: Settings
    documents: PersistedDocuments

    def decode_json(self, data: str | bytes) -> object:
        graphql = self.settings.graphql
        return decode(data, max_depth=graphql.max_json_depth, max_items=graphql.max_json_items)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        """The request's operation; read once, by the response cache's lookup or here (`read_operation`)."""
        known = READ_OPERATION.get()
        if known is not None:
            return known
        return await self.read_operation(request)

    async def read_operation(self, request: Any) -> GraphQLRequestData:
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "POST" and "application/json" in content_type:
            data = request_object(self.decode_json(await request.get_body()))
            transport = self._get_stream_transport_from_headers(request.headers)  # type: ignore[attr-defined]
            return GraphQLRequestData(
                query=data.get("query"),
                variables=data.get("variables"),
                operation_name=data.get("operationName"),
                extensions=data.get("extensions"),
                protocol=transport.protocol if transport else "http",
            )
        parsed = await super().parse_http_body(request)  # type: ignore[misc]
        if isinstance(parsed, list):
            raise RequestRefused(400, "BAD_REQUEST", "Batches are not served: send one operation per request.")
        return parsed

    async def parse_multipart(self, request: Any) -> dict[str, Any]:
        try:
            operations = await super().parse_multipart(request)  # type: ignore[misc]
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            raise RequestRefused(
                400, "BAD_REQUEST", "`operations` and `map` do not describe the uploaded files."
            ) from None
        return request_object(operations)

    async def execute_single(self, *, request_data: GraphQLRequestData, context: Any, **kwargs: Any) -> ExecutionResult:
        try:
            query = await self._document(request_data, context)
        except DocumentNotFound:
            return _failed("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        except DocumentNotTrusted:
            raise RequestRefused(
                403,
                "TRUSTED_DOCUMENT_REQUIRED",
                "Without a token this server runs only registered documents: send a registered one, by its hash.",
            ) from None
        data = dataclasses.replace(request_data, query=query)
        try:
            return await super().execute_single(request_data=data, context=context, **kwargs)  # type: ignore[misc]
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError) and kwargs["request_adapter"].method == "GET":
                raise RequestRefused(
                    405, "METHOD_NOT_ALLOWED", "GET runs queries only: send mutations with POST."
                ) from None
            raise

    async def _document(self, request_data: GraphQLRequestData, context: Any) -> str | None:
        documents = self.documents
        if not documents.trusted_only:
            return documents.resolve(request_data.query, request_data.extensions, trusted_caller=True)
        try:
            return documents.resolve(request_data.query, request_data.extensions, trusted_caller=False)
        except (DocumentNotTrusted, DocumentNotFound):
            if not await _signed_in(context):
                raise
        return documents.resolve(request_data.query, request_data.extensions, trusted_caller=True)


async def _signed_in(context: Any) -> bool:
    try:
        actor = await context.actor()
    except ApiError:
        return False  # a bad token is no better than none
    return bool(actor.is_authenticated)


def _failed(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])
