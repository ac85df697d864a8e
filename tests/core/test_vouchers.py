"""Using vouchers (core.vouchers.services): why a code does not apply, what it takes off, and counting uses
exactly under concurrency. The `app` fixture connects the ORM to a migrated SQLite or PostgreSQL database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from core.errors import DomainError
from core.money import Money
from core.vouchers import services
from core.vouchers.models import Voucher, VoucherCurrency, VoucherCustomerUse, VoucherKind
from tests.factories import make_brand

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


async def voucher(brand_id: int, code: str = "HEMAT10", **fields: object) -> Voucher:
    defaults: dict[str, object] = {"kind": VoucherKind.PERCENTAGE, "percentage": Decimal("10")}
    made = await Voucher.create(brand_id=brand_id, code=code, **{**defaults, **fields})
    await VoucherCurrency.create(voucher=made, currency="IDR", min_subtotal=Decimal("200000"))
    await VoucherCurrency.create(voucher=made, currency="MYR", discount_amount=Decimal("15"))
    return made


async def applies(brand_id: int, code: str = "hemat10", *, subtotal: str = "250000", currency: str = "IDR", **kw):
    return await services.find_applicable(
        brand_id,
        code,
        currency=currency,
        subtotal=Money.of(subtotal, currency),
        customer_key=kw.pop("customer_key", "user:1"),
        now=kw.pop("now", NOW),
    )


async def test_a_code_applies_in_any_case_and_gives_its_terms(app):
    brand = await make_brand()
    made = await voucher(brand.id)
    found = await applies(brand.id, " Hemat10 ")
    assert found.id == made.id
    assert await services.terms(found, "IDR") == services.VoucherTerms(
        code="HEMAT10", kind=VoucherKind.PERCENTAGE, percentage=Decimal("10.00"), discount=None
    )
    fixed = await voucher(brand.id, "POTONG", kind=VoucherKind.FIXED, percentage=None)
    assert (await services.terms(fixed, "MYR")).discount == Money.of("15", "MYR")
    with pytest.raises(DomainError) as caught:
        await services.terms(fixed, "USD")
    assert caught.value.code == "VOUCHER_CURRENCY"


@pytest.mark.parametrize(
    ("setup", "call", "code"),
    [
        ({}, {"code": "NOPE"}, "VOUCHER_NOT_FOUND"),
        ({}, {"code": ""}, "VOUCHER_NOT_FOUND"),
        ({"active": False}, {}, "VOUCHER_INACTIVE"),
        ({"starts_at": NOW + timedelta(seconds=1)}, {}, "VOUCHER_NOT_STARTED"),
        ({"ends_at": NOW}, {}, "VOUCHER_EXPIRED"),
        ({}, {"currency": "USD"}, "VOUCHER_CURRENCY"),
        ({}, {"subtotal": "199999.99"}, "VOUCHER_MIN_SUBTOTAL"),
        ({"usage_limit": 3, "used_count": 3}, {}, "VOUCHER_USED_UP"),
    ],
)
async def test_why_a_code_does_not_apply(app, setup, call, code):
    brand = await make_brand()
    await voucher(brand.id, **setup)
    arguments = dict(call)  # parameters are shared by both backends' runs
    with pytest.raises(DomainError) as caught:
        await applies(brand.id, arguments.pop("code", "hemat10"), **arguments)
    assert (caught.value.code, caught.value.field) == (code, "code")


async def test_edges_of_the_window_and_minimum_apply(app):
    brand = await make_brand()
    await voucher(brand.id, starts_at=NOW, ends_at=NOW + timedelta(seconds=1), usage_limit=3, used_count=2)
    assert await applies(brand.id, subtotal="200000")


async def test_another_brands_code_is_not_found(app):
    await voucher((await make_brand()).id)
    with pytest.raises(DomainError) as caught:
        await applies((await make_brand()).id)
    assert caught.value.code == "VOUCHER_NOT_FOUND"


async def test_per_customer_limit_counts_that_customer_only(app):
    brand = await make_brand()
    made = await voucher(brand.id, per_customer_limit=1)
    async with in_transaction():
        await services.redeem(made.id, "user:1")
    with pytest.raises(DomainError) as caught:
        await applies(brand.id, customer_key="user:1")
    assert caught.value.code == "VOUCHER_CUSTOMER_LIMIT"
    assert await applies(brand.id, customer_key="email:siti@example.id")
    assert await applies(brand.id, customer_key=None)  # a shopper not yet known: the overall limit only


async def test_redeem_and_release_count_and_give_back(app):
    brand = await make_brand()
    made = await voucher(brand.id, usage_limit=1, per_customer_limit=1)
    await services.redeem(made.id, "user:7")
    with pytest.raises(DomainError) as caught:
        await services.redeem(made.id, "user:8")
    assert caught.value.code == "VOUCHER_USED_UP"
    await services.release(made.id, "user:7")
    await services.release(made.id, "user:7")  # never below zero
    assert (await Voucher.get(id=made.id)).used_count == 0
    assert (await VoucherCustomerUse.get(voucher_id=made.id, customer_key="user:7")).uses == 0
    await services.redeem(made.id, None)
    assert (await Voucher.get(id=made.id)).used_count == 1


async def test_a_refused_customer_use_leaves_no_half_count(app):
    brand = await make_brand()
    made = await voucher(brand.id, per_customer_limit=1)
    await services.redeem(made.id, "user:7")
    with pytest.raises(DomainError) as caught:
        await services.redeem(made.id, "user:7")
    assert caught.value.code == "VOUCHER_CUSTOMER_LIMIT"
    assert (await Voucher.get(id=made.id)).used_count == 1  # the overall count was put back with it


async def test_redeeming_a_deleted_voucher_is_not_found(app):
    brand = await make_brand()
    made = await voucher(brand.id)
    await Voucher.filter(id=made.id).delete()
    with pytest.raises(DomainError) as caught:
        await services.redeem(made.id, "user:1")
    assert caught.value.code == "VOUCHER_NOT_FOUND"


async def _race(voucher_id: int, keys: list[str | None]) -> list[str]:
    """Each redeem in its own transaction (as each order completion is), all at once; the outcome codes."""

    async def one(key: str | None) -> str:
        try:
            async with in_transaction():
                await services.redeem(voucher_id, key)
                await asyncio.sleep(0)  # let the others run while this transaction holds its row
        except DomainError as error:
            return error.code
        return "OK"

    return await asyncio.gather(*(one(key) for key in keys))


async def test_twenty_concurrent_uses_of_a_five_use_voucher_succeed_exactly_five_times(app):
    brand = await make_brand()
    made = await voucher(brand.id, usage_limit=5)
    outcomes = await _race(made.id, [f"user:{i}" for i in range(20)])
    assert sorted(outcomes) == ["OK"] * 5 + ["VOUCHER_USED_UP"] * 15
    assert (await Voucher.get(id=made.id)).used_count == 5
    assert await VoucherCustomerUse.filter(voucher_id=made.id, uses=1).count() == 5


async def test_twenty_concurrent_uses_by_one_customer_with_a_limit_of_two_succeed_twice(app):
    brand = await make_brand()
    made = await voucher(brand.id, per_customer_limit=2)
    outcomes = await _race(made.id, ["email:siti@example.id"] * 20)
    assert sorted(outcomes) == ["OK"] * 2 + ["VOUCHER_CUSTOMER_LIMIT"] * 18
    assert (await Voucher.get(id=made.id)).used_count == 2
    assert (await VoucherCustomerUse.get(voucher_id=made.id)).uses == 2
