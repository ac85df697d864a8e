"""Every member of the described modules' API has a description (issue 17: types, fields, arguments, input fields,
enum values). A member belongs to the module that writes it: a field or argument with a resolver to the resolver's
module, any other field to its type's, a core enum to the schema module that makes it a GraphQL enum. A module
joins `DESCRIBED` once all of it is described; a member it adds later without a description fails here."""

from __future__ import annotations

import sys
from enum import EnumMeta
from typing import Any

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from core.plugins import load_plugins
from core.settings import load_settings
from schema import build_schema

DESCRIBED = (
    "schema.actors",
    "schema.auth",
    "schema.brand_plugins",
    "schema.catalog",
    "schema.checkout",
    "schema.enums",
    "schema.garments",
    "schema.locale",
    "schema.orders",
    "schema.relay",
    "schema.taxes",
    "schema.vouchers",
    "schema.webhooks",
    "plugins.product_feed",
    "plugins.shipping_rates",
)


def _described(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in DESCRIBED)


def _enum_module(enum: EnumMeta) -> str:
    """A core enum is described where schema/ or a plugin wraps it (core holds no GraphQL)."""
    if not enum.__module__.startswith("core."):
        return enum.__module__
    for name, module in list(sys.modules.items()):
        if name.startswith(("schema.", "plugins.")) and any(value is enum for value in vars(module).values()):
            return name
    return enum.__module__


def _field_module(field: Any, type_module: str) -> str:
    definition = field.extensions.get("strawberry-definition")
    resolver = getattr(definition, "base_resolver", None)
    if resolver is not None:
        return str(resolver.wrapped_func.__module__)
    origin = getattr(definition, "origin", None)
    return getattr(origin, "__module__", type_module)


def _undescribed() -> list[str]:
    schema = build_schema(load_plugins(load_settings(env={}), env={}))
    missing = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        definition = type_.extensions.get("strawberry-definition") if type_.extensions else None
        if isinstance(type_, GraphQLEnumType) and definition is not None:
            module = _enum_module(definition.wrapped_cls)
        else:
            module = getattr(getattr(definition, "origin", None), "__module__", "")
        if _described(module) and name not in ("Query", "Mutation") and not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                owner = _field_module(field, module)
                if not _described(owner):
                    continue
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({a})" for a, arg in field.args.items() if not arg.description]
        if isinstance(type_, GraphQLInputObjectType) and _described(module):
            missing += [f"{name}.{f}" for f, field in type_.fields.items() if not field.description]
        if isinstance(type_, GraphQLEnumType) and _described(module):
            missing += [f"{name}.{v}" for v, value in type_.values.items() if not value.description]
    return missing


def test_every_member_of_the_described_modules_has_a_description():
    assert _undescribed() == [], (
        "describe these: `description=` on the type or field, `Annotated[T, strawberry.argument(description=...)]` "
        "on an argument, `schema.enums.described_enum` for a core enum"
    )


def test_the_check_sees_an_undescribed_member(monkeypatch):
    from schema.actors import brands

    field = next(f for f in brands.Brand.__strawberry_definition__.fields if f.python_name == "slug")
    monkeypatch.setattr(field, "description", None)
    assert "Brand.slug" in _undescribed()
