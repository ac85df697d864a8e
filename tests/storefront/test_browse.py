"""Issue 18's browsing in a real browser: the header's search answers as you type and the keyboard picks a result;
the catalog's filters (fabric, colour, size, price, offered by `productFacets`) narrow the list, keyset paging kept."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.async_api import BrowserContext, expect

from core.demo import BRANDS, CDN
from tests.storefront.test_storefront import SHOP, shot

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

SEKAR = BRANDS[0]


async def count(page) -> int:
    return int(re.search(r"\d+", await page.get_by_test_id("count").inner_text()).group())


# A 1x1 PNG: the brand's logo as its CDN would send it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


async def test_the_header_shows_the_brands_logo_and_its_letter_without_it(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    # the demo's CDN does not exist: the header draws the brand's initial in its place
    await page.goto(SHOP)
    header = page.get_by_role("banner")
    await expect(header.locator(".logo-letter")).to_have_text(SEKAR.name[0])
    # where the logo (`storefront.logoUrl`) loads, it is shown, on the brand's colour (`storefront.theme`)
    logo_url = f"{CDN}/brands/{SEKAR.slug}/logo.png"
    await page.route(logo_url, lambda route: route.fulfill(status=200, content_type="image/png", body=PNG))
    await page.reload()
    logo = header.locator("img.logo")
    await expect(logo).to_have_attribute("src", logo_url)
    await expect(logo).to_be_visible()
    assert await logo.evaluate("img => img.complete && img.naturalWidth") == 1
    await expect(header.locator(".logo-letter")).to_have_count(0)
    background = await header.evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = (int(SEKAR.colour[i : i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"


async def test_search_answers_as_you_type_and_the_keyboard_opens_a_result(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)
    box = page.get_by_role("combobox", name="Search products")
    await box.press_sequentially("khadij", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    await expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    await expect(options.first).to_contain_text("Khadijah")
    assert all("Khadijah" in text for text in await options.all_inner_texts())
    await shot(page, "search")
    # the arrows move the active option (aria-activedescendant), Enter opens it
    await box.press("ArrowDown")
    await expect(box).to_have_attribute("aria-activedescendant", "search-option-0")
    await expect(options.first).to_have_attribute("aria-selected", "true")
    name = (await options.first.locator(".suggestion-name").inner_text()).strip()
    await box.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert "/p/" in page.url

    # Enter on the words alone lists every match; Escape closes the suggestions
    await box.fill("")
    await box.press_sequentially("linen", delay=30)
    await expect(options.first).to_be_visible()
    await box.press("Escape")
    await expect(box).to_have_attribute("aria-expanded", "false")
    await box.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Results for “linen”")
    cards = page.get_by_test_id("product-card")
    await expect(cards.first).to_be_visible()
    assert all("Linen" in text for text in await cards.all_inner_texts())

    # a word nothing matches says so
    await box.fill("")
    await box.press_sequentially("zzqx", delay=30)
    await expect(listbox).to_contain_text("No product matches.")


async def test_filters_narrow_the_list_and_paging_follows_them(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)
    cards = page.get_by_test_id("product-card")
    await expect(cards).to_have_count(12)
    everything = await count(page)
    filters = page.get_by_role("complementary", name="Filters")

    # a fabric: every card is made of it, fewer than all
    await filters.get_by_role("group", name="Fabric").get_by_label("Linen").check()
    await expect(page.get_by_test_id("count")).not_to_have_text(f"{everything} products")
    linen = await count(page)
    assert 0 < linen < everything
    assert all("Linen" in text for text in await cards.all_inner_texts())

    # each facet is counted under the other choices: Sage's count is of linen products, and ticking it finds
    # as many; the fabric's alternatives stay listed
    await expect(filters).to_have_attribute("aria-busy", "false")
    colours = filters.get_by_role("group", name="Colour")
    sage = colours.locator("label").filter(has=page.locator('input[value="Sage"]'))
    sage_count = int(await sage.locator(".muted").inner_text())
    assert 0 < sage_count < linen
    await colours.get_by_label("Sage").check()
    await expect(page.get_by_test_id("count")).to_have_text(f"{sage_count} products")
    await expect(cards).to_have_count(min(sage_count, 12))
    fabrics = filters.get_by_role("group", name="Fabric").get_by_role("checkbox")
    assert await fabrics.count() > 1
    await shot(page, "filters")

    # the filters are the page's address: a reload keeps them, and so does Back from a product
    assert "a.fabric=" in page.url and "colour=Sage" in page.url
    await page.reload()
    await expect(page.get_by_test_id("count")).to_have_text(f"{sage_count} products")
    await expect(colours.get_by_label("Sage")).to_be_checked()
    await cards.first.click()
    await expect(page.get_by_test_id("add-to-cart")).to_be_visible()
    await page.go_back()
    await expect(page.get_by_test_id("count")).to_have_text(f"{sage_count} products")
    await expect(filters.get_by_role("group", name="Fabric").get_by_label("Linen")).to_be_checked()

    # a price range nothing is in: the list says so; clearing brings everything back with keyset paging
    await filters.get_by_label("Lowest price").fill("99000000")
    await filters.get_by_label("Lowest price").press("Enter")
    await expect(page.get_by_text("No product matches these filters.")).to_be_visible()
    await filters.get_by_role("button", name="Clear filters").click()
    await expect(page.get_by_test_id("count")).to_have_text(f"{everything} products")
    await filters.get_by_role("group", name="Size").get_by_label("XL").check()
    await expect(cards).to_have_count(12)
    await page.get_by_role("button", name="Show more").click()
    await expect(cards).to_have_count(24)
    await expect(cards.nth(12)).to_be_focused()


async def test_on_a_phone_the_filters_fold_under_their_title(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(SHOP)
    cards = page.get_by_test_id("product-card")
    await expect(cards).to_have_count(12)
    everything = await count(page)
    filters = page.get_by_role("complementary", name="Filters")
    toggle = filters.get_by_role("button", name="Filters")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await expect(filters.get_by_role("group", name="Size")).to_be_hidden()
    # folded, the first card is on the first screen
    first = await cards.first.bounding_box()
    assert first and first["y"] < 844
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    await filters.get_by_role("group", name="Colour").get_by_label("Sage").check()
    await expect(page.get_by_test_id("count")).not_to_have_text(f"{everything} products")
    await expect(filters.get_by_role("button", name="Filters (1)")).to_be_visible()
    await shot(page, "filters-phone")
