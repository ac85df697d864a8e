"""Reading a GraphQL request body, refusing what the rest of the server must never see.

A body is JSON in UTF-8 (orjson: invalid UTF-8, lone surrogates, NaN and trailing garbage are refused), one
object (batches are not served), nested at most `[graphql] max_json_depth` deep, with at most
`max_json_items` elements in any array or object, and no NUL character in any string or key (PostgreSQL text
cannot hold one). Each refusal is a `RequestRefused` with a code: the view answers it as GraphQL JSON, never a
500. orjson stops at its own depth limit (1,024), so decoding cannot raise `RecursionError`, and the walk
that checks the rest is a loop.
"""

from __future__ import annotations

from typing import Any

import orjson


class RequestRefused(Exception):
    """A request refused before any GraphQL runs: HTTP `status`, error `code`, and a message for the client."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def decode(data: bytes | str, *, max_depth: int, max_items: int) -> Any:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error) or "recursion" in str(error).lower():
            raise _too_deep(max_depth) from None
        raise RequestRefused(
            400, "INVALID_JSON", "The body is not valid JSON in UTF-8; send one JSON object."
        ) from None
    check(value, max_depth=max_depth, max_items=max_items)
    return value


def check(value: Any, *, max_depth: int, max_items: int) -> None:
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise _nul()
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                raise _too_deep(max_depth)
            if len(item) > max_items:
                raise RequestRefused(
                    400, "TOO_MANY_ITEMS", f"A JSON array or object in the body has more than {max_items} members."
                )
            if isinstance(item, dict):
                if any("\x00" in key for key in item):
                    raise _nul()
                stack.extend((member, depth + 1) for member in item.values())
            else:
                stack.extend((member, depth + 1) for member in item)


def request_object(value: Any) -> dict[str, Any]:
    """The body of one GraphQL request: an object whose `query`, `operationName`, `variables` and
    `extensions` have the types GraphQL over HTTP gives them."""
    if not isinstance(value, dict):
        raise RequestRefused(
            400,
            "BAD_REQUEST",
            'The body must be one JSON object: {"query": "...", "variables": {...}} (batches are not served).',
        )
    for key, kinds, shape in (
        ("query", (str,), "a string"),
        ("operationName", (str,), "a string"),
        ("variables", (dict,), "an object"),
        ("extensions", (dict,), "an object"),
    ):
        if value.get(key) is not None and not isinstance(value[key], kinds):
            raise RequestRefused(400, "BAD_REQUEST", f"`{key}` must be {shape} or null.")
    return value


def _too_deep(max_depth: int) -> RequestRefused:
    return RequestRefused(400, "JSON_TOO_DEEP", f"The body's JSON is nested deeper than {max_depth} levels.")


def _nul() -> RequestRefused:
    return RequestRefused(400, "INVALID_VALUE", "Text may not contain the NUL character (U+0000).")
