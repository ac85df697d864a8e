"""The platform's selection step, shared by brands, suppliers, tailors and certificates.

A decision is one conditional UPDATE from the statuses it may start from: two administrators deciding at
once cannot both win, and a decision from the wrong status changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from tortoise.models import Model

from core.errors import DomainError

M = TypeVar("M", bound=Model)


async def transition(
    model: type[M],
    row_id: int,
    target: StrEnum,
    transitions: Mapping[Any, Sequence[Any]],
    *,
    noun: str,
    **changes: Any,
) -> M:
    """Move a row to `target` (plus `changes`); call inside the operation's transaction."""
    changed = await model.filter(id=row_id, status__in=list(transitions[target])).update(status=target, **changes)
    row = await model.get_or_none(id=row_id)
    if row is None:
        raise DomainError("NOT_FOUND", f"There is no such {noun}.", "id")
    if not changed:
        raise DomainError("INVALID_STATUS", f"A {noun} that is {row.status} cannot become {target}.", "id")  # type: ignore[attr-defined]
    return row
