"""`python -m bench.startup`: how fast Lini starts (issue #13, item 4), each figure from real processes.

1. `server.py migrate` on a fresh database (a temporary SQLite file, or a throwaway PostgreSQL database):
   wall time of the whole command, imports included;
2. `server.py serve` against that database: time from spawning the process to the first `200` from
   `/health` (polled every 10 ms);
3. the resident memory (VmRSS) of each serving process once it has answered and idled for a second
   (with `--workers 2` on PostgreSQL: each worker; uvicorn's supervisor process is listed apart);
4. where an import-time and start-up profile of the app goes (`-X importtime`, top modules), with
   `--imports`.

Each is run `--rounds` times (default 3) and the median is reported; the machine is shared, so read them
beside the floor of the same run: `python -c pass` and `import tortoise, strawberry` are timed too, and beside
the CPU time the processes used (user + system: of `migrate` to its exit, of `serve` to its first healthy
answer, read from /proc), which a loaded machine inflates far less than the wall time; the load average is
printed with them. Whether Lini's own modules load from cached bytecode is said too: with
PYTHONDONTWRITEBYTECODE set and no `__pycache__` (no `make install` since), every start compiles them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["LINI_DATABASE_URL"] = url
    env.setdefault("LINI_SECRET_KEY", "bench-startup-secret-key-0123456789abcdef")
    return env


def timed_command(args: list[str], env: dict[str, str] | None = None) -> float:
    return timed_with_cpu(args, env)[0]


def timed_with_cpu(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and the CPU seconds (user + system) of the command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process so far (/proc/PID/stat, fields 14 and 15, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _bytecode_cached() -> bool:
    """Whether server.py's own imports find compiled bytecode (or may write it)."""
    if not sys.flags.dont_write_bytecode and not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return True
    return (ROOT / "core" / "__pycache__").is_dir() and (ROOT / "schema" / "__pycache__").is_dir()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def serve_once(url: str, workers: int) -> tuple[float, float, list[float], float]:
    """Seconds to the first healthy answer and the CPU seconds spent by then (the process and its workers);
    the RSS of each serving process and of the supervisor (MB)."""
    port = _free_port()
    args = [PYTHON, "server.py", "serve", "--port", str(port), "--workers", str(workers)]
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=_env(url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = None
        with httpx.Client(timeout=1.0) as client:
            while time.perf_counter() - start < 60:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"serve exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}"
                    )
                try:
                    if client.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        ready = time.perf_counter() - start
                        cpu = sum(_cpu_seconds(pid) for pid in [process.pid, *_children(process.pid)])
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.01)
            if ready is None:
                raise RuntimeError("no healthy answer within 60 s")
            if workers > 1:  # let every worker come up and answer once
                time.sleep(1.5)
                for _ in range(4 * workers):
                    client.get(f"http://127.0.0.1:{port}/health")
        time.sleep(1.0)
        serving = [process.pid] if workers == 1 else _children(process.pid)
        rss = [_rss_mb(pid) for pid in serving]
        supervisor = _rss_mb(process.pid) if workers > 1 else 0.0
        return ready, cpu, rss, supervisor
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


async def _round(backend: str, postgres_url: str, workers: int) -> dict[str, float | list[float]]:
    async with throwaway_database(backend, postgres_url) as url:
        migrate, migrate_cpu = timed_with_cpu([PYTHON, "server.py", "migrate"], _env(url))
        ready, ready_cpu, rss, supervisor = await asyncio.to_thread(serve_once, url, workers)
    return {
        "migrate": migrate,
        "migrate_cpu": migrate_cpu,
        "health": ready,
        "health_cpu": ready_cpu,
        "rss": rss,
        "supervisor": supervisor,
    }


def imports_profile(top: int = 15) -> str:
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import server"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return "\n".join(f"{cumulative / 1000:8.0f} ms  {name}" for cumulative, name in rows[:top])


def _list(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--workers", type=int, help="default: 1 on SQLite, 2 on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--imports", action="store_true", help="also list the slowest imports of `import server`")
    args = parser.parse_args(argv)
    workers = args.workers or (1 if args.backend == "sqlite" else 2)
    baseline = statistics.median(timed_command([PYTHON, "-c", "pass"]) for _ in range(3))
    libraries = statistics.median(
        timed_command([PYTHON, "-c", "import tortoise, strawberry, starlette"]) for _ in range(3)
    )
    rounds = [asyncio.run(_round(args.backend, args.postgres_url, workers)) for _ in range(args.rounds)]
    migrates = [float(r["migrate"]) for r in rounds]  # type: ignore[arg-type]
    healths = [float(r["health"]) for r in rounds]  # type: ignore[arg-type]
    migrate_cpu = statistics.median(float(r["migrate_cpu"]) for r in rounds)  # type: ignore[arg-type]
    health_cpu = statistics.median(float(r["health_cpu"]) for r in rounds)  # type: ignore[arg-type]
    rss = [statistics.median(values) for values in zip(*(r["rss"] for r in rounds), strict=False)]
    supervisor = statistics.median(float(r["supervisor"]) for r in rounds)  # type: ignore[arg-type]
    print(f"Start-up on {args.backend}, {workers} worker(s), median of {args.rounds} rounds")
    print(f"  floor: python -c pass {baseline:.2f} s; import tortoise, strawberry, starlette {libraries:.2f} s")
    print(
        f"  load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}; bytecode cached: {_bytecode_cached()}"
    )
    print(
        f"  fresh `server.py migrate`:        {statistics.median(migrates):5.2f} s   (rounds: {_list(migrates)}; "
        f"CPU {migrate_cpu:.2f} s)"
    )
    print(
        f"  `server.py serve` to /health 200: {statistics.median(healths):5.2f} s   (rounds: {_list(healths)}; "
        f"CPU {health_cpu:.2f} s)"
    )
    print(f"  idle RSS per serving process:     {', '.join(f'{value:.0f} MB' for value in rss)}")
    if workers > 1:
        print(f"  uvicorn supervisor RSS:           {supervisor:.0f} MB")
    if args.imports:
        print("\nslowest imports of `import server` (cumulative):\n" + imports_profile())
    return 0


if __name__ == "__main__":
    sys.exit(main())
