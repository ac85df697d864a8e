"""Fuzzing the whole schema with schemathesis's GraphQL mode: no answer is a 5xx, and every answer is GraphQL
JSON whose errors each carry an `extensions.code` (issue #12).

schemathesis (hypothesis-graphql underneath) writes queries and mutations for every root field, with arguments
of every type, valid and not; they are sent through the ASGI app as a storefront would, alternately anonymous and
as a platform administrator (so management code runs too), against a brand with a product. The run is seeded and
bounded (`BUDGET_SECONDS` in all, `EXAMPLES` per root field), on PostgreSQL when it is reachable (where a NUL or an
out-of-range integer would reach the driver), else on SQLite. It is marked `slow` and runs in `make test`.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from server import export_sdl
from tests.conftest import BACKENDS
from tests.factories import make_admin, make_brand, make_product

SEED = 12_2026
BUDGET_SECONDS = 100
EXAMPLES = 20
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

_decimals = st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False)
SCALARS = {
    "Decimal": st.one_of(_decimals.map(lambda d: nodes.String(str(d))), st.text(max_size=12).map(nodes.String)),
    "DateTime": st.one_of(st.datetimes().map(lambda d: nodes.String(d.isoformat() + "Z")), st.text().map(nodes.String)),
    "Date": st.one_of(st.dates().map(lambda d: nodes.String(d.isoformat())), st.text(max_size=12).map(nodes.String)),
    "JSON": st.one_of(st.just(nodes.Null), st.text(max_size=20).map(nodes.String), st.integers().map(nodes.Int)),
    "Upload": st.just(nodes.Null),
}


def _check(response: httpx.Response, query: str, failures: list[str]) -> None:
    where = f"{response.status_code} for {query[:300]!r}"
    if response.status_code >= 500:
        failures.append(f"server error {where}: {response.text[:300]}")
        return
    try:
        body = response.json()
    except ValueError:
        failures.append(f"not JSON {where}: {response.text[:200]!r}")
        return
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        failures.append(f"not a GraphQL response {where}: {body!r:.200}")
        return
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if not isinstance(error, dict) or not isinstance(error.get("message"), str) or not isinstance(code, str):
            failures.append(f"an error without a code {where}: {error!r:.300}")
        elif code == "INTERNAL_SERVER_ERROR" or "Traceback" in error["message"]:
            failures.append(f"an internal error {where}: {error!r:.300}")


@pytest.mark.parametrize("backend", [BACKENDS[-1]], indirect=True)
async def test_fuzzing_every_root_field_never_answers_5xx_or_anything_but_coded_graphql_json(client, settings):
    brand = await make_brand("sekar")
    await make_product(brand, "Gamis", slug="gamis")
    _, admin_token = await make_admin()
    for name, strategy in SCALARS.items():
        schemathesis.graphql.scalar(name, strategy)
    schema = schemathesis.graphql.from_file(export_sdl(settings))
    loop = asyncio.get_running_loop()
    failures: list[str] = []
    sent = 0
    deadline = time.monotonic() + BUDGET_SECONDS

    def post(query: str, index: int) -> httpx.Response:
        headers: dict[str, Any] = {"Lini-Storefront": "sekar"}
        if index % 2:
            headers["Authorization"] = f"Bearer {admin_token}"
        future = asyncio.run_coroutine_threadsafe(client.post("/graphql", json={"query": query}, headers=headers), loop)
        return future.result(timeout=60)

    def fuzz(operation: Any) -> None:
        @seed(SEED)
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            nonlocal sent
            if time.monotonic() > deadline:
                return
            sent += 1
            _check(post(case.body, sent), case.body, failures)

        run()

    def everything() -> None:
        for result in schema.get_all_operations():
            fuzz(result.ok())

    await asyncio.to_thread(everything)
    assert sent > 500, f"only {sent} requests were sent"
    assert not failures, f"{len(failures)} of {sent} answers failed:\n" + "\n".join(failures[:20])
