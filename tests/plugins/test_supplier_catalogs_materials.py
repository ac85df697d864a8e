"""B2B browsing (`supplierMaterials`): every approved supplier's active fabrics (core's) and trims (the plugin's)
in one keyset-paged list, filtered, sorted by relevance, price in the buyer's currency or lead time; brands,
approved tailors and approved suppliers browse, nobody else; a page costs the same statements at 2 or 20."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest

from core.actors.models import ActorStatus, Supplier
from core.garments.models import ExchangeRate, Fabric, FabricStatus
from plugins.supplier_catalogs.models import Trim, TrimStatus
from tests.api.test_production import make_tailor
from tests.factories import access_token, make_brand, make_staff, make_user

MATERIALS = """query($filter: SupplierMaterialFilter, $sortBy: SupplierMaterialSortInput, $currency: String,
  $first: Int, $after: String) { supplierMaterials(filter: $filter, sortBy: $sortBy, currency: $currency, first: $first,
  after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id kind sku name unit trimType
  price { amount currency } buyerPrice { amount currency } stock minOrder leadTimeDays weightGsm widthCm
  supplier { name country } } } } }"""


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def make_supplier(name: str, *, country: str = "ID", status: ActorStatus = ActorStatus.APPROVED) -> Supplier:
    user = await make_user()
    return await Supplier.create(user=user, legal_name=name, country=country, city="Kota", status=status)


async def fabric(supplier: Supplier, sku: str, price: str, **fields: Any) -> Fabric:
    values = {"name": f"Kain {sku}", "currency": "IDR", "stock_metres": Decimal(100), "lead_time_days": 7, **fields}
    return await Fabric.create(supplier=supplier, sku=sku, price_per_metre=Decimal(price), **values)


async def trim(supplier: Supplier, sku: str, price: str, **fields: Any) -> Trim:
    values = {"name": f"Kancing {sku}", "trim_type": "BUTTON", "currency": "IDR", "stock": Decimal(500),
              "lead_time_days": 3, **fields}  # fmt: skip
    return await Trim.create(supplier=supplier, sku=sku, price=Decimal(price), **values)


@pytest.fixture
async def market(gql) -> dict[str, Any]:
    """Two approved suppliers (IDR and MYR), a suspended one, fabrics and trims in every state."""
    priangan = await make_supplier("PT Tekstil Priangan")
    melayu = await make_supplier("Kain Melayu", country="MY")
    suspended = await make_supplier("CV Tutup", status=ActorStatus.SUSPENDED)
    await ExchangeRate.create(base="MYR", quote="IDR", rate=Decimal("3500"))
    await fabric(priangan, "WOL-HTM", "38500", name="Wolfis Hitam", colour="Hitam", weight_gsm=180, width_cm=150,
                 composition="100% polyester", lead_time_days=10)  # fmt: skip
    await fabric(priangan, "KAT-PTH", "25000", name="Katun Putih", colour="Putih", weight_gsm=120, width_cm=110,
                 composition="100% katun", stock_metres=Decimal(0), lead_time_days=21)  # fmt: skip
    await fabric(melayu, "SAT-MRH", "9.50", name="Satin Merah", currency="MYR", weight_gsm=90, width_cm=140,
                 lead_time_days=14)  # fmt: skip  # 33,250 IDR
    await fabric(priangan, "OLD-1", "1000", status=FabricStatus.ARCHIVED)
    await fabric(suspended, "SUS-1", "1000")
    await trim(priangan, "BTN-07", "1200", name="Kancing Mutiara", width_cm=2)
    await trim(melayu, "ZIP-20", "2", name="Ritsleting Wolfis", trim_type="ZIP", currency="MYR", unit="PIECE")
    await trim(priangan, "OLD-T", "5", status=TrimStatus.ARCHIVED)
    await fabric(priangan, "USD-1", "3", name="Sutra Impor", currency="USD")  # no USD rate
    brand = await make_brand("sekar", default_currency="IDR")
    _, staff = await make_staff(brand)
    return {"priangan": priangan, "melayu": melayu, "staff": staff}


async def browse(gql, token: str, **variables: Any) -> dict[str, Any]:
    return (await gql(MATERIALS, variables, token=token))["supplierMaterials"]


def skus(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["sku"] for edge in page["edges"]]


async def test_brands_see_every_approved_suppliers_active_fabrics_and_trims_in_their_currency(gql, market):
    page = await browse(gql, market["staff"], sortBy={"field": "PRICE"})
    # Prices in IDR: trim 1200, ZIP 2 MYR = 7000, Katun 25000, Satin 9.50 MYR = 33250, Wolfis 38500; USD last.
    assert skus(page) == ["BTN-07", "ZIP-20", "KAT-PTH", "SAT-MRH", "WOL-HTM", "USD-1"]
    assert page["totalCount"] == 6
    satin = page["edges"][3]["node"]
    assert satin["kind"] == "FABRIC" and satin["unit"] == "METRE"
    assert satin["price"] == {"amount": "9.50", "currency": "MYR"}
    assert satin["buyerPrice"] == {"amount": "33250.00", "currency": "IDR"}
    assert satin["supplier"] == {"name": "Kain Melayu", "country": "MY"}
    assert page["edges"][5]["node"]["buyerPrice"] is None  # no USD rate: its own price, and it sorts last
    descending = await browse(gql, market["staff"], sortBy={"field": "PRICE", "direction": "DESC"})
    assert skus(descending) == ["WOL-HTM", "SAT-MRH", "KAT-PTH", "ZIP-20", "BTN-07", "USD-1"]
    myr = await browse(gql, market["staff"], sortBy={"field": "PRICE"}, currency="MYR")
    assert myr["edges"][0]["node"]["buyerPrice"] == {"amount": "0.34", "currency": "MYR"}  # 1200 / 3500


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"kind": "TRIM"}, {"BTN-07", "ZIP-20"}),
        ({"trimType": "ZIP"}, {"ZIP-20"}),
        ({"search": "wolfis"}, {"WOL-HTM", "ZIP-20"}),
        ({"composition": "katun"}, {"KAT-PTH"}),
        ({"weightGsm": {"gte": 100, "lte": 150}}, {"KAT-PTH"}),  # a weight asks for fabrics
        ({"widthCm": {"gte": 140}}, {"WOL-HTM", "SAT-MRH"}),
        ({"colour": "hitam"}, {"WOL-HTM"}),
        ({"priceRange": {"gte": "7000", "lte": "34000"}}, {"ZIP-20", "KAT-PTH", "SAT-MRH"}),  # in IDR
        ({"inStock": False}, {"KAT-PTH"}),
        ({"leadTimeMax": 7}, {"BTN-07", "ZIP-20", "USD-1"}),
        ({"country": "my"}, {"SAT-MRH", "ZIP-20"}),
    ],
    ids=[
        "kind",
        "trim-type",
        "search",
        "composition",
        "weight",
        "width",
        "colour",
        "price",
        "in-stock",
        "lead",
        "country",
    ],
)
async def test_filters(gql, market, filter, expected):
    page = await browse(gql, market["staff"], filter=filter)
    assert set(skus(page)) == expected
    assert page["totalCount"] == len(expected)


async def test_a_supplier_filter_and_relevance_puts_names_starting_with_the_search_first(gql, market):
    mine = await browse(gql, market["staff"], filter={"supplier": gid("Supplier", market["melayu"].id)})
    assert set(skus(mine)) == {"SAT-MRH", "ZIP-20"}
    ranked = await browse(gql, market["staff"], filter={"search": "wol"})
    assert skus(ranked) == ["WOL-HTM", "ZIP-20"]  # "Wolfis Hitam" starts with it, "Ritsleting Wolfis" contains it
    lead = await browse(gql, market["staff"], sortBy={"field": "LEAD_TIME"})
    assert [e["node"]["leadTimeDays"] for e in lead["edges"]] == sorted(
        e["node"]["leadTimeDays"] for e in lead["edges"]
    )


@pytest.mark.parametrize("sort", ["PRICE", "LEAD_TIME", "RELEVANCE"])
async def test_keyset_pages_walk_the_whole_list_once_across_both_tables(gql, market, sort):
    everything = skus(await browse(gql, market["staff"], sortBy={"field": sort}, first=50))
    walked: list[str] = []
    after = None
    while True:
        page = await browse(gql, market["staff"], sortBy={"field": sort}, first=2, after=after)
        walked += skus(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert walked == everything and len(walked) == 6
    wrong = await gql.raw(MATERIALS, {"after": after, "sortBy": {"field": "LEAD_TIME" if sort != "LEAD_TIME" else
                                                                          "PRICE"}}, token=market["staff"])  # fmt: skip
    assert wrong["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_who_may_browse(gql, market):
    _, tailor_token = await make_tailor()
    assert (await browse(gql, tailor_token, first=1))["totalCount"] == 6  # tailors pay in IDR by default
    supplier_user = await Supplier.get(id=market["priangan"].id).prefetch_related("user")
    assert (await browse(gql, access_token(supplier_user.user), first=1))["totalCount"] == 6
    _, applied = await make_tailor(status=ActorStatus.APPLIED, name="Baru")
    customer = access_token(await make_user("siti@example.id"))
    for token in (applied, customer, None):
        error = await gql.error(MATERIALS, {}, token=token)
        assert error["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_a_page_costs_the_same_statements_for_2_and_20_materials(gql, market, sql_counter):
    for index in range(20):
        await fabric(market["priangan"], f"EXTRA-{index}", str(1000 + index))
        await trim(market["melayu"], f"EXTRA-T{index}", str(1 + index), currency="MYR")
    counts = []
    for size in (2, 20):
        with sql_counter.counting() as statements:
            page = await browse(gql, market["staff"], sortBy={"field": "PRICE"}, first=size)
        assert len(page["edges"]) == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


BACKWARDS = """query($sortBy: SupplierMaterialSortInput, $last: Int, $before: String) {
  supplierMaterials(sortBy: $sortBy, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { sku } } } }"""


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("sort", ["PRICE", "LEAD_TIME", "RELEVANCE"])
async def test_last_and_before_walk_the_list_backwards_across_both_tables(gql, market, sort, direction):
    order = {"field": sort, "direction": direction}
    everything = skus(await browse(gql, market["staff"], sortBy=order, first=50))
    walked: list[str] = []
    before = None
    while True:
        page = (await gql(BACKWARDS, {"sortBy": order, "last": 2, "before": before}, token=market["staff"]))[
            "supplierMaterials"
        ]
        walked = [edge["node"]["sku"] for edge in page["edges"]] + walked
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert walked == everything and len(walked) == 6
