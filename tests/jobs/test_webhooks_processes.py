"""Two server processes and two worker processes on one PostgreSQL database, as a deployment runs them: every
event a server commits reaches each webhook once, each product's events in order, each periodic run happens
once, and a worker killed (SIGKILL) while it is posting loses nothing."""

from __future__ import annotations

import asyncio
import itertools
import signal
import socket
from collections import Counter
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from core.events import Event
from core.webhooks.models import Webhook
from tests.factories import make_brand, make_staff
from tests.jobs.test_workers_postgres import postgres_only, process, wait_for
from tests.plugins import job_plugin

PRODUCTS = 30
CREATE = (
    "mutation($n: String!, $b: String!) "
    "{ productCreate(input: {name: $n}, brand: $b) { product { id } errors { code } } }"
)
UPDATE = "mutation($id: ID!, $n: String!) { productUpdate(id: $id, input: {name: $n}) { errors { code } } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def answering(base: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            return (await client.get(base)).status_code < 500
    except httpx.HTTPError:
        return False


@pytest.mark.slow
@postgres_only
async def test_two_servers_and_two_workers_deliver_every_event_once_in_order_and_survive_a_killed_worker(
    app: Starlette, database_url: str, tmp_path: Path
) -> None:
    brand = await make_brand()
    _, token = await make_staff(brand)
    receiver_port, ports = free_port(), [free_port(), free_port()]
    receiver = f"http://127.0.0.1:{receiver_port}"
    for n in range(2):
        await Webhook.create(
            brand=brand, url=f"{receiver}/hook/{n}", events=["product.created", "product.updated"], secret="s" * 32
        )
    ticks = tmp_path / "ticks.log"
    env = {
        "LINI_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",
        "LINI_WEBHOOKS_TIMEOUT_SECONDS": "2",
        "LINI_JOBS_DELIVERY_LEASE_SECONDS": "3",  # the killed worker's claims run out quickly
        "LINI_RATE_LIMITS_ENABLED": "false",
        "LINI_SERVER_WORKERS": "1",
        "BENCH_RECEIVER_DELAY_MS": "15",  # a slow receiver: the kill lands while posts are under way
        job_plugin.LOG_ENV: str(ticks),
    }
    worker = ["-m", "tests.jobs.worker_process"]
    with (
        process(["-m", "bench.webhook_receiver", str(receiver_port)], database_url, **env),
        process(["server.py", "serve", "--port", str(ports[0])], database_url, **env),
        process(["server.py", "serve", "--port", str(ports[1])], database_url, **env),
        process(worker, database_url, **env) as doomed,
        process(worker, database_url, **env),
    ):
        servers = itertools.cycle(f"http://127.0.0.1:{port}/graphql" for port in ports)
        for base in (f"{receiver}/arrivals", *(f"http://127.0.0.1:{port}/health" for port in ports)):
            assert await wait_for(lambda base=base: answering(base), seconds=60), f"{base} is not answering"

        async with httpx.AsyncClient(timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:

            async def call(query: str, **variables: str) -> dict:
                answer = (await client.post(next(servers), json={"query": query, "variables": variables})).json()
                assert "errors" not in answer, answer
                return answer["data"]

            created = await asyncio.gather(*(call(CREATE, n=f"Gamis {i}", b=brand.slug) for i in range(PRODUCTS)))
            assert all(data["productCreate"]["product"] for data in created), created
            ids = [data["productCreate"]["product"]["id"] for data in created]
            await asyncio.sleep(0.3)
            doomed.popen.send_signal(signal.SIGKILL)  # mid-delivery: 60 posts of 15 ms each are under way
            await asyncio.gather(*(call(UPDATE, id=product, n=f"Gamis {i} (new)") for i, product in enumerate(ids)))

        committed = await Event.filter(brand_id=brand.id, type__in=["product.created", "product.updated"]).count()
        assert committed >= 2 * PRODUCTS
        expected = 2 * committed  # to two webhooks

        async def arrived() -> list[tuple[str, str, float]]:
            async with httpx.AsyncClient(timeout=10) as client:
                return [tuple(row) for row in (await client.get(f"{receiver}/arrivals")).json()]

        async def all_arrived() -> bool:
            return len(await arrived()) >= expected

        assert await wait_for(all_arrived, seconds=60), f"{len(await arrived())} of {expected} arrived"
        await asyncio.sleep(1)  # anything delivered twice would arrive by now
        arrivals = await arrived()

    assert doomed.popen.returncode == -signal.SIGKILL
    assert Counter(Counter((path, event) for path, event, _ in arrivals).values()) == {1: expected}, "a duplicate"
    events = {event.id: event for event in await Event.filter(type__in=["product.created", "product.updated"])}
    for path in ("/hook/0", "/hook/1"):
        seen = [events[int(event)] for where, event, _ in sorted(arrivals, key=lambda row: row[2]) if where == path]
        for product_id in {event.payload["product_id"] for event in seen}:
            kinds = [event.type for event in seen if event.payload["product_id"] == product_id]
            assert kinds[0] == "product.created" and "product.updated" in kinds, (path, product_id, kinds)
            in_order = sorted(seen, key=lambda event: event.id)
            assert [e.id for e in seen if e.payload["product_id"] == product_id] == [
                e.id for e in in_order if e.payload["product_id"] == product_id
            ], (path, product_id)
    runs = Counter(line.split()[0] for line in ticks.read_text().splitlines())
    assert runs and set(runs.values()) == {1}, f"a periodic run happened twice: {runs}"
