"""Timing async calls, counting the SQL statements they send, and printing the results."""

from __future__ import annotations

import logging
import math
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Call = Callable[[], Awaitable[object]]
VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@dataclass(frozen=True)
class Timing:
    label: str
    samples_ns: list[int]
    statements: int

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.samples_ns) / 1e6

    @property
    def p50_ms(self) -> float:
        return self.percentile(50)

    @property
    def p99_ms(self) -> float:
        return self.percentile(99)

    @property
    def per_second(self) -> float:
        return 1000 / self.mean_ms

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        ordered = sorted(self.samples_ns)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] / 1e6


async def measure(label: str, call: Call, *, warmup: int, iterations: int) -> Timing:
    """Run `call` `warmup` times untimed, once with statements counted, then `iterations` times timed."""
    for _ in range(warmup):
        await call()
    with counting_statements() as statements:
        await call()
    samples = []
    for _ in range(iterations):
        start = time.perf_counter_ns()
        await call()
        samples.append(time.perf_counter_ns() - start)
    return Timing(label, samples, len(statements))


class _StatementCounter(logging.Handler):
    """Collects the SQL tortoise logs at DEBUG (the same way as the test suite's `sql_counter`)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.args[0]) if isinstance(record.args, tuple) and record.args else record.getMessage()
        if text.lstrip().upper().startswith(VERBS):
            self.statements.append(text)


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """The statements sent inside the block; logging is back to its level for the timed runs."""
    counter = _StatementCounter()
    log = logging.getLogger("tortoise.db_client")
    previous, propagate = log.level, log.propagate
    log.setLevel(logging.DEBUG)
    log.propagate = False  # count the statements without printing them
    log.addHandler(counter)
    try:
        yield counter.statements
    finally:
        log.removeHandler(counter)
        log.setLevel(previous)
        log.propagate = propagate


def table(timings: list[Timing]) -> str:
    width = max(len(t.label) for t in timings)
    header = f"{'':{width}}  {'mean ms':>8}  {'p50 ms':>8}  {'p99 ms':>8}  {'req/s':>8}  {'SQL/req':>7}"
    rows = [
        f"{t.label:{width}}  {t.mean_ms:8.3f}  {t.p50_ms:8.3f}  {t.p99_ms:8.3f}  {t.per_second:8.0f}  {t.statements:7d}"
        for t in timings
    ]
    return "\n".join([header, "-" * len(header), *rows])
