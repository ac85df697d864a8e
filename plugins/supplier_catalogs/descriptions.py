"""GraphQL enums whose every value says what it means: `strawberry.enum` describes the type, not its values."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def described_enum(enum: type[Enum], *, name: str, description: str, values: dict[str, str]) -> Any:
    """`strawberry.enum(enum)` with a description on each value; a value left out is a programming error, so a
    new member cannot reach the schema unexplained."""
    missing = {member.name for member in enum} - set(values)
    if missing:
        raise ValueError(f"{name}: describe {', '.join(sorted(missing))}")
    typed = strawberry.enum(enum, name=name, description=description)
    for value in getattr(typed, "__strawberry_definition__").values:  # noqa: B009  # set by strawberry.enum
        value.description = values[value.name]
    return typed
