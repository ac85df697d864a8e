"""Parsed documents and validation results are cached per schema, so a repeated query is parsed, analysed and
validated once."""

from __future__ import annotations

import schema.limits as limits
from tests.factories import make_brand


async def test_a_repeated_query_is_parsed_and_validated_once(gql, monkeypatch):
    await make_brand("sekar")
    calls = {"parse": 0, "analyse": 0, "validate": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(limits, "parse", counted("parse", limits.parse))
    monkeypatch.setattr(limits, "analyse", counted("analyse", limits.analyse))
    monkeypatch.setattr(limits, "validate_document", counted("validate", limits.validate_document))
    query = "{ products(first: 3) { edges { node { name variants { sku } } } } }"
    for _ in range(4):
        await gql(query, storefront="sekar")
    assert calls == {"parse": 1, "analyse": 1, "validate": 1}


async def test_a_refused_document_is_refused_from_the_cache_too(gql, monkeypatch):
    await make_brand("sekar")
    query = "{ " + "storefront { name } " * 60 + "}"
    first = await gql.error(query, storefront="sekar")
    monkeypatch.setattr(limits, "analyse", lambda *args: (_ for _ in ()).throw(AssertionError("analysed twice")))
    again = await gql.error(query, storefront="sekar")
    assert first == again and first["extensions"]["code"] == "TOO_MANY_REPEATED_FIELDS"
