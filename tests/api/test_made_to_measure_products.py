"""Made-to-measure products over GraphQL: staff configure one, the storefront reads it in its currency and
language (loaded in batch, only when asked for), and `customGarmentQuote` prices a configuration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.garments.models import FabricStatus, MadeToMeasure, OptionGroup, OptionValue, ProductFabric
from tests.api.custom_garment_setup import (
    BODY,
    QUOTE,
    SET,
    configuration,
    garment,
    gid,
    make_shop,
    price,
)
from tests.factories import make_brand, make_product, make_staff

PRODUCT = """query($slug: String!, $currency: String, $language: String) {
  product(slug: $slug, currency: $currency, language: $language) {
    name madeToMeasure
    madeToMeasureConfig {
      garmentType { code name fields { code label hint minCm maxCm required } }
      basePrice { amount currency } sizeBandField sizeBands { code maxCm } productionDays
      optionGroups { code name kind required maxLength surcharge { amount } values { code name surcharge { amount } } }
      fabrics { id sku name pricePerMetre { amount currency } consumption { band metres } inStock leadTimeDays }
    }
  }
}"""
LIST = """query { products(first: 50) { edges { node { name madeToMeasureConfig {
  basePrice { amount } optionGroups { code values { code } } fabrics { sku pricePerMetre { amount } } } } } } }"""


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def days(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


async def slug_of(product_id: int) -> str:
    from core.catalog.models import Product

    return (await Product.get(id=product_id)).slug


async def test_staff_configure_and_the_storefront_reads_it_in_its_currency_and_language(gql):
    shop = await make_shop(gql)
    slug = await slug_of(shop.product_id)
    idr = (await gql(PRODUCT, {"slug": slug, "language": "en"}, storefront="sekar"))["product"]
    config = idr["madeToMeasureConfig"]
    assert config["garmentType"]["code"] == "GAMIS"
    assert [f["code"] for f in config["garmentType"]["fields"]][:2] == ["LINGKAR_BADAN", "LINGKAR_PINGGANG"]
    assert config["garmentType"]["fields"][0]["label"] == "Bust"
    assert config["basePrice"] == {"amount": "350000.00", "currency": "IDR"}
    assert config["sizeBandField"] == "LINGKAR_BADAN"
    assert [(b["code"], b["maxCm"]) for b in config["sizeBands"]] == [
        ("S", "92.00"),
        ("M", "100.00"),
        ("L", "108.00"),
        ("XL", None),
    ]
    collar, pocket, embroidery = config["optionGroups"]
    assert (collar["name"], collar["kind"], collar["required"]) == ("Collar", "SINGLE", True)
    assert collar["values"][1] == {"code": "BULAT", "name": "BULAT", "surcharge": {"amount": "15000.00"}}
    assert collar["values"][0]["surcharge"] == {"amount": "0.00"}  # no surcharges: free
    assert pocket["kind"] == "MULTIPLE" and embroidery["maxLength"] == 20
    assert embroidery["surcharge"] == {"amount": "25000.00"}
    wolfis, batik = config["fabrics"]
    assert wolfis["pricePerMetre"] == {"amount": "45000.00", "currency": "IDR"}
    assert batik["pricePerMetre"] == {"amount": "43750.00", "currency": "IDR"}  # 12.50 MYR × 3500
    assert wolfis["consumption"][1] == {"band": "M", "metres": "2.75"}
    assert wolfis["inStock"] is True and wolfis["leadTimeDays"] == 10

    myr = (await gql(PRODUCT, {"slug": slug, "currency": "MYR", "language": "id"}, storefront="sekar"))["product"]
    config = myr["madeToMeasureConfig"]
    assert config["basePrice"] == {"amount": "110.00", "currency": "MYR"}
    assert config["optionGroups"][0]["name"] == "Kerah"
    assert config["fabrics"][0]["pricePerMetre"] == {"amount": "12.86", "currency": "MYR"}  # 45000 / 3500


async def test_a_ready_made_product_has_no_configuration_and_an_archived_fabric_is_not_offered(gql):
    shop = await make_shop(gql)
    ready = await make_product(shop.brand, "Gamis Siap Pakai")
    assert (await gql(PRODUCT, {"slug": ready.slug}, storefront="sekar"))["product"]["madeToMeasureConfig"] is None
    shop.batik.status = FabricStatus.ARCHIVED
    await shop.batik.save()
    config = (await gql(PRODUCT, {"slug": await slug_of(shop.product_id)}, storefront="sekar"))["product"]
    assert [f["sku"] for f in config["madeToMeasureConfig"]["fabrics"]] == ["WOLFIS-HTM"]


async def test_a_page_of_products_loads_configurations_in_one_batch(gql, sql_counter):
    shop = await make_shop(gql)
    for n in range(2):
        await make_product(shop.brand, f"Gamis Siap {n}")
    with sql_counter.counting() as few:
        await gql(LIST, storefront="sekar")
    few_count = len(few)
    for n in range(6):
        product = await make_product(shop.brand, f"Gamis Custom {n}", sizes=("",), made_to_measure=True)
        done = await gql(
            SET,
            {"id": gid("Product", product.id), "input": configuration(shop.wolfis, shop.batik)},
            token=shop.staff,
        )
        assert done["productMadeToMeasureSet"]["errors"] == []
    with sql_counter.counting() as many:
        data = await gql(LIST, storefront="sekar")
    configured = [e["node"] for e in data["products"]["edges"] if e["node"]["madeToMeasureConfig"]]
    assert len(configured) == 7
    assert len(many) == few_count


async def test_quote_breaks_the_price_down_in_idr_and_myr(gql):
    shop = await make_shop(gql)
    request = garment(shop.product_id, shop.wolfis.id, quantity=2)
    found = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]
    assert found["errors"] == []
    quote = found["quote"]
    assert quote["sizeBand"] == "M" and quote["garmentType"] == "GAMIS" and quote["quantity"] == 2
    assert quote["base"] == {"amount": "350000.00", "currency": "IDR"}
    assert [(c["group"], c["value"], c["amount"]["amount"]) for c in quote["optionCharges"]] == [
        ("COLLAR", "BULAT", "15000.00"),
        ("POCKET", "SIDE", "10000.00"),
        ("POCKET", "CHEST", "12500.00"),
        ("EMBROIDERY", "", "25000.00"),
    ]
    assert quote["fabricCharge"] == {
        "metres": "2.75",
        "pricePerMetre": {"amount": "45000.00"},
        "amount": {"amount": "123750.00"},
    }
    assert quote["unitPrice"] == {"amount": "536250.00", "currency": "IDR"}
    assert quote["total"] == {"amount": "1072500.00", "currency": "IDR"}
    assert quote["readyBy"] == days(14) and quote["fabricInStock"] is True
    assert quote["measurements"][0] == {"code": "LINGKAR_BADAN", "cm": "96.00"}

    myr = (await gql(QUOTE, {"input": request, "currency": "MYR"}, storefront="sekar"))["customGarmentQuote"]
    assert myr["quote"]["fabricCharge"]["amount"] == {"amount": "35.36"}
    assert myr["quote"]["unitPrice"] == {"amount": "165.36", "currency": "MYR"}
    assert myr["quote"]["total"] == {"amount": "330.72", "currency": "MYR"}


async def test_a_fabric_in_another_currency_is_converted_and_inches_are_accepted(gql):
    shop = await make_shop(gql)
    inches = {"LINGKAR_BADAN": "41", "LINGKAR_PINGGANG": "32", "PANJANG_BAJU": "55"}  # 104.14 cm: band L
    request = garment(
        shop.product_id, shop.batik.id, body=inches, unit="INCH", options=[{"group": "COLLAR", "values": ["SHANGHAI"]}]
    )
    quote = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]["quote"]
    assert quote["sizeBand"] == "L"
    assert quote["fabricCharge"]["amount"] == {"amount": "131250.00"}  # 3.00 m × 12.50 MYR × 3500
    assert quote["unitPrice"]["amount"] == "481250.00"


async def test_short_fabric_stock_promises_the_restocking_lead_time(gql):
    shop = await make_shop(gql, stock="5")  # two garments of 2.75 m need 5.50
    one = await gql(QUOTE, {"input": garment(shop.product_id, shop.wolfis.id)}, storefront="sekar")
    assert one["customGarmentQuote"]["quote"]["readyBy"] == days(14)
    two = await gql(QUOTE, {"input": garment(shop.product_id, shop.wolfis.id, quantity=2)}, storefront="sekar")
    quote = two["customGarmentQuote"]["quote"]
    assert quote["fabricInStock"] is False and quote["readyBy"] == days(24)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"body": {**BODY, "LINGKAR_BADAN": "300"}}, [("measurements.LINGKAR_BADAN", "MEASUREMENT_OUT_OF_RANGE")]),
        (
            {"body": {"LINGKAR_BADAN": "96"}},
            [
                ("measurements.LINGKAR_PINGGANG", "MEASUREMENT_REQUIRED"),
                ("measurements.PANJANG_BAJU", "MEASUREMENT_REQUIRED"),
            ],
        ),
        (
            {"options": [{"group": "HOOD", "values": ["YES"]}, {"group": "COLLAR", "values": ["BULAT"]}]},
            [("options.0.group", "UNKNOWN_OPTION")],
        ),
        ({"options": [{"group": "COLLAR", "values": ["SQUARE"]}]}, [("options.0.values", "UNKNOWN_OPTION_VALUE")]),
        (
            {"options": [{"group": "COLLAR", "values": ["BULAT", "SHANGHAI"]}]},
            [("options.0.values", "TOO_MANY_VALUES")],
        ),
        ({"options": [{"group": "POCKET", "values": ["SIDE"]}]}, [("options.COLLAR", "OPTION_REQUIRED")]),
        (
            {"options": [{"group": "COLLAR", "values": ["BULAT"]}, {"group": "EMBROIDERY", "text": "S" * 21}]},
            [("options.1.text", "TEXT_TOO_LONG")],
        ),
        ({"measurements": None}, [("measurements", "MEASUREMENTS_REQUIRED")]),
        ({"quantity": 0}, [("quantity", "INVALID_QUANTITY")]),
    ],
)
async def test_bad_configurations_are_typed_errors(gql, change, expected):
    shop = await make_shop(gql)
    change = dict(change)  # shared by both backends' runs
    body = change.pop("body", None)
    request = garment(shop.product_id, shop.wolfis.id, body=body, **change)
    found = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]
    assert found["quote"] is None
    assert [(e["field"], e["code"]) for e in found["errors"]] == expected


async def test_an_option_of_another_product_a_foreign_fabric_and_a_ready_made_product_are_refused(gql):
    shop = await make_shop(gql)
    other = await make_product(shop.brand, "Abaya Custom", sizes=("",), made_to_measure=True)
    config = configuration(shop.wolfis, shop.batik)
    config["optionGroups"].append({"code": "HOOD", "kind": "SINGLE", "values": [{"code": "YES"}]})
    assert (await gql(SET, {"id": gid("Product", other.id), "input": config}, token=shop.staff))[
        "productMadeToMeasureSet"
    ]["errors"] == []
    options = [{"group": "COLLAR", "values": ["BULAT"]}, {"group": "HOOD", "values": ["YES"]}]
    request = garment(shop.product_id, shop.wolfis.id, options=options)
    errors = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("options.1.group", "OPTION_NOT_ALLOWED")]

    stranger = await shop.supplier.fabrics.all().count()
    from tests.api.custom_garment_setup import make_fabric

    loose = await make_fabric(shop.supplier, "SATIN-PTH", "30000", "IDR", "50")
    errors = (await gql(QUOTE, {"input": garment(shop.product_id, loose.id)}, storefront="sekar"))[
        "customGarmentQuote"
    ]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("fabricId", "FABRIC_NOT_ALLOWED")]
    assert stranger == 2

    shop.wolfis.status = FabricStatus.ARCHIVED
    await shop.wolfis.save()
    errors = (await gql(QUOTE, {"input": garment(shop.product_id, shop.wolfis.id)}, storefront="sekar"))[
        "customGarmentQuote"
    ]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("fabricId", "FABRIC_NOT_AVAILABLE")]

    ready = await make_product(shop.brand, "Gamis Siap Pakai")
    errors = (await gql(QUOTE, {"input": garment(ready.id, shop.batik.id)}, storefront="sekar"))["customGarmentQuote"][
        "errors"
    ]
    assert [(e["field"], e["code"]) for e in errors] == [("productId", "PRODUCT_NOT_MADE_TO_MEASURE")]


async def _counts() -> tuple[int, int, int]:
    return await OptionGroup.all().count(), await OptionValue.all().count(), await ProductFabric.all().count()


async def test_configuring_checks_everything_and_writes_nothing_on_a_mistake(gql):
    shop = await make_shop(gql)
    before = (await MadeToMeasure.get(product_id=shop.product_id)).base_prices
    counts = await _counts()
    bad = configuration(
        shop.wolfis,
        shop.batik,
        garmentType="KIMONO",
        basePrices=[price("USD", "10"), price("IDR", "-1")],
        sizeBands=[{"code": "S", "maxCm": "92"}, {"code": "M", "maxCm": "90"}, {"code": "L"}],
        productionDays=0,
    )
    bad["optionGroups"][2]["maxLength"] = 0
    bad["fabrics"][0]["consumption"] = [{"band": "S", "metres": "-2"}]
    found = (await gql(SET, {"id": gid("Product", shop.product_id), "input": bad}, token=shop.staff))[
        "productMadeToMeasureSet"
    ]
    codes = {(e["field"], e["code"]) for e in found["errors"]}
    assert ("garmentType", "NOT_FOUND") in codes
    assert ("basePrices.0.currency", "CURRENCY_NOT_ENABLED") in codes
    assert ("basePrices.1.amount", "INVALID_AMOUNT") in codes
    assert ("sizeBands.1.maxCm", "INVALID_SIZE_BAND") in codes
    assert ("productionDays", "INVALID_PRODUCTION_DAYS") in codes
    assert ("optionGroups.2.maxLength", "INVALID_MAX_LENGTH") in codes
    assert ("fabrics.0.consumption", "INVALID_CONSUMPTION") in codes
    assert (await MadeToMeasure.get(product_id=shop.product_id)).base_prices == before
    assert (
        await OptionGroup.all().count(),
        await OptionValue.all().count(),
        await ProductFabric.all().count(),
    ) == counts


async def test_only_the_brands_catalog_staff_configure_and_only_a_made_to_measure_product(gql):
    shop = await make_shop(gql)
    other = await make_brand("lain")
    _, stranger = await make_staff(other)
    input = configuration(shop.wolfis, shop.batik)
    error = await gql.error(SET, {"id": gid("Product", shop.product_id), "input": input}, token=stranger)
    assert error["extensions"]["code"] == "FORBIDDEN"
    error = await gql.error(SET, {"id": gid("Product", shop.product_id), "input": input})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    ready = await make_product(shop.brand, "Gamis Siap Pakai")
    found = (await gql(SET, {"id": gid("Product", ready.id), "input": input}, token=shop.staff))[
        "productMadeToMeasureSet"
    ]
    assert [(e["field"], e["code"]) for e in found["errors"]] == [("productId", "PRODUCT_NOT_MADE_TO_MEASURE")]
    assert not await MadeToMeasure.exists(product_id=ready.id)


async def test_reconfiguring_replaces_options_and_fabrics(gql):
    shop = await make_shop(gql)
    input = configuration(
        shop.wolfis, shop.batik, optionGroups=[], fabrics=configuration(shop.wolfis, shop.batik)["fabrics"][:1]
    )
    found = await gql(SET, {"id": gid("Product", shop.product_id), "input": input}, token=shop.staff)
    assert found["productMadeToMeasureSet"]["errors"] == []
    assert await OptionGroup.filter(product_id=shop.product_id).count() == 0
    assert [f.fabric_id for f in await ProductFabric.filter(product_id=shop.product_id)] == [shop.wolfis.id]
    quote = await gql(QUOTE, {"input": garment(shop.product_id, shop.wolfis.id, options=[])}, storefront="sekar")
    assert (
        quote["customGarmentQuote"]["quote"]["unitPrice"]["amount"]
        == str(Decimal("350000") + Decimal("123750")) + ".00"
    )


async def test_a_guest_quoting_with_a_measurement_profile_gets_a_typed_error(gql):
    shop = await make_shop(gql)
    request = garment(
        shop.product_id, shop.wolfis.id, measurements=None, measurementProfileId=gid("MeasurementProfile", 1)
    )
    found = (await gql(QUOTE, {"input": request}, storefront="sekar"))["customGarmentQuote"]
    assert found["quote"] is None
    assert [(e["field"], e["code"]) for e in found["errors"]] == [("measurementProfileId", "PROFILE_NOT_FOUND")]
