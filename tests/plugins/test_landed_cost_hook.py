"""The `landed_cost` hook: a duty-service plugin answers `Checkout.landedCost` instead of the platform's tables,
and a plugin answering None leaves them in charge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.customs.models import ImportTax
from lini.plugin import DutiableLine, LandedCost, LineDuty, Money, hookimpl
from tests.api.test_checkout import CheckoutTestPlugin
from tests.api.test_landed_cost import LANDED, to_kuala_lumpur
from tests.factories import make_brand


class DutyService:
    """Answers for Malaysia with a flat 5% duty and no tax, and leaves every other country to core."""

    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    @hookimpl
    async def landed_cost(
        self, country: str, lines: list[DutiableLine], shipping: Money, brand_id: int
    ) -> LandedCost | None:
        self.asked.append({"country": country, "codes": [line.hs_code for line in lines], "brand_id": brand_id})
        if country != "MY":
            return None
        goods = sum((line.value.amount for line in lines), Decimal(0))
        duty = Money.of(goods * Decimal("0.05"), shipping.currency)
        return LandedCost(
            country=country,
            goods=Money.of(goods, shipping.currency),
            customs_value=Money.of(goods, shipping.currency),
            duty=duty,
            tax=Money.zero(shipping.currency),
            tax_name="none",
            tax_rate=Decimal(0),
            duty_exempt=False,
            tax_exempt=True,
            lines=tuple(
                LineDuty(
                    line.key,
                    line.hs_code,
                    line.value,
                    Decimal(5),
                    Money.of(line.value.amount / 20, line.value.currency),
                )
                for line in lines
            ),
        )


SERVICE = DutyService()


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"instant": CheckoutTestPlugin(), "duty": SERVICE}


async def test_hook_landed_cost(gql):
    SERVICE.asked.clear()
    await ImportTax.create(country="MY", name="SST", rate=Decimal(10), currency="MYR")  # what the plugin overrides
    brand = await make_brand("sekar")
    token = await to_kuala_lumpur(gql, brand)
    cost = (await gql(LANDED, {"t": token}, storefront="sekar"))["checkout"]["landedCost"]
    assert cost["duty"] == {"amount": "4.50", "currency": "MYR"} and cost["tax"] == {"amount": "0.00"}
    assert cost["taxName"] == "none" and cost["lines"][0]["dutyRate"] == "5"
    assert SERVICE.asked[-1] == {"country": "MY", "codes": ["620443"], "brand_id": brand.id}
