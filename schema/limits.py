"""Query limits, cheapest first, each refusing with a coded error before the next, costlier step runs.

1. the document's length (`max_document_length` characters), before it is read;
2. its tokens and comments (`max_tokens`), while it is parsed, and its nesting (the parser's own guard);
3. one pass over the parsed document (`schema.query_analysis`): repeated fields, depth, aliases, nested values,
   NUL characters and the estimated cost, each fragment measured once;
4. only then graphql-core's standard rules (whose field-merging check is quadratic in repeated fields, which
   step 3 has bounded), and introspection when it is off.

Parsed documents and validation results are cached per process (LRU, keyed by the text and by the parsed
document), and every error carries an `extensions.code`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    ValidationRule,
    get_named_type,
    is_introspection_type,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from core.settings import Settings
from schema.list_limits import bounded_executor, list_sizes
from schema.query_analysis import QueryLimits, analyse

CACHE_SIZE = 256
K = TypeVar("K")
V = TypeVar("V")


class IntrospectionDisabled(ValidationRule):
    """`__schema` and `__type` are refused (`__typename` stays: clients need it for unions)."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        named = get_named_type(self.context.get_type())
        if named is not None and is_introspection_type(named):
            self.report_error(
                GraphQLError(
                    "Introspection is turned off on this server ([graphql] introspection).",
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )


class _LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)


class DocumentChecks:
    """Parses and validates documents for one schema, with the limits and caches of the steps above."""

    def __init__(self, settings: Settings, limits: QueryLimits, *, introspection: bool) -> None:
        graphql = settings.graphql
        self.limits = limits
        self.max_length = graphql.max_document_length
        self.max_tokens = graphql.max_tokens
        self.extra_rules: tuple[type[ASTValidationRule], ...] = () if introspection else (IntrospectionDisabled,)
        self.parsed: _LRU[str, DocumentNode | GraphQLError] = _LRU(CACHE_SIZE)
        # keyed by the parsed document's identity (the parser cache hands out one object per text); the entry
        # keeps the document alive, so an id is never reused while it is a key
        self.validated: _LRU[int, tuple[DocumentNode, list[GraphQLError]]] = _LRU(CACHE_SIZE)

    def parse(self, text: str) -> DocumentNode:
        found = self.parsed.get(text)
        if found is None:
            found = self._parse(text)
            self.parsed.put(text, found)
        if isinstance(found, GraphQLError):
            raise _coded(found, found.extensions["code"])  # a fresh error: re-raising one grows its traceback
        return found

    def _parse(self, text: str) -> DocumentNode | GraphQLError:
        if len(text) > self.max_length:
            return GraphQLError(
                f"The document is {len(text)} characters long; at most {self.max_length} are accepted. "
                "Send values as variables rather than in the text.",
                extensions={"code": "DOCUMENT_TOO_LARGE"},
            )
        try:
            return parse(text, max_lexical_tokens=self.max_tokens, max_comments=self.max_tokens)
        except GraphQLSyntaxError as error:
            return _coded(error, _syntax_code(error.message))

    def validate(
        self, schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
    ) -> list[GraphQLError]:
        entry = self.validated.get(id(document))
        if entry is not None and entry[0] is document:
            return entry[1]
        errors = analyse(schema, document, self.limits) or [
            _validation_error(e) for e in validate_document(schema, document, (*rules, *self.extra_rules))
        ]
        self.validated.put(id(document), (document, errors))
        return errors


class QueryLimiter:
    """The limits of one schema: its extensions are handed to the schema, and `bind` completes them once the
    schema exists (the list maxima are read from its types, and its executor holds lists to them)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checks: DocumentChecks | None = None

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        return [lambda: CheckedDocument(self)]

    def bind(self, schema: strawberry.Schema) -> None:
        limits = query_limits(self.settings, schema._schema)
        self.checks = DocumentChecks(self.settings, limits, introspection=self.settings.introspection)
        schema.execution_context_class = bounded_executor(
            schema.execution_context_class, limits.list_sizes, limits.max_page_size, limits
        )


class CheckedDocument(SchemaExtension):
    """Replaces strawberry's ParserCache, ValidationCache, MaxTokensLimiter, QueryDepthLimiter,
    MaxAliasesLimiter and DisableIntrospection with the ordered, cached, coded steps above."""

    def __init__(self, limiter: QueryLimiter) -> None:
        super().__init__()
        if limiter.checks is None:
            raise RuntimeError("QueryLimiter.bind(schema) was not called")
        self.checks = limiter.checks

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and context.graphql_document is None:
            context.graphql_document = self.checks.parse(context.query)
        yield

    def on_operation(self) -> Iterator[None]:
        yield
        # an operation stopped for its cost answers that alone: no partial data, one error for the lists cut
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or []
        costly = [e for e in errors if e.path is not None and (e.extensions or {}).get("code") == "QUERY_TOO_COSTLY"]
        if costly and result is not None:
            result.data = None
            result.errors = [max(costly, key=lambda e: (e.extensions or {}).get("cost", 0))]

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = self.checks.validate(
            context.schema._schema, context.graphql_document, tuple(context.validation_rules)
        )
        yield


def query_limits(settings: Settings, schema: GraphQLSchema) -> QueryLimits:
    graphql = settings.graphql
    fields = (
        (type_.name, name, isinstance(_nullable(f.type), GraphQLList))
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__")
        for name, f in type_.fields.items()
    )
    return QueryLimits(
        max_depth=graphql.max_depth,
        max_aliases=graphql.max_aliases,
        max_repeated_fields=graphql.max_repeated_fields,
        max_cost=graphql.max_cost,
        default_page_size=graphql.default_page_size,
        max_page_size=graphql.max_page_size,
        max_value_depth=graphql.max_json_depth,
        assumed_list_length=graphql.assumed_list_length,
        list_sizes=list_sizes(settings, fields),
    )


def _nullable(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _syntax_code(message: str) -> str:
    if "tokens. Parsing aborted" in message or "comments. Parsing aborted" in message:
        return "TOO_MANY_TOKENS"
    if "nested too deeply" in message:
        return "QUERY_TOO_DEEP"
    return "GRAPHQL_PARSE_FAILED"


def _validation_error(error: GraphQLError) -> GraphQLError:
    """A standard rule's error with a code; a scalar's own exception text (e.g. decimal's) is left out."""
    if (error.extensions or {}).get("code"):
        return error
    message = error.message
    if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
        message = message.split("; ", 1)[0] + "."
    return _coded(error, "GRAPHQL_VALIDATION_FAILED", message)


def _coded(error: GraphQLError, code: str, message: str | None = None) -> GraphQLError:
    return GraphQLError(
        message or error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )
