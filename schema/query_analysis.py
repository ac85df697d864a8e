"""One cheap pass over a parsed document that measures what the query limits bound, before any standard rule runs.

It measures each operation's depth, aliases, estimated cost and fields repeated under one response key, and finds
NUL characters in string literals. Each fragment is measured once per document, in dependency order, and reused
wherever it is spread: a chain of fragments that spreads the next one twice (2^20 expansions from 784 bytes) costs
21 visits, not a million. No step recurses deeper than the depth limit (fragment chains are walked in a loop), so a
hostile document cannot raise `RecursionError`, and every count saturates at `CAP`, so a reported cost always fits
a JSON number.

The cost counts the fields the server produces: each field costs 1, and a field that returns many things
multiplies what is under it by how many it returns. What the document fixes is counted before execution: a Relay
connection by its page size (`first`/`last`, a variable counting as the largest page, none as the default page)
and `nodes(ids:)` by the ids given. Any other list is counted by its real length as it is completed
(`ExecutionCost`), which `schema.list_limits` bounds: the estimate before execution takes such a list to be
`assumed_list_length` long (5, or its maximum if that is less), and execution adds what a longer list holds
beyond it and stops the request once the total passes the limit. Counting such lists at their maximum instead
refused ordinary pages (an account page of measurement profiles with their versions "may cost" ten million at the
maxima, and is a few hundred fields in fact), and the real length is what a hostile client cannot inflate beyond
the data there is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
)

CAP = 2**53 - 1  # the largest integer every JSON reader keeps exactly
PAGE_ARGUMENTS = ("first", "last")
ListSize = int | str  # a maximum length, or the name of the list argument whose length it is


def add(a: int, b: int) -> int:
    return min(a + b, CAP)


def mul(a: int, b: int) -> int:
    return min(a * b, CAP)


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int
    max_aliases: int
    max_repeated_fields: int
    max_cost: int
    default_page_size: int
    max_page_size: int
    max_value_depth: int
    # How long the estimate takes a plain list to be (at most its maximum); execution counts the real length.
    assumed_list_length: int = 5
    # "Type.field" → maximum length; a list field not named here may return up to `max_page_size` items.
    list_sizes: Mapping[str, ListSize] = field(default_factory=dict)


@dataclass
class _Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


class Refused(Exception):
    """The first limit a document breaks; analysis stops there."""

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


def analyse(schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits) -> list[GraphQLError]:
    """The first limit the document breaks, as a coded error, or nothing. Unknown fields, types and fragments
    count as plain fields here; the standard rules, which run afterwards, report them."""
    try:
        _Analysis(schema, document, limits).run()
    except Refused as refused:
        return [refused.error]
    return []


class _Analysis:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, limits: QueryLimits) -> None:
        self.schema = schema
        self.document = document
        self.limits = limits
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.measured: dict[str, _Measure] = {}

    def run(self) -> None:
        self.measure_fragments()
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                self._operation(definition)

    def measure_fragments(self) -> None:
        for name in _dependency_order(self.fragments):
            fragment = self.fragments[name]
            self.measured[name] = self._selection_set(fragment.selection_set, self._type(fragment), 0)
            self._check_repeats([fragment.selection_set])

    def _operation(self, operation: OperationDefinitionNode) -> None:
        self._check_values(operation.variable_definitions or ())
        root = self.schema.get_root_type(operation.operation)
        measure = self._selection_set(operation.selection_set, root, 0)
        self._check_repeats([operation.selection_set])
        name = operation.name.value if operation.name else "anonymous"
        limits = self.limits
        if measure.depth > limits.max_depth:
            self._refuse(operation, "QUERY_TOO_DEEP", f"'{name}' exceeds maximum operation depth of {limits.max_depth}")
        if measure.aliases > limits.max_aliases:
            self._refuse(
                operation,
                "TOO_MANY_ALIASES",
                f"{measure.aliases} aliases found in '{name}'. Allowed: {limits.max_aliases}",
                aliases=measure.aliases,
                maxAliases=limits.max_aliases,
            )
        if measure.cost > limits.max_cost:
            self._refuse(
                operation,
                "QUERY_TOO_COSTLY",
                f"Operation '{name}' may cost {measure.cost}, above the limit of {limits.max_cost}: "
                "ask for fewer items per page or fewer nested lists.",
                cost=measure.cost,
                maxCost=limits.max_cost,
            )

    def _selection_set(self, node: SelectionSetNode, parent: GraphQLNamedType | None, level: int) -> _Measure:
        if level > self.limits.max_depth:
            message = f"The document exceeds maximum operation depth of {self.limits.max_depth}"
            self._refuse(node, "QUERY_TOO_DEEP", message)
        measure = _Measure()
        for selection, owner in _flattened(node, parent, self.schema):
            if isinstance(selection, FragmentSpreadNode):
                spread = self.measured.get(selection.name.value)
                if spread is not None:  # None: unknown or part of a cycle, which the standard rules report
                    measure.depth = max(measure.depth, spread.depth)
                    measure.aliases = add(measure.aliases, spread.aliases)
                    measure.cost = add(measure.cost, spread.cost)
                continue
            self._check_values(selection.arguments or ())
            self._field(selection, owner, level, measure)
        return measure

    def _check_repeats(self, group: list[SelectionSetNode]) -> None:
        """Fields under one response key merge, and so do their selections: GraphQL's merging check compares
        every pair of them, so the fields one merged selection holds under a key are bounded (after the depth
        check, so this walk is as shallow as the document may be)."""
        stack = [group]
        while stack:
            fields: dict[str, list[FieldNode]] = {}
            for selection_set in stack.pop():
                for selection, _ in _flattened(selection_set, None, self.schema):
                    if isinstance(selection, FieldNode):
                        fields.setdefault((selection.alias or selection.name).value, []).append(selection)
            for key, same in fields.items():
                if len(same) > self.limits.max_repeated_fields:
                    self._refuse(
                        same[self.limits.max_repeated_fields],
                        "TOO_MANY_REPEATED_FIELDS",
                        f"'{key}' is selected {len(same)} times in one selection set (merged with the selections "
                        f"of fields of the same name); at most {self.limits.max_repeated_fields} are accepted.",
                    )
                children = [f.selection_set for f in same if f.selection_set is not None]
                if children:
                    stack.append(children)

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None, level: int, measure: _Measure) -> None:
        definition = (
            parent.fields.get(node.name.value) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
        )
        return_type = definition.type if definition is not None else None
        if node.alias:
            measure.aliases = add(measure.aliases, 1)
        many, is_list = self._multiplier(node, parent, return_type)
        if node.selection_set is None:
            measure.cost = add(measure.cost, add(1, many) if is_list else 1)
            return
        inner = self._selection_set(node.selection_set, get_named_type(return_type) if return_type else None, level + 1)
        measure.depth = max(measure.depth, inner.depth + 1)
        measure.aliases = add(measure.aliases, inner.aliases)
        measure.cost = add(measure.cost, add(1, mul(many, inner.cost)))

    def _multiplier(
        self, node: FieldNode, parent: GraphQLNamedType | None, return_type: GraphQLOutputType | None
    ) -> tuple[int, bool]:
        """How many of what is under the field it may return, and whether it returns a list."""
        if return_type is None or parent is None:
            return 1, False
        unwrapped = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if _is_connection(get_named_type(return_type)):
            return self._page_size(node), False
        if not isinstance(unwrapped, GraphQLList):
            return 1, False
        size = self.limits.list_sizes.get(f"{parent.name}.{node.name.value}")
        if isinstance(size, str):
            return self._argument_length(node, size), True
        if _sized_by_document(parent, node.name.value, self.limits):
            return 1, True  # a page's edges: counted by the connection's page size
        return self.assumed(size), True  # the rest of its real length is counted at execution

    def assumed(self, maximum: int | None) -> int:
        """The length the estimate gives a plain list: the typical length, or its maximum if that is less."""
        return min(self.limits.assumed_list_length, maximum or self.limits.max_page_size)

    def _page_size(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if isinstance(value, IntValueNode):
                    return max(_int(value.value), 1)
                if isinstance(value, VariableNode):
                    return self.limits.max_page_size
        return self.limits.default_page_size

    def _argument_length(self, node: FieldNode, name: str) -> int:
        for argument in node.arguments or ():
            if argument.name.value == name:
                if isinstance(argument.value, ListValueNode):
                    return len(argument.value.values)
                if isinstance(argument.value, VariableNode):
                    return self.limits.max_page_size
        return 1

    def _check_values(self, nodes: Iterable[Node]) -> None:
        """Literal values are nested at most `max_value_depth` deep (scalar parsers recurse into them) and no
        string carries U+0000, which PostgreSQL text cannot hold: both are refused before any resolver runs."""
        stack: list[tuple[Node, int]] = [(node, 0) for node in nodes]
        while stack:
            item, depth = stack.pop()
            if depth > self.limits.max_value_depth:
                message = f"Values may be nested at most {self.limits.max_value_depth} deep."
                self._refuse(item, "QUERY_TOO_DEEP", message)
            if isinstance(item, StringValueNode):
                if "\x00" in item.value:
                    self._refuse(item, "INVALID_VALUE", "Text may not contain the NUL character (U+0000).")
            elif isinstance(item, ListValueNode):
                stack.extend((value, depth + 1) for value in item.values)
            elif isinstance(item, ObjectValueNode):
                stack.extend((f.value, depth + 1) for f in item.fields)
            elif isinstance(item, ArgumentNode):
                stack.append((item.value, depth))
            elif isinstance(item, VariableDefinitionNode) and item.default_value is not None:
                stack.append((item.default_value, depth))

    def _type(self, fragment: FragmentDefinitionNode) -> GraphQLNamedType | None:
        return self.schema.get_type(fragment.type_condition.name.value)

    def _refuse(self, node: Node, code: str, message: str, **extensions: int) -> None:
        raise Refused(GraphQLError(message, node, extensions={"code": code, **extensions}))


class OperationEstimate:
    """An operation's cost before execution, and what one item of each of its lists costs: the same for every
    execution of one parsed document (the parser cache hands out one object per text), so measured once."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        limits: QueryLimits,
    ) -> None:
        # held so that the ids keying `_ESTIMATES` and `item_costs` are never reused while they are keys
        self.schema, self.operation, self.limits = schema, operation, limits
        self.analysis = _Analysis(schema, DocumentNode(definitions=tuple(fragments.values())), limits)
        self.analysis.measure_fragments()
        root = schema.get_root_type(operation.operation)
        self.total = self.analysis._selection_set(operation.selection_set, root, 0).cost
        self.item_costs: dict[int, int] = {}

    def item_cost(self, nodes: list[FieldNode], item_type: GraphQLNamedType) -> int:
        key = id(nodes[0])
        each = self.item_costs.get(key)
        if each is None:
            each = 0
            for node in nodes:
                if node.selection_set is None:
                    each = add(each, 1)
                else:
                    each = add(each, self.analysis._selection_set(node.selection_set, item_type, 0).cost)
            self.item_costs[key] = each
        return each


ESTIMATES_KEPT = 256
_ESTIMATES: OrderedDict[int, OperationEstimate] = OrderedDict()


def operation_estimate(
    schema: GraphQLSchema,
    fragments: Mapping[str, FragmentDefinitionNode],
    operation: OperationDefinitionNode,
    limits: QueryLimits,
) -> OperationEstimate:
    """The operation's estimate, measured on its first execution and kept for the most recent operations."""
    estimate = _ESTIMATES.get(id(operation))
    if (
        estimate is None
        or estimate.operation is not operation
        or estimate.schema is not schema
        or estimate.limits is not limits
    ):
        estimate = _ESTIMATES[id(operation)] = OperationEstimate(schema, fragments, operation, limits)
        if len(_ESTIMATES) > ESTIMATES_KEPT:
            _ESTIMATES.popitem(last=False)
    else:
        _ESTIMATES.move_to_end(id(operation))
    return estimate


class ExecutionCost:
    """The cost of one execution as it runs: the estimate made before it, plus what each plain list's real
    length adds to it (`(length - assumed) ×` the cost of one item, for a list longer than the estimate took)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        operation: OperationDefinitionNode,
        limits: QueryLimits,
    ) -> None:
        self.limits = limits
        self.estimate = operation_estimate(schema, fragments, operation, limits)
        self.total = self.estimate.total
        self.exceeded = False

    def counts(self, parent: GraphQLObjectType, field_name: str) -> bool:
        """Whether the estimate left this list's length to execution (not a page's edges, not `nodes(ids:)`)."""
        return not _sized_by_document(parent, field_name, self.limits)

    def add_list(
        self, nodes: list[FieldNode], parent: GraphQLObjectType, item_type: GraphQLNamedType, length: int
    ) -> bool:
        """Counts a completed list of `length` items; False once the execution costs more than the limit."""
        size = self.limits.list_sizes.get(f"{parent.name}.{nodes[0].name.value}")
        counted = self.estimate.analysis.assumed(size if isinstance(size, int) else None)
        if length > counted:
            self.total = add(self.total, mul(length - counted, self.estimate.item_cost(nodes, item_type)))
        self.exceeded = self.exceeded or self.total > self.limits.max_cost
        return not self.exceeded

    def error(self, nodes: list[FieldNode]) -> GraphQLError:
        return GraphQLError(
            f"The operation cost more than the limit of {self.limits.max_cost} as its lists were filled: ask for "
            "fewer items per page or fewer nested lists.",
            nodes,
            extensions={"code": "QUERY_TOO_COSTLY", "cost": self.total, "maxCost": self.limits.max_cost},
        )


def _sized_by_document(parent: GraphQLNamedType, field_name: str, limits: QueryLimits) -> bool:
    """Whether a list's length is known from the document (a page's edges, a list the size of an argument),
    rather than counted as execution fills it."""
    if field_name == "edges" and _is_connection(parent):
        return True
    return isinstance(limits.list_sizes.get(f"{parent.name}.{field_name}"), str)


def _is_connection(type_: GraphQLNamedType | None) -> bool:
    return isinstance(type_, GraphQLObjectType) and "edges" in type_.fields and "pageInfo" in type_.fields


def _flattened(
    node: SelectionSetNode, parent: GraphQLNamedType | None, schema: GraphQLSchema
) -> Iterator[tuple[FieldNode | FragmentSpreadNode, GraphQLNamedType | None]]:
    """The fields and spreads of a selection set, with inline fragments opened into it (as field merging and
    execution see them), each with the type it is selected on."""
    stack: list[tuple[SelectionSetNode, GraphQLNamedType | None]] = [(node, parent)]
    while stack:
        selection_set, owner = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                stack.append((selection.selection_set, schema.get_type(condition.name.value) if condition else owner))
            elif isinstance(selection, FieldNode | FragmentSpreadNode):
                yield selection, owner


def _dependency_order(fragments: Mapping[str, FragmentDefinitionNode]) -> list[str]:
    """Fragments after the fragments they spread, found without recursion; a spread that closes a cycle is
    left out (NoFragmentCyclesRule reports it)."""
    spreads = {name: _spread_names(fragment.selection_set) for name, fragment in fragments.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done
    for start in fragments:
        if start in state:
            continue
        state[start] = 1
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(spreads[start]))]
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[name] = 2
                order.append(name)
            elif child in fragments and child not in state:
                state[child] = 1
                stack.append((child, iter(spreads[child])))
    return order


def _spread_names(node: SelectionSetNode) -> list[str]:
    names: list[str] = []
    stack = [node]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


def _int(digits: str) -> int:
    """An integer literal, saturated: `int()` of a few thousand digits is slow or refused outright."""
    return CAP if len(digits.lstrip("-")) > 15 else int(digits)
