"""Managing shipping zones and methods through GraphQL (the shipping_rates plugin), as a brand's staff app
would: happy paths, user errors that change nothing, and brand isolation for every operation."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from tortoise import Tortoise

from core.actors.models import StaffRole
from core.events import Event
from plugins.shipping_rates.models import ShippingMethod as MethodModel
from plugins.shipping_rates.models import ShippingZone as ZoneModel
from tests.factories import access_token, make_brand, make_staff, make_user

ZONE_FIELDS = "shippingZone { id name countries provinces methods { name } } errors { field code }"
METHOD_FIELDS = """shippingMethod { id name carrier minDays maxDays active position
  rates { minWeightGrams maxWeightGrams price { amount currency } } freeShippingThresholds { amount currency } }
  errors { field code }"""
ZONES = """query($brand: String) { shippingZones(brand: $brand) { id name countries provinces
  methods { name position rates { minWeightGrams maxWeightGrams price { amount currency } } } } }"""
ZONE_CREATE = f"""mutation($input: ShippingZoneCreateInput!) {{
  shippingZoneCreate(input: $input) {{ {ZONE_FIELDS} }} }}"""
ZONE_UPDATE = f"""mutation($id: ID!, $input: ShippingZoneUpdateInput!) {{
  shippingZoneUpdate(id: $id, input: $input) {{ {ZONE_FIELDS} }} }}"""
ZONE_DELETE = f"mutation($id: ID!) {{ shippingZoneDelete(id: $id) {{ {ZONE_FIELDS} }} }}"
METHOD_CREATE = f"""mutation($zone: ID!, $input: ShippingMethodCreateInput!) {{
  shippingMethodCreate(zoneId: $zone, input: $input) {{ {METHOD_FIELDS} }} }}"""
METHOD_UPDATE = f"""mutation($id: ID!, $input: ShippingMethodUpdateInput!) {{
  shippingMethodUpdate(id: $id, input: $input) {{ {METHOD_FIELDS} }} }}"""
METHOD_DELETE = f"mutation($id: ID!) {{ shippingMethodDelete(id: $id) {{ {METHOD_FIELDS} }} }}"

JNE_REG = {
    "name": "JNE REG",
    "carrier": "JNE",
    "minDays": 2,
    "maxDays": 4,
    "rates": [
        {"currency": "IDR", "minWeightGrams": 0, "maxWeightGrams": 1000, "price": "18000"},
        {"currency": "IDR", "minWeightGrams": 1001, "price": "45000"},
        {"currency": "MYR", "price": "9.5"},
    ],
    "freeShippingThresholds": [{"currency": "IDR", "amount": "500000"}],
}


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the plugin's tables and the event outbox, to prove that a refused operation wrote nothing."""
    state = {"event": await Event.all().order_by("id").values()}
    for model in Tortoise.apps["shipping_rates"].values():
        state[model._meta.db_table] = await model.all().order_by("id").values()
    return state


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    """Sekar (ships to ID and MY, prices in IDR and MYR) with a manager signed in, and Koko, another brand."""
    sekar = await make_brand("sekar")
    _, token = await make_staff(sekar, StaffRole.MANAGER)
    koko = await make_brand("koko", currencies=["IDR"], ships_to=["ID"])
    _, koko_token = await make_staff(koko, StaffRole.OWNER)
    gql.storefront, gql.token = "sekar", token
    return {"sekar": sekar, "koko": koko, "koko_token": koko_token}


async def create_zone(gql, **fields: Any) -> dict[str, Any]:
    data = await gql(ZONE_CREATE, {"input": {"name": "Indonesia", "countries": ["ID"], **fields}})
    assert data["shippingZoneCreate"]["errors"] == [], data
    return data["shippingZoneCreate"]["shippingZone"]


async def create_method(gql, zone: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = await gql(METHOD_CREATE, {"zone": zone["id"], "input": {**JNE_REG, **fields}})
    assert data["shippingMethodCreate"]["errors"] == [], data
    return data["shippingMethodCreate"]["shippingMethod"]


async def test_a_zone_and_its_method_are_created_listed_changed_and_deleted(gql, shop):
    zone = await create_zone(gql, name="Jabodetabek", provinces=["dki jakarta", "Banten", "Banten"])
    assert (zone["countries"], zone["provinces"]) == (["ID"], ["Jakarta Raya", "Banten"])
    method = await create_method(gql, zone)
    assert method == {
        "id": method["id"],
        "name": "JNE REG",
        "carrier": "JNE",
        "minDays": 2,
        "maxDays": 4,
        "active": True,
        "position": 0,
        "rates": [
            {"minWeightGrams": 0, "maxWeightGrams": 1000, "price": {"amount": "18000.00", "currency": "IDR"}},
            {"minWeightGrams": 1001, "maxWeightGrams": None, "price": {"amount": "45000.00", "currency": "IDR"}},
            {"minWeightGrams": 0, "maxWeightGrams": None, "price": {"amount": "9.50", "currency": "MYR"}},
        ],
        "freeShippingThresholds": [{"amount": "500000.00", "currency": "IDR"}],
    }
    yes = await create_method(gql, zone, name="JNE YES", freeShippingThresholds=[])
    assert yes["position"] == 1  # after the zone's other methods

    listed = (await gql(ZONES))["shippingZones"]
    assert [(z["name"], [m["name"] for m in z["methods"]]) for z in listed] == [("Jabodetabek", ["JNE REG", "JNE YES"])]

    changed = await gql(ZONE_UPDATE, {"id": zone["id"], "input": {"name": "Indonesia", "provinces": []}})
    assert changed["shippingZoneUpdate"]["shippingZone"]["provinces"] == []
    assert changed["shippingZoneUpdate"]["shippingZone"]["methods"] == [{"name": "JNE REG"}, {"name": "JNE YES"}]

    rates = [{"currency": "IDR", "price": "20000"}]
    updated = await gql(
        METHOD_UPDATE, {"id": method["id"], "input": {"rates": rates, "active": False, "maxDays": None}}
    )
    got = updated["shippingMethodUpdate"]["shippingMethod"]
    assert (got["active"], got["minDays"], got["maxDays"], got["carrier"]) == (False, 2, None, "JNE")
    assert got["rates"] == [
        {"minWeightGrams": 0, "maxWeightGrams": None, "price": {"amount": "20000.00", "currency": "IDR"}}
    ]
    assert got["freeShippingThresholds"] == [{"amount": "500000.00", "currency": "IDR"}]  # not given: kept

    deleted = await gql(METHOD_DELETE, {"id": yes["id"]})
    assert deleted["shippingMethodDelete"]["shippingMethod"]["name"] == "JNE YES"
    gone = await gql(ZONE_DELETE, {"id": zone["id"]})
    assert gone["shippingZoneDelete"]["shippingZone"]["name"] == "Indonesia"
    assert (await gql(ZONES))["shippingZones"] == []
    state = await snapshot()
    assert all(not rows for table, rows in state.items() if table != "event")  # the cascade took everything
    assert [e["type"] for e in state["event"]] == [
        "shipping_zone.created",
        "shipping_method.created",
        "shipping_method.created",
        "shipping_zone.updated",
        "shipping_method.updated",
        "shipping_method.deleted",
        "shipping_zone.deleted",
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"countries": ["ID", "TR"]}, [("countries.1", "COUNTRY_NOT_SHIPPED_TO")]),
        ({"countries": []}, [("countries", "COUNTRIES_REQUIRED")]),
        (
            {"provinces": ["Jawa", "Atlantis"]},
            [("provinces.0", "INVALID_PROVINCE"), ("provinces.1", "INVALID_PROVINCE")],
        ),
        ({"countries": ["MY"], "provinces": ["Banten"]}, [("provinces", "PROVINCES_NEED_INDONESIA")]),
        ({"name": " "}, [("name", "INVALID_NAME")]),
    ],
)
async def test_bad_zones_are_refused_with_typed_errors_and_nothing_written(gql, shop, fields, errors):
    before = await snapshot()
    data = await gql(ZONE_CREATE, {"input": {"name": "Indonesia", "countries": ["ID"], **fields}})
    payload = data["shippingZoneCreate"]
    assert payload["shippingZone"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == errors
    assert await snapshot() == before


BAD_METHODS = [
    ({"rates": [{"currency": "TRY", "price": "1"}]}, [("rates.0.currency", "CURRENCY_NOT_ENABLED")]),
    ({"rates": [{"currency": "IDR", "price": "-1"}]}, [("rates.0.price", "INVALID_AMOUNT")]),
    (
        {"rates": [{"currency": "IDR", "minWeightGrams": -5, "price": "1"}]},
        [("rates.0.minWeightGrams", "INVALID_WEIGHT")],
    ),
    (
        {"rates": [{"currency": "IDR", "minWeightGrams": 1000, "maxWeightGrams": 1000, "price": "1"}]},
        [("rates.0.maxWeightGrams", "INVALID_WEIGHT_RANGE")],
    ),
    (
        {
            "rates": [
                {"currency": "IDR", "minWeightGrams": 0, "maxWeightGrams": 1000, "price": "1"},
                {"currency": "IDR", "minWeightGrams": 1000, "price": "2"},
            ]
        },
        [("rates.1.minWeightGrams", "OVERLAPPING_WEIGHTS")],
    ),
    ({"minDays": 5, "maxDays": 2}, [("minDays", "INVALID_DAYS")]),
    ({"minDays": -1}, [("minDays", "INVALID_DAYS")]),
    (
        {"freeShippingThresholds": [{"currency": "IDR", "amount": "1"}, {"currency": "IDR", "amount": "2"}]},
        [("freeShippingThresholds.1.currency", "DUPLICATE_CURRENCY")],
    ),
    (
        {"freeShippingThresholds": [{"currency": "MYR", "amount": "-3"}]},
        [("freeShippingThresholds.0.amount", "INVALID_AMOUNT")],
    ),
]


@pytest.mark.parametrize(("fields", "errors"), BAD_METHODS)
async def test_bad_methods_are_refused_with_typed_errors_and_nothing_written(gql, shop, fields, errors):
    zone = await create_zone(gql)
    method = await create_method(gql, zone)
    before = await snapshot()
    created = (await gql(METHOD_CREATE, {"zone": zone["id"], "input": {**JNE_REG, **fields}}))["shippingMethodCreate"]
    assert created["shippingMethod"] is None
    assert [(e["field"], e["code"]) for e in created["errors"]] == errors
    updated = (await gql(METHOD_UPDATE, {"id": method["id"], "input": fields}))["shippingMethodUpdate"]
    assert [(e["field"], e["code"]) for e in updated["errors"]] == errors
    assert await snapshot() == before


async def test_a_zone_update_is_checked_whole_and_ids_of_another_type_are_user_errors(gql, shop):
    zone = await create_zone(gql, provinces=["Banten"])
    method = await create_method(gql, zone)
    before = await snapshot()
    dropped = await gql(ZONE_UPDATE, {"id": zone["id"], "input": {"countries": ["MY"]}})
    assert dropped["shippingZoneUpdate"]["errors"] == [{"field": "provinces", "code": "PROVINCES_NEED_INDONESIA"}]
    wrong = await gql(ZONE_UPDATE, {"id": method["id"], "input": {"name": "X"}})
    assert wrong["shippingZoneUpdate"]["errors"] == [{"field": "id", "code": "INVALID_ID"}]
    wrong_zone = await gql(METHOD_CREATE, {"zone": method["id"], "input": JNE_REG})
    assert wrong_zone["shippingMethodCreate"]["errors"] == [{"field": "zoneId", "code": "INVALID_ID"}]
    assert await snapshot() == before


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def test_another_brands_staff_can_neither_see_nor_change_the_zones(gql, shop):
    zone = await create_zone(gql)
    method = await create_method(gql, zone)
    before = await snapshot()
    koko = {"token": shop["koko_token"], "storefront": "koko"}
    attempts = [
        (ZONES, {"brand": "sekar"}),
        (ZONE_CREATE, {"input": {"name": "X", "countries": ["ID"]}, "brand": "sekar"}),
        (ZONE_UPDATE, {"id": zone["id"], "input": {"name": "Punya Koko"}}),
        (ZONE_DELETE, {"id": zone["id"]}),
        (METHOD_CREATE, {"zone": zone["id"], "input": JNE_REG}),
        (METHOD_UPDATE, {"id": method["id"], "input": {"name": "Punya Koko"}}),
        (METHOD_DELETE, {"id": method["id"]}),
        # an ID that does not exist is refused like another brand's, so IDs cannot be probed
        (ZONE_UPDATE, {"id": gid("ShippingZone", 999_999), "input": {"name": "X"}}),
        (METHOD_DELETE, {"id": gid("ShippingMethod", 999_999)}),
    ]
    for query, variables in attempts:
        if "brand" in variables:
            query = query.replace("(input: $input)", "(input: $input, brand: $brand)").replace(
                "mutation($input", "mutation($brand: String, $input"
            )
        error = await gql.error(query, variables, **koko)
        assert error["extensions"]["code"] == "FORBIDDEN", (query, error)
    assert (await gql(ZONES, **koko))["shippingZones"] == []  # Koko sees only its own (none)
    assert await snapshot() == before


async def test_staff_without_manage_storefront_and_anonymous_callers_are_refused(gql, shop):
    zone = await create_zone(gql)
    _, clerk = await make_staff(shop["sekar"], StaffRole.STAFF)  # products and orders only
    for token, code in ((clerk, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        assert (await gql.error(ZONES, token=token))["extensions"]["code"] == code
        update = await gql.error(ZONE_UPDATE, {"id": zone["id"], "input": {"name": "X"}}, token=token)
        assert update["extensions"]["code"] == code


NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on ShippingZone { name methods { id name } }
  ... on ShippingMethod { name carrier rates { price { amount } } } } }"""


async def test_zones_and_methods_are_nodes_for_whoever_could_list_them(gql, shop, sql_counter):
    zone = await create_zone(gql)
    method = await create_method(gql, zone)
    wanted = [zone["id"], method["id"]]
    expected = [
        {
            "__typename": "ShippingZone",
            "id": zone["id"],
            "name": "Indonesia",
            "methods": [{"id": method["id"], "name": "JNE REG"}],
        },
        {
            "__typename": "ShippingMethod",
            "id": method["id"],
            "name": "JNE REG",
            "carrier": "JNE",
            "rates": [
                {"price": {"amount": "18000.00"}},
                {"price": {"amount": "45000.00"}},
                {"price": {"amount": "9.50"}},
            ],
        },
    ]
    assert (await gql(NODES, {"ids": wanted}))["nodes"] == expected  # the listing's own ID is the node's
    listed = (await gql(ZONES, {"brand": "sekar"}))["shippingZones"]
    assert [z["id"] for z in listed] == [zone["id"]]
    _, clerk = await make_staff(shop["sekar"], StaffRole.STAFF)  # may not list them: no MANAGE_STOREFRONT
    stranger = access_token(await make_user())
    for caller in (
        {"token": shop["koko_token"], "storefront": "koko"},
        {"token": clerk},
        {"token": stranger},
        {"token": None},
    ):
        assert (await gql(NODES, {"ids": wanted}, **caller))["nodes"] == [None, None], caller
    # 30 zones with a method each cost what 3 do
    zones = [await ZoneModel.create(brand_id=shop["sekar"].id, name=f"Z{i}", countries=["ID"]) for i in range(30)]
    methods = [await MethodModel.create(zone_id=z.id, name=f"M{z.id}") for z in zones]
    for ids in ([gid("ShippingZone", z.id) for z in zones], [gid("ShippingMethod", m.id) for m in methods]):
        with sql_counter.counting() as few:
            assert None not in (await gql(NODES, {"ids": ids[:3]}))["nodes"]
        with sql_counter.counting() as many:
            assert None not in (await gql(NODES, {"ids": ids}))["nodes"]
        assert len(many) == len(few)
