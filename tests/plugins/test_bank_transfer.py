"""The bank_transfer gateway: instructions with a unique reference from the brand's account, the stored
state as its status, refunds recorded as owed by hand — and the whole flow from an unpaid order to paid."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from core.payments.gateways import PaymentContext, PaymentGateway
from core.payments.models import Payment, PaymentState
from plugins.bank_transfer import BrandSettings
from plugins.bank_transfer.gateway import BankTransferGateway, transfer_reference
from tests.factories import make_brand, make_order, make_staff

CONFIG = {
    "bank_name": "Bank Syariah Indonesia",
    "account_number": "7123456789",
    "account_holder": "PT Sekar Busana",
    "payment_window_hours": 48,
}


def context(**changes: object) -> PaymentContext:
    values = {
        "brand_id": 1,
        "brand_slug": "sekar-busana",
        "checkout_token": "tok",
        "email": "siti@example.id",
        "amount": Decimal("470000"),
        "currency": "IDR",
        "payment_id": 7,
        "config": CONFIG,
    }
    return PaymentContext(**{**values, **changes})  # type: ignore[arg-type]


async def test_start_gives_instructions_with_a_unique_reference():
    gateway = BankTransferGateway()
    assert isinstance(gateway, PaymentGateway)
    before = datetime.now(UTC)
    first, second = await gateway.start(context()), await gateway.start(context())
    assert first.state == PaymentState.ACTION_REQUIRED
    assert re.fullmatch(r"SEKA-[A-HJ-NP-Z2-9]{8}", first.psp_reference or "")
    assert first.psp_reference != second.psp_reference
    assert before + timedelta(hours=48) <= first.expires_at <= datetime.now(UTC) + timedelta(hours=48)
    assert first.action == {
        "type": "INSTRUCTIONS",
        "instructions": {
            "bankName": "Bank Syariah Indonesia",
            "accountNumber": "7123456789",
            "accountHolder": "PT Sekar Busana",
            "reference": first.psp_reference,
            "amount": "470000.00",
            "currency": "IDR",
            "expiresAt": first.expires_at.isoformat(),
        },
    }
    assert transfer_reference("--").startswith("LINI-")


async def test_status_is_what_staff_recorded_and_refunds_are_owed_by_hand():
    gateway = BankTransferGateway()
    payment = SimpleNamespace(state="SUCCEEDED", currency="IDR")
    assert await gateway.status(payment, CONFIG) == PaymentState.SUCCEEDED
    result = await gateway.refund(payment, Decimal("1000"), "lini-refund-3", CONFIG)
    assert result.succeeded and result.psp_reference == "manual:lini-refund-3"


def test_brand_settings_check_the_account():
    assert BrandSettings.model_validate(CONFIG).payment_window_hours == 48
    for bad in ({"account_number": "rekening"}, {"payment_window_hours": 0}, {"bank_name": ""}):
        try:
            BrandSettings.model_validate({**CONFIG, **bad})
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


async def test_unpaid_order_is_paid_when_staff_mark_the_transfer_received_then_refunded_by_hand(gql):
    brand = await make_brand("sekar")
    gql.storefront, gql.token = "sekar", (await make_staff(brand))[1]
    order = await make_order(brand, quantities=(1,))
    payment = await Payment.get(order_id=order.id)
    payment_id = base64.b64encode(f"Payment:{payment.id}".encode()).decode()
    order_id = base64.b64encode(f"Order:{order.id}".encode()).decode()
    received = await gql(
        "mutation($id: ID!) { paymentMarkReceived(paymentId: $id) { order { status paymentStatus } errors { code } } }",
        {"id": payment_id},
    )
    assert received["paymentMarkReceived"] == {"order": {"status": "PAID", "paymentStatus": "PAID"}, "errors": []}
    refunded = await gql(
        """mutation($id: ID!) { orderRefund(id: $id, input: {amount: "20000", reason: "Ongkir"}) {
          refund { state } order { paymentStatus payments { refunded { amount } } } errors { code } } }""",
        {"id": order_id},
    )
    assert refunded["orderRefund"] == {
        "refund": {"state": "SUCCEEDED"},
        "order": {"paymentStatus": "PARTIALLY_REFUNDED", "payments": [{"refunded": {"amount": "20000.00"}}]},
        "errors": [],
    }
