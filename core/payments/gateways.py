"""The payment gateway contract: plugins take the money, core records what happened.

Core calls a gateway outside any database transaction (network calls never hold a transaction open) and
applies the result in the next one. A gateway never writes Lini's tables itself: what it learns later (a
webhook, a capture it made) it reports as a typed update (`core.payments.updates`) to
`core.payments.lifecycle.apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from core.payments.models import PaymentState

# The codes a gateway raises (as `core.errors.DomainError`) when its provider is busy or unreachable: the
# operation may succeed if tried again later, so a webhook answers "retry" instead of giving the money back.
RETRY_LATER = frozenset({"PAYMENT_GATEWAY_BUSY", "PAYMENT_GATEWAY_UNAVAILABLE"})


class PaymentActionType(StrEnum):
    """What a storefront does with `payment.action` (its `type`)."""

    INSTRUCTIONS = "INSTRUCTIONS"  # show `instructions` (bank transfer details)
    CLIENT_SECRET = "CLIENT_SECRET"  # confirm with the provider's JS (`clientSecret`, `publishableKey`)
    REDIRECT = "REDIRECT"  # send the shopper to `redirectUrl`


def gateway_label(gateway_id: str) -> str:
    """How history and review messages name a gateway: `stripe` → "Stripe", `bank_transfer` → "Bank Transfer"."""
    return gateway_id.replace("_", " ").title()


@dataclass(frozen=True, slots=True)
class PaymentRef:
    """An earlier payment of the same checkout, as a gateway may need it: its id, its reference at the
    gateway and the action its `start` returned (which may name the provider account it lives on)."""

    id: int
    psp_reference: str
    action: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PaymentContext:
    """What a gateway may know about the purchase being paid for."""

    brand_id: int
    brand_slug: str
    checkout_token: str
    email: str
    amount: Decimal  # quantized to the currency's ISO 4217 exponent
    currency: str
    payment_id: int
    config: dict[str, Any] = field(default_factory=dict)  # the brand's settings for this gateway
    # Resuming a payment started before (same payment id): its reference and action from that start.
    psp_reference: str | None = None
    previous_action: dict[str, Any] = field(default_factory=dict)
    # This checkout's payments through this gateway that a newer one replaced in the last 30 minutes (the
    # checkout changed): a gateway may release them, so an old browser tab cannot pay for the old checkout.
    superseded: tuple[PaymentRef, ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentStart:
    """A gateway's answer to `start`: the state, its own reference, and what the storefront does next.

    `action` is shown to the storefront as `payment.action`: {"type": "INSTRUCTIONS" | "CLIENT_SECRET" |
    "REDIRECT", ...}; never put a secret key in it.
    """

    state: PaymentState
    psp_reference: str | None = None
    action: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        # the storefront switches on `type` (a GraphQL enum): a gateway's typo must fail in its own tests
        if self.action and self.action.get("type") not in PaymentActionType.__members__:
            raise ValueError(f"PaymentStart.action type must be one of {list(PaymentActionType)}: {self.action!r}")


@dataclass(frozen=True, slots=True)
class RefundResult:
    succeeded: bool
    psp_reference: str = ""
    message: str = ""


@runtime_checkable
class PaymentGateway(Protocol):
    id: str  # e.g. "bank_transfer", "stripe"
    name: str
    currencies: frozenset[str] | None  # None: any currency
    # True when an order is placed before the money arrives (a bank transfer): completion accepts a PENDING /
    # ACTION_REQUIRED payment and the order waits UNPAID until `payment_due_at` (or until the gateway reports
    # the money with `core.payments.lifecycle.apply`). False: the payment must be SUCCEEDED or AUTHORIZED.
    pays_after_order: bool

    async def start(self, context: PaymentContext) -> PaymentStart:
        """Begin (or resume, for the same payment id) a payment for the context's amount."""
        ...

    async def status(self, payment: Any, config: dict[str, Any]) -> PaymentState:
        """The payment's state at the gateway now, asked before an order is created from it."""
        ...

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> RefundResult:
        """Return `amount` (in the payment's currency) of a received payment to the customer."""
        ...


def missing_members(gateway: object) -> list[str]:
    """The attributes and methods of `PaymentGateway` that `gateway` lacks, for a start-up error naming them."""
    members = [*PaymentGateway.__annotations__, "start", "status", "refund"]
    return [name for name in members if not hasattr(gateway, name)]
