"""The URL sources' GraphQL API: a supplier registers the feed URLs the plugin fetches on a schedule
(`catalogSourceCreate`, `catalogSourceUpdate`, `catalogSourceDelete`, `catalogSourceFetch` to fetch soon) and
lists them (`catalogSources`); `catalogFormats` lists the feed formats every plugin provides.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import (
    SIGNED_IN,
    SUPPLIER,
    Connection,
    PageRequest,
    UserError,
    attempt,
    changes,
    connection,
    decode_id,
    encode_id,
    guard,
    paginate,
)
from plugins.supplier_catalogs import jobs, sources
from plugins.supplier_catalogs.feed_models import CatalogSource as SourceModel
from plugins.supplier_catalogs.feed_models import FetchOutcome
from plugins.supplier_catalogs.plugin_settings import NAME, Settings, formats_of
from plugins.supplier_catalogs.schema import CatalogImportMode

CatalogFetchOutcome = strawberry.enum(
    FetchOutcome, name="CatalogFetchOutcome", description="What the last fetch of a feed URL came to."
)


@strawberry.type(description="A feed format that catalog imports read (from this plugin or another).")
class CatalogFormatInfo:
    name: str
    extensions: list[str]
    media_types: list[str]


@strawberry.type(
    description="A feed URL the plugin fetches on a schedule (conditionally: unchanged feeds cost nothing)."
)
class CatalogSource:
    id: relay.GlobalID
    url: str
    format: str | None = strawberry.field(description="Null: from the answer's type, the URL's name or the content.")
    mode: CatalogImportMode  # type: ignore[valid-type]
    atomic: bool
    interval_minutes: int
    active: bool
    next_fetch_at: datetime
    last_fetched_at: datetime | None
    last_outcome: CatalogFetchOutcome | None  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, row: SourceModel) -> CatalogSource:
        return cls(
            id=encode_id("CatalogSource", row.id),
            url=row.url,
            format=row.file_format,
            mode=row.mode,
            atomic=row.atomic,
            interval_minutes=row.interval_minutes,
            active=row.active,
            next_fetch_at=row.next_fetch_at,
            last_fetched_at=row.last_fetched_at,
            last_outcome=row.last_outcome,
        )


@strawberry.input(description="A feed URL to fetch on a schedule.")
class CatalogSourceCreateInput:
    url: str
    mode: CatalogImportMode  # type: ignore[valid-type]
    interval_minutes: int = strawberry.field(description="Minutes between fetches (at least the plugin's minimum).")
    atomic: bool = True
    format: str | None = strawberry.field(default=None, description="A catalogFormats name; null: detected.")
    supplier_id: relay.GlobalID | None = strawberry.field(default=None, description="Null: the caller's supplier.")


@strawberry.input(description="What to change of a feed URL; fields left out stay.")
class CatalogSourceUpdateInput:
    url: str | None = None
    mode: CatalogImportMode | None = None  # type: ignore[valid-type]
    interval_minutes: int | None = None
    atomic: bool | None = None
    format: str | None = None
    active: bool | None = strawberry.field(default=None, description="False pauses the fetches.")


@strawberry.type
class CatalogSourcePayload:
    catalog_source: CatalogSource | None
    errors: list[UserError]


def _rules(info: Info) -> sources.SourceRules:
    host = info.context.host
    config: Settings = host.config(NAME)
    return sources.SourceRules(
        policy=jobs.policy(host),
        formats=formats_of(host),
        min_interval_minutes=config.min_interval_minutes,
        max_sources=config.max_sources,
    )


def _values(given: dict[str, object]) -> dict[str, object]:
    renamed = {"format": "file_format"}
    return {renamed.get(key, key): value for key, value in given.items() if key != "supplier_id"}


def _payload(row: SourceModel | None, errors: list[UserError]) -> CatalogSourcePayload:
    return CatalogSourcePayload(catalog_source=CatalogSource.from_model(row) if row else None, errors=errors)


@strawberry.type
class CatalogSourcesQuery:
    @strawberry.field(**guard("The calling supplier's feed URLs, newest first.", SUPPLIER))
    async def catalog_sources(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CatalogSource]:
        actor = await info.context.actor()
        limits = info.context.settings.graphql
        page = await paginate(
            SourceModel.filter(supplier_id__in=list(actor.supplier_ids)),
            PageRequest(first=first, after=after),
            order=("-id",),
            key="catalog_sources",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, CatalogSource.from_model)

    @strawberry.field(**guard("The feed formats catalog imports read, from every plugin.", SIGNED_IN))
    def catalog_formats(self, info: Info) -> list[CatalogFormatInfo]:
        return [
            CatalogFormatInfo(name=f.name, extensions=list(f.extensions), media_types=list(f.media_types))
            for f in formats_of(info.context.host).values()
        ]


@strawberry.type
class CatalogSourcesMutation:
    @strawberry.mutation(
        **guard(
            "Register a feed URL, fetched soon and then every intervalMinutes; it must resolve to public addresses.",
            SUPPLIER,
        )
    )
    async def catalog_source_create(self, info: Info, input: CatalogSourceCreateInput) -> CatalogSourcePayload:
        actor = await info.context.actor()
        supplier_id = decode_id(input.supplier_id, "Supplier", "input.supplierId") if input.supplier_id else None
        row, errors = await attempt(
            lambda: sources.create_source(actor, _values(changes(input)), _rules(info), supplier_id=supplier_id)
        )
        return _payload(row, errors)

    @strawberry.mutation(**guard("Change a feed URL, its schedule or format; pause it with active: false.", SUPPLIER))
    async def catalog_source_update(
        self, info: Info, id: relay.GlobalID, input: CatalogSourceUpdateInput
    ) -> CatalogSourcePayload:
        actor = await info.context.actor()
        source_id = decode_id(id, "CatalogSource", "id")
        row, errors = await attempt(
            lambda: sources.update_source(actor, source_id, _values(changes(input)), _rules(info))
        )
        return _payload(row, errors)

    @strawberry.mutation(**guard("Forget a feed URL; its imports stay in the log.", SUPPLIER))
    async def catalog_source_delete(self, info: Info, id: relay.GlobalID) -> CatalogSourcePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: sources.delete_source(actor, decode_id(id, "CatalogSource", "id")))
        return _payload(row, errors)

    @strawberry.mutation(**guard("Fetch a feed URL within seconds instead of at its time.", SUPPLIER))
    async def catalog_source_fetch(self, info: Info, id: relay.GlobalID) -> CatalogSourcePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: sources.fetch_soon(actor, decode_id(id, "CatalogSource", "id")))
        return _payload(row, errors)
