"""Issue 18's product page extras in a real browser: the size chart (`Product.sizeChart`) with the chosen size
marked, and cart lines that link back to their product with its picture (`ProductVariant.product`)."""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, expect

from tests.storefront.test_storefront import SHOP, shot

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]


async def test_size_chart_shows_and_the_cart_line_links_back(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(f"{SHOP}c/gamis")
    await page.get_by_test_id("product-card").first.click()
    title = (await page.get_by_role("heading", level=1).inner_text()).strip()

    chart = page.get_by_test_id("size-chart")
    table = chart.get_by_role("table", name="Body measurements in centimetres")
    await expect(table).to_be_hidden()
    await chart.get_by_text("Size chart").click()
    await expect(table).to_be_visible()
    await expect(table.get_by_role("columnheader", name="Chest LD")).to_be_visible()
    await expect(table.get_by_role("row")).to_have_count(5)  # the head and S, M, L, XL
    await page.get_by_role("group", name="Size").locator('input[value="L"]').check()
    chosen = table.locator('tr[aria-current="true"]')
    await expect(chosen).to_have_count(1)
    await expect(chosen.get_by_role("rowheader")).to_have_text("L")
    await shot(page, "size-chart")

    await page.get_by_test_id("add-to-cart").click()
    await page.get_by_role("link", name="Cart, 1 item").click()
    line = page.get_by_test_id("cart-line")
    await expect(line).to_have_count(1)
    await expect(line.locator(".line-picture")).to_be_visible()  # the picture or its placeholder
    await line.get_by_role("link", name=title).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
