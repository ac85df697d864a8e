"""What a query asks of a field's answer, read from strawberry's `info.selected_fields`, fragments merged:
for resolvers that load only the relations the document selects."""

from __future__ import annotations

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection


def merged(selections: list[Selection], into: dict[str, list[SelectedField]]) -> dict[str, list[SelectedField]]:
    """`into`, with the fields of `selections` by name; fragment spreads and inline fragments opened."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            into.setdefault(selection.name, []).append(selection)
        else:
            merged(selection.selections, into)
    return into


def children(fields: list[SelectedField]) -> dict[str, list[SelectedField]]:
    """The fields asked of these fields' answers (one field may be selected several times, e.g. by aliases)."""
    found: dict[str, list[SelectedField]] = {}
    for selected in fields:
        merged(selected.selections, found)
    return found


def asked_below(info: Info, *path: str) -> dict[str, list[SelectedField]]:
    """The fields the document asks at `path` below the field being resolved: `asked_below(info, "order")` in
    `checkoutComplete` are the order's fields ({} when the payload's order is not asked)."""
    fields = children(info.selected_fields)
    for name in path:
        fields = children(fields.get(name, []))
    return fields
