"""The shipping_rates provider: which methods fit an address and a parcel, at what price, in a constant number
of queries; and the plugin's hooks (`shipping_providers`, `seed_demo`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.actors.models import Brand
from core.demo import seed_demo
from core.money import Money
from core.plugins import PluginHost
from core.shipping.providers import ShippingProvider, ShippingRequest
from plugins.shipping_rates.models import ShippingFreeThreshold, ShippingMethod, ShippingMethodRate, ShippingZone
from plugins.shipping_rates.provider import ShippingRatesProvider
from plugins.shipping_rates.provinces import canonical_province, province_code
from tests.factories import make_brand

JAKARTA = {"country": "ID", "province": "DKI Jakarta", "city": "Jakarta Selatan", "postal_code": "12190"}
BANDUNG = {"country": "ID", "province": "Jawa Barat", "city": "Bandung", "postal_code": "40115"}
KUALA_LUMPUR = {"country": "MY", "province": "Wilayah Persekutuan Kuala Lumpur", "city": "KL", "postal_code": "50450"}


async def make_method(
    zone: ShippingZone,
    name: str,
    rates: list[tuple[str, int, int | None, str]],
    *,
    free: dict[str, str] | None = None,
    **fields: Any,
) -> ShippingMethod:
    method = await ShippingMethod.create(zone=zone, name=name, **fields)
    for currency, low, high, price in rates:
        await ShippingMethodRate.create(
            method=method, currency=currency, min_weight_grams=low, max_weight_grams=high, price=Decimal(price)
        )
    for currency, amount in (free or {}).items():
        await ShippingFreeThreshold.create(method=method, currency=currency, amount=Decimal(amount))
    return method


@pytest.fixture
async def shipping(app) -> Brand:
    """Sekar ships across Indonesia (REG by weight, free from Rp 500.000; YES), to Jabodetabek by courier,
    and to Malaysia by Pos Laju, priced in IDR and MYR; a retired method stays in the table, inactive."""
    brand = await make_brand("sekar")
    indonesia = await ShippingZone.create(brand=brand, name="Indonesia", countries=["ID"])
    await make_method(
        indonesia,
        "JNE REG",
        [("IDR", 0, 1000, "18000"), ("IDR", 1001, 5000, "45000"), ("MYR", 0, None, "9.5")],
        free={"IDR": "500000"},
        carrier="JNE",
        min_days=2,
        max_days=4,
        position=0,
    )
    await make_method(
        indonesia, "JNE YES", [("IDR", 0, 3000, "32000")], carrier="JNE", min_days=1, max_days=1, position=1
    )
    await make_method(indonesia, "Kargo lama", [("IDR", 0, None, "5000")], active=False, position=2)
    jabodetabek = await ShippingZone.create(
        brand=brand, name="Jabodetabek", countries=["ID"], provinces=["Jakarta Raya", "Banten"]
    )
    await make_method(jabodetabek, "Kurir Instan", [("IDR", 0, 5000, "25000")], position=0)
    malaysia = await ShippingZone.create(brand=brand, name="Malaysia", countries=["MY"])
    await make_method(
        malaysia, "Pos Laju", [("MYR", 0, 2000, "42"), ("IDR", 0, 2000, "150000")], min_days=5, max_days=9
    )
    other = await make_brand("koko")
    elsewhere = await ShippingZone.create(brand=other, name="Indonesia", countries=["ID"])
    await make_method(elsewhere, "Koko Express", [("IDR", 0, None, "1")])
    return brand


def request(brand: Brand, address: dict[str, str], *, grams: int, currency: str = "IDR", subtotal: str = "100000"):
    return ShippingRequest(
        brand_id=brand.id,
        currency=currency,
        weight_grams=grams,
        subtotal=Money.of(subtotal, currency),
        **address,
    )


def offered(rates) -> list[tuple[str, str]]:
    return [(rate.name, str(rate.price.amount)) for rate in rates]


async def test_a_one_kilo_parcel_to_jakarta_gets_every_active_method_that_fits(shipping):
    rates = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=1000))
    assert offered(rates) == [("JNE REG", "18000.00"), ("JNE YES", "32000.00"), ("Kurir Instan", "25000.00")]
    reg = rates[0]
    assert (reg.carrier, reg.min_days, reg.max_days, reg.price.currency) == ("JNE", 2, 4, "IDR")
    assert reg.id == str(await ShippingMethod.get(name="JNE REG").values_list("id", flat=True))


async def test_weight_brackets_choose_the_price_and_drop_methods_too_small_for_the_parcel(shipping):
    five_kilos = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=5000))
    assert offered(five_kilos) == [("JNE REG", "45000.00"), ("Kurir Instan", "25000.00")]  # YES stops at 3 kg
    too_heavy = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=5001))
    assert offered(too_heavy) == []  # REG's IDR brackets end at 5 kg, the courier's too


async def test_a_province_restricted_zone_serves_only_its_provinces(shipping):
    bandung = await ShippingRatesProvider().quote(request(shipping, BANDUNG, grams=800))
    assert [name for name, _ in offered(bandung)] == ["JNE REG", "JNE YES"]
    banten = await ShippingRatesProvider().quote(request(shipping, {**BANDUNG, "province": "BANTEN"}, grams=800))
    assert "Kurir Instan" in [name for name, _ in offered(banten)]
    unknown = await ShippingRatesProvider().quote(request(shipping, {**BANDUNG, "province": "Atlantis"}, grams=800))
    assert [name for name, _ in offered(unknown)] == ["JNE REG", "JNE YES"]  # whole-country zones still fit


async def test_kuala_lumpur_gets_the_malaysian_zone_in_either_currency(shipping):
    in_ringgit = await ShippingRatesProvider().quote(request(shipping, KUALA_LUMPUR, grams=1000, currency="MYR"))
    assert offered(in_ringgit) == [("Pos Laju", "42.00")]
    assert (in_ringgit[0].min_days, in_ringgit[0].max_days) == (5, 9)
    in_rupiah = await ShippingRatesProvider().quote(request(shipping, KUALA_LUMPUR, grams=1000))
    assert offered(in_rupiah) == [("Pos Laju", "150000.00")]


async def test_a_method_without_a_price_in_the_currency_is_not_offered(shipping):
    rates = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=1000, currency="MYR", subtotal="30"))
    assert offered(rates) == [("JNE REG", "9.50")]  # only REG has a ringgit price in Indonesia


async def test_free_shipping_from_the_threshold_in_that_currency(shipping):
    below = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=1000, subtotal="499999"))
    assert offered(below)[0] == ("JNE REG", "18000.00")
    reached = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=1000, subtotal="500000"))
    assert offered(reached) == [("JNE REG", "0.00"), ("JNE YES", "32000.00"), ("Kurir Instan", "25000.00")]
    ringgit = await ShippingRatesProvider().quote(
        request(shipping, JAKARTA, grams=1000, currency="MYR", subtotal="999999")
    )
    assert offered(ringgit) == [("JNE REG", "9.50")]  # the threshold is in IDR only


async def test_inactive_methods_and_other_brands_are_never_offered(shipping):
    names = [name for name, _ in offered(await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=10)))]
    assert "Kargo lama" not in names and "Koko Express" not in names
    await ShippingMethod.filter(name="JNE YES").update(active=False)
    names = [name for name, _ in offered(await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=10)))]
    assert names == ["JNE REG", "Kurir Instan"]


async def test_a_country_the_brand_has_no_zone_for_gets_nothing(shipping):
    singapore = {"country": "SG", "province": "", "city": "Singapore", "postal_code": "018956"}
    assert await ShippingRatesProvider().quote(request(shipping, singapore, grams=500)) == []


async def test_a_quote_costs_two_queries_however_many_methods(shipping, sql_counter):
    zone = await ShippingZone.get(name="Indonesia", brand=shipping)
    for i in range(10):
        await make_method(zone, f"Extra {i}", [("IDR", 0, None, "10000")], free={"IDR": "300000"}, position=10 + i)
    with sql_counter.counting() as statements:
        rates = await ShippingRatesProvider().quote(request(shipping, JAKARTA, grams=1000))
    assert len(rates) == 13
    assert len(statements) == 2, statements
    with sql_counter.counting() as statements:
        singapore = {"country": "SG", "province": "", "city": "Singapore", "postal_code": "018956"}
        assert await ShippingRatesProvider().quote(request(shipping, singapore, grams=1000)) == []
    assert len(statements) == 1  # nothing fits: no threshold lookup


@pytest.mark.engine_independent
@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("DKI Jakarta", "ID-JK"),
        ("jakarta", "ID-JK"),
        ("Prov. Jawa  Barat", "ID-JB"),
        ("ID-JB", "ID-JB"),
        ("DI Yogyakarta", "ID-YO"),
        ("Papua Pegunungan", "ID-PE"),
        ("Sumatra Utara", "ID-SU"),
        ("Jawa", None),  # an island, not a province
        ("Selangor", None),
        ("", None),
    ],
)
def test_provinces_are_recognised_as_addresses_write_them(written, code):
    assert province_code(written) == code
    assert (canonical_province(written) is None) == (code is None)


async def test_hook_shipping_providers(plugin_host: PluginHost):
    providers = plugin_host.collect("shipping_providers")
    ours = [p for p in providers if p.id == "shipping_rates"]
    assert len(ours) == 1 and isinstance(ours[0], ShippingProvider)


async def test_hook_seed_demo(app, plugin_host: PluginHost):
    assert (await seed_demo(host=plugin_host)).startswith("loaded 3 brands")
    for brand in await Brand.all():
        zones = await ShippingZone.filter(brand=brand).order_by("id").values_list("name", flat=True)
        assert zones == ["Indonesia", "Malaysia"]
    sekar = await Brand.get(slug="sekar-modest")
    address = {"country": "ID", "province": "Jawa Barat", "city": "Bandung", "postal_code": "40115"}
    rates = await ShippingRatesProvider().quote(request(sekar, address, grams=1200))
    assert offered(rates) == [("JNE REG", "36000.00"), ("JNE YES", "64000.00")]
    pos_laju = await ShippingRatesProvider().quote(request(sekar, KUALA_LUMPUR, grams=400, currency="MYR"))
    assert offered(pos_laju) == [("Pos Laju", "42.00")]
