"""Apollo's automatic persisted queries, registered (trusted) documents, and the production switch that lets an
anonymous client run only registered documents."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import orjson
import pytest

from core.plugins import load_plugins
from core.settings import Settings, SettingsError
from schema.documents import MANIFEST_FORMAT, read_manifest
from server import create_app, main
from tests.factories import make_brand, make_staff

STOREFRONT = "{ storefront { name } }"
OTHER = "{ storefront { slug } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text_or_hash: str, query: str | None = None) -> dict:
    digest = text_or_hash if len(text_or_hash) == 64 else sha(text_or_hash)
    body: dict = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if query is not None:
        body["query"] = query
    return body


def manifest(path: Path, *documents: str) -> Path:
    operations = [{"id": sha(d), "name": "", "type": "query", "body": d} for d in documents]
    path.write_bytes(orjson.dumps({"format": MANIFEST_FORMAT, "version": 1, "operations": operations}))
    return path


@asynccontextmanager
async def served(settings: Settings, **graphql: object) -> AsyncIterator[httpx.AsyncClient]:
    changed = settings.model_copy(update={"graphql": settings.graphql.model_copy(update=graphql)})
    app = create_app(changed, host=load_plugins(changed, env={}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        http.headers["Lini-Storefront"] = "sekar"
        yield http


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_automatic_persisted_queries_follow_apollos_protocol(client):
    await make_brand("sekar", name="Sekar")
    headers = {"Lini-Storefront": "sekar"}
    # an unknown hash: the client is asked for the text
    first = await client.post("/graphql", json=persisted(STOREFRONT), headers=headers)
    assert first.status_code == 200 and code(first) == "PERSISTED_QUERY_NOT_FOUND"
    assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    # the text with its hash runs and is remembered
    second = await client.post("/graphql", json=persisted(STOREFRONT, STOREFRONT), headers=headers)
    assert second.json() == {"data": {"storefront": {"name": "Sekar"}}}
    third = await client.post("/graphql", json=persisted(STOREFRONT), headers=headers)
    assert third.json() == {"data": {"storefront": {"name": "Sekar"}}}


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        ({"version": 1, "sha256Hash": sha(OTHER)}, "PERSISTED_QUERY_HASH_MISMATCH"),
        ({"version": 2, "sha256Hash": sha(STOREFRONT)}, "PERSISTED_QUERY_INVALID"),
        ({"version": 1, "sha256Hash": "ABC"}, "PERSISTED_QUERY_INVALID"),
        ({"version": 1, "sha256Hash": sha(STOREFRONT).upper()}, "PERSISTED_QUERY_INVALID"),
        ("yes", "PERSISTED_QUERY_INVALID"),
    ],
)
async def test_a_bad_persisted_query_extension_is_a_typed_400(client, extension, expected):
    body = {"query": STOREFRONT, "extensions": {"persistedQuery": extension}}
    response = await client.post("/graphql", json=body, headers={"Lini-Storefront": "sekar"})
    assert response.status_code == 400 and code(response) == expected


async def test_registered_documents_run_by_hash_from_the_first_request(settings, tmp_path):
    path = manifest(tmp_path / "documents.json", STOREFRONT)
    async with served(settings, trusted_documents=str(path)) as http:
        await make_brand("sekar", name="Sekar")
        answer = await http.post("/graphql", json=persisted(STOREFRONT))
        assert answer.json() == {"data": {"storefront": {"name": "Sekar"}}}


async def test_without_automatic_persisted_queries_an_unknown_hash_is_not_supported(settings):
    async with served(settings, persisted_queries=False) as http:
        response = await http.post("/graphql", json=persisted(STOREFRONT))
        assert response.status_code == 400 and code(response) == "PERSISTED_QUERY_NOT_SUPPORTED"
        # free text still runs
        assert (await http.post("/graphql", json={"query": "{ __typename }"})).json() == {
            "data": {"__typename": "Query"}
        }


async def test_trusted_documents_only_lets_anonymous_clients_run_only_registered_documents(settings, tmp_path):
    path = manifest(tmp_path / "documents.json", STOREFRONT)
    async with served(settings, trusted_documents=str(path), trusted_documents_only=True) as http:
        brand = await make_brand("sekar", name="Sekar")
        _, token = await make_staff(brand)
        # registered: by hash or in full
        assert (await http.post("/graphql", json=persisted(STOREFRONT))).json()["data"]["storefront"]["name"] == "Sekar"
        assert (await http.post("/graphql", json={"query": STOREFRONT})).json()["data"]["storefront"]["name"]
        # anything else, anonymously: refused, and not remembered either
        refused = await http.post("/graphql", json={"query": OTHER})
        assert refused.status_code == 403 and code(refused) == "TRUSTED_DOCUMENT_REQUIRED"
        registering = await http.post("/graphql", json=persisted(OTHER, OTHER))
        assert registering.status_code == 403 and code(registering) == "TRUSTED_DOCUMENT_REQUIRED"
        assert code(await http.post("/graphql", json=persisted(OTHER))) == "PERSISTED_QUERY_NOT_FOUND"
        # a bad token is no better than none
        bad = await http.post("/graphql", json={"query": OTHER}, headers={"Authorization": "Bearer nonsense"})
        assert code(bad) == "TRUSTED_DOCUMENT_REQUIRED"
        # signed-in staff may send anything, and use the automatic cache
        signed_in = {"Authorization": f"Bearer {token}"}
        answer = await http.post("/graphql", json=persisted(OTHER, OTHER), headers=signed_in)
        assert answer.json() == {"data": {"storefront": {"slug": "sekar"}}}
        assert (await http.post("/graphql", json=persisted(OTHER), headers=signed_in)).json()["data"]
        # ... which still does not open it to anonymous clients
        assert code(await http.post("/graphql", json=persisted(OTHER))) == "PERSISTED_QUERY_NOT_FOUND"


def test_trusted_documents_only_needs_a_manifest(settings):
    changed = settings.model_copy(
        update={"graphql": settings.graphql.model_copy(update={"trusted_documents_only": True})}
    )
    with pytest.raises(SettingsError, match="trusted_documents"):
        create_app(changed, host=load_plugins(changed, env={}))


def test_a_manifest_whose_ids_are_not_the_hashes_is_refused(tmp_path):
    path = tmp_path / "documents.json"
    operation = {"id": "0" * 64, "body": STOREFRONT}
    path.write_bytes(orjson.dumps({"format": MANIFEST_FORMAT, "version": 1, "operations": [operation]}))
    with pytest.raises(SettingsError, match="SHA-256"):
        read_manifest(path)


def test_operators_register_documents_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LINI_DATABASE_URL", f"sqlite://{tmp_path}/cli.db")
    page = tmp_path / "ProductPage.graphql"
    page.write_text("query ProductPage($slug: String!) { product(slug: $slug) { name } }\n", encoding="utf-8")
    target = tmp_path / "trusted.json"
    assert main(["documents", "add", str(page), "--manifest", str(target)]) == 0
    assert f"registered {sha(page.read_text())} ProductPage" in capsys.readouterr().out
    assert main(["documents", "add", str(page), "--manifest", str(target)]) == 0
    assert "already registered" in capsys.readouterr().out
    (registered,) = read_manifest(target)
    assert (registered.name, registered.type, registered.body) == ("ProductPage", "query", page.read_text())
    monkeypatch.setenv("LINI_GRAPHQL_TRUSTED_DOCUMENTS", str(target))
    assert main(["documents", "list"]) == 0
    assert "ProductPage" in capsys.readouterr().out
    # a document the server would refuse is not registered
    wrong = tmp_path / "Wrong.graphql"
    wrong.write_text("{ noSuchField }", encoding="utf-8")
    assert main(["documents", "add", str(wrong)]) == 2
    assert "noSuchField" in capsys.readouterr().err
    costly = tmp_path / "Costly.graphql"
    fields = (
        "id slug name description seoTitle seoDescription madeToMeasure createdAt publishedAt isAvailable "
        "pricing { onSale priceRange { start { amount currency } stop { amount currency } } }"
    )
    pages = " ".join(f"p{i}: products(first: 100) {{ edges {{ node {{ {fields} }} }} }}" for i in range(30))
    costly.write_text("{ " + pages + " }", "utf-8")  # 30 pages × 100 × 21 fields: above max_cost
    assert main(["documents", "add", str(costly)]) == 2
    assert "may cost" in capsys.readouterr().err
