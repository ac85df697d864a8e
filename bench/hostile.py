"""`python -m bench.hostile`: what hostile requests cost a served Lini, and whether `/health` keeps answering.

The cases are issue #12's (plus a few of the same families): each is sent `--concurrency` times at once,
`--rounds` times, to `uvicorn server:app_factory --workers 2` on loopback, against a throwaway PostgreSQL
database holding the demo, while another thread asks `/health` every 20 ms. The table says, per case, the HTTP
status and error code of the answer, `ms`: the slowest of the concurrent answers (median over the rounds), and
the slowest `/health` answer meanwhile. The client runs on the same 2 cores as the server.

`--repo DIR` serves another checkout (e.g. `git archive <commit> | tar -x -C DIR`) with the same cases, so a
change can be measured before and after. Timing is printed, never asserted: the tests check the answers.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from bench.http import _free_port

REPO = Path(__file__).resolve().parent.parent
SLUG = "sekar-modest"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    case: str
    status: int | str
    code: str
    ms: float
    health_ms: float
    size: int


def _gid(kind: str, id: object) -> str:
    return base64.b64encode(f"{kind}:{id}".encode()).decode()


def _query(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return orjson.dumps({"query": query, "variables": variables or {}})


def _nested_list(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _nested_object(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def cases(product_ids: list[str]) -> list[Case]:
    storefront = {**JSON, "Lini-Storefront": SLUG}
    fanout = "query { ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20))
    fanout += " fragment F20 on Query { __typename }"
    ids = (product_ids * (100 // max(len(product_ids), 1) + 1))[:100]
    heavy = "... on Product { id name slug description variants { sku price { amount currency } } media { url alt } }"
    nodes = "query($ids: [ID!]!) { " + " ".join(f"n{i}: nodes(ids: $ids) {{ {heavy} }}" for i in range(28)) + " }"
    deep_vars = b'{"query":"{ __typename }","variables":{"v":' + _nested_list(100_000) + b"}}"
    deep_json = b'{"query":"query($c: JSON) { __typename }","variables":{"c":' + _nested_object(5_000) + b"}}"
    repeated = "{ " + "products { totalCount } " * 1200 + "}"
    return [
        Case("1 fragment fan-out (784 B)", _query(fanout), storefront),
        Case("2 28 x nodes(ids: 100 ids)", _query(nodes, {"ids": ids}), storefront),
        Case(
            "3 products(first: 10^20)",
            _query("{ products(first: 99999999999999999999) { edges { node { id } } } }"),
            storefront,
        ),
        Case("4a variables 100,000 deep", deep_vars, storefront),
        Case("4b JSON variable 5,000 objects deep", deep_json, storefront),
        Case('5a body "hello"', b'"hello"', storefront),
        Case("5b body null", b"null", storefront),
        Case("5c body invalid UTF-8", b'{"query": "{ __typename \xff\xfe }"}', storefront),
        Case(
            "6a NUL in a string argument",
            _query("query($s: String!) { product(slug: $s) { name } }", {"s": "gamis\u0000"}),
            storefront,
        ),
        Case(
            "6b global ID Product:10^23",
            _query(f'{{ node(id: "{_gid("Product", 99999999999999999999999)}") {{ id }} }}'),
            storefront,
        ),
        Case("7 1,200 x products { totalCount }", _query(repeated), storefront),
        Case("x selection sets nested 2,000 deep", _query("{ " + "a { " * 2000 + "b" + " }" * 2000 + " }"), storefront),
        Case(
            "x 500 fragments spread side by side",
            _query(
                "{ "
                + " ".join(f"...F{i}" for i in range(500))
                + " } "
                + " ".join(f"fragment F{i} on Query {{ __typename }}" for i in range(500))
            ),
            storefront,
        ),
        Case(
            "x unknown persisted query hash",
            orjson.dumps({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}}),
            storefront,
        ),
        Case(
            "x catalog page (a normal request)",
            _query("{ products(first: 20) { edges { node { id name variants { sku price { amount } } } } } }"),
            storefront,
        ),
    ]


def run(repo: Path, url: str, *, workers: int, concurrency: int, timeout: float, rounds: int) -> list[Outcome]:
    env = {
        **os.environ,
        "LINI_DATABASE_URL": url,
        "LINI_SERVER_ENVIRONMENT": "production",
        "LINI_SECRET_KEY": secrets.token_urlsafe(48),
        "PYTHONPATH": str(repo),
    }
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run([sys.executable, "server.py", *command], cwd=repo, env=env, check=True, capture_output=True)
    with _Served(repo, env, workers) as base:
        product_ids = _product_ids(base)
        return [_measure(base, case, concurrency, timeout, rounds) for case in cases(product_ids)]


def _product_ids(base: str) -> list[str]:
    body = _query("{ products(first: 100) { edges { node { id } } } }")
    answer = httpx.post(f"{base}/graphql", content=body, headers={**JSON, "Lini-Storefront": SLUG}, timeout=30)
    return [edge["node"]["id"] for edge in answer.json()["data"]["products"]["edges"]]


def _measure(base: str, case: Case, concurrency: int, timeout: float, rounds: int) -> Outcome:
    """`rounds` times, `concurrency` copies at once: the median round's slowest answer, and the slowest
    `/health` of all rounds."""
    stop = threading.Event()
    health: list[float] = []
    pinger = threading.Thread(target=_ping_health, args=(base, stop, health), daemon=True)
    pinger.start()
    time.sleep(0.1)
    slowest: list[float] = []
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(rounds):
            answers = list(pool.map(lambda _: _post(base, case, timeout), range(concurrency)))
            slowest.append(max(a[0] for a in answers))
    time.sleep(0.1)
    stop.set()
    pinger.join()
    status, code, size = answers[0][1:]
    return Outcome(case.name, status, code, statistics.median(slowest), max(health, default=float("nan")), size)


_clients = threading.local()


def _client(timeout: float) -> httpx.Client:
    """One kept-alive client per sending thread: a new httpx client per request costs ~20 ms of its own (an SSL
    context), which would be timed as the server's."""
    if not hasattr(_clients, "client"):
        _clients.client = httpx.Client(timeout=timeout)
    return _clients.client


_sent = itertools.count()


def _post(base: str, case: Case, timeout: float) -> tuple[float, int | str, str, int]:
    """Each copy of a query starts with a comment of its own length, as an attacker would write it, so no copy
    is answered from a cache of parsed or validated documents (a comment of the same length would be: the
    cached documents compare by their tokens' positions)."""
    client = _client(timeout)
    comment = b"#" + b"-" * (next(_sent) % 5000) + b"\\n"
    body = case.body.replace(b'"query":"', b'"query":"' + comment, 1)
    started = time.perf_counter()
    try:
        response = client.post(f"{base}/graphql", content=body, headers=case.headers)
    except httpx.HTTPError as error:
        client.close()
        del _clients.client
        return (time.perf_counter() - started) * 1000, type(error).__name__, "-", 0
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 500:  # the server may close the connection after it: start a new one next time
        client.close()
        del _clients.client
    return elapsed, response.status_code, _code(response), len(response.content)


def _code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"(not JSON: {response.text[:30]!r})"
    if not isinstance(body, dict):
        return "(not an object)"
    errors = body.get("errors") or []
    if not errors:
        return "(data)"
    return str((errors[0].get("extensions") or {}).get("code") or f"(no code: {errors[0].get('message', '')[:40]})")


def _ping_health(base: str, stop: threading.Event, samples: list[float]) -> None:
    with httpx.Client(timeout=120) as client:
        while not stop.is_set():
            started = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):
                client.get(f"{base}/health")
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)


class _Served:
    """`uvicorn server:app_factory --factory --workers N` from `repo`, on a free loopback port."""

    def __init__(self, repo: Path, env: dict[str, str], workers: int) -> None:
        self.repo, self.env, self.workers = repo, env, workers

    def __enter__(self) -> str:
        port = _free_port()
        command = [sys.executable, "-m", "uvicorn", "server:app_factory", "--factory", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", str(self.workers), "--no-access-log", "--log-level", "error"]
        self.process = subprocess.Popen(command, cwd=self.repo, env=self.env, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def table(outcomes: list[Outcome], *, markdown: bool = False) -> str:
    header = ("case", "status", "code", "ms", "/health ms (slowest)", "bytes")
    rows = [(o.case, str(o.status), o.code, f"{o.ms:.0f}", f"{o.health_ms:.0f}", str(o.size)) for o in outcomes]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    render: Callable[[Sequence[str]], str] = lambda row: "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))  # noqa: E731
    return "\n".join([render(header), "-" * (sum(widths) + 2 * len(widths)), *map(render, rows)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to serve (default: this one)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="server to create a throwaway db on")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=3, help="copies of each case sent at once")
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for one answer")
    parser.add_argument("--rounds", type=int, default=3, help="times each case is sent (the median is shown)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    import asyncio

    async def database() -> list[Outcome]:
        async with throwaway_database("postgres", args.postgres_url) as url:
            return await asyncio.to_thread(
                run,
                args.repo.resolve(),
                url,
                workers=args.workers,
                concurrency=args.concurrency,
                timeout=args.timeout,
                rounds=args.rounds,
            )

    print(table(asyncio.run(database()), markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
