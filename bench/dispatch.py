"""`python -m bench.dispatch`: what tailor dispatch costs (issue 16's targets).

1. Ranking one job over 1,000 tailors (target ≤ 20 ms): a throwaway database gets one brand, 1,000 approved
   certified tailors (garment types, capacities, coordinates around Bandung, Jakarta, Solo and Kuala Lumpur) with
   3,000 finished jobs of history and QC inspections (their outcome rows rebuilt as migration 0015 does), making
   prices from two tailors in three, and one queued job; `dispatch.rank` (core's judged roster,
   track records and the strategy's vector scores, as every offer runs it) is timed; then `dispatchExplain`
   through the GraphQL schema, which adds every candidate's words.
2. A batch of 10,000 jobs over 1,000 tailors (target ≤ 2 s): the placement itself (`solver.solve`) on jobs of 40
   kinds (garment type × due date) and the tailors' slots, greedy by due date as it runs past SOLVER_MAX_JOBS;
   then, at sizes the exact solver takes, its total beside greedy's (it must never be lower).
3. `dispatchBatch`'s service on the database for 100 jobs (the API's page): judging, scores and writing offers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from tortoise import connections

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from core.actors.models import ActorStatus, Brand, BrandStatus, Certification, CertificationStatus, Tailor, TailorKind
from core.auth.models import User
from core.auth.permissions import Permission
from core.context import SYSTEM, Actor, ActorKind
from core.db import connected, migrate
from core.garments import outcomes
from core.garments.models import JobStage, ProductionJob, QcInspection
from core.jobs.schema import install as install_queue
from core.orders.models import Order, OrderLine
from core.plugins import load_plugins
from core.settings import load_settings
from plugins.tailor_dispatch import batch, dispatch, strategies
from plugins.tailor_dispatch.models import DispatchPrice
from plugins.tailor_dispatch.solver import SOLVER_MAX_JOBS, Method, Problem, slots, solve
from schema import build_schema
from schema.relay import encode_id
from server import tune_gc


class ExplainContext:
    """The little of a request's context the dispatch fields read: the signed-in staff member."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor

    async def actor(self) -> Actor:
        return self._actor


TAILORS = 1000
HISTORY = 3000
CITIES = {
    "Bandung": (-6.9147, 107.6098, "ID"),
    "Jakarta": (-6.2088, 106.8456, "ID"),
    "Solo": (-7.5755, 110.8243, "ID"),
    "Kuala Lumpur": (3.1390, 101.6869, "MY"),
}
TYPES = ["GAMIS", "KEBAYA", "BAJU_KOKO", "ABAYA", "SHIRT"]
TODAY = date.today()


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


async def timed(call: Callable[[], Awaitable[Any]], rounds: int) -> list[float]:
    await call()  # warm
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def cpu_ms(call: Callable[[], Awaitable[Any]], rounds: int) -> float:
    """The process's CPU time per call (SQLite's worker thread included), p50: what the wall time is beside it."""
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        await call()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


async def statements_of(call: Callable[[], Awaitable[Any]]) -> list[tuple[str, str, list[Any]]]:
    """The statements one call sends, in order (method, SQL, parameters), recorded on the connection."""
    client = connections.get("default")
    seen: list[tuple[str, str, list[Any]]] = []
    names = ("execute_query", "execute_query_dict")
    originals = {name: getattr(client, name) for name in names}

    def recording(name: str) -> Callable[..., Awaitable[Any]]:
        async def run(sql: str, values: list[Any] | None = None) -> Any:
            seen.append((name, sql, list(values or [])))
            return await originals[name](sql, values)

        return run

    for name in names:
        setattr(client, name, recording(name))
    try:
        await call()
    finally:
        for name in names:
            delattr(client, name)
    return seen


def replay(statements: list[tuple[str, str, list[Any]]]) -> Callable[[], Awaitable[None]]:
    """The floor of a call: its very statements sent raw, one after another, rows fetched and dropped."""
    client = connections.get("default")

    async def run() -> None:
        for name, sql, values in statements:
            await getattr(client, name)(sql, values)

    return run


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


async def seed(rng: random.Random) -> tuple[Brand, list[int]]:
    brand = await Brand.create(
        slug="bench-dispatch", name="Bench Dispatch", status=BrandStatus.APPROVED, ships_to=["ID", "MY"]
    )
    users = await User.bulk_create([User(email=f"t{i}@bench.example.id", password_hash="x") for i in range(TAILORS)])
    users = await User.filter(email__endswith="@bench.example.id").order_by("id")
    cities = list(CITIES.items())
    made = []
    for i, user in enumerate(users):
        city, (lat, lon, country) = cities[i % len(cities)]
        made.append(
            Tailor(
                user_id=user.id,
                kind=TailorKind.WORKSHOP if i % 3 == 0 else TailorKind.INDIVIDUAL,
                display_name=f"Penjahit {i:04}",
                city=city,
                country=country,
                latitude=Decimal(f"{lat + rng.uniform(-0.3, 0.3):.6f}"),
                longitude=Decimal(f"{lon + rng.uniform(-0.3, 0.3):.6f}"),
                status=ActorStatus.APPROVED,
                garment_types=["GAMIS", *rng.sample(TYPES[1:], 2)],
                capacity=rng.randint(1, 8),
                lead_time_days=rng.randint(3, 10),
            )
        )
    await Tailor.bulk_create(made)
    tailors = await Tailor.filter(display_name__startswith="Penjahit ").order_by("id")
    await Certification.bulk_create(
        [
            Certification(
                tailor_id=t.id,
                scheme="SKKNI Menjahit",
                certificate_number=f"LSP-B-{t.id}",
                lsp="LSP Garmen",
                issued_on=TODAY - timedelta(days=400),
                valid_until=TODAY + timedelta(days=rng.choice([5, 600, 900])),
                status=CertificationStatus.VERIFIED,
            )
            for t in tailors
        ]
    )
    order = await Order.create(
        brand_id=brand.id,
        number=1,
        email="c@example.id",
        currency="IDR",
        status="IN_PRODUCTION",
        subtotal_amount=0,
        total_amount=0,
    )
    line = await OrderLine.create(
        order_id=order.id, product_name="Gamis", quantity=1, unit_price_net=0, unit_price_gross=0, total_amount=0
    )
    started = datetime.now(UTC) - timedelta(days=200)
    history = [
        ProductionJob(
            brand_id=brand.id,
            order_id=order.id,
            order_line_id=line.id,
            garment_type_code="GAMIS",
            stage=JobStage.SHIPPED,
            tailor_id=rng.choice(tailors).id,
            ready_by=TODAY - timedelta(days=rng.randint(1, 150)),
            assigned_at=started + timedelta(hours=i),
        )
        for i in range(HISTORY)
    ]
    await ProductionJob.bulk_create(history, batch_size=500)
    done = await ProductionJob.filter(stage=JobStage.SHIPPED).values_list("id", flat=True)
    await QcInspection.bulk_create([QcInspection(job_id=j, passed=rng.random() < 0.85) for j in done], batch_size=500)
    # Two tailors in three ask a making price for each garment type they make (the PRICE term's one query), drawn
    # from a generator of their own so the roster and the queued jobs stay those of the figures before PRICE.
    asks = random.Random(17)
    await DispatchPrice.bulk_create(
        [
            DispatchPrice(
                tailor_id=t.id, garment_type_code=code, currency="IDR", amount=Decimal(asks.randrange(150, 600) * 1000)
            )
            for n, t in enumerate(tailors)
            if n % 3
            for code in t.garment_types
        ],
        batch_size=500,
    )
    await outcomes.rebuild()  # the history was bulk-written past core's operations: its outcome rows, as 0015 does
    queued = [
        ProductionJob(
            brand_id=brand.id,
            order_id=order.id,
            order_line_id=line.id,
            garment_type_code=rng.choice(TYPES[:3]),
            stage=JobStage.QUEUED,
            ready_by=TODAY + timedelta(days=rng.choice([14, 21, 28])),
        )
        for _ in range(101)
    ]
    await ProductionJob.bulk_create(queued)
    ids = list(await ProductionJob.filter(stage=JobStage.QUEUED).order_by("id").values_list("id", flat=True))
    return brand, ids


def synthetic(jobs: int, tailors: int, rng: np.random.Generator) -> Problem:
    """Jobs of 40 kinds, each kind open to about 40% of the tailors; 1–8 places, scores as the ranking gives."""
    places = rng.integers(1, 9, tailors)
    score = rng.uniform(0.3, 0.9, tailors)
    slot_tailor, slot_score = slots(places.tolist(), score.tolist(), (0.15 / places).tolist())
    return Problem(
        kinds=rng.integers(0, 40, jobs).astype(np.intp),
        eligible=rng.random((40, tailors)) < 0.4,
        due=[(int(d), j) for j, d in enumerate(rng.integers(0, 60, jobs))],
        slot_tailor=slot_tailor,
        slot_score=slot_score,
    )


def solver_part() -> list[str]:
    rng = np.random.default_rng(16)
    lines = []
    big = synthetic(10_000, TAILORS, rng)
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        found = solve(big)
        samples.append((time.perf_counter() - started) * 1000)
    placed = sum(t is not None for t in found.tailor_of)
    lines.append(
        f"batch 10,000 jobs × {TAILORS} tailors ({len(big.slot_tailor)} slots), {found.method}: {ms(samples)}"
        f"   placed {placed}, total {found.total:.1f}"
    )
    for size in (100, 200, SOLVER_MAX_JOBS):
        problem = synthetic(size, TAILORS, rng)
        started = time.perf_counter()
        exact = solve(problem, method=Method.LINEAR_SUM_ASSIGNMENT)
        exact_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        greedy = solve(problem, method=Method.GREEDY_BY_DUE_DATE)
        greedy_ms = (time.perf_counter() - started) * 1000
        verdict = "ok" if exact.total >= greedy.total - 1e-9 else "SOLVER BELOW GREEDY"
        lines.append(
            f"batch {size:>5} jobs: solver {exact.total:8.3f} in {exact_ms:6.1f} ms, greedy {greedy.total:8.3f} "
            f"in {greedy_ms:5.1f} ms  ({verdict})"
        )
        if verdict != "ok":
            raise SystemExit("\n".join(lines))
    return lines


async def run(backend: str, rounds: int) -> str:
    settings = load_settings(env={})
    lines = [f"tailor dispatch on {backend}"]
    async with throwaway_database(backend, DEFAULT_POSTGRES_URL) as url:
        host = load_plugins(settings, env={})
        await migrate(url, host.database_apps())
        if backend == "postgres":
            await install_queue(url)  # procrastinate's tables, as `server.py migrate` does: offers defer expiries
        async with connected(url, host.database_apps()):
            brand, queued = await seed(random.Random(16))
            strategies.install(host)  # what the plugin's `startup` does in a server
            tune_gc()  # as `server.py serve` does: the collector off the request path
            staff = Actor(kind=ActorKind.USER, user_id=0, brand_permissions={brand.id: frozenset(Permission)})
            for table in (
                "production_job",
                "production_job_outcome",
                "qc_inspection",
                "production_stage_change",
                "tailor",
                "certification",
                "tailor_dispatch_price",
            ):
                await connections.get("default").execute_script(f"ANALYZE {table}")  # as autovacuum keeps them
            found = await dispatch.rank(SYSTEM, queued[0])
            lines.append(f"before timing: {load()}")
            samples = await timed(lambda: dispatch.rank(SYSTEM, queued[0]), rounds)
            cpu = await cpu_ms(lambda: dispatch.rank(SYSTEM, queued[0]), rounds)
            statements = await statements_of(lambda: dispatch.rank(SYSTEM, queued[0]))
            floor = await timed(replay(statements), rounds)
            lines.append(
                f"rank 1 job over {len(found.judged.roster)} tailors "
                f"({len(found.order)} eligible): {ms(samples)}   (target ≤ 20 ms), CPU p50 {cpu:.1f} ms"
            )
            lines.append(f"  floor, its {len(statements)} statements sent raw: {ms(floor)}")
            schema = build_schema(host)
            query = "query($j: ID!) { dispatchExplain(jobId: $j) { candidates { rank score terms { value detail } } } }"
            variables = {"j": str(encode_id("ProductionJob", queued[0]))}

            async def explain() -> None:
                answer = await schema.execute(query, variables, context_value=ExplainContext(staff))
                assert answer.errors is None, answer.errors

            samples = await timed(explain, max(5, rounds // 5))
            lines.append(f"dispatchExplain over GraphQL, all {len(found.judged.roster)} tailors' words: {ms(samples)}")
            started = time.perf_counter()
            result = await batch.run(staff, brand, queued[1:], limit=100)
            lines.append(
                f"dispatchBatch service, 100 jobs on the database: {(time.perf_counter() - started) * 1000:.0f} ms, "
                f"{len(result.placed)} offers, {len(result.unplaced)} unplaced, {result.method}"
            )
    lines += solver_part()
    lines.append(f"after: {load()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args(argv)
    print(asyncio.run(run(args.backend, args.rounds)))


if __name__ == "__main__":
    main(sys.argv[1:])
