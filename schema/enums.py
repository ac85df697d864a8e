"""GraphQL enums over core's Python enums, with a description for every value.

core/ holds no GraphQL, so its enums cannot carry `strawberry.enum_value`; the descriptions are given here, and a
value without one (say, a member added in core) stops the schema from building instead of going out undescribed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import EnumMeta
from typing import Any

import strawberry


def described_enum(cls: EnumMeta, *, name: str, description: str, values: Mapping[str, str]) -> Any:
    """`strawberry.enum(cls)` with `values` (member name → description) on its values."""
    wrapped = strawberry.enum(cls, name=name, description=description)
    members = [value.name for value in wrapped.__strawberry_definition__.values]
    if sorted(members) != sorted(values):
        raise ValueError(f"{name}: describe exactly {members}, not {sorted(values)}")
    for value in wrapped.__strawberry_definition__.values:
        value.description = values[value.name]
    return wrapped
