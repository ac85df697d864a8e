"""Every type, field, argument, input field and enum value the supplier_catalogs plugin adds to the schema has a
description a developer can read (the schema with the plugin, compared with the schema without it)."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from core.plugins import discover, load_plugins
from core.settings import load_settings
from schema import build_schema


def _schemas() -> tuple[object, object]:
    settings = load_settings(env={})
    names = [name for name, entry in discover().items() if entry.value.startswith("plugins.")]
    without = [name for name in names if name != "supplier_catalogs"]

    def built(enabled: list[str]) -> object:
        chosen = settings.model_copy(update={"plugins": settings.plugins.model_copy(update={"enabled": enabled})})
        return build_schema(load_plugins(chosen, env={}))._schema

    return built(names), built(without)


def test_everything_the_plugin_adds_is_described() -> None:
    full, base = _schemas()
    undescribed = []

    def said(thing: object) -> bool:
        return bool((getattr(thing, "description", None) or "").strip())

    for name, kind in full.type_map.items():  # type: ignore[attr-defined]
        if name.startswith("__"):
            continue
        before = base.type_map.get(name)  # type: ignore[attr-defined]
        if before is None and not said(kind):
            undescribed.append(f"type {name}")
        if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType | GraphQLInterfaceType):
            for field_name, field in kind.fields.items():
                if before is not None and field_name in before.fields:
                    continue  # core's (or another plugin's)
                if not said(field):
                    undescribed.append(f"field {name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not said(arg):
                        undescribed.append(f"argument {name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType) and before is None:
            undescribed += [f"enum value {name}.{v}" for v, value in kind.values.items() if not said(value)]
    assert undescribed == []
    assert "supplierOrderDispute" in full.mutation_type.fields  # type: ignore[attr-defined]  # the plugin is on
