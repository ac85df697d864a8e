"""Global IDs are checked before any SQL: a number beyond BIGINT, a non-ASCII digit or garbage is INVALID_ID
(issue #12, 6: `Product:99999999999999999999999` overflowed int64 in the database), an unknown type is null, and
`nodes(ids:)` looks each type up once."""

from __future__ import annotations

import base64

import pytest

from tests.factories import make_brand, make_product


def gid(kind: str, id: object) -> str:
    return base64.b64encode(f"{kind}:{id}".encode()).decode()


@pytest.mark.parametrize(
    "node_id", ["99999999999999999999999", str(2**63), "0", "-1", "²", "١٢", "12a", "", " 1", "1" * 400]
)
async def test_an_id_that_names_no_row_is_invalid_before_any_sql(gql, sql_counter, node_id):
    await make_brand("sekar")
    with sql_counter.counting() as statements:
        error = await gql.error(f'{{ node(id: "{gid("Product", node_id)}") {{ id }} }}', storefront="sekar")
    assert error["extensions"]["code"] == "INVALID_ID"
    assert statements == []
    many = await gql.error(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [gid("Product", node_id)]}, storefront="sekar"
    )
    assert many["extensions"]["code"] == "INVALID_ID"


@pytest.mark.parametrize("raw", ["not base64!", base64.b64encode(b"no colon").decode(), "%%%"])
async def test_an_id_that_is_not_a_global_id_is_invalid(gql, raw):
    await make_brand("sekar")
    error = await gql.error(f'{{ node(id: "{raw}") {{ id }} }}', storefront="sekar")
    assert error["extensions"]["code"] == "INVALID_ID"


async def test_the_largest_bigint_is_a_valid_id_of_nothing(gql):
    await make_brand("sekar")
    data = await gql(f'{{ node(id: "{gid("Product", 2**63 - 1)}") {{ id }} }}', storefront="sekar")
    assert data == {"node": None}


async def test_an_unknown_type_is_null_not_an_internal_error(gql):
    await make_brand("sekar")
    ids = [gid("NoSuchType", 1), gid("Query", 1)]
    data = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, storefront="sekar")
    assert data == {"nodes": [None, None]}
    assert await gql(f'{{ node(id: "{ids[0]}") {{ id }} }}', storefront="sekar") == {"node": None}


async def test_nodes_looks_each_type_up_once_and_keeps_the_order(gql, sql_counter):
    brand = await make_brand("sekar")
    products = [await make_product(brand, f"Gamis {i}") for i in range(5)]
    ids = [gid("Product", p.id) for p in reversed(products)] * 20
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { name } } }"
    await gql(query, {"ids": ids[:1]}, storefront="sekar")  # warm the storefront lookup
    with sql_counter.counting() as one:
        await gql(query, {"ids": ids[:1]}, storefront="sekar")
    with sql_counter.counting() as hundred:
        data = await gql(query, {"ids": ids}, storefront="sekar")
    assert [n["name"] for n in data["nodes"][:5]] == [f"Gamis {i}" for i in reversed(range(5))]
    assert len(data["nodes"]) == 100
    assert len(hundred) == len(one)


async def test_a_mutation_given_an_overflowing_id_says_invalid_id(gql):
    from tests.factories import make_staff

    brand = await make_brand("sekar")
    _, token = await make_staff(brand)
    mutation = 'mutation { productDelete(id: "' + gid("Product", 10**30) + '") { errors { code field } } }'
    body = await gql.raw(mutation, token=token, storefront="sekar")
    errors = (body.get("data") or {}).get("productDelete", {}).get("errors") or body.get("errors")
    assert errors and (errors[0].get("code") or errors[0]["extensions"]["code"]) == "INVALID_ID", body
