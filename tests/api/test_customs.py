"""Customs data (issue 19 item 1) through GraphQL: set on a category, product or variant by MANAGE_PRODUCTS staff,
inherited field by field, public on the storefront; a parcel abroad needs it on every line, a domestic one not."""

from __future__ import annotations

from typing import Any

import pytest

from core.actors.models import StaffRole
from core.catalog.models import Category, Product, Stock, Variant
from core.checkout.models import CheckoutLine
from core.customs.models import CustomsData
from core.orders.models import Order
from core.payments.models import Payment
from tests.api.test_checkout import (  # noqa: F401
    COMPLETE,
    CREATE,
    DELIVERY,
    JAKARTA,
    KUALA_LUMPUR,
    LINES_ADD,
    PAY,
    SHIP_TO,
    gid,
    plugins,
)
from tests.factories import make_brand, make_catalog, make_product, make_staff

CUSTOMS = """hsCode nationalCode description originCountry composition { material percent } netWeightGrams
  sources { field source } missing complete"""
PAYLOAD = f"customs {{ {CUSTOMS} }} errors {{ field code }}"
CATEGORY_SET = f"""mutation($id: ID!, $input: CustomsDataInput!) {{
  categoryCustomsUpdate(id: $id, input: $input) {{ {PAYLOAD} }} }}"""
PRODUCT_SET = f"""mutation($id: ID!, $input: CustomsDataInput!) {{
  productCustomsUpdate(id: $id, input: $input) {{ {PAYLOAD} }} }}"""
VARIANT_SET = f"""mutation($id: ID!, $input: CustomsDataInput!) {{
  variantCustomsUpdate(id: $id, input: $input) {{ {PAYLOAD} }} }}"""
PRODUCT = f"""query($slug: String!) {{ product(slug: $slug) {{ customs {{ {CUSTOMS} }}
  variants {{ sku customs {{ hsCode netWeightGrams composition {{ material percent }} sources {{ field source }} }} }}
  category {{ customs {{ hsCode }} }} }} }}"""
GAMIS = {
    "hsCode": "6204.43",
    "description": "Women's woven dress of synthetic fibres",
    "originCountry": "id",
    "composition": [{"material": "Polyester", "percent": "100"}],
}


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.MANAGER)
    gamis = await Category.create(brand=brand, slug="gamis", name="Gamis", path="/")
    await Category.filter(id=gamis.id).update(path=f"/{gamis.id}/")
    syari = await Category.create(brand=brand, slug="gamis-syari", name="Gamis Syari", parent=gamis)
    await Category.filter(id=syari.id).update(path=f"/{gamis.id}/{syari.id}/")
    product = await make_product(brand, "Gamis Khadijah", customs=False, category_id=syari.id, slug="khadijah")
    gql.storefront = "sekar"
    return {"brand": brand, "staff": token, "gamis": gamis, "syari": syari, "product": product}


async def test_a_category_default_is_inherited_and_a_product_and_variant_override_it(gql, shop):
    gql.token = shop["staff"]
    set_ = (await gql(CATEGORY_SET, {"id": gid("Category", shop["gamis"].id), "input": GAMIS}))["categoryCustomsUpdate"]
    assert set_["errors"] == [] and set_["customs"]["hsCode"] == "620443" and set_["customs"]["complete"]
    gql.token = None
    seen = (await gql(PRODUCT, {"slug": "khadijah"}))["product"]
    # The grandparent's defaults reach the product in the sub-category, the storefront sees them without a token.
    assert seen["customs"] == {
        "hsCode": "620443",
        "nationalCode": None,
        "description": "Women's woven dress of synthetic fibres",
        "originCountry": "ID",
        "composition": [{"material": "polyester", "percent": "100"}],
        "netWeightGrams": None,
        "sources": [
            {"field": "HS_CODE", "source": "CATEGORY"},
            {"field": "DESCRIPTION", "source": "CATEGORY"},
            {"field": "ORIGIN_COUNTRY", "source": "CATEGORY"},
            {"field": "COMPOSITION", "source": "CATEGORY"},
        ],
        "missing": [],
        "complete": True,
    }
    assert seen["category"]["customs"]["hsCode"] == "620443"
    gql.token = shop["staff"]
    cotton = {
        "hsCode": "6204.42.10",
        "composition": [{"material": "cotton", "percent": "95"}, {"material": "elastane", "percent": "5"}],
    }
    product = (await gql(PRODUCT_SET, {"id": gid("Product", shop["product"].id), "input": cotton}))[
        "productCustomsUpdate"
    ]
    assert product["errors"] == []
    assert (product["customs"]["hsCode"], product["customs"]["nationalCode"]) == ("620442", "10")
    # The classification is inherited as one: the product's own code and fibre never pair with the category's
    # polyester description; it must describe itself before it can be exported. Its origin is still inherited.
    assert product["customs"]["description"] is None and product["customs"]["missing"] == ["DESCRIPTION"]
    assert product["customs"]["originCountry"] == "ID" and not product["customs"]["complete"]
    described = {"description": "Women's woven dress of cotton and elastane"}
    product = (await gql(PRODUCT_SET, {"id": gid("Product", shop["product"].id), "input": described}))[
        "productCustomsUpdate"
    ]
    assert product["customs"]["complete"] and product["customs"]["composition"][0] == {
        "material": "cotton",
        "percent": "95",
    }
    variant = await Variant.filter(product_id=shop["product"].id).order_by("position").first()
    assert variant is not None
    heavy = await gql(VARIANT_SET, {"id": gid("ProductVariant", variant.id), "input": {"netWeightGrams": 650}})
    assert heavy["variantCustomsUpdate"]["errors"] == []
    seen = (await gql(PRODUCT, {"slug": "khadijah"}))["product"]
    first, second = seen["variants"]
    assert first["customs"]["netWeightGrams"] == 650 and second["customs"]["netWeightGrams"] is None
    assert first["customs"]["hsCode"] == second["customs"]["hsCode"] == "620442"
    assert {"field": "NET_WEIGHT_GRAMS", "source": "VARIANT"} in first["customs"]["sources"]
    assert {"field": "HS_CODE", "source": "PRODUCT"} in first["customs"]["sources"]
    # Null clears the product's own value: the category's applies again.
    cleared = await gql(
        PRODUCT_SET,
        {
            "id": gid("Product", shop["product"].id),
            "input": {"hsCode": None, "composition": None, "description": None},
        },
    )
    assert cleared["productCustomsUpdate"]["customs"]["hsCode"] == "620443"
    assert await CustomsData.filter(product_id=shop["product"].id).count() == 0  # nothing of its own left


@pytest.mark.parametrize(
    ("input", "field", "code"),
    [
        ({"hsCode": "62044"}, "input.hsCode", "INVALID_HS_CODE"),
        ({"hsCode": "7700.10"}, "input.hsCode", "INVALID_HS_CODE"),
        ({"hsCode": "6204.43.1234567"}, "input.hsCode", "INVALID_HS_CODE"),
        ({"hsCode": "٦٢٠٤٤٣"}, "input.hsCode", "INVALID_HS_CODE"),  # Arabic-Indic digits
        ({"hsCode": "７７０１００"}, "input.hsCode", "INVALID_HS_CODE"),  # full-width, and chapter 77
        ({"description": "Clothing"}, "input.description", "INVALID_CUSTOMS_DESCRIPTION"),
        ({"description": "Clothes and garments"}, "input.description", "CUSTOMS_DESCRIPTION_VAGUE"),
        ({"originCountry": "XX"}, "input.originCountry", "INVALID_COUNTRY"),
        ({"composition": []}, "input.composition", "INVALID_COMPOSITION"),
        ({"composition": [{"material": "cotton", "percent": "60"}]}, "input.composition", "INVALID_COMPOSITION"),
        (
            {"composition": [{"material": "cotton", "percent": "50"}, {"material": "Cotton", "percent": "50"}]},
            "input.composition.1.material",
            "DUPLICATE",
        ),
        (
            {"composition": [{"material": "cotton", "percent": "100.05"}]},
            "input.composition.0.percent",
            "INVALID_COMPOSITION",
        ),
        (
            {"composition": [{"material": "c0tt0n!", "percent": "100"}]},
            "input.composition.0.material",
            "INVALID_COMPOSITION",
        ),
        ({"netWeightGrams": 0}, "input.netWeightGrams", "INVALID_WEIGHT"),
    ],
)
async def test_bad_customs_data_is_a_typed_error_that_writes_nothing(gql, shop, input, field, code):
    gql.token = shop["staff"]
    good = await gql(PRODUCT_SET, {"id": gid("Product", shop["product"].id), "input": {"hsCode": "620443"}})
    assert good["productCustomsUpdate"]["errors"] == []
    before = await CustomsData.all().values()
    refused = (
        await gql(
            PRODUCT_SET,
            {
                "id": gid("Product", shop["product"].id),
                "input": {**input, "originCountry": input.get("originCountry", "ID")},
            },
        )
    )["productCustomsUpdate"]
    assert refused["customs"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(_camel_input(field), code)]
    assert await CustomsData.all().values() == before


def _camel_input(field: str) -> str:
    """Errors name the service's field (no `input.` prefix)."""
    return field.removeprefix("input.")


async def test_only_the_brands_product_managers_may_set_customs_data(gql, shop):
    other = await make_brand("koko")
    _, outsider = await make_staff(other, StaffRole.OWNER)
    for token in (None, outsider):
        gql.token = token
        refused = await gql.raw(PRODUCT_SET, {"id": gid("Product", shop["product"].id), "input": {"hsCode": "620443"}})
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == ("UNAUTHENTICATED" if token is None else "FORBIDDEN")
    assert await CustomsData.all().count() == 0


async def test_a_parcel_abroad_needs_customs_data_on_every_line_and_one_at_home_does_not(gql, shop):
    brand = shop["brand"]
    variant = await Variant.filter(product_id=shop["product"].id).order_by("position").first()
    assert variant is not None
    await Stock.create(variant=variant, quantity=5)
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    created = (await gql(CREATE, {"input": {"email": "aisyah@example.my", "lines": [line]}}))["checkoutCreate"]
    token = created["checkout"]["token"]
    refused = (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}))["checkoutShippingAddressUpdate"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("lines.0", "CUSTOMS_DATA_MISSING")]
    assert "Gamis Khadijah" in refused["errors"][0]["message"] and "hs code" in refused["errors"][0]["message"]
    # At home it ships as it is.
    home = (await gql(SHIP_TO, {"t": token, "a": JAKARTA}))["checkoutShippingAddressUpdate"]
    assert home["errors"] == []
    # Classified, it can go abroad.
    gql.token = shop["staff"]
    await gql(CATEGORY_SET, {"id": gid("Category", shop["syari"].id), "input": GAMIS})
    gql.token = None
    abroad = (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}))["checkoutShippingAddressUpdate"]
    assert abroad["errors"] == [] and abroad["checkout"]["shippingAddress"]["country"] == "MY"
    assert (await gql(DELIVERY, {"t": token, "m": "flat:std"}))["checkoutDeliveryMethodUpdate"]["errors"] == []
    assert (await gql(PAY, {"t": token, "g": "instant"}))["checkoutPaymentCreate"]["errors"] == []
    # The category's defaults are cleared before the order is placed: completion checks again, nothing is taken.
    await CustomsData.filter(category_id=shop["syari"].id).delete()
    done = (await gql(COMPLETE, {"t": token, "k": "k"}))["checkoutComplete"]
    assert done["order"] is None and done["errors"][0]["code"] == "CUSTOMS_DATA_MISSING"
    assert await Order.filter(brand_id=brand.id).count() == 0 and (await Stock.get(variant_id=variant.id)).quantity == 5


async def test_a_brand_shipping_from_malaysia_exports_to_indonesia(gql, shop):
    await type(shop["brand"]).filter(id=shop["brand"].id).update(ships_from="MY")
    variant = await Variant.filter(product_id=shop["product"].id).first()
    assert variant is not None
    await Stock.create(variant=variant, quantity=1)
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
    token = (await gql(CREATE, {"input": {"lines": [line]}}))["checkoutCreate"]["checkout"]["token"]
    refused = (await gql(SHIP_TO, {"t": token, "a": JAKARTA}))["checkoutShippingAddressUpdate"]
    assert refused["errors"][0]["code"] == "CUSTOMS_DATA_MISSING"
    assert (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}))["checkoutShippingAddressUpdate"]["errors"] == []


async def test_customs_on_a_page_cost_the_same_statements_for_5_or_50_products(gql, sql_counter):
    brand = await make_brand("sekar")
    products = await make_catalog(brand, 50)
    category = await Category.create(brand=brand, slug="gamis", name="Gamis", path="/")
    await Category.filter(id=category.id).update(path=f"/{category.id}/")
    await Product.filter(id__in=[p.id for p in products]).update(category_id=category.id)
    await CustomsData.create(brand=brand, category=category, hs_code="620443", origin_country="ID")
    await CustomsData.create(brand=brand, product=products[-1], origin_country="MY")  # made elsewhere
    page = """query($first: Int) { products(first: $first) { edges { node {
      customs { hsCode originCountry } variants { customs { hsCode } } } } } }"""
    with sql_counter.counting() as five:
        small = await gql(page, {"first": 5}, storefront="sekar")
    with sql_counter.counting() as fifty:
        large = await gql(page, {"first": 50}, storefront="sekar")
    assert len(small["products"]["edges"]) == 5 and len(large["products"]["edges"]) == 50
    nodes = [e["node"] for e in large["products"]["edges"]]
    assert all(n["customs"]["hsCode"] == "620443" for n in nodes)
    assert sorted(n["customs"]["originCountry"] for n in nodes) == ["ID"] * 49 + ["MY"]
    assert all(v["customs"]["hsCode"] == "620443" for n in nodes for v in n["variants"])
    assert len(five) == len(fifty), fifty


async def test_nothing_unexportable_is_paid_for_or_added_to_a_parcel_abroad(gql, shop):
    """The shopper hears it before paying: adding an unclassified item to a parcel already going abroad is
    refused, and so is starting a payment while one is in the checkout."""
    gql.token = shop["staff"]
    await gql(CATEGORY_SET, {"id": gid("Category", shop["syari"].id), "input": GAMIS})
    gql.token = None
    classified = await Variant.filter(product_id=shop["product"].id).order_by("position").first()
    plain = await make_product(shop["brand"], "Tunik Polos", customs=False, slug="tunik")
    unclassified = await Variant.filter(product_id=plain.id).first()
    assert classified is not None and unclassified is not None
    for variant in (classified, unclassified):
        await Stock.create(variant=variant, quantity=5)
    line = {"variantId": gid("ProductVariant", classified.id), "quantity": 1}
    created = (await gql(CREATE, {"input": {"email": "aisyah@example.my", "lines": [line]}}))["checkoutCreate"]
    token = created["checkout"]["token"]
    assert (await gql(SHIP_TO, {"t": token, "a": KUALA_LUMPUR}))["checkoutShippingAddressUpdate"]["errors"] == []
    add = {"variantId": gid("ProductVariant", unclassified.id), "quantity": 1}
    refused = (await gql(LINES_ADD, {"t": token, "lines": [add]}))["checkoutLinesAdd"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("lines.1", "CUSTOMS_DATA_MISSING")]
    assert await CheckoutLine.filter(checkout__token=token).count() == 1  # nothing added
    # An item whose category loses its data after it was added: the payment is not even started.
    await CustomsData.filter(category_id=shop["syari"].id).delete()
    assert (await gql(DELIVERY, {"t": token, "m": "flat:std"}))["checkoutDeliveryMethodUpdate"]["errors"] == []
    unpaid = (await gql(PAY, {"t": token, "g": "instant"}))["checkoutPaymentCreate"]
    assert unpaid["payment"] is None and unpaid["errors"][0]["code"] == "CUSTOMS_DATA_MISSING"
    assert await Payment.filter(checkout__token=token).count() == 0
