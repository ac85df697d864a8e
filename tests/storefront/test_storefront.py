"""Issue 18's journeys through the reference storefront in a real browser: browse → product → cart → checkout by
bank transfer → order page; Arabic renders right to left; a sold-out variant cannot be added."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from core.demo import BRANDS
from tests.storefront.conftest import SHOTS

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

SEKAR = BRANDS[0]
SHOP = f"/shop/{SEKAR.slug}/"


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


async def test_browse_product_cart_and_bank_transfer_order(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)

    # the home page: the brand's name and colour from `storefront`, a grid of cards with price ranges
    await expect(page.get_by_role("link", name=SEKAR.name)).to_be_visible()
    cards = page.get_by_test_id("product-card")
    await expect(cards).to_have_count(12)
    brand = await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()")
    assert brand == SEKAR.colour
    assert re.search(r"IDR\s?[\d,.]+", await cards.first.inner_text())
    await shot(page, "home")

    # keyset paging: the next page follows on, focus on its first card
    await page.get_by_role("button", name="Show more").click()
    await expect(cards).to_have_count(24)
    await expect(cards.nth(12)).to_be_focused()

    # a category page, and prices in another of the brand's currencies
    await page.get_by_role("navigation", name="Categories").get_by_role("link", name="Abaya").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Abaya")
    await page.get_by_label("Currency").select_option("MYR")
    await expect(cards.first).to_contain_text("MYR")
    await shot(page, "category")

    # the product page: gallery, the first variant in stock chosen, its price in MYR
    await cards.first.click()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("region", name="Pictures").get_by_role("button")).to_have_count(3)
    await expect(page.get_by_test_id("price")).to_contain_text("MYR")
    await expect(page.get_by_test_id("stock")).to_have_text(re.compile(r"In stock|\d+ left"))
    await shot(page, "product")
    await page.get_by_test_id("add-to-cart").click()
    await expect(page.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    await expect(page.get_by_role("link", name="Cart, 1 item")).to_be_visible()

    # the cart
    await page.get_by_role("link", name="Cart, 1 item").click()
    line = page.get_by_test_id("cart-line")
    await expect(line).to_have_count(1)
    await expect(line).to_contain_text("MYR")
    await shot(page, "cart")
    # a checkout's currency is fixed: switching moves the line to a checkout in the new one, and back
    await page.get_by_label("Currency").select_option("IDR")
    await expect(line).to_contain_text("IDR")
    await page.get_by_label("Currency").select_option("MYR")
    await expect(line).to_contain_text("MYR")
    await expect(line).to_have_count(1)
    await page.get_by_role("link", name="Checkout").click()

    # checkout: e-mail and a Malaysian address, then its shipping method, then the order by bank transfer
    await page.get_by_label("E-mail").fill("tamu@example.my")
    await page.get_by_label("First name").fill("Nur")
    await page.get_by_label("Last name").fill("Aisyah")
    await page.get_by_label("Street and number").fill("Jalan Ampang 12")
    await page.get_by_label("City").fill("Kuala Lumpur")
    await page.get_by_label("Postal code").fill("50450")
    await page.get_by_label("Country").select_option("MY")
    await page.get_by_label("Phone").fill("12")
    await page.get_by_role("button", name="Use this address").click()
    # the payload's errors, led by the field's label
    await expect(page.get_by_role("alert")).to_contain_text("Phone: '12' is not a valid phone number for MY.")
    await page.get_by_label("Phone").fill("+60123456789")
    await page.get_by_role("button", name="Use this address").click()
    shipping = page.get_by_role("group", name="Shipping method").get_by_role("radio")
    await expect(shipping.first).to_be_visible()
    await shipping.first.check()
    await expect(page.get_by_test_id("place-order")).to_be_enabled()
    total = await page.get_by_test_id("total").inner_text()
    await shot(page, "checkout")
    await page.get_by_test_id("place-order").click()

    # the confirmation: the order number and the bank transfer instructions, for the checkout's total
    await expect(page.get_by_test_id("order-title")).to_have_text(re.compile(r"Order #\d+ is placed"))
    transfer = page.get_by_test_id("transfer")
    await expect(transfer).to_contain_text("Bank Syariah Indonesia")
    await expect(transfer).to_contain_text(total)
    assert re.fullmatch(r"[A-Z]{4}-[A-Z0-9]+", (await page.get_by_test_id("reference").inner_text()).strip())
    assert re.search(r"/order/\d+$", page.url)
    await expect(page.get_by_role("link", name="Cart, 0 items")).to_be_visible()
    await shot(page, "order")

    # a reload keeps the confirmation (Lini serves index.html for the app's own paths)
    await page.reload()
    await expect(page.get_by_test_id("transfer")).to_contain_text("Bank Syariah Indonesia")


async def test_arabic_renders_right_to_left(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)
    await expect(page.get_by_test_id("product-card")).to_have_count(12)
    assert await page.evaluate("document.documentElement.dir") == "ltr"
    await page.get_by_label("Language").select_option("ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("html")).to_have_attribute("lang", "ar")
    await expect(page.get_by_role("heading", level=1)).to_have_text("كل المنتجات")
    # laid out right to left: the brand's name sits at the right of the header, the cart at its left
    name = await page.get_by_role("link", name=SEKAR.name).bounding_box()
    cart = await page.get_by_role("link", name=re.compile("السلة")).bounding_box()
    assert name and cart and name["x"] > cart["x"]
    await shot(page, "arabic")
    # the choice is remembered
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


async def test_a_sold_out_variant_cannot_be_added(served: str, browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    async with httpx.AsyncClient(base_url=served, headers={"Lini-Storefront": SEKAR.slug}) as http:
        answer = await http.post(
            "/graphql",
            json={"query": "{ products(first: 20) { edges { node { slug variants { colour size isAvailable } } } } }"},
        )
    sold_out = next(
        (product["slug"], variant)
        for edge in answer.json()["data"]["products"]["edges"]
        for product in [edge["node"]]
        for variant in product["variants"]
        if not variant["isAvailable"]
    )
    slug, variant = sold_out
    page = await context.new_page()
    await page.goto(f"{SHOP}p/{slug}")
    await page.get_by_role("group", name="Colour").locator(f'input[value="{variant["colour"]}"]').check()
    await page.get_by_role("group", name="Size").locator(f'input[value="{variant["size"]}"]').check()
    await expect(page.get_by_test_id("stock")).to_have_text("Sold out")
    button = page.get_by_test_id("add-to-cart")
    await expect(button).to_be_disabled()
    await expect(button).to_have_text("Sold out")
    await shot(page, "sold-out")
    await button.click(force=True)  # a disabled button does nothing even when clicked
    await expect(page.get_by_role("link", name="Cart, 0 items")).to_be_visible()
