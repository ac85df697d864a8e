"""Made-to-measure checkout lines: the key that tells two configurations apart, and the fabric they need.

A line's `config_key` is a digest of its snapshot without the ready-by date (which moves with the calendar),
so the same garment configured again, the same day or not, raises the quantity of its line instead of adding
another. `fabric_needed` adds up the metres a checkout's made-to-measure lines would cut from each fabric, so
a checkout never asks for more than the supplier has on hand (completion re-checks under its conditional
updates, which is what actually keeps stock from going below zero).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from core.errors import DomainError
from core.garments.models import Fabric

VOLATILE = ("ready_by",)


def config_key(snapshot: Mapping[str, Any]) -> str:
    stable = {key: value for key, value in snapshot.items() if key not in VOLATILE}
    text = json.dumps(stable, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def metres_of(snapshot: Mapping[str, Any], quantity: int) -> tuple[int, Decimal]:
    """(fabric id, metres) a line of `quantity` garments cuts."""
    return int(snapshot["fabric"]["id"]), Decimal(snapshot["fabric_metres"]) * quantity


def fabric_needed(lines: Iterable[tuple[Mapping[str, Any], int]]) -> dict[int, Decimal]:
    needed: dict[int, Decimal] = {}
    for snapshot, quantity in lines:
        fabric_id, metres = metres_of(snapshot, quantity)
        needed[fabric_id] = needed.get(fabric_id, Decimal(0)) + metres
    return needed


async def check_fabric(needed: Mapping[int, Decimal], field: str) -> None:
    """FABRIC_OUT_OF_STOCK when a fabric has fewer metres on hand than `needed` (one statement)."""
    stock = dict(await Fabric.filter(id__in=list(needed)).values_list("id", "stock_metres"))
    short = [fabric_id for fabric_id, metres in needed.items() if Decimal(stock.get(fabric_id) or 0) < metres]
    if short:
        raise DomainError(
            "FABRIC_OUT_OF_STOCK",
            "The supplier does not have enough of this fabric on hand; the quote says when it is restocked.",
            field,
        )
