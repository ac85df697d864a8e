"""The catalog page over HTTP: uvicorn with 2 workers on loopback, loaded by wrk (`apt-get install -y wrk`).

Two wrk runs per server: one connection (a single request's latency, one at a time) and `CONNECTIONS`
connections (throughput). wrk shares the machine's cores with the server, so compare the GraphQL and floor
rows of one run rather than absolute numbers across days.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

WORKERS = 2
CONNECTIONS = 16
REPO = Path(__file__).resolve().parent.parent
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True)
class Load:
    label: str
    connections: int
    per_second: float
    p50_ms: float
    p99_ms: float


def available() -> bool:
    return shutil.which("wrk") is not None


# What `run` serves by default: (label, uvicorn factory, environment); GraphQL's own work, uncached.
UNCACHED = {"LINI_CACHE_ENABLED": "false"}
SERVERS = (("GraphQL over HTTP", "server:app_factory", UNCACHED), ("floor over HTTP", "bench.floor:server_app", {}))


def run(
    url: str,
    slug: str,
    body: bytes,
    *,
    seconds: int,
    servers: tuple[tuple[str, str, dict[str, str]], ...] = SERVERS,
    connections: tuple[int, ...] = (1, CONNECTIONS),
) -> list[Load]:
    """Serve each app in turn with uvicorn against the bench database and load it with wrk, once per number
    of `connections`."""
    loads = []
    for label, app, env in servers:
        with _served(app, url, env) as base, tempfile.TemporaryDirectory() as folder:
            _check(base, slug, body)
            script = Path(folder) / "post.lua"
            script.write_text(_lua(slug, body), encoding="utf-8")
            for count in connections:
                loads.append(_wrk(label, base, script, count, seconds))
    return loads


def table(loads: list[Load]) -> str:
    width = max(len(x.label) for x in loads)
    header = f"{'':{width}}  {'conns':>5}  {'req/s':>8}  {'p50 ms':>8}  {'p99 ms':>8}"
    rows = [
        f"{x.label:{width}}  {x.connections:5d}  {x.per_second:8.0f}  {x.p50_ms:8.2f}  {x.p99_ms:8.2f}" for x in loads
    ]
    return "\n".join([header, "-" * len(header), *rows])


class _served:
    """`uvicorn <app> --factory --workers 2` on a free loopback port, until the block ends."""

    def __init__(self, app: str, url: str, env: dict[str, str] | None = None) -> None:
        self.app, self.url, self.env = app, url, env or {}

    def __enter__(self) -> str:
        port = _free_port()
        env = {**os.environ, "LINI_DATABASE_URL": self.url, "LINI_SERVER_ENVIRONMENT": "development", **self.env}
        command = [sys.executable, "-m", "uvicorn", self.app, "--factory", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=REPO, env=env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code in (200, 404):
                    return base
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"uvicorn {self.app} did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _check(base: str, slug: str, body: bytes) -> None:
    response = httpx.post(f"{base}/graphql", content=body, headers=_headers(slug), timeout=10)
    if response.status_code != 200 or response.json().get("errors") or not response.json().get("data"):
        raise RuntimeError(f"{base}: HTTP {response.status_code}: {response.text[:300]}")


def _headers(slug: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "Lini-Storefront": slug}


def _lua(slug: str, body: bytes) -> str:
    headers = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in _headers(slug).items())
    return f'wrk.method = "POST"\nwrk.body = [==[{body.decode()}]==]\n{headers}'


def _wrk(label: str, base: str, script: Path, connections: int, seconds: int) -> Load:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), f"{base}/graphql"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors:\n{out}")
    return Load(
        label=label,
        connections=connections,
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency(out, "50%"),
        p99_ms=_latency(out, "99%"),
    )


def _latency(out: str, percentile: str) -> float:
    found = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no {percentile} latency in wrk's output:\n{out}")
    return float(found.group(1)) * UNITS[found.group(2)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
