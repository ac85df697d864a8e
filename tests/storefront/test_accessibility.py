"""Issue 18 item 7: axe-core (storefront/node_modules, a devDependency `make storefront` installs) finds no
serious or critical violation on the home page, a product page, the cart and the checkout, in English and in
Arabic (right to left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, expect

from core.demo import BRANDS

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

SHOP = f"/shop/{BRANDS[0].slug}/"
AXE = Path(__file__).resolve().parents[2] / "storefront" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


async def violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as shown, one line each: rule, impact, the nodes."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: `make storefront` installs storefront's devDependencies")
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    found = await page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) + ": " + node["failureSummary"].replace("\n", " ") for node in v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]


async def audit(page: Page, name: str, found: dict[str, list[str]]) -> None:
    found[name] = await violations(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_no_serious_violation_on_the_journey(browser: tuple[BrowserContext, list[str]], lang: str):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)
    cards = page.get_by_test_id("product-card")
    await expect(cards).to_have_count(12)
    if lang == "ar":
        await page.get_by_label("Language").select_option("ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    found: dict[str, list[str]] = {}
    await audit(page, "home", found)

    await cards.first.click()
    await expect(page.get_by_test_id("add-to-cart")).to_be_enabled()
    await audit(page, "product", found)
    await page.get_by_test_id("add-to-cart").click()
    await expect(page.locator(".notice[role=status]")).to_be_visible()

    # the language is remembered per brand: a reload of the cart and the checkout keeps it
    await page.goto(SHOP + "cart")
    await expect(page.get_by_test_id("cart-line")).to_have_count(1)
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await audit(page, "cart", found)

    await page.goto(SHOP + "checkout")
    await expect(page.get_by_test_id("place-order")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await audit(page, "checkout", found)

    failing = {name: lines for name, lines in found.items() if lines}
    assert failing == {}, "\n".join(f"{name}: {line}" for name, lines in failing.items() for line in lines)
