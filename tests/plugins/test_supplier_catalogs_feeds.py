"""Feeds beyond the upload: URL sources fetched by the plugin's jobs from a real HTTP server on loopback
(conditional requests, timeouts, size caps, redirects to private addresses, HTML), feed formats from another
plugin (`catalog_formats`), imports polled while queued, and prices that start later."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import json
import zipfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from core.garments.models import Fabric, FabricPrice, FabricStatus
from core.jobs.runtime import running_with
from core.plugins import PluginHost, load_plugins
from core.settings import Settings
from lini.plugin import FeedLimits, FeedRefused, FeedRow, RowRejected, hookimpl
from lini.plugin import PluginHost as Host
from plugins.supplier_catalogs import jobs, prices
from plugins.supplier_catalogs.feed_models import CatalogSource, FetchOutcome, PriceStatus, ScheduledPrice
from plugins.supplier_catalogs.models import CatalogImport, CatalogImportError, Trim, TrimPrice
from tests.factories import access_token, make_brand, make_staff, make_user
from tests.plugins.test_supplier_catalogs_api import FEED, catalog, make_supplier, post, rejected, upload

SOURCES = "{ catalogSources { edges { node { id url format mode intervalMinutes active lastOutcome } } } }"
CREATE = """mutation($input: CatalogSourceCreateInput!) { catalogSourceCreate(input: $input) {
  catalogSource { id url mode intervalMinutes } errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: CatalogSourceUpdateInput!) { catalogSourceUpdate(id: $id, input: $input) {
  catalogSource { id intervalMinutes active format } errors { field code } } }"""
DELETE = "mutation($id: ID!) { catalogSourceDelete(id: $id) { catalogSource { id } errors { code } } }"
IMPORTS = """{ catalogImports { edges { node { status filename format created unchanged progress { rowsRead rowsTotal }
  rejectedRows { edges { node { row code message } } } } } } }"""
FORMATS = "{ catalogFormats { name extensions } }"


# --- a feed server on loopback -----------------------------------------------------------------------------


@dataclass
class FeedServer:
    """A real HTTP server. Paths: /feed.csv (ETag "v1", 304 when asked with it), /slow (answers after 8 s),
    /down (500), /private (302 to a private address), /login (HTML), /huge (megabytes without a length)."""

    feed: bytes = FEED.encode()
    port: int = 0
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    huge_sent: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        path = head[0].split(" ")[1]
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        self.requests.append((path, headers))
        with contextlib.suppress(ConnectionError):
            await self._answer(path, headers, writer)
        writer.close()

    async def _answer(self, path: str, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        def send(status: str, body: bytes = b"", **extra: str) -> None:
            lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
            lines += [f"{name.replace('_', '-')}: {value}" for name, value in extra.items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

        if path == "/feed.csv":
            if headers.get("if-none-match") == '"v1"':
                send("304 Not Modified", ETag='"v1"')
            else:
                send("200 OK", self.feed, Content_Type="text/csv; charset=utf-8", ETag='"v1"')
        elif path == "/slow":
            await asyncio.sleep(8)
            send("200 OK", self.feed, Content_Type="text/csv")
        elif path == "/down":
            send("500 Internal Server Error", b"maintenance")
        elif path == "/private":
            send("302 Found", Location="http://169.254.169.254/latest/meta-data")
        elif path == "/login":
            send("200 OK", b"<!DOCTYPE html><html><body>Sign in</body></html>", Content_Type="text/html")
        elif path == "/huge":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n" + FEED.encode())
            for _ in range(200):  # 200 × 64 KiB = 12.5 MiB, unless the client hangs up first
                writer.write(b"X-1,Kain,1000,IDR\n" * 3640)
                await writer.drain()
                self.huge_sent += 65_520
        await writer.drain()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield server
        for writer in server.writers:
            writer.close()
        await asyncio.sleep(0)


def with_plugin_config(settings: Settings, **config: Any) -> Settings:
    tables = {**settings.plugins.config, "supplier_catalogs": config}
    return settings.model_copy(update={"plugins": settings.plugins.model_copy(update={"config": tables})})


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The feed server is on loopback: this network alone is allowed, every other private address stays refused.
    return with_plugin_config(
        settings,
        allowed_networks=["127.0.0.0/8"],
        fetch_timeout_seconds=2,  # generous for a loaded machine; /slow answers after 8 s
        max_fetch_bytes=65_536,
        max_unpacked_bytes=10_000_000,
    )


@pytest.fixture
def plugin_host(settings: Settings, plugins: dict[str, object]) -> PluginHost:
    from tests.plugins import test_supplier_catalogs_api as api

    host = load_plugins(settings, extra=plugins, env={})
    api.HOSTS[:] = [host]
    return host


async def fetch_now(host: PluginHost, source_id: int) -> None:
    """The source's fetch job, then the import job it queued (as the worker would run them)."""
    with running_with(host):
        await jobs.fetch_source(source_id)
    from tests.plugins.test_supplier_catalogs_api import run_imports

    await run_imports(host)


async def create_source(gql: Any, token: str, url: str, **extra: Any) -> dict[str, Any]:
    variables = {"input": {"url": url, "mode": "FULL", "intervalMinutes": 60, **extra}}
    return (await gql(CREATE, variables, token=token))["catalogSourceCreate"]


# --- URL sources --------------------------------------------------------------------------------------------


async def test_a_source_is_fetched_then_not_written_again_while_its_etag_holds(gql, plugin_host, feed_server):
    supplier, token = await make_supplier()
    created = await create_source(gql, token, feed_server.url("/feed.csv"))
    assert created["errors"] == [] and created["catalogSource"]["intervalMinutes"] == 60
    source = await CatalogSource.get(supplier_id=supplier.id)
    assert source.next_fetch_at is not None

    await fetch_now(plugin_host, source.id)
    logs = (await gql(IMPORTS, token=token))["catalogImports"]["edges"]
    assert [(e["node"]["status"], e["node"]["filename"], e["node"]["created"]) for e in logs] == [
        ("SUCCEEDED", "feed.csv", 3)
    ]
    assert logs[0]["node"]["progress"] == {"rowsRead": 3, "rowsTotal": 3}
    assert await Fabric.filter(supplier=supplier).count() == 2

    before = await catalog()
    await fetch_now(plugin_host, source.id)  # 304: no import, nothing written
    assert feed_server.requests[-1][1]["if-none-match"] == '"v1"'
    assert await CatalogImport.filter(supplier_id=supplier.id).count() == 1
    assert await catalog() == before
    assert (await CatalogSource.get(id=source.id)).last_outcome == FetchOutcome.NOT_MODIFIED
    listed = (await gql(SOURCES, token=token))["catalogSources"]["edges"]
    assert [(e["node"]["url"], e["node"]["lastOutcome"]) for e in listed] == [
        (feed_server.url("/feed.csv"), "NOT_MODIFIED")
    ]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/slow", "FETCH_TIMEOUT"),
        ("/down", "FETCH_FAILED"),
        ("/private", "PRIVATE_ADDRESS"),
        ("/login", "NOT_A_FEED"),
        ("/huge", "FILE_TOO_LARGE"),
    ],
    ids=["timeout", "500", "redirect-to-private", "html", "too-large"],
)
async def test_a_fetch_that_fails_is_a_failed_import_saying_why_and_changes_nothing(
    client, gql, plugin_host, feed_server, path, code
):
    supplier, token = await make_supplier()
    await upload(client, token, FEED)
    before = await catalog()
    await create_source(gql, token, feed_server.url(path))
    source = await CatalogSource.get(supplier_id=supplier.id)
    await fetch_now(plugin_host, source.id)
    failed = await CatalogImport.filter(supplier_id=supplier.id, source_id=source.id).get()
    assert failed.status == "FAILED"
    assert await CatalogImportError.filter(catalog_import_id=failed.id).values_list("row", "code") == [(0, code)]
    assert await catalog() == before
    assert (await CatalogSource.get(id=source.id)).last_outcome == FetchOutcome.FAILED
    if path == "/huge":  # the body is read in chunks and dropped past the cap, not read to its end
        assert feed_server.huge_sent < 6_500_000  # of 13 MB: what the loopback buffers took before the hang-up
    if path == "/private":  # the redirect was not followed
        assert [p for p, _ in feed_server.requests] == ["/private"]


async def test_a_source_is_checked_when_saved_and_only_its_supplier_manages_it(gql, plugin_host):
    supplier, token = await make_supplier()
    refused = [
        (await create_source(gql, token, url, **extra))["errors"][0]["code"]
        for url, extra in (
            ("http://10.1.2.3/feed.csv", {}),  # private, and not the allowed loopback
            ("ftp://example.com/feed.csv", {}),
            ("http://127.0.0.1:9/feed.csv", {"format": "PDF"}),
            ("http://127.0.0.1:9/feed.csv", {"intervalMinutes": 1}),
        )
    ]
    assert refused == ["PRIVATE_ADDRESS", "INVALID_URL", "UNKNOWN_FORMAT", "INVALID_INTERVAL"]
    created = (await create_source(gql, token, "http://127.0.0.1:9/feed.csv", format="csv"))["catalogSource"]
    changed = await gql(UPDATE, {"id": created["id"], "input": {"intervalMinutes": 120, "active": False}}, token=token)
    assert changed["catalogSourceUpdate"]["catalogSource"] == {
        "id": created["id"], "intervalMinutes": 120, "active": False, "format": "CSV"
    }  # fmt: skip
    _, other_token = await make_supplier("CV Lain")
    for query, variables in (
        (UPDATE, {"id": created["id"], "input": {"active": True}}),
        (DELETE, {"id": created["id"]}),
    ):
        answer = next(iter((await gql(query, variables, token=other_token)).values()))
        assert answer["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(SOURCES, token=other_token))["catalogSources"]["edges"] == []
    assert (await gql(DELETE, {"id": created["id"]}, token=token))["catalogSourceDelete"]["errors"] == []
    assert await CatalogSource.filter(supplier_id=supplier.id).count() == 0


@pytest.mark.sqlite_only
async def test_the_periodic_pick_defers_one_job_per_due_source_and_queued_import(client, settings, plugin_host):
    """`pick_work` takes due sources (moving their next time) and queued imports, each deferred under a queueing
    lock of its own: a second pick while they wait defers nothing more."""
    from core.jobs.queue import build_app

    supplier, token = await make_supplier()
    for minutes in (60, 90):
        await CatalogSource.create(
            supplier_id=supplier.id, url="http://127.0.0.1:9/feed.csv", mode="FULL", interval_minutes=minutes,
            next_fetch_at=datetime(2020, 1, 1, tzinfo=UTC), created_by_user_id=supplier.user_id,
        )  # fmt: skip
    queued = (await post(client, token, FEED.encode()))["data"]["catalogImport"]["catalogImport"]
    assert queued["status"] == "QUEUED" and queued["progress"] == {"rowsRead": 0, "rowsTotal": 3}
    app = build_app(settings, plugin_host)  # SQLite: the in-memory queue
    async with app.open_async():
        context = SimpleNamespace(app=app)
        assert await jobs.pick_work.func(context, timestamp=0) == 3
        assert await jobs.pick_work.func(context, timestamp=5) == 0  # the import's job waits; the sources moved on
        queued_jobs = sorted(job["task_name"] for job in app.connector.jobs.values())  # type: ignore[attr-defined]
    assert queued_jobs == [
        "supplier_catalogs:fetch_source", "supplier_catalogs:fetch_source", "supplier_catalogs:run_import"
    ]  # fmt: skip
    assert await CatalogSource.filter(next_fetch_at__lte=datetime(2021, 1, 1, tzinfo=UTC)).count() == 0


# --- bad input ---------------------------------------------------------------------------------------------


async def test_a_200_mb_upload_is_refused_by_its_size_before_it_is_read(client, plugin_host):
    """The server's multipart limit answers 413 once it has read past it: the 200 MB are never all sent."""
    _, token = await make_supplier()
    sent = 0
    before = await catalog()

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        boundary = b"--lini\r\n"
        operations = json.dumps({"query": "mutation($file: Upload!) { catalogImport(file: $file, input: {mode: FULL})"
                                 " { errors { code } } }", "variables": {"file": None}})  # fmt: skip
        yield boundary + b'Content-Disposition: form-data; name="operations"\r\n\r\n' + operations.encode() + b"\r\n"
        yield boundary + b'Content-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.file"]}\r\n'
        yield (
            boundary + b'Content-Disposition: form-data; name="0"; filename="feed.csv"\r\n\r\nsku,name,price,currency\n'
        )
        chunk = b"A-1,Kain,1000,IDR\n" * 58_254  # ~1 MB
        for _ in range(200):
            sent += len(chunk)
            yield chunk

    response = await client.post(
        "/graphql",
        content=body(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=lini"},
    )
    assert response.status_code == 413
    assert sent < 20_000_000
    assert await catalog() == before and await CatalogImport.all().count() == 0


async def test_a_zip_bomb_workbook_and_a_wrong_encoding_are_refused_and_change_nothing(client, plugin_host):
    _, token = await make_supplier()
    await upload(client, token, FEED)
    before = await catalog()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 20_000_000)  # 20 MB of zeros in ~20 KB
    assert len(bomb.getvalue()) < 50_000
    for data, name, code in (
        (bomb.getvalue(), "bomb.xlsx", "FILE_TOO_LARGE"),  # the settings allow 10 MB unpacked
        ("sku,name,price,currency\nA-1,Kain Rénda,1000,IDR\n".encode("cp1252"), "feed.csv", "INVALID_ENCODING"),
    ):
        result = await upload(client, token, data, name=name)
        assert result["catalogImport"]["status"] == "FAILED" and rejected(result) == [(0, None, code)]
    assert await catalog() == before


async def test_a_csv_injection_cell_is_stored_as_text(client, plugin_host):
    supplier, token = await make_supplier()
    feed = (
        "sku,name,composition,price,currency\nINJ-1,\"=cmd|' /C calc'!A0\",\"@SUM(1+1)*cmd|' /C calc'!A0\",1000,IDR\n"
    )
    result = await upload(client, token, feed)
    assert result["catalogImport"]["status"] == "SUCCEEDED"
    fabric = await Fabric.get(supplier=supplier, sku="INJ-1")
    assert (fabric.name, fabric.composition) == ("=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")


# --- another plugin's format -------------------------------------------------------------------------------


class PipeFormat:
    """A supplier's own export: `|`-separated lines under a `#`-prefixed header, e.g. an ERP's dump."""

    name = "PIPE"
    extensions = (".pipe",)
    media_types = ("text/x-pipe",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"#")

    def count(self, data: bytes) -> int | None:
        return data.count(b"\n") - 1

    def rows(self, data: bytes, limits: FeedLimits) -> Iterator[FeedRow]:
        if not data.startswith(b"#"):
            raise FeedRefused("INVALID_FILE", "A pipe feed starts with its #header.")
        header, *lines = data.decode().splitlines()
        names = header.lstrip("#").split("|")
        for number, line in enumerate(lines, start=2):
            cells = line.split("|")
            yield (
                number,
                dict(zip(names, cells, strict=True))
                if len(cells) == len(names)
                else RowRejected("BAD_LINE", "Wrong number of cells."),
            )


class PipePlugin:
    @hookimpl
    def catalog_formats(self, host: Host) -> list[Any]:
        return [PipeFormat()]


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"pipe_feeds": PipePlugin()}


async def test_hook_catalog_formats(client, gql, plugin_host):
    supplier, token = await make_supplier()
    names = [f["name"] for f in (await gql(FORMATS, token=token))["catalogFormats"]]
    assert names == ["PIPE", "CSV", "XLSX", "JSONL"] or set(names) == {"PIPE", "CSV", "XLSX", "JSONL"}
    pipe = "#sku|name|price|currency\nP-1|Kain Pipa|1500|IDR\nP-2|broken\n"
    result = await upload(client, token, pipe, name="export.pipe", atomic=False)
    assert (result["catalogImport"]["format"], result["catalogImport"]["created"]) == ("PIPE", 1)
    assert rejected(result) == [(3, None, "BAD_LINE")]
    assert (await Fabric.get(supplier=supplier, sku="P-1")).price_per_metre == Decimal(1500)
    sniffed = await upload(client, token, "#sku|stock\nP-1|12\n", name="noext", mode="DELTA")
    assert (sniffed["catalogImport"]["format"], sniffed["catalogImport"]["updated"]) == ("PIPE", 1)
    unknown = (await post(client, token, b"x", name="feed.csv", format="PDF"))["data"]["catalogImport"]
    assert unknown["errors"][0]["code"] == "UNKNOWN_FORMAT"


# --- prices that start later ----------------------------------------------------------------------------------


async def test_a_later_price_takes_effect_on_its_day_and_keeps_its_window(client, plugin_host):
    supplier, token = await make_supplier()
    await upload(client, token, FEED)
    today = date.today()
    start, end = today + timedelta(days=7), today + timedelta(days=37)
    later = (
        "sku,name,kind,trim_type,price,currency,stock,price_valid_from,price_valid_to\n"
        f"WOL-HTM,Wolfis Hitam,FABRIC,,41000,IDR,300,{start},{end}\n"
        f"BTN-07,Kancing Mutiara,TRIM,BUTTON,1300,IDR,5000,{start},{end}\n"
        f"NEW-1,Kain Baru,FABRIC,,9000,IDR,1,{start},\n"
    )
    result = await upload(client, token, later, mode="DELTA", atomic=False)
    assert rejected(result) == [(4, "price_valid_from", "NO_CURRENT_PRICE")]  # a new SKU needs a price for today
    fabric = await Fabric.get(supplier=supplier, sku="WOL-HTM")
    assert (fabric.price_per_metre, fabric.stock_metres) == (Decimal(38500), Decimal(300))  # the rest is now
    waiting = await ScheduledPrice.filter(status=PriceStatus.PENDING).order_by("kind").values_list("kind", "price")
    assert waiting == [("FABRIC", Decimal(41000)), ("TRIM", Decimal(1300))]

    assert await prices.apply_due(today + timedelta(days=6)) == 0  # not yet
    assert await prices.apply_due(start) == 2
    fabric = await Fabric.get(id=fabric.id)
    assert fabric.price_per_metre == Decimal(41000)
    history = await FabricPrice.filter(fabric=fabric).order_by("id").values_list("price_per_metre", flat=True)
    assert history == [Decimal(38500), Decimal(41000)]
    trim = await Trim.get(supplier=supplier, sku="BTN-07")
    windows = await TrimPrice.filter(trim=trim).order_by("id").values_list("price", "valid_from", "valid_to")
    assert windows == [(Decimal(1200), None, None), (Decimal(1300), start, end)]
    applied = await ScheduledPrice.filter(kind="FABRIC").values_list("status", "valid_from", "valid_to")
    assert applied == [(PriceStatus.APPLIED, start, end)]
    assert await prices.apply_due(start) == 0  # once


async def test_an_unchanged_file_writes_nothing_and_a_changed_row_only_itself(client, plugin_host, sql_counter):
    supplier, token = await make_supplier()
    rows = "".join(f"F-{i},Kain {i},{1000 + i},IDR,{i}\n" for i in range(300))
    await upload(client, token, "sku,name,price,currency,stock\n" + rows)
    assert await Fabric.filter(supplier=supplier, status=FabricStatus.ACTIVE).count() == 300
    before = await catalog()
    with sql_counter.counting() as statements:
        again = await upload(client, token, "sku,name,price,currency,stock\n" + rows)
    assert (again["catalogImport"]["unchanged"], again["catalogImport"]["updated"]) == (300, 0)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    catalog_writes = [s for s in writes if "supplier_catalogs_import" not in s and "fabric" in s.lower()]
    assert catalog_writes == [] and await catalog() == before
    changed = rows.replace("F-7,Kain 7,1007", "F-7,Kain 7,1107")
    result = await upload(client, token, "sku,name,price,currency,stock\n" + changed)
    assert (result["catalogImport"]["updated"], result["catalogImport"]["unchanged"]) == (1, 299)


PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  catalogSources(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { url } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


@pytest.mark.engine_independent
async def test_catalog_sources_page_backwards_as_the_api_convention_asks(gql, plugin_host):
    _, token = await make_supplier()
    for i in range(5):
        assert (await create_source(gql, token, f"http://127.0.0.1:9/feed-{i}.csv"))["errors"] == []
    newest = (await gql(PAGE, {"first": 5}, token=token))["catalogSources"]
    urls = [e["node"]["url"] for e in newest["edges"]]
    assert urls == [f"http://127.0.0.1:9/feed-{i}.csv" for i in (4, 3, 2, 1, 0)]  # newest first
    back = (await gql(PAGE, {"last": 2, "before": newest["edges"][3]["cursor"]}, token=token))["catalogSources"]
    assert [e["node"]["url"] for e in back["edges"]] == urls[1:3]
    assert back["pageInfo"]["hasPreviousPage"] is True
    oldest = (await gql(PAGE, {"last": 2}, token=token))["catalogSources"]
    assert [e["node"]["url"] for e in oldest["edges"]] == urls[3:]


CATALOG_NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on CatalogSource { url intervalMinutes } ... on CatalogImport { status filename } } }"""


async def test_sources_and_imports_are_nodes_for_their_suppliers_people_only(client, gql, plugin_host, sql_counter):
    supplier, token = await make_supplier()
    source = (await create_source(gql, token, "http://127.0.0.1:9/feed.csv"))["catalogSource"]
    made = (await upload(client, token, FEED))["catalogImport"]
    listed = (await gql("{ catalogImports { edges { node { id status filename } } } }", token=token))["catalogImports"]
    assert [e["node"]["id"] for e in listed["edges"]] == [made["id"]]
    ids = [source["id"], made["id"]]
    expected = [
        {
            "__typename": "CatalogSource",
            "id": source["id"],
            "url": source["url"],
            "intervalMinutes": source["intervalMinutes"],
        },
        {"__typename": "CatalogImport", **listed["edges"][0]["node"]},
    ]
    assert (await gql(CATALOG_NODES, {"ids": ids}, token=token))["nodes"] == expected
    _, other_token = await make_supplier("CV Lain")
    brand = await make_brand()
    _, staff_token = await make_staff(brand)
    for caller in (other_token, staff_token, access_token(await make_user()), None):
        assert (await gql(CATALOG_NODES, {"ids": ids}, token=caller))["nodes"] == [None, None]
    row = await CatalogSource.get(id=int(base64.b64decode(source["id"]).decode().split(":")[1]))
    sources = [
        await CatalogSource.create(
            supplier_id=supplier.id,
            url=f"http://127.0.0.1:9/{i}.csv",
            mode=row.mode,
            interval_minutes=60,
            next_fetch_at=row.next_fetch_at,
            created_by_user_id=row.created_by_user_id,
        )
        for i in range(30)
    ]
    log = await CatalogImport.get(supplier_id=supplier.id)
    imports = [
        await CatalogImport.create(
            supplier_id=supplier.id, file_format="CSV", mode=log.mode, status=log.status, started_at=log.started_at
        )
        for _ in range(30)
    ]
    for many_ids in (
        [base64.b64encode(f"CatalogSource:{s.id}".encode()).decode() for s in sources],
        [base64.b64encode(f"CatalogImport:{i.id}".encode()).decode() for i in imports],
    ):
        with sql_counter.counting() as few:
            assert None not in (await gql(CATALOG_NODES, {"ids": many_ids[:3]}, token=token))["nodes"]
        with sql_counter.counting() as many:
            assert None not in (await gql(CATALOG_NODES, {"ids": many_ids}, token=token))["nodes"]
        assert len(many) == len(few)
