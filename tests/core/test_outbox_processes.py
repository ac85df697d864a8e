"""The outbox with several processes: two dispatchers never hand an event to a plugin twice, and one killed
mid-delivery (SIGKILL) loses nothing: its lease runs out and the other delivers what it had not."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from pathlib import Path

from core.events import DeliveryStatus, EventDelivery
from core.orders.events import order_changed
from tests.factories import make_brand, make_order

REPO = Path(__file__).resolve().parents[2]


async def _orders_with_events(count: int) -> list[int]:
    brand = await make_brand("sekar")
    ids = []
    for _ in range(count // 3):
        order = await make_order(brand)
        for kind in ("ORDER_NOTE_ADDED", "ORDER_UPDATED", "ORDER_PAID"):
            ids.append((await order_changed(order, kind)).id)
    return ids


async def _dispatcher(url: str, out: Path, *options: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.core.outbox_process", url, str(out), *options, cwd=REPO
    )


def _delivered(out: Path) -> Counter[int]:
    if not out.exists():
        return Counter()
    return Counter(int(line.split()[0]) for line in out.read_text().splitlines())


async def test_two_dispatcher_processes_deliver_each_event_once(app: object, database_url: str, tmp_path: Path) -> None:
    events = await _orders_with_events(150)
    out = tmp_path / "delivered.txt"
    first, second = await _dispatcher(database_url, out), await _dispatcher(database_url, out)
    assert await asyncio.wait_for(first.wait(), 120) == 0
    assert await asyncio.wait_for(second.wait(), 120) == 0
    delivered = _delivered(out)
    assert sorted(delivered) == sorted(events)
    assert max(delivered.values()) == 1, [event for event, times in delivered.items() if times > 1]
    assert not await EventDelivery.filter(status=DeliveryStatus.PENDING).exists()


async def test_a_dispatcher_killed_mid_delivery_loses_nothing(app: object, database_url: str, tmp_path: Path) -> None:
    events = await _orders_with_events(30)
    out = tmp_path / "delivered.txt"
    stuck = events[10]
    doomed = await _dispatcher(database_url, out, "--hang-on", str(stuck), "--lease", "2")
    for _ in range(600):  # until it has delivered what comes before the event it hangs on
        if len(_delivered(out)) >= 10:
            break
        await asyncio.sleep(0.05)
    doomed.send_signal(signal.SIGKILL)
    await doomed.wait()
    assert stuck not in _delivered(out)
    survivor = await _dispatcher(database_url, out, "--lease", "2")
    assert await asyncio.wait_for(survivor.wait(), 120) == 0
    delivered = _delivered(out)
    assert set(delivered) == set(events), "every event reached the plugin"
    assert delivered[stuck] == 1
    assert not await EventDelivery.filter(status=DeliveryStatus.PENDING).exists()
