"""The made-to-measure price computation: size bands, the configuration key, fabric totals, and `price`
itself (rounding each part once, conversion both ways, a withdrawn option or fabric, a constant number of
statements for any number of lines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.garments.lines import config_key, fabric_needed
from core.garments.models import ExchangeRate, MadeToMeasure, OptionValue
from core.garments.products import band_for
from core.garments.quote import GarmentPrice, PriceContext, price
from core.plugins import PluginHost
from tests.api.custom_garment_setup import make_shop

BANDS = [{"code": "S", "max_cm": "92.00"}, {"code": "M", "max_cm": "100.00"}, {"code": "XL", "max_cm": None}]


def mtm(**fields: Any) -> MadeToMeasure:
    return MadeToMeasure(size_band_field=fields.get("field", "LINGKAR_BADAN"), size_bands=fields.get("bands", BANDS))


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("cm", "band"), [("70.00", "S"), ("92.00", "S"), ("92.01", "M"), ("100.00", "M"), ("150", "XL")]
)
def test_the_band_measurement_picks_the_first_band_it_fits(cm, band):
    assert band_for(mtm(), [{"code": "LINGKAR_BADAN", "cm": cm}]) == band


@pytest.mark.engine_independent
def test_a_missing_band_measurement_has_no_band_and_one_band_needs_none():
    assert band_for(mtm(), [{"code": "PANJANG_BAJU", "cm": "140"}]) is None
    assert band_for(mtm(field="", bands=[{"code": "ALL", "max_cm": None}]), []) == "ALL"


@pytest.mark.engine_independent
def test_the_configuration_key_ignores_the_ready_date_and_key_order():
    snapshot = {"product_id": 1, "fabric": {"id": 2}, "options": [], "ready_by": "2026-01-01"}
    moved = {"ready_by": "2026-02-01", "options": [], "fabric": {"id": 2}, "product_id": 1}
    assert config_key(snapshot) == config_key(moved) and len(config_key(snapshot)) == 64
    assert config_key(snapshot) != config_key({**snapshot, "fabric": {"id": 3}})


@pytest.mark.engine_independent
def test_fabric_needed_adds_up_lines_per_fabric():
    a = {"fabric": {"id": 1}, "fabric_metres": "2.75"}
    b = {"fabric": {"id": 2}, "fabric_metres": "3.00"}
    assert fabric_needed([(a, 2), (b, 1), (a, 1)]) == {1: Decimal("8.25"), 2: Decimal("3.00")}


async def snapshots(shop, count: int) -> list[tuple[dict[str, Any], int]]:
    from core.actors.models import Brand
    from core.context import Actor
    from core.garments.quote import GarmentRequest, OptionChoice, resolve

    brand = await Brand.get(id=shop.brand.id)
    request = GarmentRequest(
        product_id=shop.product_id,
        fabric_id=shop.batik.id,
        options=[OptionChoice("COLLAR", ["BULAT"]), OptionChoice("POCKET", ["SIDE"])],
        measurements=[("LINGKAR_BADAN", "96"), ("LINGKAR_PINGGANG", "80"), ("PANJANG_BAJU", "140")],
    )
    snapshot = await resolve(Actor(), brand, request)
    return [(snapshot, n + 1) for n in range(count)]


async def test_pricing_many_lines_costs_the_statements_of_one(gql, sql_counter, plugin_host: PluginHost):
    shop = await make_shop(gql)
    one, many = await snapshots(shop, 1), await snapshots(shop, 12)
    context = PriceContext(brand_id=shop.brand.id, currency="IDR")  # batik is priced in MYR: one rate
    with sql_counter.counting() as seen:
        await price(one, context, plugin_host)
    single = len(seen)
    with sql_counter.counting() as seen:
        priced = await price(many, context, plugin_host)
    assert len(seen) == single == 6  # five for the configurations, one exchange rate
    assert all(isinstance(p, GarmentPrice) for p in priced)


async def test_each_part_is_rounded_once_and_the_parts_add_up(gql, plugin_host: PluginHost):
    shop = await make_shop(gql)
    await ExchangeRate.filter(base="MYR", quote="IDR").update(rate=Decimal("3333.33333333"))
    [(snapshot, _)] = await snapshots(shop, 1)
    found = (await price([(snapshot, 3)], PriceContext(shop.brand.id, "IDR"), plugin_host))[0]
    assert isinstance(found, GarmentPrice)
    # 2.75 m × 12.50 MYR × 3333.33333333 = 114583.33333322… → 114583.33
    assert found.fabric.amount == Decimal("114583.33")
    parts = found.base.amount + sum(c.amount.amount for c in found.options) + found.fabric.amount
    assert found.unit_price.amount == parts == Decimal("489583.33")
    assert found.total.amount == Decimal("1468749.99")
    assert found.ready_by == datetime.now(UTC).date() + timedelta(days=14) and found.fabric_in_stock


async def test_a_withdrawn_option_or_a_missing_rate_is_a_problem_for_that_line_only(gql, plugin_host: PluginHost):
    shop = await make_shop(gql)
    [(snapshot, _)] = await snapshots(shop, 1)
    plain = {**snapshot, "options": []}
    context = PriceContext(shop.brand.id, "IDR")
    await OptionValue.filter(code="BULAT").delete()
    found = await price([(snapshot, 1), (plain, 1)], context, plugin_host)
    assert getattr(found[0], "code", None) == "OPTION_NOT_ALLOWED" and isinstance(found[1], GarmentPrice)
    await ExchangeRate.all().delete()
    found = await price(
        [(plain, 1), ({**plain, "fabric": {**plain["fabric"], "id": shop.wolfis.id}}, 1)], context, plugin_host
    )
    assert getattr(found[0], "code", None) == "NO_EXCHANGE_RATE"  # batik is priced in MYR
    assert isinstance(found[1], GarmentPrice)  # wolfis is priced in IDR: no rate needed
