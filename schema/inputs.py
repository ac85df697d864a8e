"""Strawberry inputs as plain values for the services in core/, which know nothing of GraphQL."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def plain(value: Any) -> Any:
    """A strawberry input as nested dicts and lists; fields left out by the client (UNSET) are left out.

    (`strawberry.asdict` would also take apart GlobalIDs, which are dataclasses too.)
    """
    if isinstance(value, list):
        return [plain(item) for item in value]
    definition = getattr(value, "__strawberry_definition__", None)
    if definition is None or isinstance(value, Enum):
        return value
    fields = ((f.python_name, getattr(value, f.python_name)) for f in definition.fields)
    return {name: plain(item) for name, item in fields if item is not strawberry.UNSET}


def changes(input: Any, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """An update input's given fields; null counts as given only where it means something (no category)."""
    return {key: value for key, value in plain(input).items() if value is not None or key in nullable}
