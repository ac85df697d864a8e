"""Shared setup for the made-to-measure tests: a brand selling in IDR and MYR, its own GAMIS garment type
(created directly, so these tests do not depend on the built-in catalogue), two fabrics of an approved
supplier (one priced in IDR, one in MYR), a MYR→IDR exchange rate, and a gamis configured over GraphQL.

The numbers, per garment, for LINGKAR_BADAN 96 (band M), collar BULAT, pockets SIDE + CHEST, embroidery:
IDR: base 350000 + 15000 + 10000 + 12500 + 25000 + fabric 2.75 m × 45000 = 123750 → 536250.
MYR: base 110 + 5 + 3 + 4 + 8 + fabric 2.75 m × 45000/3500 (12.857142…) = 35.357… → 35.36 → 165.36.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.actors.models import ActorStatus, Brand, Supplier
from core.garments.models import ExchangeRate, Fabric, GarmentType, MeasurementField
from tests.factories import make_brand, make_product, make_staff, make_user

ERRORS = "errors { field code message }"
BREAKDOWN = """
  productId garmentType sizeBand quantity fabric { id sku name } options { group values text }
  measurements { code cm } measurementProfileId measurementProfileVersion
  base { amount currency } optionCharges { group value amount { amount } }
  fabricCharge { metres pricePerMetre { amount } amount { amount } }
  adjustments { code label amount { amount } }
  unitPrice { amount currency } total { amount currency } productionDays fabricInStock readyBy
  problem { code message }
"""
QUOTE = f"""query($input: CustomGarmentInput!, $currency: String) {{
  customGarmentQuote(input: $input, currency: $currency) {{ quote {{ {BREAKDOWN} }} {ERRORS} }} }}"""
SET = f"""mutation($id: ID!, $input: ProductMadeToMeasureInput!) {{
  productMadeToMeasureSet(productId: $id, input: $input) {{ product {{ id madeToMeasure }} {ERRORS} }} }}"""
CHECKOUT_LINES = f"""
  token currency
  lines {{ id quantity productName unitPrice {{ amount currency }} total {{ amount }}
          customGarment {{ {BREAKDOWN} }} }}
  subtotal {{ amount currency }} total {{ amount currency }}
"""
CREATE = f"""mutation($input: CheckoutCreateInput!) {{
  checkoutCreate(input: $input) {{ checkout {{ {CHECKOUT_LINES} }} {ERRORS} }} }}"""
ADD = f"""mutation($t: String!, $input: CustomGarmentInput!) {{
  checkoutCustomGarmentAdd(token: $t, input: $input) {{ checkout {{ {CHECKOUT_LINES} }} {ERRORS} }} }}"""

BODY = {"LINGKAR_BADAN": "96", "LINGKAR_PINGGANG": "80", "PANJANG_BAJU": "140"}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


def price(currency: str, amount: str) -> dict[str, str]:
    return {"currency": currency, "amount": amount}


def configuration(wolfis: Fabric, batik: Fabric, **overrides: Any) -> dict[str, Any]:
    consumption = [
        {"band": "S", "metres": "2.50"},
        {"band": "M", "metres": "2.75"},
        {"band": "L", "metres": "3.00"},
        {"band": "XL", "metres": "3.25"},
    ]
    config: dict[str, Any] = {
        "garmentType": "GAMIS",
        "basePrices": [price("IDR", "350000"), price("MYR", "110")],
        "sizeBandField": "LINGKAR_BADAN",
        "sizeBands": [
            {"code": "S", "maxCm": "92"},
            {"code": "M", "maxCm": "100"},
            {"code": "L", "maxCm": "108"},
            {"code": "XL"},
        ],
        "productionDays": 14,
        "optionGroups": [
            {
                "code": "COLLAR",
                "kind": "SINGLE",
                "required": True,
                "names": [{"language": "id", "text": "Kerah"}, {"language": "en", "text": "Collar"}],
                "values": [
                    {"code": "SHANGHAI", "names": [{"language": "en", "text": "Mandarin"}]},
                    {"code": "BULAT", "surcharges": [price("IDR", "15000"), price("MYR", "5")]},
                ],
            },
            {
                "code": "POCKET",
                "kind": "MULTIPLE",
                "values": [
                    {"code": "SIDE", "surcharges": [price("IDR", "10000"), price("MYR", "3")]},
                    {"code": "CHEST", "surcharges": [price("IDR", "12500"), price("MYR", "4")]},
                ],
            },
            {
                "code": "EMBROIDERY",
                "kind": "TEXT",
                "maxLength": 20,
                "surcharges": [price("IDR", "25000"), price("MYR", "8")],
            },
        ],
        "fabrics": [
            {"fabricId": gid("Fabric", wolfis.id), "consumption": consumption},
            {"fabricId": gid("Fabric", batik.id), "consumption": consumption},
        ],
    }
    config.update(overrides)
    return config


def garment(product_id: int, fabric_id: int, *, body: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "productId": gid("Product", product_id),
        "fabricId": gid("Fabric", fabric_id),
        "options": [
            {"group": "COLLAR", "values": ["BULAT"]},
            {"group": "POCKET", "values": ["SIDE", "CHEST"]},
            {"group": "EMBROIDERY", "text": "Siti A."},
        ],
        "measurements": [{"code": code, "value": value} for code, value in (body or BODY).items()],
    }
    request.update(overrides)
    return request


@dataclass
class Shop:
    brand: Brand
    staff: str
    garment_type: GarmentType
    supplier: Supplier
    wolfis: Fabric
    batik: Fabric
    product_id: int


async def make_garment_type(brand: Brand | None, code: str = "GAMIS") -> GarmentType:
    garment_type = await GarmentType.create(brand=brand, code=code, names={"id": "Gamis", "en": "Gamis"})
    fields = [
        ("LINGKAR_BADAN", "60", "160", True, "Lingkar badan", "Bust"),
        ("LINGKAR_PINGGANG", "50", "150", True, "Lingkar pinggang", "Waist"),
        ("PANJANG_BAJU", "100", "170", True, "Panjang baju", "Length"),
        ("PANJANG_LENGAN", "40", "75", False, "Panjang lengan", "Sleeve"),
    ]
    for position, (field_code, low, high, required, label_id, label_en) in enumerate(fields):
        await MeasurementField.create(
            garment_type=garment_type,
            code=field_code,
            labels={"id": label_id, "en": label_en},
            hints={"en": f"Measure the {label_en.lower()}."},
            min_cm=Decimal(low),
            max_cm=Decimal(high),
            required=required,
            position=position,
        )
    return garment_type


async def make_fabric(supplier: Supplier, sku: str, per_metre: str, currency: str, stock: str, **fields: Any) -> Fabric:
    return await Fabric.create(
        supplier=supplier,
        sku=sku,
        name=fields.pop("name", sku.title()),
        price_per_metre=Decimal(per_metre),
        currency=currency,
        stock_metres=Decimal(stock),
        lead_time_days=fields.pop("lead_time_days", 10),
        **fields,
    )


async def make_shop(gql, slug: str = "sekar", *, stock: str = "100", configure: bool = True) -> Shop:
    brand = await make_brand(slug)
    _, staff = await make_staff(brand)
    garment_type = await make_garment_type(brand)
    supplier = await Supplier.create(
        user=await make_user(),
        status=ActorStatus.APPROVED,
        legal_name="PT Kain Nusantara",
        country="ID",
        city="Bandung",
    )
    wolfis = await make_fabric(supplier, "WOLFIS-HTM", "45000", "IDR", stock, name="Wolfis hitam")
    batik = await make_fabric(supplier, "BATIK-KL", "12.50", "MYR", stock, name="Batik Kelantan")
    if not await ExchangeRate.exists(base="MYR", quote="IDR"):
        await ExchangeRate.create(base="MYR", quote="IDR", rate=Decimal("3500"))
    product = await make_product(brand, "Gamis Custom", sizes=("",), made_to_measure=True)
    shop = Shop(brand, staff, garment_type, supplier, wolfis, batik, product.id)
    if configure:
        done = await gql(SET, {"id": gid("Product", product.id), "input": configuration(wolfis, batik)}, token=staff)
        assert done["productMadeToMeasureSet"]["errors"] == [], done
    return shop
