"""Input names follow shared/API.md (issue 17): what a list's `filter:` argument takes is an `…Filter`, what any
other argument takes (a mutation's `input:`, a list's `sortBy:`) an `…Input`; an input object inside another ends
in `Input`, or in `Filter` when it is itself a filter of one thing (`ProductFilter.attributes: [AttributeFilter]`);
none is both (`…FilterInput`). Read from the exported schema of Lini with its built-in plugins, which the schema
tests keep equal to the live one."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLInputObjectType, build_schema, get_named_type

SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_filters_are_named_filter_and_other_inputs_input():
    schema = build_schema(SCHEMA.read_text(encoding="utf-8"))
    wrong = []
    for type_name, named in schema.type_map.items():
        if type_name.startswith("__") or isinstance(named, GraphQLInputObjectType):
            continue
        for field_name, field in getattr(named, "fields", {}).items():
            for arg_name, arg in field.args.items():
                taken = get_named_type(arg.type)
                suffix = "Filter" if arg_name == "filter" else "Input"
                if isinstance(taken, GraphQLInputObjectType) and not taken.name.endswith(suffix):
                    wrong.append(f"{type_name}.{field_name}({arg_name}: {taken.name})")
    for type_name, named in schema.type_map.items():
        inputs = isinstance(named, GraphQLInputObjectType)
        if inputs and (type_name.endswith("FilterInput") or not type_name.endswith(("Input", "Filter"))):
            wrong.append(type_name)
    assert wrong == []
