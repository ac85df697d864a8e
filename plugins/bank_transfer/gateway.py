"""The gateway: instructions to transfer, a reference to match the transfer by, and manual confirmation."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from lini.plugin import (
    PaymentContext,
    PaymentGateway,
    PaymentStart,
    PaymentState,
    PluginHost,
    RefundResult,
    hookimpl,
    quantize,
)

GATEWAY_ID = "bank_transfer"
# No 0/O or 1/I: references are read off a phone and typed into a banking app.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RANDOM_LENGTH = 8  # 32^8 ≈ 10^12 references per brand prefix


def transfer_reference(brand_slug: str) -> str:
    """Brand prefix + random, e.g. `SEKA-7KQ2M9XD`; unique per gateway through the Payment table."""
    prefix = re.sub(r"[^A-Z0-9]", "", brand_slug.upper())[:4] or "LINI"
    return f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))}"


class BankTransferGateway:
    id = GATEWAY_ID
    name = "Bank transfer"
    currencies: frozenset[str] | None = None  # whatever the brand's account takes
    # The order is placed first and waits UNPAID for the transfer; staff confirm it with paymentMarkReceived,
    # which core applies as this gateway's report of the money taken (a PaymentCaptured).
    pays_after_order = True

    async def start(self, context: PaymentContext) -> PaymentStart:
        config = context.config
        reference = transfer_reference(context.brand_slug)
        expires_at = datetime.now(UTC) + timedelta(hours=int(config.get("payment_window_hours", 24)))
        return PaymentStart(
            state=PaymentState.ACTION_REQUIRED,
            psp_reference=reference,
            expires_at=expires_at,
            action={
                "type": "INSTRUCTIONS",
                "instructions": {
                    "bankName": config.get("bank_name", ""),
                    "accountNumber": config.get("account_number", ""),
                    "accountHolder": config.get("account_holder", ""),
                    "reference": reference,
                    "amount": str(quantize(context.amount, context.currency)),
                    "currency": context.currency,
                    "expiresAt": expires_at.isoformat(),
                },
            },
        )

    async def status(self, payment: Any, config: dict[str, Any]) -> PaymentState:
        """Nobody but staff knows whether the money came: the state is what they recorded."""
        return PaymentState(payment.state)

    async def refund(self, payment: Any, amount: Decimal, idempotency_key: str, config: dict[str, Any]) -> RefundResult:
        """Staff transfer the money back by hand; Lini records that they owe it."""
        return RefundResult(
            succeeded=True,
            psp_reference=f"manual:{idempotency_key}",
            message=f"Transfer {amount} {payment.currency} back to the customer by hand.",
        )


@hookimpl
def payment_gateways(host: PluginHost) -> list[PaymentGateway]:
    return [BankTransferGateway()]
