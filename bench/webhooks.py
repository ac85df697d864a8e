"""`python -m bench.webhooks`: outbox → webhook deliveries per second with 2 workers on PostgreSQL, and the delay
from an event's commit to its arrival at the receiver.

A throwaway PostgreSQL database (migrated, with the job queue's schema) gets one brand with `--webhooks`
webhooks, all on one loopback receiver (`bench.webhook_receiver`, a process of its own) and subscribed to
`product.updated`. Then:

1. **floor**: the same number of posts, of a signed envelope, sent by a bare aiohttp session (the dispatcher's
   client) with as many posts at once as one dispatcher makes at most: what the receiver and loopback allow;
2. **throughput**: `--backlog` events (× webhooks deliveries) are committed while no worker runs, then
   `--workers` `server.py worker` processes start; deliveries per second from the first arrival to the last;
3. **latency**: with the workers running, `--latency-events` events committed one transaction each at
   `--rate` per second; each delivery's delay from its commit (taken right after it) to its arrival.

Every run also counts duplicates (a webhook receiving one event id twice) and missing deliveries; both must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import aiohttp
import httpx
import orjson
from tortoise.transactions import in_transaction

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from core.actors.models import Brand, BrandStatus
from core.db import connected, migrate
from core.events import emit, webhooks_read_once
from core.jobs import schema as job_schema
from core.outbox import POSTS_AT_ONCE, WEBHOOKS_AT_ONCE
from core.plugins import load_plugins
from core.settings import load_settings
from core.webhooks import signing
from core.webhooks.models import Webhook

REPO = Path(__file__).resolve().parent.parent
EVENT = "product.updated"
SECRET = "bench-secret-" + "x" * 24


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def child(args: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A process of the bench; its output goes to a log file named on stderr if it fails."""
    log = tempfile.NamedTemporaryFile(prefix="lini-bench-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if process.returncode not in (0, -signal.SIGTERM):
            print(f"{' '.join(args)} exited with {process.returncode}: see {log.name}", file=sys.stderr)
        else:
            Path(log.name).unlink(missing_ok=True)


async def arrivals(base: str) -> list[tuple[str, str, float]]:
    """What the webhooks received so far (the floor's posts left out)."""
    async with httpx.AsyncClient(timeout=30) as client:
        rows = (await client.get(f"{base}/arrivals")).json()
    return [(str(path), str(event), float(at)) for path, event, at in rows if path.startswith("/hook/")]


async def wait_for_arrivals(base: str, count: int, *, seconds: float) -> list[tuple[str, str, float]]:
    deadline = time.monotonic() + seconds
    while True:
        seen = await arrivals(base)
        if len(seen) >= count or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.25)


async def floor(base: str, posts: int) -> float:
    """Posts per second of a bare aiohttp session (the dispatcher's client) to the same receiver, as many at once
    as one dispatcher makes at most (`WEBHOOKS_AT_ONCE` receivers x `POSTS_AT_ONCE` each)."""
    body = orjson.dumps({"id": "1", "type": EVENT, "version": 1, "brand": "bench", "data": {"id": "UHJvZHVjdDox"}})
    gate = asyncio.Semaphore(WEBHOOKS_AT_ONCE * POSTS_AT_ONCE)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200, limit_per_host=0)) as session:

        async def post(i: int) -> None:
            signature = signing.signature(SECRET, int(time.time()), body)
            headers = {"Lini-Event-Id": f"floor-{i}", "Lini-Signature": signature, "Content-Type": "application/json"}
            async with gate, session.post(f"{base}/floor/{i % 8}", data=body, headers=headers) as response:
                await response.read()
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post(i) for i in range(posts)))
        return posts / (time.perf_counter() - started)


async def commit_events(brand_id: int, count: int, *, per_transaction: int) -> dict[int, float]:
    """Commit `count` product.updated events; returns each event's commit time."""
    committed: dict[int, float] = {}
    for start in range(0, count, per_transaction):
        ids = []
        with webhooks_read_once():
            async with in_transaction():
                for n in range(start, min(start + per_transaction, count)):
                    event = await emit(EVENT, {"product_id": n}, brand_id=brand_id, object_key=f"product:{n}")
                    ids.append(event.id)
        now = time.time()
        committed.update(dict.fromkeys(ids, now))
    return committed


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def run(args: argparse.Namespace) -> None:
    async with throwaway_database("postgres", args.postgres_url) as url:
        env = {"LINI_DATABASE_URL": url, "LINI_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true"}
        settings = load_settings(env={**os.environ, **env})
        host = load_plugins(settings)
        await migrate(url, host.database_apps())
        await job_schema.install(url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with child(["-m", "bench.webhook_receiver", str(port)]):
            for _ in range(100):
                try:
                    await arrivals(base)
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
            deliveries = args.backlog * args.webhooks
            floor_rate = await floor(base, deliveries)
            async with connected(url, host.database_apps()):
                brand = await Brand.create(slug="bench", name="Bench", status=BrandStatus.APPROVED)
                for i in range(args.webhooks):
                    await Webhook.create(brand=brand, url=f"{base}/hook/{i}", events=[EVENT], secret=SECRET)
                await commit_events(brand.id, args.backlog, per_transaction=100)
                worker_args = ["server.py", "worker", "--concurrency", "2"]
                with ExitStack() as workers:
                    for _ in range(args.workers):
                        workers.enter_context(child(worker_args, env))
                    backlog = await wait_for_arrivals(base, deliveries, seconds=args.timeout)
                    first, last = min(row[2] for row in backlog), max(row[2] for row in backlog)
                    throughput = len(backlog) / (last - first)
                    committed: dict[int, float] = {}
                    for _ in range(args.latency_events):
                        committed |= await commit_events(brand.id, 1, per_transaction=1)
                        await asyncio.sleep(1 / args.rate)
                    total = deliveries + args.latency_events * args.webhooks
                    everything = await wait_for_arrivals(base, total, seconds=args.timeout)
        hooks = everything
        delays = [(at - committed[int(event)]) * 1000 for _, event, at in hooks if int(event) in committed]
        duplicates = sum(n - 1 for n in Counter((path, event) for path, event, _ in hooks).values() if n > 1)
        print(f"webhooks: {args.webhooks} on one loopback receiver, {args.workers} worker processes, PostgreSQL")
        print(f"floor (bare aiohttp, one process)      {floor_rate:8.0f} posts/s")
        print(f"backlog of {deliveries} deliveries             {throughput:8.0f} deliveries/s")
        print(
            f"commit -> arrival ({len(delays)} deliveries at {args.rate:g} events/s)  "
            f"p50 {percentile(delays, 0.5):.0f} ms, p95 {percentile(delays, 0.95):.0f} ms, "
            f"p99 {percentile(delays, 0.99):.0f} ms, max {max(delays):.0f} ms"
        )
        print(f"duplicates {duplicates}, missing {total - len({(p, e) for p, e, _ in hooks})}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--webhooks", type=int, default=8)
    parser.add_argument("--backlog", type=int, default=1000, help="events committed before the workers start")
    parser.add_argument("--latency-events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20, help="events per second in the latency phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
