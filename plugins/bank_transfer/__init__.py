"""Bank transfer: the customer transfers the order total to the brand's account with a unique reference,
and staff confirm the money arrived (`paymentMarkReceived`). Unpaid orders expire after the payment window.

The first payment gateway, built as a plugin like any other (`payment_gateways` hook), and the worked example
of a gateway in docs/plugins.md. It has no process-wide settings; each brand gives its own account.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from plugins.bank_transfer.gateway import BankTransferGateway, payment_gateways


class BrandSettings(BaseModel):
    """The account a brand's customers transfer to, and how long they have."""

    model_config = ConfigDict(extra="forbid")

    bank_name: str = Field(min_length=2, max_length=100, description="e.g. Bank Syariah Indonesia")
    account_number: str = Field(pattern=r"^[0-9][0-9 .-]{4,39}$", description="As printed on the account.")
    account_holder: str = Field(min_length=2, max_length=100)
    payment_window_hours: int = Field(24, ge=1, le=14 * 24, description="Hours before an unpaid order expires.")


__all__ = ["BankTransferGateway", "BrandSettings", "payment_gateways"]
