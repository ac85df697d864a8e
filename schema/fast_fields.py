"""An executor that runs the cheap fields of a response without strawberry's per-field resolver machinery.

graphql-core executes every field of a response through `execute_field`: it builds a `GraphQLResolveInfo`
and a `Path`, calls the field's resolver (strawberry wraps each resolver in an `Info`, argument conversion
and its extension runner) and then completes the value. A storefront page has ~1,300 fields, most of them
attributes (`name`, `sku`, `amount`) or cheap reads of rows the list field already loaded (`price`,
`quantityAvailable`), and that machinery costs far more than the values themselves (issue #13).

`FastFieldExecutor.execute_fields` takes a short path for four kinds of field, and graphql-core's own
`execute_field` for everything else:

- `__typename`;
- strawberry's *basic* fields (no resolver, no extension: strawberry's own resolver ignores `info` for them);
- the `id` of a relay node whose type keeps `Node.resolve_id`/`resolve_typename`: the same `GlobalID`;
- resolvers marked `@fast`, which promise to read nothing of `info` but `info.context` and to be free of side
  effects beyond dataloader calls; they get a `FastInfo` holding only the context, and may return an
  awaitable as usual.

Only when the field is asked without arguments (the resolver's Python defaults are then what strawberry
passes) and when no middleware is installed (an extension with a `resolve` hook sees every field, so the short
path is off). A leaf value is coerced as `complete_leaf_value` does; an object or list value, an awaitable,
or any value the short path cannot take as it is (a null for a non-null field, a failed coercion, an
exception) goes through graphql-core's completion or its `execute_field`, so errors, null propagation, list
limits (`schema.list_limits`) and abstract types behave exactly as before. `tests/schema/test_fast_fields.py`
compares answers and errors with the stock executor.
"""

from __future__ import annotations

import functools
import inspect
from base64 import b64encode
from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any, TypeVar

from graphql import (
    GraphQLBoolean,
    GraphQLID,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    is_leaf_type,
    is_list_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

F = TypeVar("F", bound=Callable[..., Any])

_FAST_MARK = "__lini_fast__"
_SLOW, _TYPENAME, _BASIC, _NODE_ID, _RESOLVER = range(5)
_DEFINITION = "strawberry-definition"  # strawberry's GraphQLCoreConverter.DEFINITION_BACKREF
_NODE_ID_RESOLVER = relay.Node.__dict__["_id"].__func__  # the `id` field every relay node inherits
_NODE_RESOLVE_ID = relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
_NODE_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]


def fast(resolver: F) -> F:
    """Mark a resolver as reading only `info.context` (see the module's docstring); put it under
    `@strawberry.field`."""
    setattr(resolver, _FAST_MARK, True)
    return resolver


class FastInfo:
    """What a `@fast` resolver gets for `info` on the short path: the request's context, nothing else."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


class _Plan:
    __slots__ = (
        "as_is",
        "call",
        "field_def",
        "getter",
        "id_attr",
        "kind",
        "leaf",
        "leaf_getter",
        "may_await",
        "nullable",
        "object_type",
        "subfields",
    )

    def __init__(self, field_def: Any, kind: int) -> None:
        self.field_def = field_def
        self.kind = kind
        self.leaf: Any = None  # the leaf type to coerce to, when the field's type is a (non-null) scalar or enum
        # the Python type whose values the leaf type serializes to themselves (`str` for String and ID, `bool`
        # for Boolean): those skip the serializer, ~1,000 times a page
        self.as_is: type | None = None
        self.nullable = True
        self.call: Callable[[Any, Any], Any] | None = None
        self.id_attr = ""
        # a basic field read with strawberry's default resolver (`getattr`): the attribute read itself
        self.getter: Callable[[Any], Any] | None = None
        # the object type of a field whose type is a (non-null) object: completed without a resolve info
        self.object_type: GraphQLObjectType | None = None
        # how to read a leaf-typed field inline in `execute_fields` (a basic field's attribute, a node id, a
        # `@fast` resolver): the commonest fields
        self.leaf_getter: Callable[[Any], Any] | None = None
        self.may_await = False  # `leaf_getter` is a resolver, which may return an awaitable
        # the object field's sub-selection, collected once per request (`collect_subfields` is deterministic
        # for a field group and type within an execution)
        self.subfields: tuple[GroupedFieldSet, Any] | None = None


def _plan(
    schema: Any, parent_type: GraphQLObjectType, field_details_list: FieldDetailsList, fast_info: FastInfo
) -> _Plan:
    node = field_details_list[0].node
    name = node.name.value
    if name == "__typename":
        return _Plan(None, _TYPENAME if not node.arguments else _SLOW)
    field_def = schema.get_field(parent_type, name)
    if field_def is None or node.arguments:
        return _Plan(field_def, _SLOW)
    plan = _Plan(field_def, _SLOW)
    return_type = field_def.type
    if isinstance(return_type, GraphQLNonNull):
        plan.nullable, return_type = False, return_type.of_type
    if is_leaf_type(return_type) and not is_list_type(return_type):
        plan.leaf = return_type
        plan.as_is = _AS_IS.get(return_type.name) if return_type in _STANDARD_SCALARS else None
    elif type(return_type) is GraphQLObjectType:
        plan.object_type = return_type
    strawberry_field = (field_def.extensions or {}).get(_DEFINITION)
    resolve = field_def.resolve
    if not isinstance(strawberry_field, StrawberryField) or resolve is None:
        return plan
    if getattr(resolve, "_is_default", False):  # strawberry's resolver of a basic field: ignores info
        plan.kind = _BASIC
        if strawberry_field.default_resolver is getattr:
            plan.getter = attrgetter(strawberry_field.python_name)
            if plan.leaf is not None:
                plan.leaf_getter = plan.getter
        return plan
    if strawberry_field.extensions:
        return plan
    resolver = strawberry_field.base_resolver
    if resolver is None:
        return plan
    function = resolver.wrapped_func
    if getattr(function, _FAST_MARK, False):
        # asked without arguments: strawberry would pass none, and the resolver's Python defaults apply
        info_parameter = resolver.info_parameter
        plan.kind, plan.call = _RESOLVER, _caller(function, info_parameter.name if info_parameter else None)
        if plan.leaf is not None:
            call = plan.call
            plan.leaf_getter, plan.may_await = (lambda source: call(source, fast_info)), True
        return plan
    origin = _node_type(schema, parent_type)
    if getattr(function, "__func__", None) is _NODE_ID_RESOLVER and origin is not None and plan.leaf is not None:
        plan.kind, plan.id_attr = _NODE_ID, origin.resolve_id_attr()
        plan.leaf_getter = _node_id_getter(parent_type.name, plan.id_attr)
    return plan


def _node_id_getter(type_name: str, id_attr: str) -> Callable[[Any], str]:
    """What `str(GlobalID(...))` answers (strawberry's `to_base64`), without the GlobalID."""
    prefix = f"{type_name}:"

    def node_id(source: Any) -> str:
        return b64encode(f"{prefix}{getattr(source, id_attr)}".encode()).decode()

    return node_id


@functools.cache
def _caller(function: Callable[..., Any], info_name: str | None) -> Callable[[Any, Any], Any]:
    """How to call a `@fast` resolver with (source, info); cached, as plans are made per request and
    `inspect.signature` costs more than the call."""
    if info_name is None:
        return lambda source, info: function(source)
    parameters = list(inspect.signature(function).parameters.values())
    if (
        len(parameters) > 1
        and parameters[1].name == info_name
        and parameters[1].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ):
        return function  # `def field(self, info, ...)`: called positionally, without a keyword dict per call
    return lambda source, info: function(source, **{info_name: info})


def _node_type(schema: Any, parent_type: GraphQLObjectType) -> type[relay.Node] | None:
    """The relay node class behind `parent_type`, if it resolves ids and type names the default way."""
    definition = (parent_type.extensions or {}).get(_DEFINITION)
    origin = getattr(definition, "origin", None)
    if not (isinstance(origin, type) and issubclass(origin, relay.Node)):
        return None
    if origin.resolve_id.__func__ is not _NODE_RESOLVE_ID:  # type: ignore[attr-defined]
        return None
    if origin.resolve_typename.__func__ is not _NODE_RESOLVE_TYPENAME:  # type: ignore[attr-defined]
        return None
    return origin


class FastFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with the short path of the module's docstring in `execute_fields`."""

    # Off: every field the long way, as strawberry's stock executor does (tests compare the two).
    enabled = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per request: the plan of each field group (graphql-core memoises the groups, so a list's items share
        # them); the group list is kept alive beside its plan so that its id is not reused
        self._plans: dict[int, tuple[FieldDetailsList, _Plan]] = {}
        self._fast_info = FastInfo(self.context_value)
        self._short_path = self.enabled and (not self.middleware_manager or not self.middleware_manager.middlewares)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if not self._short_path:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        plans = self._plans
        try:
            for response_name, field_details_list in grouped_field_set.items():
                entry = plans.get(id(field_details_list))
                if entry is None:
                    entry = plans[id(field_details_list)] = (
                        field_details_list,
                        _plan(self.schema, parent_type, field_details_list, self._fast_info),
                    )
                plan = entry[1]
                leaf_getter = plan.leaf_getter
                if leaf_getter is not None:
                    # a field of a scalar or enum type: `_field`'s leaf branch, inline; a coerced leaf value is
                    # never awaitable
                    try:
                        value = leaf_getter(source_value)
                        if value is None:
                            result = None if plan.nullable else _LONG_WAY
                        elif plan.may_await and type(value) not in _PLAIN and is_awaitable(value):
                            result = self._complete(
                                parent_type, path, response_name, plan, field_details_list, value, position_context
                            )
                        elif type(value) is plan.as_is:
                            result = value  # what the scalar's serializer answers for it: the value itself
                        else:
                            result = plan.leaf.coerce_output_value(value)
                            if result is Undefined or result is None:
                                result = _LONG_WAY
                    except Exception:
                        result = _LONG_WAY
                    if result is not _LONG_WAY and type(result) in _PLAIN:
                        results[response_name] = result
                        continue
                else:
                    result = self._field(
                        parent_type, source_value, path, response_name, plan, field_details_list, position_context
                    )
                if result is _LONG_WAY:
                    result = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if type(result) not in _PLAIN and is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather(results, awaitable_fields)

    def complete_value(
        self,
        return_type: Any,
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A plain object of a concrete type straight to its fields: what `complete_object_value`,
        `collect_and_execute_subfields` and `execute_collected_subfields` do for it without `@defer`."""
        if (
            self._short_path
            and position_context is None
            and type(return_type) is GraphQLObjectType
            and result is not None
            and not isinstance(result, Exception)
            and not self.is_awaitable(result)
        ):
            is_type_of = return_type.is_type_of
            if is_type_of is None or is_type_of(result, info) is True:
                grouped_field_set, new_defer_usages, _ = self.collect_subfields(return_type, field_details_list)
                if not new_defer_usages:
                    return self.execute_fields(return_type, result, path, grouped_field_set, None)
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

    def complete_iterable_value(
        self,
        item_type: Any,
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        items: Any,
        position_context: Any,
    ) -> Any:
        """A list or tuple of plain objects of a concrete type (a page's variants, a connection's edges): each
        item straight to its fields, with the sub-selection collected once, where graphql-core would run
        `complete_list_item_value` and `complete_value` per item. Anything else (a `@stream`, `@defer`, an
        awaitable, null or foreign item) takes graphql-core's way, item by item where it can."""
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if (
            not self._short_path
            or position_context is not None
            or type(object_type) is not GraphQLObjectType
            or not isinstance(items, list | tuple)
            or self.get_stream_usage(field_details_list, path) is not None
        ):
            return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)
        is_awaitable = self.is_awaitable
        is_type_of = object_type.is_type_of
        execute_fields = self.execute_fields
        completed_results: list[Any] = []
        append = completed_results.append
        awaitable_indices: list[int] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                if (
                    item is None
                    or isinstance(item, Exception)
                    or is_awaitable(item)
                    or (is_type_of is not None and is_type_of(item, None) is not True)
                ):
                    if is_awaitable(item):
                        append(
                            self.complete_awaitable_list_item_value(
                                item, item_type, field_details_list, info, item_path, None
                            )
                        )
                        awaitable_indices.append(index)
                    elif self.complete_list_item_value(
                        item, completed_results, item_type, field_details_list, info, item_path, None
                    ):
                        awaitable_indices.append(index)
                    continue
                try:
                    completed = execute_fields(object_type, item, item_path, grouped_field_set, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                    completed = None
                if is_awaitable(completed):
                    completed = self._await_completed(completed, item_type, field_details_list, item_path)
                    awaitable_indices.append(index)
                append(completed)
        except Exception:
            pending = [completed_results[index] for index in awaitable_indices]
            if pending:
                self.settle_in_background(pending)
            raise
        if not awaitable_indices:
            return completed_results
        return self._gather_items(completed_results, awaitable_indices)

    async def _gather_items(self, completed_results: list[Any], awaitable_indices: list[int]) -> list[Any]:
        if len(awaitable_indices) == 1:
            index = awaitable_indices[0]
            completed_results[index] = await completed_results[index]
        else:
            awaited = await gather_with_cancel(*(completed_results[index] for index in awaitable_indices))
            for index, value in zip(awaitable_indices, awaited, strict=True):
                completed_results[index] = value
        return completed_results

    async def _gather(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        """As graphql-core's `execute_fields` does: one awaited alone, several concurrently."""
        if len(awaitable_fields) == 1:
            name = awaitable_fields[0]
            results[name] = await results[name]
        else:
            awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def _field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path | None,
        response_name: str,
        plan: _Plan,
        field_details_list: FieldDetailsList,
        position_context: Any,
    ) -> Any:
        """The field's completed value by the short path, or `_LONG_WAY`."""
        kind = plan.kind
        if kind == _SLOW:
            return _LONG_WAY
        try:
            if kind == _TYPENAME:
                return parent_type.name
            if kind == _BASIC:
                getter = plan.getter
                value = getter(source) if getter is not None else plan.field_def.resolve(source, None)
            elif kind == _NODE_ID:
                assert plan.leaf_getter is not None
                value = plan.leaf_getter(source)
            else:
                assert plan.call is not None
                value = plan.call(source, self._fast_info)
            if plan.leaf is not None and not self.is_awaitable(value):
                if value is None:
                    return None if plan.nullable else _LONG_WAY
                coerced = plan.leaf.coerce_output_value(value)
                return _LONG_WAY if coerced is Undefined or coerced is None else coerced
        except Exception:
            return _LONG_WAY  # graphql-core's execute_field runs it again and reports the error its way
        return self._complete(parent_type, path, response_name, plan, field_details_list, value, position_context)

    def _complete(
        self,
        parent_type: GraphQLObjectType,
        path: Path | None,
        response_name: str,
        plan: _Plan,
        field_details_list: FieldDetailsList,
        value: Any,
        position_context: Any,
    ) -> Any:
        """What `execute_field` does after calling the resolver (graphql-core 3.3)."""
        return_type = plan.field_def.type
        field_path = Path(path, response_name, parent_type.name)
        object_type = plan.object_type
        if object_type is not None and position_context is None and not self.is_awaitable(value):
            # what `complete_value` does for a plain object of a concrete type, without building the resolve
            # info it never reads (strawberry's `is_type_of` ignores it)
            if value is None:
                if plan.nullable:
                    return None
            elif not isinstance(value, Exception):
                is_type_of = object_type.is_type_of
                if is_type_of is None or is_type_of(value, None) is True:
                    try:
                        subfields = plan.subfields
                        if subfields is None:
                            grouped_field_set, new_defer_usages, _ = self.collect_subfields(
                                object_type, field_details_list
                            )
                            subfields = plan.subfields = (grouped_field_set, new_defer_usages)
                        grouped_field_set, new_defer_usages = subfields
                        if not new_defer_usages:
                            completed = self.execute_fields(object_type, value, field_path, grouped_field_set, None)
                            if self.is_awaitable(completed):
                                return self._await_completed(completed, return_type, field_details_list, field_path)
                            return completed
                    except Exception as raw_error:
                        self.handle_field_error(raw_error, return_type, field_details_list, field_path)
                        return None
        info = self.build_resolve_info(
            plan.field_def, [details.node for details in field_details_list], parent_type, field_path
        )
        try:
            if self.is_awaitable(value):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, field_path, value, position_context
                )
            completed = self.complete_value(return_type, field_details_list, info, field_path, value, position_context)
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, field_path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, field_path)
            return None
        return completed

    async def _await_completed(
        self, completed: Awaitable[Any], return_type: Any, field_details_list: FieldDetailsList, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


_LONG_WAY: Any = object()
# graphql-core's serializers of String and ID return a `str` unchanged, Boolean's a `bool` (Int's checks the range)
_AS_IS: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}
_STANDARD_SCALARS = (GraphQLString, GraphQLID, GraphQLBoolean)
# Types a completed value has when it is not an awaitable: checked before the slower `is_awaitable`.
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})
