"""Using a voucher: may this checkout apply it now, what does it take off, and counting its uses safely.

`find_applicable` answers a shopper with one precise reason when a code does not apply. It reads the counts
without locking, so it is advice: the binding check is `redeem`, called inside the order-completion
transaction, which raises the counts with conditional UPDATEs (`used_count < usage_limit`). On PostgreSQL
a concurrent redeemer waits for the row and re-checks the condition against the committed count; SQLite
runs one writing transaction at a time. Either way 20 shoppers racing for the last 5 uses get exactly 5.
Staff management of vouchers is in `core.vouchers.management`.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from core.checkout.totals import VoucherTerms
from core.errors import DomainError
from core.money import Money
from core.vouchers.models import Voucher, VoucherCurrency, VoucherCustomerUse, VoucherKind

CODE_LENGTH = 50
CUSTOMER_KEY_LENGTH = 260


def normalise_code(code: str) -> str:
    """Codes are matched case-insensitively and stored upper case: "hemat10" is "HEMAT10"."""
    return code.strip().upper()


def _error(code: str, message: str) -> DomainError:
    return DomainError(code, message, "code")


async def find_applicable(
    brand_id: int, code: str, *, currency: str, subtotal: Money, customer_key: str | None, now: datetime
) -> Voucher:
    """The brand's voucher with this code, if a checkout in `currency` with this `subtotal` (before discounts,
    as the shopper sees it) may use it at `now`; otherwise a `DomainError` saying why, on field "code".

    `customer_key` identifies the shopper for per-customer limits ("user:<id>" or "email:<address>"); without
    one, only the overall limit is checked.
    """
    normalised = normalise_code(code)
    voucher = await Voucher.get_or_none(brand_id=brand_id, code=normalised) if normalised else None
    if voucher is None or len(normalised) > CODE_LENGTH:
        raise _error("VOUCHER_NOT_FOUND", "There is no voucher with this code.")
    if not voucher.active:
        raise _error("VOUCHER_INACTIVE", "This voucher is not active.")
    if voucher.starts_at is not None and now < voucher.starts_at:
        raise _error("VOUCHER_NOT_STARTED", "This voucher cannot be used yet.")
    if voucher.ends_at is not None and now >= voucher.ends_at:
        raise _error("VOUCHER_EXPIRED", "This voucher has expired.")
    offer = await VoucherCurrency.get_or_none(voucher_id=voucher.id, currency=currency)
    if offer is None:
        raise _error("VOUCHER_CURRENCY", f"This voucher cannot be used when paying in {currency}.")
    if offer.min_subtotal is not None and subtotal.amount < offer.min_subtotal:
        minimum = Money.of(offer.min_subtotal, currency)
        raise _error("VOUCHER_MIN_SUBTOTAL", f"This voucher needs a subtotal of at least {minimum}.")
    if voucher.usage_limit is not None and voucher.used_count >= voucher.usage_limit:
        raise _error("VOUCHER_USED_UP", "This voucher has been used up.")
    if customer_key and voucher.per_customer_limit is not None:
        key = customer_key[:CUSTOMER_KEY_LENGTH]
        uses = await VoucherCustomerUse.filter(voucher_id=voucher.id, customer_key=key).first()
        if uses is not None and uses.uses >= voucher.per_customer_limit:
            raise _error("VOUCHER_CUSTOMER_LIMIT", "You have already used this voucher as often as allowed.")
    return voucher


async def terms(voucher: Voucher, currency: str) -> VoucherTerms:
    """What the voucher takes off in `currency`, for `core.checkout.totals.compute_totals`."""
    offer = await VoucherCurrency.get_or_none(voucher_id=voucher.id, currency=currency)
    if offer is None:
        raise _error("VOUCHER_CURRENCY", f"This voucher cannot be used when paying in {currency}.")
    fixed = voucher.kind == VoucherKind.FIXED and offer.discount_amount is not None
    return VoucherTerms(
        code=voucher.code,
        kind=voucher.kind,
        percentage=voucher.percentage if voucher.kind == VoucherKind.PERCENTAGE else None,
        discount=Money.of(offer.discount_amount, currency) if fixed and offer.discount_amount is not None else None,
    )


async def redeem(voucher_id: int, customer_key: str | None) -> None:
    """Count one use, overall and for the customer, or raise VOUCHER_USED_UP / VOUCHER_CUSTOMER_LIMIT.

    Call it inside the order-completion transaction: an error rolls the order back with it. It runs in a
    savepoint of its own, so it never leaves half a count behind either. Every use is counted per customer,
    even while the voucher has no per-customer limit, so a limit added later knows who already used it.
    """
    async with in_transaction():
        room = Q(usage_limit__isnull=True) | Q(used_count__lt=F("usage_limit"))
        if not await Voucher.filter(room, id=voucher_id).update(used_count=F("used_count") + 1):
            if not await Voucher.exists(id=voucher_id):
                raise _error("VOUCHER_NOT_FOUND", "There is no voucher with this code.")
            raise _error("VOUCHER_USED_UP", "This voucher has been used up.")
        if not customer_key:
            return
        # The voucher row is ours until commit (PostgreSQL) or we are the only writer (SQLite): its limit holds.
        limit = (await Voucher.filter(id=voucher_id).values_list("per_customer_limit", flat=True))[0]
        await VoucherCustomerUse.bulk_create(
            [VoucherCustomerUse(voucher_id=voucher_id, customer_key=customer_key[:CUSTOMER_KEY_LENGTH], uses=0)],
            ignore_conflicts=True,
        )
        uses = VoucherCustomerUse.filter(voucher_id=voucher_id, customer_key=customer_key[:CUSTOMER_KEY_LENGTH])
        if limit is not None:
            uses = uses.filter(uses__lt=limit)
        if not await uses.update(uses=F("uses") + 1):
            raise _error("VOUCHER_CUSTOMER_LIMIT", "You have already used this voucher as often as allowed.")


async def release(voucher_id: int, customer_key: str | None) -> None:
    """Give back a use counted by `redeem`, when an order that used the voucher is cancelled. Call it once per
    such order, inside the cancelling transaction; the counts never go below zero."""
    async with in_transaction():
        await Voucher.filter(id=voucher_id, used_count__gt=0).update(used_count=F("used_count") - 1)
        if customer_key:
            await VoucherCustomerUse.filter(
                voucher_id=voucher_id, customer_key=customer_key[:CUSTOMER_KEY_LENGTH], uses__gt=0
            ).update(uses=F("uses") - 1)
