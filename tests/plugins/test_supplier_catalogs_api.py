"""The supplier_catalogs plugin over GraphQL: a supplier uploads feed files (multipart) into its catalog, FULL or
DELTA, atomic or row by row; the log shows counts and rejected rows; brands browse trims. Bad files and other
suppliers change nothing."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from core.actors.models import ActorStatus, Supplier
from core.garments.models import Fabric, FabricPrice, FabricStatus
from core.jobs.runtime import running_with
from core.plugins import PluginHost, load_plugins
from plugins.supplier_catalogs import jobs
from plugins.supplier_catalogs.models import CatalogImport, Trim, TrimPrice
from tests.factories import access_token, make_brand, make_staff, make_user

NODE = """id status format mode atomic rowsRead created updated unchanged archived rejected warnings durationMs
  progress { rowsRead rowsTotal } rejectedRows { totalCount edges { node { row column code message } } }"""
IMPORT = f"""mutation($file: Upload!, $input: CatalogImportInput!) {{ catalogImport(file: $file, input: $input) {{
  catalogImport {{ {NODE} }} errors {{ field code message }} }} }}"""
IMPORTS = """query($filter: CatalogImportFilter) { catalogImports(filter: $filter) {
  edges { node { status created rejected } } } }"""
LATEST = f"{{ catalogImports(first: 1) {{ edges {{ node {{ {NODE} }} }} }} }}"
TRIMS = """query($filter: TrimFilter) { trims(filter: $filter) { totalCount edges { node {
  sku name trimType unit price { amount currency } stock status priceHistory { price { amount } } } } } }"""

FEED = """sku;name;kind;trim_type;unit;composition;weight_gsm;width_cm;colour;price;currency;stock;min_order
WOL-HTM;Wolfis Hitam;FABRIC;;;100% polyester;180;150;Hitam;38500;IDR;420.5;5
WOL-NVY;Wolfis Navy;FABRIC;;;100% polyester;180;150;Navy;38500;IDR;100;5
BTN-07;Kancing Mutiara;TRIM;BUTTON;PIECE;;;;Putih;1200;IDR;5000;100
"""


HOSTS: list[PluginHost] = []


@pytest.fixture
def plugin_host(settings, plugins):
    """A small file cap, so the size limit is cheap to test."""
    host = load_plugins(settings, extra=plugins, env={"LINI_PLUGINS_SUPPLIER_CATALOGS_MAX_FILE_BYTES": "8192"})
    HOSTS[:] = [host]
    return host


async def run_imports(host: PluginHost) -> list[int]:
    """Run the queued imports as the plugin's `run_import` job does (no worker runs beside the tests)."""
    queued = await CatalogImport.filter(status="QUEUED").order_by("id").values_list("id", flat=True)
    with running_with(host):
        for import_id in queued:
            await jobs.run_import(import_id)
    return list(queued)


async def make_supplier(name: str = "PT Tenun") -> tuple[Supplier, str]:
    user = await make_user()
    supplier = await Supplier.create(
        user=user, legal_name=name, country="ID", city="Pekalongan", status=ActorStatus.APPROVED, supplies=["FABRIC"]
    )
    return supplier, access_token(user)


async def post(client, token: str, data: bytes, *, name: str = "feed.csv", **options: Any) -> dict[str, Any]:
    """The whole response of a catalogImport posted as a multipart upload."""
    variables = {"file": None, "input": {"mode": "FULL", **options}}
    response = await client.post(
        "/graphql",
        data={"operations": json.dumps({"query": IMPORT, "variables": variables}), "map": '{"0": ["variables.file"]}'},
        files={"0": (name, data, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def upload(client, token: str, data: bytes | str, **options: Any) -> dict[str, Any]:
    """The import once its job ran (as catalogImports shows it), and the mutation's own `errors`."""
    body = await post(client, token, data.encode() if isinstance(data, str) else data, **options)
    assert not body.get("errors"), body
    payload = body["data"]["catalogImport"]
    if payload["catalogImport"]["status"] != "QUEUED":
        return payload  # refused at once (size, format): nothing to run
    assert payload["errors"] == [] and payload["catalogImport"]["durationMs"] is None
    await run_imports(HOSTS[0])
    response = await client.post("/graphql", json={"query": LATEST}, headers={"Authorization": f"Bearer {token}"})
    node = response.json()["data"]["catalogImports"]["edges"][0]["node"]
    assert node["id"] == payload["catalogImport"]["id"]
    return {"catalogImport": node, "errors": payload["errors"]}


def rejected(result: dict[str, Any]) -> list[tuple[int, str | None, str]]:
    edges = result["catalogImport"]["rejectedRows"]["edges"]
    return [(e["node"]["row"], e["node"]["column"], e["node"]["code"]) for e in edges]


async def catalog() -> list[tuple[Any, ...]]:
    """Everything an import may change: what a refused one must leave alone."""
    fabrics = await Fabric.all().order_by("id").values_list("supplier_id", "sku", "name", "price_per_metre",
                                                            "stock_metres", "status")  # fmt: skip
    trims = await Trim.all().order_by("id").values_list("supplier_id", "sku", "price", "stock", "status")
    prices = await FabricPrice.all().count(), await TrimPrice.all().count()
    return [*fabrics, *trims, prices]


async def test_a_full_import_creates_then_a_second_changes_nothing(client, gql):
    supplier, token = await make_supplier()
    result = await upload(client, token, FEED)
    imported = result["catalogImport"]
    assert result["errors"] == []
    assert (imported["status"], imported["format"], imported["rowsRead"]) == ("SUCCEEDED", "CSV", 3)
    assert (imported["created"], imported["updated"], imported["archived"], imported["rejected"]) == (3, 0, 0, 0)
    fabric = await Fabric.get(supplier=supplier, sku="WOL-HTM")
    assert (fabric.name, fabric.weight_gsm, fabric.stock_metres, fabric.min_order_metres) == (
        "Wolfis Hitam", 180, Decimal("420.5"), Decimal("5")
    )  # fmt: skip
    assert await FabricPrice.filter(fabric=fabric).count() == 1
    trims = (await gql(TRIMS))["trims"]  # anyone browses the trims of approved suppliers
    assert trims["totalCount"] == 1
    assert trims["edges"][0]["node"] == {
        "sku": "BTN-07", "name": "Kancing Mutiara", "trimType": "BUTTON", "unit": "PIECE",
        "price": {"amount": "1200.00", "currency": "IDR"}, "stock": "5000.00", "status": "ACTIVE",
        "priceHistory": [{"price": {"amount": "1200.00"}}],
    }  # fmt: skip

    before = await catalog()
    again = (await upload(client, token, FEED))["catalogImport"]
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert await catalog() == before


async def test_a_price_change_is_kept_what_disappeared_is_archived_and_stock_only_moves_stock(client):
    supplier, token = await make_supplier()
    await upload(client, token, FEED)
    changed = FEED.replace("WOL-HTM;Wolfis Hitam;FABRIC;;;100% polyester;180;150;Hitam;38500", "WOL-HTM;Wolfis Hitam;"
                           "FABRIC;;;100% polyester;180;150;Hitam;41000").replace("BTN-07;Kancing Mutiara;TRIM;BUTTON;"
                           "PIECE;;;;Putih;1200", "BTN-07;Kancing Mutiara;TRIM;BUTTON;PIECE;;;;Putih;1300")  # fmt: skip
    without_navy = "\n".join(line for line in changed.splitlines() if not line.startswith("WOL-NVY")) + "\n"
    imported = (await upload(client, token, without_navy))["catalogImport"]
    assert (imported["updated"], imported["archived"], imported["unchanged"]) == (2, 1, 0)
    fabric = await Fabric.get(supplier=supplier, sku="WOL-HTM")
    history = await FabricPrice.filter(fabric=fabric).order_by("id").values_list("price_per_metre", flat=True)
    assert history == [Decimal("38500"), Decimal("41000")]
    assert (await Fabric.get(supplier=supplier, sku="WOL-NVY")).status == FabricStatus.ARCHIVED
    trim = await Trim.get(supplier=supplier, sku="BTN-07")
    assert await TrimPrice.filter(trim=trim).order_by("id").values_list("price", flat=True) == [
        Decimal("1200"), Decimal("1300")
    ]  # fmt: skip

    stock = (await upload(client, token, "sku,stock\nWOL-HTM,12\nBTN-07,40\n"))["catalogImport"]
    assert (stock["status"], stock["updated"], stock["archived"]) == ("SUCCEEDED", 2, 0)  # stock-only archives nothing
    fabric = await Fabric.get(id=fabric.id)
    assert (fabric.stock_metres, fabric.name, fabric.price_per_metre) == (Decimal("12"), "Wolfis Hitam", Decimal(41000))
    assert (await Trim.get(id=trim.id)).stock == Decimal("40")

    # Core cannot offer an archived fabric again yet: a feed naming it updates it and says it stays archived.
    back = (await upload(client, token, FEED.replace("Wolfis Navy", "Wolfis Navy Baru")))["catalogImport"]
    assert back["warnings"] == ["Archived fabrics stay archived (updated, not offered again): WOL-NVY."]
    assert (await Fabric.get(supplier=supplier, sku="WOL-NVY")).status == FabricStatus.ARCHIVED


async def test_delta_rows_upsert_and_delete(client):
    supplier, token = await make_supplier()
    await upload(client, token, FEED)
    delta = (
        "sku,name,price,currency,action\nWOL-NVY,,,,delete\nWOL-MRN,Wolfis Maroon,39000,IDR,upsert\nNONE,,,,delete\n"
    )
    result = await upload(client, token, delta, mode="DELTA", atomic=False)
    imported = result["catalogImport"]
    assert (imported["status"], imported["created"], imported["archived"], imported["rejected"]) == ("PARTIAL", 1, 1, 1)
    assert result["errors"] == [] and rejected(result) == [(4, "sku", "UNKNOWN_SKU")]
    skus = (
        await Fabric.filter(supplier=supplier, status=FabricStatus.ACTIVE).order_by("sku").values_list("sku", flat=True)
    )
    assert skus == ["WOL-HTM", "WOL-MRN"]  # a DELTA archives only what it deletes
    assert await Trim.filter(supplier=supplier, status="ACTIVE").count() == 1


BAD_ROWS = """sku,name,price,currency,stock
OK-1,Katun Putih,25000,IDR,10
NEG-1,Katun Hitam,-5,IDR,10
CUR-1,Katun Merah,25000,XYZ,10
OK-1,Katun Putih lagi,25000,IDR,10
NUM-1,Katun Biru,murah,IDR,-3
"""


async def test_an_atomic_import_with_a_bad_row_writes_nothing_and_reports_every_row(client):
    _, token = await make_supplier()
    before = await catalog()
    result = await upload(client, token, BAD_ROWS)
    assert result["catalogImport"]["status"] == "FAILED" and result["catalogImport"]["created"] == 0
    assert rejected(result) == [
        (3, "price", "INVALID_PRICE"),
        (4, "currency", "UNKNOWN_CURRENCY"),
        (5, "sku", "DUPLICATE_SKU"),
        (6, "price", "INVALID_PRICE"),
        (6, "stock", "INVALID_QUANTITY"),
    ]
    assert result["catalogImport"]["rejected"] == 4
    assert await catalog() == before


async def test_a_row_by_row_import_writes_the_good_rows(client, gql):
    supplier, token = await make_supplier()
    result = await upload(client, token, BAD_ROWS, atomic=False)
    assert result["errors"] == [] and result["catalogImport"]["status"] == "PARTIAL"
    assert (result["catalogImport"]["created"], result["catalogImport"]["rejected"]) == (1, 4)
    assert await Fabric.filter(supplier=supplier).values_list("sku", flat=True) == ["OK-1"]
    log = (await gql(IMPORTS, token=token))["catalogImports"]["edges"]
    assert [e["node"] for e in log] == [{"status": "PARTIAL", "created": 1, "rejected": 4}]


async def test_a_failure_inside_core_rolls_an_atomic_import_back(client):
    """A row the plugin passes but core's fabric service refuses (a bad image URL host) undoes the rows before it."""
    supplier, token = await make_supplier()
    feed = "sku,name,price,currency,image_urls\nA-1,Kain A,1000,IDR,\nB-1,Kain B,1000,IDR,https://\n"
    result = await upload(client, token, feed)
    assert result["catalogImport"]["status"] == "FAILED"
    assert [(row, column) for row, column, _ in rejected(result)] == [(3, "image_urls")]
    assert await Fabric.filter(supplier=supplier).count() == 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("sku,name,price,currency\nA,Kain Rénda,1000,IDR\n".encode("latin-1"), "INVALID_ENCODING"),
        (b"sku,price,currency\nA,1000,IDR\n", "MISSING_COLUMN"),
        (b"sku,name,price,currency\n" + b"A,Kain,1000,IDR\n" * 800, "FILE_TOO_LARGE"),
        (b"PK\x03\x04 not really a workbook", "INVALID_FILE"),
        (b"sku,name,price,currency\n", "EMPTY_FILE"),  # a FULL feed without rows would archive everything
    ],
    ids=["encoding", "missing-column", "too-large", "bad-xlsx", "full-without-rows"],
)
async def test_a_bad_file_is_refused_with_a_typed_error_and_changes_nothing(client, data, code):
    _, token = await make_supplier()
    await upload(client, token, FEED)
    before = await catalog()
    result = await upload(client, token, data, name="feed.xlsx" if code == "INVALID_FILE" else "feed.csv")
    if code == "FILE_TOO_LARGE":  # refused by its size at once, without a job
        assert [(e["field"], e["code"]) for e in result["errors"]] == [("file", code)]
    assert result["catalogImport"]["status"] == "FAILED" and rejected(result) == [(0, None, code)]
    assert await catalog() == before


async def test_xlsx_and_json_lines_feeds_import_alike(client):
    supplier, token = await make_supplier()
    workbook = openpyxl.Workbook()
    for cells in (
        ["SKU", "Name", "Price", "Currency", "Weight GSM", "Notes"],
        ["X-1", "Satin", 52000, "IDR", 120, "-"],
    ):
        workbook.active.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    xlsx = (await upload(client, token, out.getvalue(), name="katalog.xlsx", mode="DELTA"))["catalogImport"]
    assert (xlsx["format"], xlsx["created"], xlsx["warnings"]) == ("XLSX", 1, ["Column 'Notes' is unknown: ignored."])
    lines = '{"sku": "J-1", "name": "Renda", "kind": "TRIM", "trim_type": "LACE", "unit": "METRE", "price": 8000, ' \
            '"currency": "IDR", "image_urls": ["https://cdn.example.id/renda.jpg"]}\n'  # fmt: skip
    jsonl = (await upload(client, token, lines, name="feed.jsonl", mode="DELTA"))["catalogImport"]
    assert (jsonl["format"], jsonl["created"]) == ("JSONL", 1)
    assert (await Fabric.get(supplier=supplier, sku="X-1")).weight_gsm == 120
    trim = await Trim.get(supplier=supplier, sku="J-1")
    assert (trim.unit, trim.images) == ("METRE", ["https://cdn.example.id/renda.jpg"])


async def test_only_a_suppliers_own_people_import_into_its_catalog(client, gql):
    supplier, token = await make_supplier()
    await upload(client, token, FEED)
    other, other_token = await make_supplier("CV Lain")
    brand = await make_brand()
    _, staff_token = await make_staff(brand)
    before = await catalog()

    for caller, options in ((other_token, {"supplierId": gid("Supplier", supplier.id)}), (staff_token, {})):
        body = await post(client, caller, FEED.replace("38500", "1").encode(), **options)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert await catalog() == before
    assert await CatalogImport.filter(supplier=supplier).count() == 1

    # Another supplier's SKUs in a file are SKUs of the caller's own catalog: the first supplier's stay as they are.
    mine = (await upload(client, other_token, FEED.replace("38500", "1")))["catalogImport"]
    assert mine["created"] == 3
    assert (await Fabric.get(supplier=supplier, sku="WOL-HTM")).price_per_metre == Decimal("38500")
    assert (await Fabric.get(supplier=other, sku="WOL-HTM")).price_per_metre == Decimal("1")
    logs = (await gql(IMPORTS, token=other_token))["catalogImports"]["edges"]
    assert [e["node"]["created"] for e in logs] == [3]  # only its own imports


def gid(type_name: str, id: int) -> str:
    import base64

    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


# --- the import's job ---------------------------------------------------------------------------------------


async def waiting_import_jobs(backend: str) -> list[int]:
    """The import ids of the `run_import` jobs waiting in the queue (PostgreSQL: procrastinate's table; SQLite:
    the requests the server hands to its in-process queue)."""
    if backend == "postgres":
        from tortoise import connections

        rows = await connections.get("default").execute_query_dict(
            "SELECT args FROM procrastinate_jobs WHERE task_name = $1 AND status = 'todo'",
            ["supplier_catalogs:run_import"],
        )
        return sorted(
            (json.loads(row["args"]) if isinstance(row["args"], str) else row["args"])["import_id"] for row in rows
        )
    from core.jobs.models import JobRequest

    requests = await JobRequest.filter(task_name="supplier_catalogs:run_import")
    return sorted(request.args["import_id"] for request in requests)


async def test_an_upload_defers_its_own_job_and_a_refused_one_none(client, backend):
    """The upload's job is queued with the import, in its transaction: no wait for the periodic pick."""
    _, token = await make_supplier()
    queued = (await post(client, token, FEED.encode()))["data"]["catalogImport"]["catalogImport"]
    assert queued["status"] == "QUEUED"
    import_id = (await CatalogImport.all().values_list("id", flat=True))[0]
    assert await waiting_import_jobs(backend) == [import_id]
    refused = (await post(client, token, b"x" * 9000))["data"]["catalogImport"]["catalogImport"]
    assert refused["status"] == "FAILED"  # over the test's 8 KiB cap: refused at once, no job
    assert await waiting_import_jobs(backend) == [import_id]


@pytest.mark.sqlite_only
async def test_the_in_process_queue_runs_an_upload_promptly(settings, monkeypatch):
    """On SQLite the served app's own worker runs the upload's job as soon as it is handed over (once a second),
    with the periodic pick unable to defer anything: the import's own job did it."""
    import asyncio
    import time

    import httpx

    from server import create_app

    async def no_pick(*args: Any, **kwargs: Any) -> int:
        return 0

    monkeypatch.setattr(jobs, "_defer", no_pick)
    settings = settings.model_copy(update={"jobs": settings.jobs.model_copy(update={"worker": "auto"})})
    host = load_plugins(settings, env={})
    HOSTS[:] = [host]
    app = create_app(settings, host=host)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            _, token = await make_supplier()
            started = time.perf_counter()
            queued = (await post(http, token, FEED.encode()))["data"]["catalogImport"]["catalogImport"]
            assert queued["status"] == "QUEUED"
            status = "QUEUED"
            while status in ("QUEUED", "RUNNING") and time.perf_counter() - started < 30:
                await asyncio.sleep(0.1)
                response = await http.post(
                    "/graphql", json={"query": LATEST}, headers={"Authorization": f"Bearer {token}"}
                )
                node = response.json()["data"]["catalogImports"]["edges"][0]["node"]
                status = node["status"]
            assert status == "SUCCEEDED", node
            assert node["created"] == 3
            assert time.perf_counter() - started < 30
