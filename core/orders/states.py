"""The order's two state machines, checked in one place, and its history.

`status` follows the fulfilment of an order (UNPAID → PAID → … → DELIVERED, or CANCELLED); `payment_status`
follows the money (PENDING → PAID → PARTIALLY_REFUNDED → REFUNDED). Every change goes through `transition`
or `set_payment_status`, called by the order lifecycle alone (`core.orders.lifecycle`, `core.orders.ledger`);
they refuse a move the machine does not allow, let plugins add states (`order_transitions`) and veto moves
(`order_transition_veto`), save with a conditional UPDATE (so two staff changing one order at once cannot both
win) and write an `OrderHistory` row with the actor and the time.
Call them inside the service's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.context import Actor
from core.errors import DomainError
from core.orders.models import Order, OrderHistory, OrderStatus, PaymentStatus
from core.plugins import PluginHost

S = OrderStatus
ORDER_TRANSITIONS: Mapping[str, frozenset[str]] = {
    S.UNPAID: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.IN_PRODUCTION, S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    # Made-to-measure: paid and being made, until every garment passed QC (garments follow `OrderPaid`).
    S.IN_PRODUCTION: frozenset({S.READY_TO_SHIP, S.CANCELLED}),
    S.READY_TO_SHIP: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}

P = PaymentStatus
PAYMENT_TRANSITIONS: Mapping[str, frozenset[str]] = {
    P.PENDING: frozenset({P.PAID}),
    P.PAID: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.PARTIALLY_REFUNDED: frozenset({P.PARTIALLY_REFUNDED, P.REFUNDED}),
    P.REFUNDED: frozenset(),
}

MAX_STATE_LENGTH = 32  # the width of Order.status


def order_machine(host: PluginHost | None) -> dict[str, frozenset[str]]:
    """Core's order transitions merged with every plugin's `order_transitions` (they add, never remove)."""
    machine = {state: set(targets) for state, targets in ORDER_TRANSITIONS.items()}
    extra: list[Any] = list(host.manager.hook.order_transitions()) if host is not None else []
    for contribution in extra:
        if not isinstance(contribution, Mapping):
            raise TypeError(f"order_transitions must return a dict of state -> [states], not {contribution!r}")
        for source, targets in contribution.items():
            for state in (source, *targets):
                if not isinstance(state, str) or not state or len(state) > MAX_STATE_LENGTH:
                    raise ValueError(f"order_transitions: {state!r} is not a state name of 1-32 characters")
                machine.setdefault(state, set())
            machine[source].update(targets)
    return {state: frozenset(targets) for state, targets in machine.items()}


def allowed(machine: Mapping[str, frozenset[str]], from_state: str, to_state: str) -> bool:
    return to_state in machine.get(from_state, frozenset())


def invalid(kind: str, from_state: str, to_state: str) -> DomainError:
    return DomainError("INVALID_TRANSITION", f"An order's {kind} cannot go from {from_state} to {to_state}.", None)


def check_transition(order: Order, to_state: str, *, host: PluginHost | None) -> None:
    """Raise INVALID_TRANSITION unless the machine allows it; call before any write to fail early."""
    if not allowed(order_machine(host), order.status, to_state):
        raise invalid("status", order.status, to_state)


async def _veto(order: Order, from_state: str, to_state: str, actor: Actor, host: PluginHost | None) -> None:
    if host is None:
        return
    for answer in await host.call(
        "order_transition_veto", order=order, from_state=from_state, to_state=to_state, actor=actor
    ):
        if isinstance(answer, DomainError):
            raise answer
        if answer:
            raise DomainError("TRANSITION_VETOED", str(answer), None)


async def record(
    order: Order,
    kind: str,
    actor: Actor,
    message: str = "",
    data: dict[str, Any] | None = None,
    *,
    from_state: str = "",
    to_state: str = "",
) -> OrderHistory:
    """One history entry (`from_state`/`to_state` are given for state changes; "" is the columns' default)."""
    return await OrderHistory.create(
        order_id=order.id,
        kind=kind,
        actor=actor.label,
        message=message,
        data=data or {},
        from_state=from_state,
        to_state=to_state,
    )


async def transition(order: Order, to_state: str, actor: Actor, *, host: PluginHost | None, message: str = "") -> None:
    """Move `order.status` to `to_state`: checked, vetoable, saved only if nobody changed it meanwhile.

    Only the order lifecycle (`core.orders.lifecycle`) calls this: it adds the event and tells the rest of core.
    """
    from_state = order.status
    check_transition(order, to_state, host=host)
    await _veto(order, from_state, to_state, actor, host)
    await _save(order, "status", from_state, to_state)
    await record(order, "STATUS", actor, message, from_state=from_state, to_state=to_state)


async def set_payment_status(order: Order, to_state: PaymentStatus | str, actor: Actor, *, message: str = "") -> None:
    """Move `order.payment_status`; staying PARTIALLY_REFUNDED after a second partial refund is allowed."""
    from_state = PaymentStatus(order.payment_status)
    target = PaymentStatus(to_state)
    if not allowed(PAYMENT_TRANSITIONS, from_state, target):
        raise invalid("payment status", from_state, target)
    await _save(order, "payment_status", from_state, target)
    await record(order, "PAYMENT_STATUS", actor, message, from_state=from_state, to_state=target)


async def _save(order: Order, field: str, from_state: str, to_state: str) -> None:
    changed = await Order.filter(id=order.id, **{field: from_state}).update(**{field: to_state})
    if not changed:
        raise DomainError("ORDER_CHANGED", "Someone else changed this order meanwhile; reload it and try again.")
    setattr(order, field, to_state)
