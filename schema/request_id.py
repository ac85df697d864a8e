"""One id per HTTP request, in the response (`X-Request-Id`, and `extensions.requestId` of an error) and in every
log line written while the request is served, so a client's report finds the server's log.

`RequestIdMiddleware` is the outermost piece of the app that can still answer: an exception nothing else
handled is logged with its traceback and the id, and the client gets JSON with the id and no detail; a
plain-text error from anything below it (Starlette's body limit, say) is answered as JSON with a code too.
The body limit must therefore sit inside it (`server.create_app` adds it as middleware, not `max_body_size`).
"""

from __future__ import annotations

import logging
import uuid
from contextvars import ContextVar
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-Id"
REQUEST_ID: ContextVar[str | None] = ContextVar("lini_request_id", default=None)
STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "RATE_LIMITED",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
LOG_FORMAT = "%(levelname)s %(name)s [%(request_id)s]: %(message)s"
logger = logging.getLogger("lini")


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def current_request_id() -> str:
    """The id of the request being served (a new one outside any request, e.g. in a test calling the schema)."""
    return REQUEST_ID.get() or new_request_id()


def error_body(code: str, message: str, request_id: str, **extensions: Any) -> bytes:
    """A request-level error as GraphQL over HTTP shapes it: no `data`, one error with a code."""
    error = {"message": message, "extensions": {"code": code, "requestId": request_id, **extensions}}
    return orjson.dumps({"errors": [error]})


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        token = REQUEST_ID.set(request_id)
        started = False
        plain_error: Message | None = None  # a text error's start, held until its body is turned into JSON

        async def send_with_id(message: Message) -> None:
            nonlocal started, plain_error
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] != b"x-request-id"),
                    (b"x-request-id", request_id.encode()),
                ]
                if message["status"] >= 400 and _is_text(message["headers"]):
                    plain_error = message
                    return
            elif plain_error is not None and message["type"] == "http.response.body":
                await _send_as_json(send, plain_error, message, request_id)
                plain_error = None
                return
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception(
                "unhandled error in request %s (%s %s)", request_id, scope.get("method"), scope.get("path")
            )
            if started:
                raise  # the status line is gone; the server closes the connection
            body = error_body("INTERNAL_SERVER_ERROR", f"Internal server error (request {request_id}).", request_id)
            await send_with_id(
                {"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": body})
        finally:
            REQUEST_ID.reset(token)


def _is_text(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name == b"content-type" and value.startswith(b"text/plain") for name, value in headers)


async def _send_as_json(send: Send, start: Message, body: Message, request_id: str) -> None:
    """A plain-text error from below (Starlette's body limit, a plugin's route) answered as JSON with a code;
    the text, a short reason such as "Content Too Large", is the message."""
    status = start["status"]
    reason = body.get("body", b"").decode("utf-8", "replace")[:200] or "Error"
    content = error_body(STATUS_CODES.get(status, f"HTTP_{status}"), reason, request_id)
    headers = [h for h in start["headers"] if h[0] not in (b"content-type", b"content-length")]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` ("-" outside a request) for LOG_FORMAT."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Lini's loggers write to stderr with the request id; idempotent (each uvicorn worker calls it once)."""
    root = logging.getLogger("lini")
    if any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
