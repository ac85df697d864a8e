"""The outbox dispatcher (core.outbox): each plugin on its own, order per object, retries, the dead letter and
leases. Plugins are registered before the app is built (`use_plugin` before `app`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from core import outbox
from core.events import DeliveryStatus, EventDelivery, EventSubscriber
from core.orders.events import order_changed
from core.plugins import hookimpl
from tests.factories import make_brand, make_order


def listener(use_plugin: Any, name: str) -> SimpleNamespace:
    state = SimpleNamespace(events=[], fail=False)

    @hookimpl
    async def order_event(event: dict[str, Any]) -> None:
        if state.fail:
            raise RuntimeError(f"{name} is down")
        state.events.append((event["type"], event["order"]["id"]))

    use_plugin(SimpleNamespace(order_event=order_event), name=name)
    return state


@pytest.fixture
def listeners(use_plugin: Any) -> SimpleNamespace:
    return SimpleNamespace(erp=listener(use_plugin, "erp"), sms=listener(use_plugin, "sms"))


async def _make_due() -> None:
    await EventDelivery.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=datetime.now(UTC))


async def test_a_failing_plugin_holds_back_neither_the_others_nor_other_orders(listeners, app) -> None:
    host = app.state.plugins
    brand = await make_brand("sekar")
    first, second = await make_order(brand), await make_order(brand)
    listeners.sms.fail = True
    await order_changed(first, "ORDER_NOTE_ADDED")
    await outbox.dispatch(host)
    listeners.sms.fail = False
    await order_changed(first, "ORDER_PAID")  # sms has first's earlier event to receive: this one waits behind it
    await order_changed(second, "ORDER_PAID")  # another order: nothing to wait for
    await outbox.dispatch(host)
    assert listeners.erp.events == [("ORDER_NOTE_ADDED", first.id), ("ORDER_PAID", first.id), ("ORDER_PAID", second.id)]
    assert listeners.sms.events == [("ORDER_PAID", second.id)]
    waiting = await EventDelivery.filter(subscriber="order_event:sms").order_by("id").values_list("attempts", flat=True)
    assert waiting == [1, 0]
    # when the retry is due, sms hears of the first order's events in their order
    await _make_due()
    assert await outbox.dispatch(host) == 2
    assert listeners.sms.events[1:] == [("ORDER_NOTE_ADDED", first.id), ("ORDER_PAID", first.id)]
    assert not await EventDelivery.filter(status=DeliveryStatus.PENDING).exists()


async def test_after_the_last_attempt_the_delivery_is_the_dead_letter(listeners, app, monkeypatch) -> None:
    host = app.state.plugins
    order = await make_order(await make_brand("sekar"))
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 3)
    listeners.erp.fail = True
    await order_changed(order, "ORDER_PAID")
    for _ in range(3):
        await outbox.dispatch(host)
        await _make_due()
    [dead] = await EventDelivery.filter(subscriber="order_event:erp")
    assert (dead.status, dead.attempts) == (DeliveryStatus.FAILED, 3)
    assert dead.last_error == "RuntimeError: erp is down"
    assert listeners.sms.events == [("ORDER_PAID", order.id)]
    # a dead letter no longer holds the order's later events back
    listeners.erp.fail = False
    await order_changed(order, "ORDER_CANCELLED")
    await outbox.dispatch(host)
    assert listeners.erp.events == [("ORDER_CANCELLED", order.id)]


async def test_a_lease_held_elsewhere_is_left_until_it_runs_out(listeners, app) -> None:
    host = app.state.plugins
    order = await make_order(await make_brand("sekar"))
    later = datetime.now(UTC) + timedelta(minutes=1)
    await EventSubscriber.create(name="order_event", leased_until=later, leased_by="elsewhere:1")
    await order_changed(order, "ORDER_PAID")
    assert await outbox.dispatch(host) == 0
    assert listeners.erp.events == []
    assert (await outbox.backlog()).pending == 1
    await EventSubscriber.filter(name="order_event").update(leased_until=datetime.now(UTC) - timedelta(seconds=1))
    assert await outbox.dispatch(host) == 1
    assert listeners.erp.events == listeners.sms.events == [("ORDER_PAID", order.id)]
    lease = await EventSubscriber.get(name="order_event")
    assert (lease.leased_until, lease.leased_by) == (None, ""), "released after the pass"
    assert (await outbox.backlog()) == outbox.Backlog(pending=0, oldest_age_seconds=None)


def test_retries_double_from_five_seconds_to_an_hour_with_jitter() -> None:
    for attempts, base in ((1, 5), (2, 10), (3, 20), (12, 3600), (40, 3600)):
        delay = outbox.retry_delay(attempts).total_seconds()
        assert base / 2 <= delay <= base, (attempts, delay)


async def test_old_deliveries_and_events_are_pruned_but_never_an_undelivered_one(app, settings) -> None:
    from core.events import Event

    now = datetime.now(UTC)
    ancient, recent = now - timedelta(days=400), now - timedelta(days=1)

    async def event(created: datetime, *statuses: DeliveryStatus, delivered: datetime | None = None) -> int:
        row = await Event.create(type="product.updated", payload={}, brand_id=None)
        await Event.filter(id=row.id).update(created_at=created)
        for n, status in enumerate(statuses):
            await EventDelivery.create(
                event=row, subscriber=f"webhook:{n}", status=status, next_attempt_at=created, delivered_at=delivered
            )
        return row.id

    gone = await event(ancient, DeliveryStatus.DELIVERED, delivered=ancient)
    dead_letter = await event(ancient, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, delivered=ancient)
    waiting = await event(ancient, DeliveryStatus.PENDING)
    fresh = await event(recent, DeliveryStatus.DELIVERED, delivered=recent)
    pruned = await outbox.prune(settings, now=now)
    assert (pruned.deliveries, pruned.events) == (2, 1)  # the two old delivered rows; the event with nothing open
    assert set(await Event.all().values_list("id", flat=True)) == {dead_letter, waiting, fresh}
    left = await EventDelivery.all().values_list("event_id", "status")
    assert sorted(left) == sorted(
        [(dead_letter, DeliveryStatus.FAILED), (waiting, DeliveryStatus.PENDING), (fresh, DeliveryStatus.DELIVERED)]
    )
    assert gone not in {event_id for event_id, _ in left}


@pytest.fixture
def reader(use_plugin: Any) -> list[Any]:
    from core.jobs.runtime import task_host

    seen: list[Any] = []

    @hookimpl
    async def order_event(event: dict[str, Any]) -> None:
        seen.append(task_host())

    use_plugin(SimpleNamespace(order_event=order_event), name="reader")
    return seen


async def test_a_plugin_handler_reaches_the_delivering_host_as_a_job_does(reader, app) -> None:
    """Deliveries run where no plugin `startup` ran (a `seed-demo` run, a worker): `task_host()` answers with the
    host that delivers, so a handler can read its settings (the tailor dispatch plugin's strategies do)."""
    host = app.state.plugins
    await order_changed(await make_order(await make_brand("sekar")), "ORDER_PAID")
    await outbox.dispatch(host)
    assert reader == [host]
    assert not await EventDelivery.filter(subscriber="order_event:reader").exists()  # delivered, not retried
