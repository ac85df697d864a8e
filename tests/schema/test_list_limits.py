"""Every list field of the API has a maximum length (schema/list_limits.py), and execution holds to it."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType

from core.plugins import load_plugins
from core.settings import load_settings
from schema import build_schema
from schema.list_limits import STATIC, bounded_executor, list_sizes


def _list_fields(schema: strawberry.Schema) -> list[tuple[str, str, bool]]:
    fields = []
    for type_ in schema._schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            for name, field in type_.fields.items():
                unwrapped = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
                fields.append((type_.name, name, isinstance(unwrapped, GraphQLList)))
    return fields


def test_every_list_field_of_the_schema_has_a_declared_maximum():
    settings = load_settings(env={})
    schema = build_schema(load_plugins(settings, env={}))
    fields = _list_fields(schema)
    sizes = list_sizes(settings, fields)
    missing = [f"{t}.{f}" for t, f, is_list in fields if is_list and f"{t}.{f}" not in sizes]
    assert missing == [], f"declare these in schema/list_limits.py: {missing}"
    stale = sorted(set(STATIC) - {f"{t}.{f}" for t, f, is_list in fields if is_list})
    assert stale == [], f"no longer list fields of the schema: {stale}"


def test_a_list_longer_than_its_maximum_is_cut_and_logged(caplog):
    @strawberry.type
    class Query:
        @strawberry.field
        def items(self) -> list[int]:
            return list(range(10))

        @strawberry.field
        def others(self) -> list[int]:
            return list(range(10))

    schema = strawberry.Schema(Query)
    schema.execution_context_class = bounded_executor(schema.execution_context_class, {"Query.items": 3}, 5)
    with caplog.at_level(logging.WARNING, logger="lini.graphql"):
        result = schema.execute_sync("{ items others }")
    assert result.errors is None
    assert result.data == {"items": [0, 1, 2], "others": [0, 1, 2, 3, 4]}
    assert any("Query.items returned 10 items" in r.getMessage() for r in caplog.records)


async def test_introspection_lists_are_never_cut(gql) -> None:
    """GraphiQL and codegen read the whole schema: its hundreds of types and error codes are not data to bound."""
    schema = build_schema(load_plugins(load_settings(env={}), env={}))._schema
    data = await gql('{ __schema { types { name } } __type(name: "ErrorCode") { enumValues { name } } }')
    assert len(data["__schema"]["types"]) == len(schema.type_map) > 300
    assert len(data["__type"]["enumValues"]) == len(schema.type_map["ErrorCode"].values) > 200
