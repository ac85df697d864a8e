"""Every type, field, argument, input field and enum value the tailor_dispatch plugin adds to the schema says
in words what it is (the plugin's part of the description coverage), and so does `Tailor.metrics`."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from core.plugins import load_plugins
from core.settings import load_settings
from schema import build_schema

PLUGIN_ROOT_FIELDS = {"dispatchSettings", "dispatchStrategies", "dispatchExplain", "myOffers", "myDispatchMetrics"}
PLUGIN_ROOT_FIELDS |= {"dispatchOffers", "dispatchSettingsUpdate", "dispatchOfferAccept", "dispatchOfferDecline"}
PLUGIN_ROOT_FIELDS |= {"dispatchBatch"}


def undescribed() -> list[str]:
    schema = build_schema(load_plugins(load_settings(env={}), env={}))._schema
    missing: list[str] = []

    def fields(owner: str, found: dict) -> None:
        for name, value in found.items():
            if not (value.description or "").strip():
                missing.append(f"{owner}.{name}")
            for arg, argument in getattr(value, "args", {}).items():
                if not (argument.description or "").strip():
                    missing.append(f"{owner}.{name}({arg})")

    for type_name, kind in schema.type_map.items():
        if type_name.startswith("Dispatch") or type_name == "TailorMetrics":
            if not (kind.description or "").strip():
                missing.append(type_name)
            if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType):
                fields(type_name, kind.fields)
            if isinstance(kind, GraphQLEnumType):
                missing += [f"{type_name}.{v}" for v, value in kind.values.items() if not value.description]
    for root in (schema.query_type, schema.mutation_type):
        assert root is not None
        fields(root.name, {k: v for k, v in root.fields.items() if k in PLUGIN_ROOT_FIELDS})
    fields("Tailor", {"metrics": schema.type_map["Tailor"].fields["metrics"]})  # type: ignore[union-attr]
    return missing


def test_everything_the_dispatch_plugin_adds_is_described():
    assert undescribed() == []
