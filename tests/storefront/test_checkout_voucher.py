"""Issue 18 item 4: the checkout's voucher field in a real browser — a bad code shows its typed error at the field,
a good one takes its discount off the totals, removing it puts them back."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from core.actors.models import Brand
from core.demo import BRANDS
from core.vouchers.models import Voucher, VoucherCurrency, VoucherKind
from tests.storefront.test_storefront import SHOP, shot

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

SEKAR = BRANDS[0]


async def test_a_voucher_is_refused_at_the_field_then_applied_and_removed(
    served: str, browser: tuple[BrowserContext, list[str]]
):
    brand = await Brand.get(slug=SEKAR.slug)
    good = await Voucher.create(brand=brand, code="LEBARAN", kind=VoucherKind.PERCENTAGE, percentage=10)
    big = await Voucher.create(brand=brand, code="BIGSPEND", kind=VoucherKind.PERCENTAGE, percentage=50)
    for currency in ("IDR", "MYR"):
        await VoucherCurrency.create(voucher=good, currency=currency)
        await VoucherCurrency.create(voucher=big, currency=currency, min_subtotal=10**12)
    async with httpx.AsyncClient(base_url=served, headers={"Lini-Storefront": SEKAR.slug}) as http:
        answer = await http.post(
            "/graphql", json={"query": "{ products(first: 20) { edges { node { slug variants { isAvailable } } } } }"}
        )
    slug = next(
        edge["node"]["slug"]
        for edge in answer.json()["data"]["products"]["edges"]
        if any(variant["isAvailable"] for variant in edge["node"]["variants"])
    )

    context, _ = browser
    page = await context.new_page()
    await page.goto(f"{SHOP}p/{slug}")
    await page.get_by_test_id("add-to-cart").click()
    await expect(page.get_by_role("link", name="Cart, 1 item")).to_be_visible()
    await page.get_by_role("link", name="Cart, 1 item").click()
    await page.get_by_role("link", name="Checkout").click()
    total = page.get_by_test_id("total")
    await expect(total).to_be_visible()
    before = await total.inner_text()

    # an unknown code and one whose minimum is not met: each its own typed error, under the field
    field = page.get_by_label("Voucher code")
    error = page.get_by_test_id("voucher").get_by_role("alert")
    await field.fill("nosuch")
    await page.get_by_role("button", name="Apply").click()
    await expect(error).to_have_attribute("data-code", "VOUCHER_NOT_FOUND")
    await expect(error).to_have_text("There is no voucher with this code.")
    await expect(field).to_have_attribute("aria-invalid", "true")
    await field.fill("bigspend")
    await page.get_by_role("button", name="Apply").click()
    await expect(error).to_have_attribute("data-code", "VOUCHER_MIN_SUBTOTAL")
    await expect(error).to_contain_text("This voucher needs a subtotal of at least")
    await expect(page.get_by_test_id("discount")).to_have_count(0)
    await expect(total).to_have_text(before)

    # a good code, typed in lower case: applied, its discount in the totals, the total lower
    await field.fill("lebaran")
    await page.get_by_role("button", name="Apply").click()
    await expect(page.get_by_test_id("voucher-code")).to_have_text("LEBARAN")
    await expect(page.get_by_text("Discount (LEBARAN)")).to_be_visible()
    await expect(page.get_by_test_id("discount")).to_contain_text("IDR")
    await expect(error).to_have_count(0)
    await expect(total).not_to_have_text(before)
    await shot(page, "checkout-voucher")

    # removed: the field is back, the discount gone, the total as before
    await page.get_by_role("button", name="Remove voucher").click()
    await expect(page.get_by_label("Voucher code")).to_be_visible()
    await expect(page.get_by_test_id("discount")).to_have_count(0)
    await expect(total).to_have_text(before)
