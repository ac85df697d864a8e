"""A tailor's own making prices, per garment type and currency, which the PRICE term compares.

Only the tailor sets them (for one of its own profiles), only for a garment type its profile says it makes, in an
ISO 4217 currency, as a positive amount with at most the currency's decimals and below core's MAX_AMOUNT. Every
mistake is reported together and nothing is written. The ranking reads the prices of one garment type in one
currency (the brand's default) in a single query, whatever the number of tailors.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from lini.plugin import MAX_AMOUNT, Actor, DomainError, Problems, Tailor, exponent, is_currency
from plugins.tailor_dispatch.models import DispatchPrice

MAX_PRICES = 200  # per tailor profile: its garment types × the currencies it works in, with room to spare

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray


async def own_tailor(actor: Actor, tailor_id: int | None) -> Tailor:
    """The caller's tailor profile: the one named, or its only one (NOT_FOUND for anyone else's)."""
    if tailor_id is None:
        if len(actor.tailor_ids) != 1:
            raise DomainError("TAILOR_REQUIRED", "You have several tailor profiles: say which one.", "tailor_id")
        tailor_id = next(iter(actor.tailor_ids))
    if tailor_id not in actor.tailor_ids:
        raise DomainError("NOT_FOUND", "No such tailor profile of yours.", "tailor_id")
    return await Tailor.get(id=tailor_id)


def _code(value: str) -> str:
    return value.strip().upper()


async def put(actor: Actor, tailor_id: int | None, garment_type: str, currency: str, amount: Decimal) -> DispatchPrice:
    """Set (or replace) the tailor's price for one garment type in one currency."""
    tailor = await own_tailor(actor, tailor_id)
    code, currency = _code(garment_type), currency.strip()
    problems = Problems()
    if code not in tailor.garment_types:
        made = ", ".join(tailor.garment_types) or "nothing yet"
        problems.add("INVALID_GARMENT_TYPE", f"Your profile makes {made}; price one of those.", "garment_type")
    if not is_currency(currency):
        problems.add("INVALID_CURRENCY", "Give an ISO 4217 currency code such as IDR or MYR.", "currency")
    elif not (
        amount.is_finite()
        and Decimal(0) < amount < MAX_AMOUNT
        and amount == amount.quantize(Decimal(1).scaleb(-exponent(currency)))
    ):
        problems.add(
            "INVALID_AMOUNT",
            f"A price is above 0 and below {MAX_AMOUNT}, with at most {exponent(currency)} decimals in {currency}.",
            "amount",
        )
    known = DispatchPrice.filter(tailor_id=tailor.id)
    adding = not await known.filter(garment_type_code=code, currency=currency).exists()
    if adding and await known.count() >= MAX_PRICES:
        problems.add("TOO_MANY_PRICES", f"A tailor profile keeps at most {MAX_PRICES} prices.", "garment_type")
    problems.raise_any()
    row, created = await DispatchPrice.get_or_create(
        tailor_id=tailor.id, garment_type_code=code, currency=currency, defaults={"amount": amount}
    )
    if not created:
        row.amount = amount
        await row.save(update_fields=["amount", "updated_at"])
    return row


async def remove(actor: Actor, tailor_id: int | None, garment_type: str, currency: str) -> Tailor:
    """Clear one price (NOT_FOUND when the tailor has none for that garment type and currency)."""
    tailor = await own_tailor(actor, tailor_id)
    deleted = await DispatchPrice.filter(
        tailor_id=tailor.id, garment_type_code=_code(garment_type), currency=currency.strip()
    ).delete()
    if not deleted:
        raise DomainError("NOT_FOUND", "You have no price for this garment type in this currency.", "garment_type")
    return tailor


async def of_tailors(tailor_ids: Sequence[int]) -> list[DispatchPrice]:
    """The prices of these tailors, by tailor, garment type and currency (one query)."""
    return await DispatchPrice.filter(tailor_id__in=list(tailor_ids) or [-1]).order_by(
        "tailor_id", "garment_type_code", "currency"
    )


async def column(tailor_ids: NDArray[np.int64], garment_type: str, currency: str) -> NDArray[np.float64]:
    """Each tailor's price for the garment type in the currency, aligned with `tailor_ids`; NaN without one.

    One query for every tailor: the prices of that garment type and currency (the table's index), mapped onto
    the roster, so the statement does not grow with the roster.
    """
    import numpy as np

    found = dict(
        await DispatchPrice.filter(garment_type_code=garment_type, currency=currency).values_list("tailor_id", "amount")
    )
    return np.fromiter(
        (float(found[t]) if t in found else np.nan for t in tailor_ids.tolist()),
        dtype=np.float64,
        count=len(tailor_ids),
    )
