"""Assembling the GraphQL schema: core query types plus whatever the enabled plugins contribute."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.utils.str_converters import to_camel_case

from core.error_codes import all_error_codes
from core.orders.states import order_machine
from core.plugins import PluginError, PluginHost, SchemaExtension
from schema import brand_plugins, checkout, customs, relay, taxes, vouchers, webhooks
from schema.actors import addresses, brands, storefront, suppliers, tailors
from schema.auth import accounts
from schema.catalog import management as catalog_management
from schema.catalog import products as catalog_products
from schema.enums import extend_enum
from schema.errors import MaskInternalErrors
from schema.fast_fields import FastFieldExecutor
from schema.garments import fabrics, garment_types, production
from schema.garments import products as garment_products
from schema.limits import QueryLimiter
from schema.orders import management as order_management
from schema.orders import papers as order_papers
from schema.orders import types as orders
from schema.rate_limits import RateLimitExtension
from schema.response_cache import CacheableOperation
from schema.scalars import SCALAR_OVERRIDES

# schema/ mirrors core/: a package per domain (schema/catalog/, schema/orders/, schema/garments/, ...), one module
# per part of its API. Each module below exposes QUERIES, MUTATIONS and TYPES; the root types are merged from all.
DOMAINS = (
    storefront,
    catalog_products,
    catalog_management,
    customs,
    relay,
    accounts,
    brands,
    suppliers,
    tailors,
    addresses,
    orders,
    order_management,
    order_papers,
    production,
    garment_types,
    fabrics,
    garment_products,
    brand_plugins,
    taxes,
    vouchers,
    checkout,
    webhooks,
)
CORE_QUERIES: tuple[type, ...] = tuple(t for d in DOMAINS for t in getattr(d, "QUERIES", ()))
CORE_MUTATIONS: tuple[type, ...] = tuple(t for d in DOMAINS for t in getattr(d, "MUTATIONS", ()))
CORE_TYPES: tuple[type, ...] = tuple(t for d in DOMAINS for t in getattr(d, "TYPES", ()))


class LiniSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Errors are logged where they are classified (`MaskInternalErrors`), not all again here."""


def build_schema(host: PluginHost) -> strawberry.Schema:
    extensions: list[SchemaExtension] = host.collect("schema_extensions")
    for extension in extensions:
        if not isinstance(extension, SchemaExtension):
            raise PluginError(f"schema_extensions returned {extension!r}, not a core.plugins.SchemaExtension")
    queries = _checked("Query", CORE_QUERIES, [e.query for e in extensions if e.query])
    mutations = _checked("Mutation", CORE_MUTATIONS, [e.mutation for e in extensions if e.mutation])
    limiter = QueryLimiter(host.settings)
    schema = LiniSchema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations) if mutations else None,
        types=[*CORE_TYPES, *(t for e in extensions for t in e.types)],
        # rate limits count a document only once the limits have found it valid
        # the response cache learns what ran (kind, root fields, errors) of documents that passed the limits
        extensions=[*limiter.extensions(), RateLimitExtension, CacheableOperation, MaskInternalErrors],
        # attributes, relay ids and `@fast` resolvers without a resolver call per field (schema.fast_fields)
        execution_context_class=FastFieldExecutor,
        scalar_overrides=SCALAR_OVERRIDES,  # Decimal, DateTime and JSON with their encodings (schema.scalars)
    )
    limiter.bind(schema)  # the list maxima are read from the built schema's types
    _describe_roots(schema)
    extend_enum(schema, "ErrorCode", all_error_codes(list(host.manager.hook.error_codes())))
    extend_enum(schema, "OrderStatus", {state: "A state a plugin adds." for state in order_machine(host)})
    return schema


def _describe_roots(schema: strawberry.Schema) -> None:
    """`merge_types` builds the root types without a description; every member of the schema has one."""
    roots = schema._schema
    if roots.query_type is not None:
        roots.query_type.description = (
            "What a storefront, a signed-in shopper, a brand's staff, a supplier or a tailor may read; each field "
            "says who may call it. Storefront fields name the brand with the `Lini-Storefront` header."
        )
    if roots.mutation_type is not None:
        roots.mutation_type.description = (
            "Every change. A mistake in the input comes back as the payload's `errors` (`UserError`, nothing "
            "changed); a denied permission or a malformed request as a GraphQL error with `extensions.code`."
        )


def _checked(root: str, core: tuple[type, ...], contributed: list[type]) -> tuple[type, ...]:
    """Refuse two types that define the same root field: the later one would silently win."""
    owners: dict[str, str] = {}
    for cls in (*core, *contributed):
        for name in _graphql_names(cls):
            if name in owners:
                raise PluginError(
                    f"{root}.{name} is defined by both {owners[name]} and {cls.__module__}.{cls.__name__}"
                )
            owners[name] = f"{cls.__module__}.{cls.__name__}"
    return (*core, *contributed)


def _graphql_names(cls: type) -> list[str]:
    """The names clients see (`product_feed` and `name="productFeed"` are the same field)."""
    definition: Any = getattr(cls, "__strawberry_definition__", None)
    if definition is None:
        raise PluginError(f"{cls.__module__}.{cls.__name__} is not a strawberry type")
    return [field.graphql_name or to_camel_case(field.python_name) for field in definition.fields]
