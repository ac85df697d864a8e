"""Keyset (cursor) pagination over tortoise querysets.

Offsets drift when rows are inserted and get slower with every page; a keyset cursor holds the sort-key
values of the last row seen, so the next page is one indexed range scan and stays stable under inserts.
A cursor also names the ordering it was made for, so one from another query is refused, not misread.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson
from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.errors import DomainError

M = TypeVar("M", bound=Model)
T = TypeVar("T")  # a page's items: model instances or plain rows (core.catalog.rows)


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def validated(self, *, default_size: int, max_size: int) -> tuple[int, bool]:
        """Page size and direction (True = backwards); a size over the maximum is refused, not capped."""
        if self.first is not None and self.last is not None:
            raise DomainError("INVALID_PAGINATION", "Pass either `first` or `last`, not both.", "first")
        for name in ("first", "last"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise DomainError("INVALID_PAGINATION", f"`{name}` must not be negative.", name)
            if value is not None and value > max_size:
                raise DomainError(
                    "PAGE_SIZE_EXCEEDED",
                    f"`{name}` is {value}, but at most {max_size} items can be asked for at once.",
                    name,
                )
        backwards = self.last is not None or (self.before is not None and self.first is None)
        size = self.last if backwards else self.first
        return (default_size if size is None else size), backwards


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


def encode_cursor(key: str, values: Sequence[Any]) -> str:
    raw = orjson.dumps([key, *values], default=_jsonable)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: str, model: type[Model], order: Sequence[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        payload = None
    if not isinstance(payload, list) or len(payload) != len(order) + 1 or payload[0] != key:
        raise DomainError("INVALID_CURSOR", "This cursor does not belong to this list or ordering.", "after")
    try:
        return [_from_json(model, name.lstrip("-"), value) for name, value in zip(order, payload[1:], strict=True)]
    except (ValueError, TypeError, ArithmeticError):
        raise DomainError("INVALID_CURSOR", "This cursor is malformed.", "after") from None


def decode_positions(cursor: str, key: str, length: int) -> list[int]:
    """A cursor of integers only (e.g. a position in a ranked list and an id)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        payload = None
    if (
        not isinstance(payload, list)
        or len(payload) != length + 1
        or payload[0] != key
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in payload[1:])
    ):
        raise DomainError("INVALID_CURSOR", "This cursor does not belong to this list or ordering.", "after")
    return payload[1:]


async def paginate(
    queryset: QuerySet[M],
    request: PageRequest,
    *,
    order: Sequence[str],
    key: str,
    default_size: int,
    max_size: int,
) -> Page[M]:
    """One page of `queryset` in `order` (field names, `-` for descending; the last must be unique)."""
    size, backwards = request.validated(default_size=default_size, max_size=max_size)
    model = queryset.model
    base = queryset
    effective = [_flip(name) for name in order] if backwards else list(order)
    boundary = request.before if backwards else request.after
    if boundary is not None:
        values = decode_cursor(boundary, key, model, order)
        queryset = queryset.filter(_after(effective, values))
    other = request.after if backwards else request.before
    if other is not None:
        values = decode_cursor(other, key, model, order)
        queryset = queryset.filter(_after([_flip(n) for n in effective], values))

    rows = list(await queryset.order_by(*effective).limit(size + 1)) if size else []
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    cursors = [encode_cursor(key, [getattr(row, name.lstrip("-")) for name in order]) for row in rows]

    async def count() -> int:
        return await base.count()

    return Page(
        items=rows,
        cursors=cursors,
        has_next_page=more if not backwards else request.before is not None,
        has_previous_page=more if backwards else request.after is not None,
        count=count,
    )


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order`: (a > va) OR (a = va AND b > vb) OR …"""
    clauses = []
    for i, name in enumerate(order):
        field = name.lstrip("-")
        op = "lt" if name.startswith("-") else "gt"
        equal = {order[j].lstrip("-"): values[j] for j in range(i)}
        clauses.append(Q(**equal, **{f"{field}__{op}": values[i]}))
    return Q(*clauses, join_type="OR")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def _from_json(model: type[Model], name: str, value: Any) -> Any:
    field = model._meta.fields_map[name]
    if value is None:
        return None
    if isinstance(field, fields.DatetimeField):
        return datetime.fromisoformat(value)
    if isinstance(field, fields.DecimalField):
        return Decimal(value)
    if isinstance(field, fields.IntField | fields.BigIntField | fields.SmallIntField):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("integer expected")
        return value
    if not isinstance(value, str):
        raise TypeError("string expected")
    return value
