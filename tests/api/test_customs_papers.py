"""Customs papers (issue 19 item 3) end to end: orders from Bandung to Kuala Lumpur (DAP) and to Riyadh (DDP, an
Arabic buyer), shipped by staff; each parcel abroad gets a commercial invoice and a packing list as PDFs in the
media storage, made again only when what they print changes; a domestic parcel gets none.

The PDFs' text is read with pypdf (pure Python, a dev dependency: no poppler-utils to install in CI); fpdf2
writes a ToUnicode map, so the Arabic name comes back as the letters it was typed in.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from core.actors.models import Brand, StaffRole
from core.catalog.models import Stock, Variant
from core.customs.models import CustomsData, CustomsDuty, ImportTax, ShipmentDocument
from core.money import Money
from core.plugins import hookimpl
from core.shipping.providers import ShippingRate, ShippingRequest
from tests.api.test_checkout import (
    COMPLETE,
    CREATE,
    DELIVERY,
    JAKARTA,
    PAY,
    SHIP_TO,
    CheckoutTestPlugin,
    gid,
)
from tests.api.test_landed_cost import STOREFRONT_UPDATE, to_kuala_lumpur
from tests.factories import access_token, make_brand, make_product, make_staff, make_user

RIYADH = {
    "firstName": "محمد",
    "lastName": "العتيبي",
    "street1": "طريق الملك فهد 12",
    "city": "Riyadh",
    "province": "",
    "postalCode": "12271",
    "country": "SA",
    "phone": "+966 50 123 4567",
}


class GulfAir:
    """A courier to Saudi Arabia at a flat SAR 60 (the checkout tests' flat method ships to ID and MY only)."""

    id = "gulf"
    name = "Gulf air"

    async def quote(self, request: ShippingRequest) -> list[ShippingRate]:
        if request.country != "SA" or request.currency != "SAR":
            return []
        return [ShippingRate(id="air", name="Air", price=Money.of("60", "SAR"), min_days=5, max_days=9, carrier="DHL")]


class GulfPlugin:
    @hookimpl
    def shipping_providers(self, host: Any) -> list[Any]:
        return [GulfAir()]


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"instant": CheckoutTestPlugin(), "gulf": GulfPlugin()}


@pytest.fixture
def settings(settings, tmp_path):
    return settings.model_copy(update={"media": settings.media.model_copy(update={"root": str(tmp_path / "media")})})


@pytest.fixture
async def tables(app):
    """Malaysia: SST 10%, no duty up to MYR 50, 10% on 6204.43. Saudi Arabia: VAT 15% from the first halala,
    5% duty on 6211 (the GCC's common tariff on garments) above SAR 1,000."""
    await ImportTax.create(country="MY", name="SST", rate=Decimal(10), currency="MYR", duty_free_up_to=Decimal(50))
    await CustomsDuty.create(country="MY", hs_prefix="620443", rate=Decimal(10))
    await ImportTax.create(country="SA", name="VAT", rate=Decimal(15), currency="SAR", duty_free_up_to=Decimal(1000))
    await CustomsDuty.create(country="SA", hs_prefix="6211", rate=Decimal(5))


ORDER = """query($t: String!) { orderByToken(token: $t) { id number total { amount currency }
  dutiesTotal { amount } shippingTotal { amount } lines { id quantity }
  landedCost { duty { amount } tax { amount } taxName total { amount } } } }"""
SHIP = """mutation($id: ID!, $input: ShipmentCreateInput!) { shipmentCreate(orderId: $id, input: $input) {
  shipment { id documents { kind url } } errors { field code } } }"""
REGENERATE = """mutation($id: ID!) { shipmentDocumentsRegenerate(shipmentId: $id) {
  shipment { id documents { kind url } } documents { kind url } errors { field code } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Shipment { documents { kind url } } } }"""
MY_ORDERS = """query { me { orders { edges { node { shipments { documents { kind url } } } } } } }"""


async def brand_abroad(**fields: Any) -> Brand:
    """A brand in Bandung selling in IDR, MYR and SAR, shipping home, to Malaysia and to Saudi Arabia."""
    return await make_brand(
        "sekar", name="Sekar Modest", currencies=["IDR", "MYR", "SAR"], ships_to=["ID", "MY", "SA"], **fields
    )


async def abaya(brand: Brand) -> Variant:
    """SAR 399.95 (MYR 120), with its own customs declaration: HS 6211.43 and the national extension 90."""
    product = await make_product(
        brand, "Abaya Layla", sizes=("M",), prices={"IDR": "450000", "MYR": "120", "SAR": "399.95"}, customs=False
    )
    await CustomsData.create(
        brand=brand,
        product=product,
        hs_code="621143",
        national_code="90",
        description="Women's abaya (outer robe) of woven polyester",
        origin_country="ID",
        composition=[{"material": "polyester", "percent": "95"}, {"material": "elastane", "percent": "5"}],
        net_weight_grams=650,
    )
    variant = await Variant.get(product_id=product.id)
    variant.weight_grams = 800
    await variant.save()
    await Stock.create(variant=variant, quantity=10)
    return variant


async def paid_order(gql: Any, checkout: str, **kwargs: Any) -> dict[str, Any]:
    paid = (await gql(PAY, {"t": checkout, "g": "instant"}, storefront="sekar", **kwargs))["checkoutPaymentCreate"]
    assert paid["errors"] == []
    done = (await gql(COMPLETE, {"t": checkout, "k": checkout}, storefront="sekar", **kwargs))["checkoutComplete"]
    assert done["errors"] == []
    return (await gql(ORDER, {"t": checkout}, storefront="sekar", **kwargs))["orderByToken"]


async def to_riyadh(gql: Any, variant: Variant, customer: str) -> str:
    """Three abayas to Riyadh by Gulf air, paid in SAR, by a signed-in customer with an Arabic name."""
    line = {"variantId": gid("ProductVariant", variant.id), "quantity": 3}
    created = await gql(CREATE, {"input": {"lines": [line], "currency": "SAR"}}, storefront="sekar", token=customer)
    token = created["checkoutCreate"]["checkout"]["token"]
    shipped = await gql(SHIP_TO, {"t": token, "a": RIYADH}, storefront="sekar", token=customer)
    assert shipped["checkoutShippingAddressUpdate"]["errors"] == []
    chosen = await gql(DELIVERY, {"t": token, "m": "gulf:air"}, storefront="sekar", token=customer)
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == []
    return token


async def ship(gql: Any, order: dict[str, Any], staff: str, quantities: list[int] | None = None) -> dict[str, Any]:
    lines = [
        {"orderLineId": line["id"], "quantity": q}
        for line, q in zip(order["lines"], quantities or [li["quantity"] for li in order["lines"]], strict=True)
    ]
    given = {"carrier": "DHL", "trackingNumber": "JD0142", "lines": lines}
    return (await gql(SHIP, {"id": order["id"], "input": given}, token=staff))["shipmentCreate"]


async def pdf_text(client: Any, url: str) -> str:
    """The PDF as the media route serves it, its text extracted."""
    response = await client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def stored_pdfs(settings: Any) -> list[str]:
    """The PDF files in the media folder, by name."""
    return sorted(p.name for p in Path(settings.media.root).glob("*.pdf"))


def papers(shipment: dict[str, Any]) -> dict[str, str]:
    return {doc["kind"]: doc["url"] for doc in shipment["documents"]}


async def test_riyadh_ddp_totals_to_the_halala_and_papers_with_every_line_and_the_arabic_buyer(
    gql, client, tables, settings
):
    brand = await brand_abroad()
    _, owner = await make_staff(brand, StaffRole.OWNER)
    assert (await gql(STOREFRONT_UPDATE, {"input": {"incoterm": "DDP"}}, token=owner, storefront="sekar"))[
        "storefrontUpdate"
    ]["errors"] == []
    customer = access_token(await make_user("layla@example.sa"))
    token = await to_riyadh(gql, await abaya(brand), customer)
    order = await paid_order(gql, token, token=customer)
    # goods 3 × 399.95 = 1,199.85 > SAR 1,000: duty 5% of CIF 1,259.85 = 62.99 (62.9925);
    # VAT 15% of 1,259.85 + 62.99 = 198.43 (198.426); collected with the order: 261.42
    assert order["landedCost"] == {
        "duty": {"amount": "62.99"},
        "tax": {"amount": "198.43"},
        "taxName": "VAT",
        "total": {"amount": "261.42"},
    }
    assert order["dutiesTotal"] == {"amount": "261.42"} and order["shippingTotal"] == {"amount": "60.00"}
    assert order["total"] == {"amount": "1521.27", "currency": "SAR"}

    shipped = await ship(gql, order, owner)
    assert shipped["errors"] == []
    urls = papers(shipped["shipment"])
    assert list(urls) == ["COMMERCIAL_INVOICE", "PACKING_LIST"]
    invoice = await pdf_text(client, urls["COMMERCIAL_INVOICE"])
    for printed in (
        "COMMERCIAL INVOICE",
        f"INV-{order['number']}-1",
        "Sekar Modest",
        "Ships from Indonesia",
        "DDP Riyadh, Saudi Arabia",
        "SAR",
        "Sale of goods",
        "Women's abaya (outer robe) of woven polyester (95% polyester, 5% elastane)",
        "6211.43.90",
        "Total declared value: SAR 1199.85",
        "1.950",  # net kg: 3 × 650 g
        "2.400",  # gross kg: 3 × 800 g
        "collected at checkout: SAR 261.42",
    ):
        assert printed in invoice, printed
    # The street comes back as typed; the name too, letter for letter, though the font's required ligature of
    # its final ب + ي (one glyph, mapped to both letters) is read out of place by text extraction.
    assert "طريق الملك فهد" in invoice and "محمد" in invoice
    name = next(line for line in invoice.splitlines() if "محمد" in line)
    assert sorted(name.replace(" ", "")) == sorted("محمدالعتيبي"), name
    row = re.search(r"6211\.43\.90 ID 3 (\d+\.\d\d) (\d+\.\d\d)", invoice)
    assert row is not None and (row[1], row[2]) == ("399.95", "1199.85"), invoice
    packing = await pdf_text(client, urls["PACKING_LIST"])
    assert "PACKING LIST" in packing and "6211.43.90" in packing and "طريق الملك فهد" in packing
    assert "399.95" not in packing  # no prices on a packing list

    # the customer who ordered sees the papers, on the shipment and through their orders
    assert papers((await gql(NODE, {"id": shipped["shipment"]["id"]}, token=customer))["node"]) == urls
    mine = (await gql(MY_ORDERS, token=customer))["me"]["orders"]["edges"]
    assert papers(mine[0]["node"]["shipments"][0]) == urls


async def test_kuala_lumpur_dap_shows_the_estimate_and_the_lines_add_up_to_the_declared_total(
    gql, client, tables, settings
):
    brand = await brand_abroad()
    _, staff = await make_staff(brand, StaffRole.OWNER)
    token = await to_kuala_lumpur(gql, brand, email="aminah@example.my")
    second = await abaya(brand)
    added = await gql(
        """mutation($t: String!, $lines: [CheckoutLineInput!]!) { checkoutLinesAdd(token: $t, lines: $lines) {
        errors { code } } }""",
        {"t": token, "lines": [{"variantId": gid("ProductVariant", second.id), "quantity": 1}]},
        storefront="sekar",
    )
    assert added["checkoutLinesAdd"]["errors"] == []
    order = await paid_order(gql, token)
    # DAP: nothing collected; goods 90 + 120 with MYR 15 shipping; the buyer's estimate on 225 CIF:
    # 620443 at 10% of its 90 + 6.43 share = 9.64; 621143 not listed: 0; SST 10% of 225 + 9.64 = 23.46
    assert order["dutiesTotal"] == {"amount": "0.00"} and order["total"] == {"amount": "225.00", "currency": "MYR"}
    assert order["landedCost"] == {
        "duty": {"amount": "9.64"},
        "tax": {"amount": "23.46"},
        "taxName": "SST",
        "total": {"amount": "33.10"},
    }
    shipped = await ship(gql, order, staff)
    assert shipped["errors"] == []
    invoice = await pdf_text(client, papers(shipped["shipment"])["COMMERCIAL_INVOICE"])
    assert "DAP Kuala Lumpur, Malaysia" in invoice and "payable by the buyer on arrival" in invoice
    rows = re.findall(r"(\d{4}\.\d\d(?:\.\d+)?) (ID) (\d+) (\d+\.\d\d) (\d+\.\d\d)", invoice)
    assert [(r[0], r[1], r[2]) for r in rows] == [("6204.43", "ID", "2"), ("6211.43.90", "ID", "1")], invoice
    declared = re.search(r"Total declared value: MYR (\d+\.\d\d)", invoice)
    assert declared is not None and declared[1] == "210.00"
    assert sum(Decimal(r[4]) for r in rows) == Decimal(declared[1])
    assert all(Decimal(r[3]) * int(r[2]) == Decimal(r[4]) for r in rows)


async def test_a_domestic_shipment_gets_no_papers_and_regenerating_them_is_refused(gql, tables, settings):
    from tests.api.test_checkout import ready_checkout, stocked

    brand = await brand_abroad()
    _, staff = await make_staff(brand, StaffRole.OWNER)
    token = await ready_checkout(gql, await stocked(brand, "Gamis Aisyah"), storefront="sekar")
    order = await paid_order(gql, token)
    shipped = await ship(gql, order, staff)
    assert shipped["errors"] == [] and shipped["shipment"]["documents"] == []
    refused = (await gql(REGENERATE, {"id": shipped["shipment"]["id"]}, token=staff))["shipmentDocumentsRegenerate"]
    assert refused == {
        "shipment": None,
        "documents": [],
        "errors": [{"field": "shipmentId", "code": "NO_CUSTOMS_PAPERS"}],
    }
    assert await ShipmentDocument.all().count() == 0 and not stored_pdfs(settings)
    assert JAKARTA["country"] == "ID"


async def test_papers_are_made_again_only_when_what_they_print_changes(gql, tables, settings):
    brand = await brand_abroad()
    _, staff = await make_staff(brand, StaffRole.OWNER)
    order = await paid_order(gql, await to_kuala_lumpur(gql, brand, email="aminah@example.my"))
    shipped = await ship(gql, order, staff)
    first = papers(shipped["shipment"])
    files = stored_pdfs(settings)
    assert len(files) == 2 and sorted(u.rsplit("/", 1)[1] for u in first.values()) == files

    same = (await gql(REGENERATE, {"id": shipped["shipment"]["id"]}, token=staff))["shipmentDocumentsRegenerate"]
    assert same["errors"] == [] and papers(same) == first == papers(same["shipment"])
    assert stored_pdfs(settings) == files  # no new file

    # a corrected customs description changes both papers: new files, the old ones gone
    await CustomsData.filter(brand_id=brand.id).update(description="Women's long woven dress (gamis) of polyester")
    changed = (await gql(REGENERATE, {"id": shipped["shipment"]["id"]}, token=staff))["shipmentDocumentsRegenerate"]
    second = papers(changed)
    assert changed["errors"] == [] and set(second) == set(first)
    assert all(second[kind] != first[kind] for kind in first)
    now = stored_pdfs(settings)
    assert len(now) == 2 and not set(now) & set(files)
    # a brand's new incoterm is not printed: the order keeps the one agreed at checkout, so nothing is made
    await Brand.filter(id=brand.id).update(incoterm="DDP")
    kept = (await gql(REGENERATE, {"id": shipped["shipment"]["id"]}, token=staff))["shipmentDocumentsRegenerate"]
    assert papers(kept) == second


async def test_only_the_customer_and_the_brands_order_staff_see_the_papers(gql, tables, settings):
    brand = await brand_abroad()
    _, owner = await make_staff(brand, StaffRole.OWNER)
    other_brand = await make_brand("lain")
    _, stranger_staff = await make_staff(other_brand, StaffRole.OWNER)
    customer = access_token(await make_user("aminah@example.my"))
    someone = access_token(await make_user("someone@example.my"))
    token = await to_kuala_lumpur(gql, brand, email="aminah@example.my")
    order = await paid_order(gql, token)
    shipped = await ship(gql, order, owner)
    shipment_id = shipped["shipment"]["id"]
    assert papers((await gql(NODE, {"id": shipment_id}, token=owner))["node"]) == papers(shipped["shipment"])
    for outsider in (stranger_staff, someone, customer, None):  # the order was a guest's: no account sees it
        assert (await gql(NODE, {"id": shipment_id}, token=outsider))["node"] is None
    before = await ShipmentDocument.all().values_list("storage_key", flat=True)
    error = await gql.error(REGENERATE, {"id": shipment_id}, token=stranger_staff)
    assert error["extensions"]["code"] == "FORBIDDEN"
    refused = (await gql(REGENERATE, {"id": order["id"]}, token=owner))["shipmentDocumentsRegenerate"]
    assert refused["errors"] == [{"field": "shipmentId", "code": "INVALID_ID"}]
    assert await ShipmentDocument.all().values_list("storage_key", flat=True) == before


async def test_a_line_whose_customs_data_is_gone_cannot_ship_abroad(gql, tables, settings):
    brand = await brand_abroad()
    _, staff = await make_staff(brand, StaffRole.OWNER)
    order = await paid_order(gql, await to_kuala_lumpur(gql, brand, email="aminah@example.my"))
    await CustomsData.filter(brand_id=brand.id).update(hs_code=None, description=None, composition=None)
    refused = await ship(gql, order, staff)
    assert refused == {"shipment": None, "errors": [{"field": "lines.0", "code": "CUSTOMS_DATA_MISSING"}]}
    assert await ShipmentDocument.all().count() == 0
