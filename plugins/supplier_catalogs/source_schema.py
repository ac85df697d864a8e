"""The URL sources' GraphQL API: a supplier registers the feed URLs the plugin fetches on a schedule
(`catalogSourceCreate`, `catalogSourceUpdate`, `catalogSourceDelete`, `catalogSourceFetch` to fetch soon) and
lists them (`catalogSources`); `catalogFormats` lists the feed formats every plugin provides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

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
    described_enum,
    guard,
    paginate,
)
from plugins.supplier_catalogs import jobs, sources
from plugins.supplier_catalogs.arguments import After, Before, First, Last, SourceId
from plugins.supplier_catalogs.feed_models import CatalogSource as SourceModel
from plugins.supplier_catalogs.feed_models import FetchOutcome
from plugins.supplier_catalogs.plugin_settings import NAME, Settings, formats_of
from plugins.supplier_catalogs.schema import CatalogImportMode, own_nodes

CatalogFetchOutcome = described_enum(
    FetchOutcome,
    name="CatalogFetchOutcome",
    description="What the last fetch of a feed URL came to.",
    values={
        "IMPORTED": "A new file came and was queued as an import (see catalogImports).",
        "NOT_MODIFIED": "The server answered 304 (ETag / If-Modified-Since): nothing to import.",
        "FAILED": "The fetch failed (timeout, error status, too large, HTML, private address); tried again next time.",
    },
)


@strawberry.type(description="A feed format that catalog imports read (from this plugin or another).")
class CatalogFormatInfo:
    name: str = strawberry.field(description="The name catalogImport's input.format takes, like CSV.")
    extensions: list[str] = strawberry.field(description="File name endings it is detected by, like .csv.")
    media_types: list[str] = strawberry.field(description="Content-Types it is detected by, like text/csv.")


@strawberry.type(
    description="A feed URL the plugin fetches on a schedule (conditionally: unchanged feeds cost nothing). A "
    "`Node`: `node(id:)` refetches it for the supplier's own people, who list it in `catalogSources` (null for "
    "anyone else)."
)
class CatalogSource(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="The feed URL fetched (with ETag / If-Modified-Since).")
    format: str | None = strawberry.field(description="Null: from the answer's type, the URL's name or the content.")
    mode: CatalogImportMode = strawberry.field(description="FULL or DELTA for the imports it makes.")  # type: ignore[valid-type]
    atomic: bool = strawberry.field(description="Whether each fetched file imports all or nothing.")
    interval_minutes: int = strawberry.field(description="Minutes between two fetches.")
    active: bool = strawberry.field(description="False: paused, never fetched.")
    next_fetch_at: datetime = strawberry.field(description="When it is fetched next (UTC).")
    last_fetched_at: datetime | None = strawberry.field(description="When it was last fetched (UTC); null if never.")
    last_outcome: CatalogFetchOutcome | None = strawberry.field(  # type: ignore[valid-type]
        description="What the last fetch came to; null if never fetched."
    )

    @classmethod
    def from_model(cls, row: SourceModel) -> CatalogSource:
        return cls(
            id=row.id,
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

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # strawberry's overloads by `required`
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[CatalogSource | None]:
        """`node(id:)`/`nodes(ids:)`: as `catalogSources` lists them, the caller's suppliers' sources only."""
        return await own_nodes(info, SourceModel, node_ids, cls.from_model)


@strawberry.input(description="A feed URL to fetch on a schedule.")
class CatalogSourceCreateInput:
    url: str = strawberry.field(description="The feed URL: http(s), a public address (INVALID_URL otherwise).")
    mode: CatalogImportMode = strawberry.field(description="FULL (the file is the whole catalog) or DELTA.")  # type: ignore[valid-type]
    interval_minutes: int = strawberry.field(description="Minutes between fetches (at least the plugin's minimum).")
    atomic: bool = strawberry.field(
        default=True, description="True: each fetched file imports all or nothing; false: row by row."
    )
    format: str | None = strawberry.field(default=None, description="A catalogFormats name; null: detected.")
    supplier_id: relay.GlobalID | None = strawberry.field(default=None, description="Null: the caller's supplier.")


@strawberry.input(description="What to change of a feed URL; fields left out stay.")
class CatalogSourceUpdateInput:
    url: str | None = strawberry.field(
        default=None, description="A new feed URL (http(s), public address only; INVALID_URL otherwise)."
    )
    mode: CatalogImportMode | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="FULL or DELTA for the imports it makes."
    )
    interval_minutes: int | None = strawberry.field(
        default=None, description="How often to fetch, in minutes (INVALID_INTERVAL outside the allowed range)."
    )
    atomic: bool | None = strawberry.field(
        default=None, description="True: each fetched file imports all or nothing; false: row by row."
    )
    format: str | None = strawberry.field(
        default=None, description="A catalogFormats name to read it as; null to detect it."
    )
    active: bool | None = strawberry.field(default=None, description="False pauses the fetches.")


@strawberry.type(description="What a feed-source mutation answers: the source, or the errors.")
class CatalogSourcePayload:
    catalog_source: CatalogSource | None = strawberry.field(description="The source as saved; null on errors.")
    errors: list[UserError] = strawberry.field(description="What was wrong; empty on success.")


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
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[CatalogSource]:
        actor = await info.context.actor()
        limits = info.context.settings.graphql
        page = await paginate(
            SourceModel.filter(supplier_id__in=list(actor.supplier_ids)),
            PageRequest(first=first, after=after, last=last, before=before),
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
    async def catalog_source_create(
        self,
        info: Info,
        input: Annotated[
            CatalogSourceCreateInput,
            strawberry.argument(description="The feed URL and how often and how to import it."),
        ],
    ) -> CatalogSourcePayload:
        actor = await info.context.actor()
        supplier_id = decode_id(input.supplier_id, "Supplier", "input.supplierId") if input.supplier_id else None
        row, errors = await attempt(
            lambda: sources.create_source(actor, _values(changes(input)), _rules(info), supplier_id=supplier_id)
        )
        return _payload(row, errors)

    @strawberry.mutation(**guard("Change a feed URL, its schedule or format; pause it with active: false.", SUPPLIER))
    async def catalog_source_update(
        self,
        info: Info,
        id: SourceId,
        input: Annotated[
            CatalogSourceUpdateInput,
            strawberry.argument(description="What to change; fields left out keep their values."),
        ],
    ) -> CatalogSourcePayload:
        actor = await info.context.actor()
        source_id = decode_id(id, "CatalogSource", "id")
        row, errors = await attempt(
            lambda: sources.update_source(actor, source_id, _values(changes(input)), _rules(info))
        )
        return _payload(row, errors)

    @strawberry.mutation(**guard("Forget a feed URL; its imports stay in the log.", SUPPLIER))
    async def catalog_source_delete(self, info: Info, id: SourceId) -> CatalogSourcePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: sources.delete_source(actor, decode_id(id, "CatalogSource", "id")))
        return _payload(row, errors)

    @strawberry.mutation(**guard("Fetch a feed URL within seconds instead of at its time.", SUPPLIER))
    async def catalog_source_fetch(self, info: Info, id: SourceId) -> CatalogSourcePayload:
        actor = await info.context.actor()
        row, errors = await attempt(lambda: sources.fetch_soon(actor, decode_id(id, "CatalogSource", "id")))
        return _payload(row, errors)
