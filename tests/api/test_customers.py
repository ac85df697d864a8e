"""Brand staff see the customers who bought from their brand, and only those."""

from __future__ import annotations

import base64

from core.actors.models import StaffRole
from tests.factories import access_token, make_brand, make_order, make_staff, make_user

CUSTOMERS = "query($first: Int) { customers(first: $first) { totalCount edges { node { email ordersCount } } } }"


async def test_staff_see_only_their_own_buyers(gql):
    sekar, koko = await make_brand("sekar"), await make_brand("koko")
    siti, rina, budi = [await make_user(f"{n}@example.id") for n in ("siti", "rina", "budi")]
    await make_order(sekar, user=siti)
    await make_order(sekar, user=siti)
    await make_order(koko, user=rina)
    await make_order(sekar, email="guest@example.id")  # a guest has no account to list
    del budi  # registered, never bought: nobody's customer
    _, owner = await make_staff(sekar)
    seen = await gql(CUSTOMERS, {"first": 10}, storefront="sekar", token=owner)
    assert seen["customers"]["totalCount"] == 1
    assert [e["node"] for e in seen["customers"]["edges"]] == [{"email": "siti@example.id", "ordersCount": 2}]
    _, koko_owner = await make_staff(koko)
    other = await gql(CUSTOMERS, {"first": 10}, storefront="koko", token=koko_owner)
    assert [e["node"]["email"] for e in other["customers"]["edges"]] == ["rina@example.id"]
    # Another brand's staff asking for this brand, a customer and an anonymous caller are refused.
    assert (await gql.error(CUSTOMERS, storefront="sekar", token=koko_owner))["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(CUSTOMERS, storefront="sekar", token=access_token(siti)))["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await gql.error(CUSTOMERS, storefront="sekar"))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_page_of_customers_costs_the_same_for_3_or_30(gql, sql_counter):
    brand = await make_brand("sekar")
    for i in range(30):
        await make_order(brand, user=await make_user(f"c{i}@example.id"), stock=100)
    _, owner = await make_staff(brand, StaffRole.STAFF)
    counts = []
    for first in (3, 30):
        with sql_counter.counting() as statements:
            data = await gql(CUSTOMERS, {"first": first}, storefront="sekar", token=owner)
        assert len(data["customers"]["edges"]) == first
        counts.append(len(statements))
    assert counts[0] == counts[1]


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on BrandCustomer { email ordersCount } } }"
LISTED = "query { customers(first: 100) { edges { node { id email ordersCount } } } }"


def global_id(type_name: str, id: int | str) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def test_customers_are_nodes_of_their_brand_for_its_order_staff(gql, sql_counter):
    sekar, koko = await make_brand("sekar"), await make_brand("koko")
    buyers = [await make_user(f"c{i}@example.id") for i in range(30)]
    for buyer in buyers:
        await make_order(sekar, user=buyer, stock=100)
    await make_order(koko, user=buyers[0])
    never = await make_user("budi@example.id")  # bought nowhere: nobody's customer
    _, owner = await make_staff(sekar, StaffRole.STAFF)
    listed = [e["node"] for e in (await gql(LISTED, storefront="sekar", token=owner))["customers"]["edges"]]
    ids = [node["id"] for node in listed]
    # the ID names the brand and the account: the same account is another customer at another brand
    assert ids[-1] == global_id("BrandCustomer", f"{sekar.id}:{buyers[0].id}")
    expected = [{"__typename": "BrandCustomer", **node} for node in listed]
    assert (await gql(NODES, {"ids": ids}, storefront="sekar", token=owner))["nodes"] == expected
    assert (await gql(NODES, {"ids": ids[:2]}, token=owner))["nodes"] == expected[:2]  # no header needed
    # the IDs' former forms (`Customer:<n>`, `BrandCustomer:<n>`) still resolve, for now, in the header's brand
    for former in ("Customer", "BrandCustomer"):
        legacy = await gql(NODES, {"ids": [global_id(former, buyers[0].id)]}, storefront="sekar", token=owner)
        assert legacy["nodes"] == [{"__typename": "BrandCustomer", **listed[-1]}]
        assert (await gql(NODES, {"ids": [global_id(former, buyers[0].id)]}, token=owner))["nodes"] == [None]
    assert (await gql(NODES, {"ids": [global_id("BrandCustomer", f"{sekar.id}:{never.id}")]}, token=owner))[
        "nodes"
    ] == [None]
    _, koko_owner = await make_staff(koko)
    koko_view = (await gql(LISTED, storefront="koko", token=koko_owner))["customers"]["edges"]
    assert [e["node"] for e in koko_view] == [
        {"id": global_id("BrandCustomer", f"{koko.id}:{buyers[0].id}"), "email": "c0@example.id", "ordersCount": 1}
    ]
    first = ids[-1:]  # buyers[0], the oldest account, comes last; a customer of koko too
    for caller in (
        {"storefront": "koko", "token": koko_owner},  # koko's staff never see sekar's view of the account
        {"storefront": "sekar", "token": koko_owner},
        {"storefront": "sekar", "token": access_token(buyers[0])},
        {"storefront": "sekar"},
    ):
        assert (await gql(NODES, {"ids": first}, **caller))["nodes"] == [None], caller
    for malformed in (f"{sekar.id}:", f":{buyers[0].id}", f"{sekar.id}:x", f"{sekar.id}:1:2", "-1:2"):
        error = await gql.error(NODES, {"ids": [global_id("BrandCustomer", malformed)]}, token=owner)
        assert error["extensions"]["code"] == "INVALID_ID", malformed
    with sql_counter.counting() as few:
        await gql(NODES, {"ids": ids[:3]}, storefront="sekar", token=owner)
    with sql_counter.counting() as many:
        await gql(NODES, {"ids": ids}, storefront="sekar", token=owner)
    assert len(many) == len(few)
