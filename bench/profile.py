"""Optional profile of the GraphQL requests with pyinstrument, when it is installed.

Besides pyinstrument's call tree it prints the sampled time summed by package (each leaf frame's time, with
built-ins and generated code counted for the package that called them): "where does a request's time go".
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from typing import Any

from bench.measure import Call

REPO = str(Path(__file__).resolve().parent.parent)
WAITING = "(awaiting I/O: database or SQLite thread)"


def available() -> bool:
    return importlib.util.find_spec("pyinstrument") is not None


async def record(call: Call, iterations: int) -> Any:
    """A stopped pyinstrument `Profiler` that watched `iterations` calls; needs `pip install pyinstrument`."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="enabled")
    profiler.start()
    for _ in range(iterations):
        await call()
    profiler.stop()
    return profiler


def render(profiler: Any, iterations: int, html: Path | None = None) -> str:
    """The call tree and the per-package summary (and an HTML call tree written to `html`)."""
    if html is not None:
        html.write_text(profiler.output_html(), encoding="utf-8")
    tree = profiler.output_text(unicode=True, color=False, show_all=False)
    root = profiler.last_session.root_frame() if profiler.last_session else None
    return f"{tree}\n{by_package(root, iterations)}" if root else tree


def by_package(root: Any, iterations: int) -> str:
    totals: Counter[str] = Counter()
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if not frame.children:
            totals[_package(frame)] += frame.time
    whole = sum(totals.values()) or 1.0
    lines = [f"Sampled time by package (ms per request under the profiler, share), {iterations} requests:"]
    for name, seconds in totals.most_common(12):
        lines.append(f"  {name:44} {seconds / iterations * 1000:7.2f}  {seconds / whole:5.1%}")
    return "\n".join(lines)


def _package(frame: Any) -> str:
    if frame.identifier == "[await]":
        return WAITING
    while frame is not None and (frame.file_path is None or frame.file_path.startswith("<")):
        frame = frame.parent  # [self], built-ins and generated __init__s belong to their caller
    path: str = frame.file_path if frame is not None else ""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith(REPO):
        return "lini " + path[len(REPO) + 1 :].split("/", 1)[0].removesuffix(".py")
    if "/selectors.py" in path:
        return WAITING
    if "/asyncio/" in path:
        return "asyncio (tasks, futures, callbacks)"
    return "python stdlib" if path else "(unknown)"
