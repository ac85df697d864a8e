"""The fabric reads and moves `lini.plugin` offers plugins that sell raw material: taking metres never goes
below zero (also when two takers race on PostgreSQL), giving back adds, a brand's uncut jobs' reservations are
summed per fabric, and every rate into one currency is read at once, agreeing with `convert`."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

import lini.plugin
from core.garments import fabric_queries, fabric_stock, rates
from core.garments.models import ExchangeRate, Fabric, JobStage, ProductionJob
from tests.api.test_production import make_fabric, mtm_order
from tests.factories import make_brand, make_user


@pytest.mark.engine_independent
def test_the_plugin_api_exports_them() -> None:
    assert lini.plugin.take_fabric_metres is fabric_stock.take
    assert lini.plugin.give_back_fabric_metres is fabric_stock.give_back
    assert lini.plugin.fabric_reservations is fabric_stock.reservations
    assert lini.plugin.fabric_catalogue is fabric_queries.available
    assert lini.plugin.exchange_factors is rates.factors_into


async def test_taking_metres_stops_at_zero_and_giving_back_adds(app):
    fabric = await make_fabric(stock="5")
    assert await fabric_stock.take(fabric.id, Decimal("3.5")) is True
    assert await fabric_stock.take(fabric.id, Decimal("2")) is False  # 1.5 left: nothing taken
    assert (await Fabric.get(id=fabric.id)).stock_metres == Decimal("1.5")
    await fabric_stock.give_back({fabric.id: Decimal("2")})
    assert (await Fabric.get(id=fabric.id)).stock_metres == Decimal("3.5")
    with pytest.raises(ValueError):
        await fabric_stock.take(fabric.id, Decimal(0))


async def test_concurrent_takers_of_the_last_metres_cannot_both_succeed(app):
    fabric = await make_fabric(stock="10")
    results = await asyncio.gather(*(fabric_stock.take(fabric.id, Decimal(6)) for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
    assert (await Fabric.get(id=fabric.id)).stock_metres == Decimal(4)


async def test_reservations_sum_a_brands_uncut_jobs_per_fabric(app):
    brand, other = await make_brand("sekar"), await make_brand("batik")
    fabric = await make_fabric()
    order = await mtm_order(brand, await make_user(), fabric, quantity=3, paid=True)
    await mtm_order(other, await make_user(), fabric, quantity=1, paid=True)
    cut = await ProductionJob.filter(order_id=order.id).order_by("id").first()
    assert cut is not None
    await ProductionJob.filter(id=cut.id).update(stage=JobStage.CUTTING)  # cut cloth is no longer held

    found = await fabric_stock.reservations(brand.id)

    assert list(found) == [fabric.id]
    held = found[fabric.id]
    assert (held.metres, held.jobs) == (Decimal("5.50"), 2)  # 2 × 2.75 m, the other brand's not counted
    assert held.oldest is not None
    assert await fabric_stock.reservations((await make_brand("kosong")).id) == {}


async def test_factors_into_one_currency_agree_with_convert(app):
    await ExchangeRate.create(base="USD", quote="IDR", rate=Decimal("16000"))
    await ExchangeRate.create(base="IDR", quote="MYR", rate=Decimal("0.00028"))
    factors = await rates.factors_into("IDR")
    assert set(factors) == {"IDR", "USD", "MYR"}
    assert factors["IDR"] == 1 and factors["USD"] == Decimal(16000)
    for currency in ("USD", "MYR"):
        assert factors[currency] == await rates.convert(Decimal(1), currency, "IDR")
