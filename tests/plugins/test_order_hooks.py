"""The order hooks, driven through throwaway plugins: extra states (`order_transitions`), vetoes
(`order_transition_veto`) and after-commit notification (`order_event`). Each plugin fixture is requested
before `gql`, so the app is built with the plugin registered."""

from __future__ import annotations

import base64
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from core.catalog.models import Stock
from core.context import SYSTEM
from core.errors import DomainError
from core.events import DeliveryStatus, EventDelivery
from core.orders.events import order_changed
from core.orders.models import Order, OrderHistory
from core.orders.states import transition
from core.outbox import dispatch
from core.plugins import hookimpl
from tests.factories import make_brand, make_order, make_staff

UsePlugin = Callable[..., object]
CANCEL = "mutation($id: ID!) { orderCancel(id: $id) { order { status } errors { field code } } }"
NOTE = "mutation($id: ID!, $m: String!) { orderNoteAdd(id: $id, message: $m) { errors { code } } }"


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def staff_of(gql) -> Any:
    brand = await make_brand("sekar")
    gql.storefront, gql.token = "sekar", (await make_staff(brand))[1]
    return brand


@pytest.fixture
def tailoring(use_plugin: UsePlugin) -> SimpleNamespace:
    plugin = SimpleNamespace(
        order_transitions=hookimpl(lambda: {"PAID": ["AT_EMBROIDERER"], "AT_EMBROIDERER": ["SHIPPED"]})
    )
    use_plugin(plugin, name="tailoring")
    return plugin


async def test_hook_order_transitions(tailoring, app, gql):
    brand = await staff_of(gql)
    order = await make_order(brand, paid=True)
    host = app.state.plugins
    async with in_transaction():
        await transition(order, "AT_EMBROIDERER", SYSTEM, host=host, message="Dijahit")
    assert (await Order.get(id=order.id)).status == "AT_EMBROIDERER"
    entry = await OrderHistory.get(order_id=order.id, kind="STATUS")
    assert (entry.from_state, entry.to_state, entry.actor, entry.message) == (
        "PAID",
        "AT_EMBROIDERER",
        "SYSTEM",
        "Dijahit",
    )
    with pytest.raises(DomainError) as refused:  # the plugin's state follows its own transitions only
        await transition(order, "DELIVERED", SYSTEM, host=host)
    assert refused.value.code == "INVALID_TRANSITION" and "AT_EMBROIDERER" in refused.value.message
    # the staff list shows the plugin's state like any other
    data = await gql("{ orders(filter: {status: [AT_EMBROIDERER, PAID]}) { edges { node { number status } } } }")
    assert data["orders"]["edges"] == [{"node": {"number": order.number, "status": "AT_EMBROIDERER"}}]
    by_variable = "query($s: [OrderStatus!]) { orders(filter: {status: $s}) { edges { node { number } } } }"
    found = (await gql(by_variable, {"s": ["AT_EMBROIDERER"]}))["orders"]["edges"]
    assert found == [{"node": {"number": order.number}}]
    assert not (await gql(by_variable, {"s": ["PAID"]}))["orders"]["edges"]
    # the state is a value of the schema's OrderStatus enum, beside core's
    states = (await gql('{ __type(name: "OrderStatus") { enumValues { name } } }'))["__type"]["enumValues"]
    assert {"AT_EMBROIDERER", "UNPAID", "DELIVERED"} <= {state["name"] for state in states}
    unknown = await gql.raw(by_variable, {"s": ["AT_THE_BEACH"]})
    assert unknown["errors"] and unknown["data"] is None


@pytest.fixture
def no_cancel_after_noon(use_plugin: UsePlugin) -> list[tuple[str, str]]:
    asked: list[tuple[str, str]] = []

    @hookimpl
    def order_transition_veto(order: Any, from_state: str, to_state: str, actor: Any) -> Any:
        asked.append((from_state, to_state))
        if to_state == "CANCELLED" and order.customer_note == "pre-order":
            return DomainError("PREORDER_LOCKED", "Pre-orders cannot be cancelled.", None)
        if to_state == "CANCELLED" and order.customer_note == "gift":
            return "Gifts are never cancelled."
        return None

    @hookimpl
    def error_codes() -> dict[str, str]:
        return {"PREORDER_LOCKED": "Pre-orders cannot be cancelled."}

    use_plugin(SimpleNamespace(order_transition_veto=order_transition_veto, error_codes=error_codes), name="veto")
    return asked


async def test_hook_order_transition_veto(no_cancel_after_noon, gql):
    brand = await staff_of(gql)
    locked = await make_order(brand)
    gift = await make_order(brand)
    free = await make_order(brand)
    await Order.filter(id=locked.id).update(customer_note="pre-order")
    await Order.filter(id=gift.id).update(customer_note="gift")
    stock = [s.quantity for s in await Stock.all().order_by("id")]
    refused = await gql(CANCEL, {"id": gid("Order", locked.id)})
    assert refused["orderCancel"] == {"order": None, "errors": [{"field": None, "code": "PREORDER_LOCKED"}]}
    as_message = await gql(CANCEL, {"id": gid("Order", gift.id)})
    assert as_message["orderCancel"]["errors"] == [{"field": None, "code": "TRANSITION_VETOED"}]
    assert [s.quantity for s in await Stock.all().order_by("id")] == stock  # nothing released
    assert not await OrderHistory.filter(order_id__in=[locked.id, gift.id]).exists()
    allowed = await gql(CANCEL, {"id": gid("Order", free.id)})
    assert allowed["orderCancel"] == {"order": {"status": "CANCELLED"}, "errors": []}
    assert no_cancel_after_noon[-1] == ("UNPAID", "CANCELLED")


@pytest.fixture
def listener(use_plugin: UsePlugin) -> SimpleNamespace:
    state = SimpleNamespace(events=[], fail=False)

    @hookimpl
    async def order_event(event: dict[str, Any]) -> None:
        if state.fail:
            raise RuntimeError("webhook endpoint down")
        state.events.append(event)

    use_plugin(SimpleNamespace(order_event=order_event), name="listener")
    return state


async def test_hook_order_event(listener, gql):
    brand = await staff_of(gql)
    order = await make_order(brand, quantities=(1,))
    await gql(CANCEL, {"id": gid("Order", order.id)})
    [event] = listener.events
    assert set(event) == {"id", "type", "brand", "order", "data", "occurredAt"}
    assert event["type"] == "ORDER_CANCELLED" and event["brand"] == "sekar"
    assert event["order"] == {
        "id": order.id,
        "number": order.number,
        "status": "CANCELLED",
        "paymentStatus": "PENDING",
        "total": {"amount": "170000.00", "currency": "IDR"},
    }
    assert event["data"]["releasedStock"][0]["quantity"] == 1
    assert not await EventDelivery.filter(status=DeliveryStatus.PENDING).exists()


async def test_a_rolled_back_change_delivers_nothing(listener, app, gql):
    brand = await staff_of(gql)
    order = await make_order(brand)
    host = app.state.plugins
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await order_changed(order, "ORDER_PAID")
            raise RuntimeError("the payment write failed")
    assert await dispatch(host) == 0
    assert listener.events == []


async def test_a_failing_plugin_is_retried_later_and_never_undoes_the_change(listener, app, gql):
    brand = await staff_of(gql)
    order = await make_order(brand)
    host = app.state.plugins
    listener.fail = True
    data = await gql(NOTE, {"id": gid("Order", order.id), "m": "Cek alamat"})
    assert data["orderNoteAdd"]["errors"] == []
    assert await OrderHistory.filter(order_id=order.id, kind="NOTE").exists()
    # the listener's own delivery rests before its retry; the hook's is done for every other plugin
    [retry] = await EventDelivery.filter(status=DeliveryStatus.PENDING)
    assert (retry.subscriber, retry.attempts, retry.object_key) == ("order_event:listener", 1, f"order:{order.id}")
    assert "webhook endpoint down" in retry.last_error
    listener.fail = False
    assert await dispatch(host) == 0, "not due yet"
    await EventDelivery.filter(id=retry.id).update(next_attempt_at=retry.created_at)
    assert await dispatch(host) == 1
    assert [e["type"] for e in listener.events] == ["ORDER_NOTE_ADDED"]
    assert await dispatch(host) == 0  # delivered once, marked
