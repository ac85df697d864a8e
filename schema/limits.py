"""Query limits: depth, aliases, tokens and an estimated cost, each failing fast with a clear error.

The cost of a query estimates the rows it can make the server produce: each field costs 1, and a field
under a list multiplies by that list's page size (`first`/`last`, or the default page size). A variable
page size counts as the maximum, since its value is unknown at validation time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from core.settings import GraphQLSettings

PAGE_ARGUMENTS = ("first", "last")


def cost_rule(max_cost: int, default_page: int, max_page: int) -> type[ValidationRule]:
    class QueryCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = _selection_cost(self.context, node.selection_set, default_page, max_page, set())
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"Operation '{name}' may cost {cost}, above the limit of {max_cost}: "
                        "ask for fewer items per page or fewer nested lists.",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": max_cost},
                    )
                )

    return QueryCostRule


def _selection_cost(
    context: ValidationContext,
    selection_set: SelectionSetNode | None,
    default_page: int,
    max_page: int,
    seen_fragments: set[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            multiplier = _page_size(selection, default_page, max_page)
            inner = _selection_cost(context, selection.selection_set, default_page, max_page, seen_fragments)
            total += 1 + multiplier * inner
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_cost(context, selection.selection_set, default_page, max_page, seen_fragments)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is None or name in seen_fragments:
                continue  # unknown or cyclic fragments are reported by the standard rules
            total += _selection_cost(context, fragment.selection_set, default_page, max_page, seen_fragments | {name})
    return total


def _page_size(field: FieldNode, default_page: int, max_page: int) -> int:
    arguments = {arg.name.value: arg.value for arg in field.arguments or ()}
    for name in PAGE_ARGUMENTS:
        if name in arguments:
            value = arguments[name]
            return max(int(value.value), 1) if isinstance(value, IntValueNode) else max_page
    if field.selection_set and any(
        isinstance(s, FieldNode) and s.name.value == "edges" for s in field.selection_set.selections
    ):
        return default_page
    return 1


def limit_extensions(settings: GraphQLSettings) -> list[Callable[[], Any] | type]:
    """The limit rules are built once: `ValidationCache` keys on the rule classes, so rules built per request
    (as the limiter extensions' own factories do) would make every request miss the cache."""
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        cost_rule(settings.max_cost, settings.default_page_size, settings.max_page_size),
    ]
    extensions: list[Callable[[], Any] | type] = [
        ParserCache,
        ValidationCache,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(rules),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return extensions
