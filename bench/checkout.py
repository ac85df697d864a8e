"""`python -m bench.checkout`: checkout completion over HTTP, p50/p95 and orders per second.

A throwaway database (PostgreSQL by default) gets one brand with a small catalog and ample stock, a shipping
zone of the built-in `shipping_rates` plugin and a `bank_transfer` account. `--orders` checkouts are made
ready through the core services (line, e-mail, address, delivery method, bank-transfer payment); then the
server runs under uvicorn with 2 workers and `checkoutComplete` is posted for each of them from
`--concurrency` clients at once. Every checkout holds two variants, so each completion takes stock twice,
raises the order counter and writes the order with its lines, tax lines, history and event.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from bench import http
from bench.catalog import load_catalog
from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from core.brand_plugins.models import BrandPluginConfig
from core.catalog.models import Stock, Variant
from core.checkout import completion, services
from core.context import ANONYMOUS
from core.db import connected, migrate
from core.plugins import load_plugins
from core.settings import Settings, load_settings
from plugins.shipping_rates.models import ShippingMethod, ShippingMethodRate, ShippingZone

T = TypeVar("T")
COMPLETE = (
    "mutation($t: String!, $k: String) { checkoutComplete(token: $t, idempotencyKey: $k) "
    "{ order { number } errors { code } } }"
)
ADDRESS = {
    "first_name": "Siti",
    "street1": "Jl. Kebon Sirih 12",
    "city": "Jakarta Pusat",
    "province": "DKI Jakarta",
    "postal_code": "10340",
    "country": "ID",
}


def settings_for(url: str) -> Settings:
    base = load_settings()
    return base.model_copy(update={"database": base.database.model_copy(update={"url": url})})


async def prepare(url: str, orders: int) -> tuple[str, list[str]]:
    settings = settings_for(url)
    host = load_plugins(settings)
    await migrate(url, host.database_apps())
    async with connected(url, host.database_apps()):
        brand = await load_catalog(50)
        await Stock.bulk_create(
            [
                Stock(variant_id=v, quantity=1_000_000)
                for v in await Variant.filter(brand=brand).values_list("id", flat=True)
            ],
            ignore_conflicts=True,
        )
        await Stock.filter(variant__brand_id=brand.id).update(quantity=1_000_000)
        zone = await ShippingZone.create(brand=brand, name="Indonesia", countries=["ID"])
        method = await ShippingMethod.create(zone=zone, name="JNE REG", carrier="JNE", min_days=2, max_days=3)
        await ShippingMethodRate.create(method=method, currency="IDR", price=Decimal(20000))
        await BrandPluginConfig.create(
            brand=brand,
            plugin="bank_transfer",
            config={"bank_name": "Bank Syariah Indonesia", "account_number": "7123456789", "account_holder": "Butik"},
        )
        brand.ships_to = ["ID"]
        await brand.save()
        variants = await Variant.filter(brand=brand).order_by("id").limit(20).values_list("id", flat=True)
        tokens = []
        for i in range(orders):
            lines = [services.LineInput(variants[i % 20], 1), services.LineInput(variants[(i + 7) % 20], 2)]
            checkout = await services.create(ANONYMOUS, brand, settings.checkout, email=f"s{i}@example.id", lines=lines)
            await services.shipping_address_update(ANONYMOUS, brand, checkout.token, ADDRESS, settings.checkout)
            await services.delivery_method_update(
                ANONYMOUS, brand, checkout.token, f"shipping_rates:{method.id}", settings.checkout, host
            )
            await completion.payment_create(ANONYMOUS, brand, checkout.token, "bank_transfer", host)
            tokens.append(checkout.token)
        return brand.slug, tokens


async def fire(base: str, slug: str, tokens: list[str], concurrency: int) -> tuple[list[float], float, int]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    latencies: list[float] = []
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            token = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json={"query": COMPLETE, "variables": {"t": token, "k": token[:16]}}
            )
            latencies.append((time.perf_counter() - started) * 1000)
            payload = response.json()["data"]["checkoutComplete"]
            failures += 0 if payload["order"] else 1

    headers = {"Lini-Storefront": slug}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed, failures


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def _cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still running (Linux `/proc`; {} elsewhere)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


async def _backend_pids(url: str) -> list[int]:
    """The PostgreSQL server processes serving the bench's database (the servers' pooled connections)."""
    if not url.startswith("postgres"):
        return []
    parts = urlsplit(url)
    conn = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres", query="")))
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", parts.path.lstrip("/"))
    finally:
        await conn.close()
    return [int(row["pid"]) for row in rows]


@dataclass
class CpuUse:
    """CPU seconds spent by the uvicorn workers, PostgreSQL's backends and the client during one phase: unlike
    orders/s, hardly moved by what else the shared machine runs (time spent waiting for a core is not counted),
    so 2,000 ms over their sum is about what the 2 cores would complete with nothing else running."""

    workers: float
    database: float
    client: float  # this process: httpx's side of the requests


async def _measured(url: str, workers: list[int], phase: Awaitable[T]) -> tuple[T, CpuUse]:
    backends = await _backend_pids(url)
    before = _cpu_seconds(workers), _cpu_seconds(backends)
    client = time.process_time()
    result = await phase
    client = time.process_time() - client
    backends = sorted({*backends, *await _backend_pids(url)})
    after = _cpu_seconds(workers), _cpu_seconds(backends)
    used = [sum(t - b.get(pid, 0.0) for pid, t in a.items()) for b, a in zip(before, after, strict=True)]
    return result, CpuUse(*used, client)


async def run(backend: str, orders: int, concurrency: int) -> str:
    async with throwaway_database(backend, DEFAULT_POSTGRES_URL) as url:
        print(f"preparing {orders} ready checkouts on {backend} ...", flush=True)
        slug, tokens = await prepare(url, orders)
        warm, tokens = tokens[:20], tokens[20:]
        # 600 completions from one address: `[rate_limits] checkout_write` would refuse most of them
        served = http._served("server:app_factory", url, {"LINI_RATE_LIMITS_ENABLED": "false"})
        with served as base:
            workers = _children(served.process.pid)
            await fire(base, slug, warm, 1)
            single, _, _ = await fire(base, slug, tokens[:50], 1)
            (latencies, elapsed, failures), cpu = await _measured(
                url, workers, fire(base, slug, tokens[50:], concurrency)
            )
    done = len(latencies)
    lines = [
        f"checkoutComplete over HTTP, uvicorn --workers {http.WORKERS}, {backend}, bank transfer, 2 lines each",
        f"  one at a time ({len(single)}): p50 {statistics.median(single):.1f} ms, p95 {percentile(single, 95):.1f} ms",
        f"  {concurrency} concurrent ({done}): p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 95):.1f} ms, {done / elapsed:.0f} orders/s, {failures} failed",
    ]
    if workers:
        per_order = [x * 1000 / done for x in (cpu.workers, cpu.database, cpu.client)]
        lines.append(
            "  CPU per order: workers {:.1f} ms + PostgreSQL {:.1f} ms + this client {:.1f} ms".format(*per_order)
            + f" = {sum(per_order):.1f} ms, i.e. {2000 / sum(per_order):.0f} orders/s on 2 free cores"
            + f" (load average {os.getloadavg()[0]:.1f})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checkout", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--orders", type=int, default=600, help="checkouts to complete (the first 70 are warm-up and single)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args(argv)
    print(asyncio.run(run(options.backend, options.orders, options.concurrency)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
