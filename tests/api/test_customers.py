"""Brand staff see the customers who bought from their brand, and only those."""

from __future__ import annotations

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
