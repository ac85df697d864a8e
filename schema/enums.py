"""GraphQL enums over enums that core/ defines (core knows no GraphQL, so it cannot carry `enum_value`s)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=type[Enum])


def described_enum(cls: E, *, name: str, description: str, values: Mapping[str, str]) -> E:
    """`strawberry.enum(cls)` with a description for every value: a member added in core without one here
    fails at import, so the public schema never gains an undescribed value."""
    wrapped = strawberry.enum(cls, name=name, description=description)
    definition = wrapped.__strawberry_definition__  # type: ignore[attr-defined]
    members = {value.name for value in definition.values}
    if members != set(values):
        raise ValueError(f"{name}: describe exactly {sorted(members)}, not {sorted(values)}")
    for value in definition.values:
        value.description = values[value.name]
    return wrapped
