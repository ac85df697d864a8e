"""`python -m bench.catalog_import`: a supplier feed of 100,000 rows through the supplier_catalogs importer.

Issue 15's budget: a 100,000-row CSV imports in ≤ 20 s on SQLite and PostgreSQL with a peak RSS ≤ 300 MB;
re-importing the unchanged file writes nothing; a 1,000-row delta takes ≤ 1 s. Each run makes a throwaway
database, migrates it, makes one approved supplier and times, through the import job's own code
(`importer.import_now`: queue the file, then run it as the `run_import` job does):

1. FULL, atomic: the 100,000-row CSV (90% fabrics, 10% trims), every row created;
2. the same file again: every row unchanged (the row hashes), with the catalog's write statements counted;
3. DELTA: 1,000 rows with a new price and stock.

Peak RSS is the process's (`ru_maxrss`), the app and the generated file included. `--backend postgres` runs
against `--postgres-url` (a database of its own, dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import resource
import sys
import time
from collections.abc import Sequence

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from core.actors.models import ActorStatus, Supplier
from core.auth.models import User
from core.auth.services import actor_for_user
from core.db import connected, migrate
from core.garments.models import Fabric
from core.plugins import load_plugins
from core.settings import load_settings
from plugins.supplier_catalogs import importer
from plugins.supplier_catalogs.models import ImportMode, Trim
from plugins.supplier_catalogs.parsers import Limits
from plugins.supplier_catalogs.plugin_settings import formats_of

HEADER = (
    "sku,name,kind,trim_type,composition,weight_gsm,width_cm,colour,price,currency,stock,min_order,lead_time_days\n"
)
COLOURS = ("Hitam", "Navy", "Maroon", "Putih", "Sage", "Mocca", "Dusty Pink", "Emerald")
WRITES = ("INSERT", "UPDATE", "DELETE")


def feed(rows: int, *, price_shift: int = 0, only: range | None = None) -> bytes:
    """A feed of `rows` materials (every tenth a trim); `only` keeps a slice of it (a delta)."""
    lines = [HEADER]
    for i in only or range(rows):
        colour = COLOURS[i % len(COLOURS)]
        price = 20_000 + (i % 500) * 100 + price_shift
        if i % 10 == 9:
            lines.append(f"T-{i:06d},Kancing {colour} {i},TRIM,BUTTON,,,,{colour},{price // 20},IDR,{i % 900},100,7\n")
        else:
            lines.append(
                f"F-{i:06d},Wolfis {colour} {i},FABRIC,,100% polyester,{120 + i % 200},150,{colour},{price},IDR,"
                f"{i % 700}.5,5,14\n"
            )
    return "".join(lines).encode()


class WriteCounter(logging.Handler):
    """Counts the write statements tortoise sends to the catalog's tables (DEBUG log, as the tests' counter)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.writes = 0

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.msg if not record.args else record.args[0] if record.args else record.msg).lstrip()
        upper = text[:200].upper()
        if upper.startswith(WRITES) and ("FABRIC" in upper or "SUPPLIER_CATALOGS_TRIM" in upper):
            self.writes += 1


def _migrate(url: str) -> None:
    settings = load_settings(env={})
    settings = settings.model_copy(update={"database": settings.database.model_copy(update={"url": url})})
    asyncio.run(migrate(url, load_plugins(settings, env={}).database_apps()))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


async def run(backend: str, postgres_url: str, rows: int, delta: int) -> dict[str, float]:
    settings = load_settings(env={})
    async with throwaway_database(backend, postgres_url) as url:
        settings = settings.model_copy(update={"database": settings.database.model_copy(update={"url": url})})
        migrating = multiprocessing.get_context("spawn").Process(target=_migrate, args=(url,))
        migrating.start()  # in a process of its own, as `server.py migrate` is: the worker's RSS is measured
        await asyncio.get_running_loop().run_in_executor(None, migrating.join)
        assert migrating.exitcode == 0, "migrating the benchmark database failed"
        host = load_plugins(settings, env={})
        async with connected(url, host.database_apps()):
            user = await User.create(email="pemasok@example.id", password_hash="-", full_name="Pemasok")
            supplier = await Supplier.create(
                user=user, legal_name="PT Tenun Bench", country="ID", city="Pekalongan",
                status=ActorStatus.APPROVED, supplies=["FABRIC"],
            )  # fmt: skip
            actor = await actor_for_user(user)
            formats = formats_of(host)
            limits = Limits(max_rows=rows + 1, max_unpacked_bytes=100 * 1024 * 1024)
            data = feed(rows)
            figures: dict[str, float] = {"file_mb": len(data) / 1e6}

            async def timed(name: str, body: bytes, mode: ImportMode) -> importer.CatalogImport:
                upload = importer.Upload(data=body, filename="feed.csv", mode=mode, atomic=True)
                started, cpu = time.perf_counter(), time.process_time()
                log = await importer.import_now(actor, upload, formats=formats, limits=limits, max_bytes=len(body) + 1)
                figures[f"{name}_s"] = time.perf_counter() - started
                figures[f"{name}_cpu_s"] = time.process_time() - cpu
                assert log.status == "SUCCEEDED", (name, log.status, log.rejected)
                return log

            figures["rss_before_mb"] = peak_rss_mb()
            full = await timed("full", data, ImportMode.FULL)
            assert full.created == rows, full.created
            figures["rss_after_full_mb"] = peak_rss_mb()
            counter = WriteCounter()
            sql_log = logging.getLogger("tortoise.db_client")
            sql_log.setLevel(logging.DEBUG)
            sql_log.addHandler(counter)
            sql_log.propagate = False
            try:
                again = await timed("unchanged", data, ImportMode.FULL)
            finally:
                sql_log.removeHandler(counter)
                sql_log.setLevel(logging.WARNING)
                sql_log.propagate = True
            assert again.unchanged == rows and again.updated == again.created == 0
            figures["unchanged_writes"] = counter.writes
            changed = feed(rows, price_shift=500, only=range(0, rows, max(rows // delta, 1)))
            shifted = await timed("delta", changed, ImportMode.DELTA)
            assert shifted.updated == delta, shifted.updated
            figures["fabrics"] = await Fabric.filter(supplier=supplier).count()
            figures["trims"] = await Trim.filter(supplier=supplier).count()
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_import", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--delta", type=int, default=1_000)
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(options.backend, options.postgres_url, options.rows, options.delta))
    print(f"catalog import, {options.backend}: {options.rows:,} rows ({figures['file_mb']:.1f} MB CSV)")
    print("                           wall       this process's CPU")
    print(f"  FULL, every row new      {figures['full_s']:7.2f} s  {figures['full_cpu_s']:7.2f} s   (budget 20 s)")
    print(
        f"  the same file again      {figures['unchanged_s']:7.2f} s  {figures['unchanged_cpu_s']:7.2f} s"
        f"   {figures['unchanged_writes']:.0f} catalog writes (budget 0)"
    )
    print(
        f"  DELTA of {options.delta:,} rows       {figures['delta_s']:7.2f} s  {figures['delta_cpu_s']:7.2f} s"
        "   (budget 1 s)"
    )
    print(f"  RSS before / after FULL   {figures['rss_before_mb']:.0f} / {figures['rss_after_full_mb']:.0f} MB")
    print(f"  peak RSS                 {figures['peak_rss_mb']:7.0f} MB  (budget 300 MB)")
    print(f"  catalog: {figures['fabrics']:,.0f} fabrics, {figures['trims']:,.0f} trims")
    ok = figures["full_s"] <= 20 and figures["delta_s"] <= 1 and figures["peak_rss_mb"] <= 300
    return 0 if ok and figures["unchanged_writes"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
