"""Hostile request bodies get a typed JSON error (never a 500 or plain text), with the request id, and change
nothing; issue #12's cases 4, 5 and 6 (the NUL) are regressions here."""

from __future__ import annotations

import logging

import httpx
import orjson
import pytest

from schema.request_id import RequestIdMiddleware
from tests.factories import make_brand

JSON = {"Content-Type": "application/json"}


def assert_refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code, body
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    return error


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'"hello"', "BAD_REQUEST"),
        (b"null", "BAD_REQUEST"),
        (b"42", "BAD_REQUEST"),
        (b'[{"query": "{ __typename }"}]', "BAD_REQUEST"),
        (b'{"query": "{ __typename \xff\xfe }"}', "INVALID_JSON"),
        (b'{"query": "\\ud800"}', "INVALID_JSON"),
        (b'{"query": "{ __typename }"} trailing', "INVALID_JSON"),
        (b"", "INVALID_JSON"),
        (b'{"query": 5}', "BAD_REQUEST"),
        (b'{"query": "{ __typename }", "variables": []}', "BAD_REQUEST"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "BAD_REQUEST"),
        (b'{"variables": {}}', "BAD_REQUEST"),
    ],
)
async def test_bodies_that_are_not_one_graphql_request_are_a_typed_400(client, body, code):
    # issue #12, 5: a body of "hello" or null, or invalid UTF-8, answered 500
    response = await client.post("/graphql", content=body, headers=JSON)
    assert_refused(response, 400, code)


async def test_variables_nested_100000_deep_are_refused(client):
    # issue #12, 4: RecursionError in decoding answered 500
    body = b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    assert_refused(await client.post("/graphql", content=body, headers=JSON), 400, "JSON_TOO_DEEP")


async def test_a_json_value_5000_objects_deep_is_refused(client):
    nested = b'{"a":' * 5000 + b"1" + b"}" * 5000
    body = b'{"query": "query($c: JSON) { __typename }", "variables": {"c": ' + nested + b"}}"
    assert_refused(await client.post("/graphql", content=body, headers=JSON), 400, "JSON_TOO_DEEP")
    # and 33 levels, below orjson's own limit, are refused by ours
    nested = b'{"a":' * 33 + b"1" + b"}" * 33
    body = b'{"query": "query($c: JSON) { __typename }", "variables": {"c": ' + nested + b"}}"
    assert_refused(await client.post("/graphql", content=body, headers=JSON), 400, "JSON_TOO_DEEP")


async def test_huge_arrays_and_objects_in_a_body_are_refused(client):
    body = orjson.dumps(
        {"query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", "variables": {"ids": ["x"] * 1001}}
    )
    assert_refused(await client.post("/graphql", content=body, headers=JSON), 400, "TOO_MANY_ITEMS")


@pytest.mark.parametrize(
    "variables",
    [{"s": "gamis\u0000"}, {"s": "gamis", "other": {"k\u0000": 1}}, {"s": "gamis", "list": ["a", ["\u0000"]]}],
)
async def test_a_nul_anywhere_in_the_variables_is_refused_before_any_sql(client, sql_counter, variables):
    # issue #12, 6: a NUL reached PostgreSQL (CharacterNotInRepertoireError)
    await make_brand("sekar")
    body = {"query": "query($s: String!) { product(slug: $s) { name } }", "variables": variables}
    with sql_counter.counting() as statements:
        response = await client.post("/graphql", json=body, headers={"Lini-Storefront": "sekar"})
    error = assert_refused(response, 400, "INVALID_VALUE")
    assert "NUL" in error["message"]
    assert statements == []


async def test_http_errors_are_json_with_a_code(client):
    """GET runs queries (issue #13: a CDN can keep the cacheable ones), so a GET query is answered; a mutation
    sent as GET is refused with a typed 405, as GraphQL over HTTP says, and runs nothing."""
    assert_refused(await client.get("/nowhere"), 404, "NOT_FOUND")
    assert_refused(await client.put("/graphql", content=b"{}"), 405, "METHOD_NOT_ALLOWED")
    response = await client.post("/graphql", content=b"x" * 2_000_000, headers=JSON)
    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    response = await client.post("/graphql", content=b"query=x", headers={"Content-Type": "text/plain"})
    assert_refused(response, 400, "BAD_REQUEST")
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}
    mutation = 'mutation { tokenCreate(input: {email: "a@b.c", password: "x"}) { token } }'
    error = assert_refused(await client.get("/graphql", params={"query": mutation}), 405, "METHOD_NOT_ALLOWED")
    assert "POST" in error["message"]


async def test_broken_multipart_operations_are_a_typed_400(client):
    files = {"0": ("a.png", b"\x89PNG", "image/png")}
    for operations, mapping in (('"hello"', '{"0": ["variables.file"]}'), ("{}", '{"0": ["nowhere.x"]}')):
        response = await client.post(
            "/graphql", data={"operations": operations, "map": mapping}, files=files, headers={"Lini-Storefront": "x"}
        )
        assert_refused(response, 400, "BAD_REQUEST")


async def test_every_answer_has_its_own_request_id(client):
    health = await client.get("/health")
    graphql = await client.post("/graphql", json={"query": "{ __typename }"})
    ids = {health.headers["x-request-id"], graphql.headers["x-request-id"]}
    assert len(ids) == 2 and all(len(i) == 16 for i in ids)


async def test_an_unhandled_error_is_logged_with_the_request_id_and_answered_as_json(caplog):
    async def crashing_app(scope, receive, send):
        raise RuntimeError("driver says: password=hunter2")

    transport = httpx.ASGITransport(app=RequestIdMiddleware(crashing_app), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        with caplog.at_level(logging.ERROR, logger="lini"):
            crashed = await http.get("/anything")
    error = assert_refused(crashed, 500, "INTERNAL_SERVER_ERROR")
    assert "hunter2" not in crashed.text
    (record,) = [r for r in caplog.records if r.exc_info]
    assert error["extensions"]["requestId"] in record.getMessage()
