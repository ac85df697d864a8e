"""The payment gateway contract: plugins take the money, core records what happened.

Core calls a gateway outside any database transaction (network calls never hold a transaction open) and
applies the result in the next one. A gateway never writes Lini's tables itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from core.payments.models import PaymentState


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
    # Optional: True when an order is placed before the money arrives (a bank transfer), so completion accepts
    # a PENDING / ACTION_REQUIRED payment and the order waits UNPAID until `payment_due_at`.
    # pays_after_order: bool = False

    async def start(self, context: PaymentContext) -> PaymentStart:
        """Begin (or resume, for the same payment id) a payment for the context's amount."""
        ...

    async def status(self, payment: Any, config: dict[str, Any]) -> PaymentState:
        """The payment's state at the gateway now, asked before an order is created from it."""
        ...

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> RefundResult:
        """Return `amount` (in the payment's currency) of a received payment to the customer."""
        ...
