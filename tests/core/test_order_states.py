"""The order state machines as pure data: what core allows, what plugins may add, and what they may not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from core.orders.models import OrderStatus, PaymentStatus
from core.orders.states import ORDER_TRANSITIONS, PAYMENT_TRANSITIONS, allowed, order_machine
from core.plugins import PluginHost, hookimpl, load_plugins
from core.settings import load_settings


def host_with(**plugins: object) -> PluginHost:
    return load_plugins(load_settings(env={}), extra=plugins, env={})


def test_every_core_state_has_an_entry_and_every_target_is_a_state():
    assert set(ORDER_TRANSITIONS) == set(OrderStatus)
    assert set(PAYMENT_TRANSITIONS) == set(PaymentStatus)
    for machine in (ORDER_TRANSITIONS, PAYMENT_TRANSITIONS):
        assert all(target in machine for targets in machine.values() for target in targets)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("UNPAID", "PAID", True),
        ("UNPAID", "CANCELLED", True),
        ("UNPAID", "SHIPPED", False),
        ("PAID", "PARTIALLY_SHIPPED", True),
        ("PAID", "DELIVERED", False),
        ("PARTIALLY_SHIPPED", "SHIPPED", True),
        ("PARTIALLY_SHIPPED", "CANCELLED", False),
        ("SHIPPED", "CANCELLED", False),
        ("SHIPPED", "DELIVERED", True),
        ("DELIVERED", "CANCELLED", False),
        ("CANCELLED", "PAID", False),
        ("NO_SUCH_STATE", "PAID", False),
    ],
)
def test_order_transitions(source, target, expected):
    assert allowed(ORDER_TRANSITIONS, source, target) is expected


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("PENDING", "PAID", True),
        ("PENDING", "REFUNDED", False),
        ("PAID", "PARTIALLY_REFUNDED", True),
        ("PAID", "REFUNDED", True),
        ("PARTIALLY_REFUNDED", "PARTIALLY_REFUNDED", True),
        ("PARTIALLY_REFUNDED", "REFUNDED", True),
        ("REFUNDED", "PAID", False),
    ],
)
def test_payment_transitions(source, target, expected):
    assert allowed(PAYMENT_TRANSITIONS, source, target) is expected


def test_plugins_add_states_and_transitions_but_never_remove_core_ones():
    first = SimpleNamespace(
        order_transitions=hookimpl(lambda: {"PAID": ["AT_EMBROIDERER"], "AT_EMBROIDERER": ["READY_TO_SHIP"]})
    )
    second = SimpleNamespace(
        order_transitions=hookimpl(lambda: {"PAID": ["ON_HOLD"], "ON_HOLD": ["PAID", "CANCELLED"]})
    )
    machine = order_machine(host_with(tailoring=first, holds=second))
    assert machine["PAID"] == ORDER_TRANSITIONS["PAID"] | {"AT_EMBROIDERER", "ON_HOLD"}
    assert machine["AT_EMBROIDERER"] == {"READY_TO_SHIP"}
    assert machine["ON_HOLD"] == {"PAID", "CANCELLED"}
    assert order_machine(None) == dict(ORDER_TRANSITIONS)


@pytest.mark.parametrize("contribution", [["PAID"], {"PAID": ["X" * 33]}, {"": ["PAID"]}])
def test_a_malformed_contribution_is_refused_with_its_value(contribution):
    plugin = SimpleNamespace(order_transitions=hookimpl(lambda: contribution))
    with pytest.raises((TypeError, ValueError)):
        order_machine(host_with(broken=plugin))
