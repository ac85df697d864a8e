"""Issue 18 items 3 and 5 in a real browser: sign up → add an address → it is listed; made-to-measure configure →
quote → order → the account's order page shows the garment's production timeline at QUEUED; the unit switch
converts exactly (what is sent is checked); a missing measurement shows its error at its field; the Arabic
configurator renders right to left with Arabic how-to-measure hints."""

from __future__ import annotations

import json
import re

import pytest
from playwright.async_api import BrowserContext, Page, Request, expect

from core.actors.models import Brand
from core.demo import BRANDS
from core.garments.demo import PRODUCTS, SITI_GAMIS
from tests.factories import PASSWORD, make_order, make_user
from tests.storefront.conftest import SHOTS

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

SEKAR = BRANDS[0]
SHOP = f"/shop/{SEKAR.slug}/"
GAMIS = PRODUCTS[SEKAR.slug][0][0]
CONFIGURE = f"{SHOP}m/{GAMIS}"


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def quotes_sent(page: Page) -> list[dict]:
    """The `customGarmentQuote` inputs the page sends, as they go over the wire."""
    sent: list[dict] = []

    def record(request: Request) -> None:
        if request.url.endswith("/graphql") and request.method == "POST":
            body = json.loads(request.post_data or "{}")
            if "customGarmentQuote" in body.get("query", ""):
                sent.append(body["variables"]["input"])

    page.on("request", record)
    return sent


async def fill_measurements(page: Page, skip: str | None = None) -> None:
    for code, cm in SITI_GAMIS:
        if code != skip:
            await page.get_by_test_id(f"measure-{code}").fill(cm)


async def test_sign_up_address_then_a_made_to_measure_order_and_its_production_timeline(
    browser: tuple[BrowserContext, list[str]],
):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)

    # sign up (and so in), from the header's account link
    await page.get_by_role("link", name="Account").click()
    await page.get_by_role("button", name="Create an account").click()
    await page.get_by_label("Full name").fill("Nur Aisyah")
    await page.get_by_label("E-mail").fill("nur@example.id")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Create an account").click()
    await expect(page.get_by_role("alert")).to_contain_text("Password")  # the payload's error, by its field
    await page.get_by_label("Password").fill("Tenun-Ikat-2026!")
    await page.get_by_role("button", name="Create an account").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nur Aisyah")
    await expect(page.get_by_text("No orders yet.")).to_be_visible()
    # the tokens: the refresh token in this tab's sessionStorage only, the access token never stored
    stored = await page.evaluate("JSON.stringify({session: {...sessionStorage}, local: {...localStorage}})")
    assert f"lini:{SEKAR.slug}:refresh" in json.loads(stored)["session"]
    assert "eyJ" not in json.dumps(json.loads(stored)["local"])

    # add an address: it is listed; a bad phone is refused at its field first
    await page.get_by_role("button", name="Add an address").click()
    await page.get_by_label("First name").fill("Nur")
    await page.get_by_label("Street and number").fill("Jl. Cihampelas No. 12")
    await page.get_by_label("City").fill("Bandung")
    await page.get_by_label("Postal code").fill("40131")
    await page.get_by_label("Phone").fill("12")
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("alert")).to_contain_text("Phone:")
    await page.get_by_label("Phone").fill("0812 2345 6789")
    await page.get_by_role("button", name="Save").click()
    addresses = page.get_by_test_id("address")
    await expect(addresses).to_have_count(1)
    await expect(addresses.first).to_contain_text("Jl. Cihampelas No. 12")
    await expect(addresses.first).to_contain_text("Bandung")
    # edited in place
    await addresses.first.get_by_role("button", name="Edit").click()
    await addresses.first.get_by_label("Province or state").fill("Jawa Barat")
    await addresses.first.get_by_role("button", name="Save").click()
    await expect(addresses.first).to_contain_text("Jawa Barat")
    await shot(page, "account")
    # a reload keeps the session (the refresh token renews the pair)
    await page.reload()
    await expect(page.get_by_test_id("address")).to_have_count(1)
    # signing out forgets the tab's refresh token; signing in again, a wrong password refused first
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert f"lini:{SEKAR.slug}:refresh" not in json.loads(await page.evaluate("JSON.stringify({...sessionStorage})"))
    await page.get_by_label("E-mail").fill("nur@example.id")
    await page.get_by_label("Password").fill("Tenun-Ikat-2025?")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await page.get_by_label("Password").fill("Tenun-Ikat-2026!")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nur Aisyah")
    await expect(page.get_by_test_id("address")).to_have_count(1)

    # the product page leads to the configurator
    await page.goto(f"{SHOP}p/{GAMIS}")
    await page.get_by_test_id("configure").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Made-to-measure Aisyah gamis")
    await expect(page.get_by_text("Around the fullest part of the chest")).to_be_visible()
    await expect(page.get_by_test_id("quote")).to_contain_text("Fill in your measurements")

    # measurements, an option, the fabric: the live quote with its breakdown and ready date
    await fill_measurements(page)
    await page.get_by_role("group", name="Cuff").get_by_role("radio", name=re.compile(r"^Buttoned")).check()
    await (
        page.get_by_role("group", name="Fabric")
        .get_by_role("radio", name=re.compile(r"^Ceruty Babydoll Mocca"))
        .check()
    )
    breakdown = page.get_by_test_id("breakdown")
    await expect(breakdown).to_contain_text("Buttoned")
    await expect(breakdown).to_contain_text("Fabric, 2.75 m · Ceruty Babydoll Mocca")
    await expect(page.get_by_test_id("size-band")).to_have_text("M")  # 94 cm chest
    await expect(page.get_by_test_id("ready-by")).to_contain_text("14 days of making")
    # 350,000 making + 15,000 cuff + 2.75 m × 32,000 fabric
    await expect(page.get_by_test_id("quote-total")).to_have_text(re.compile(r"IDR\s?453[.,]000"))

    # saved as a profile, which the configurator then offers
    await page.get_by_label("Name for these measurements").fill("Gamis lebaran")
    await page.get_by_role("button", name="Save these measurements").click()
    await expect(page.get_by_role("status").filter(has_text="Saved to your account.")).to_be_visible()
    await expect(page.get_by_test_id("profile")).to_have_value(re.compile(r".+"))
    await shot(page, "configurator")

    await page.get_by_test_id("add-garment").click()
    await expect(page.get_by_role("status").filter(has_text="Added to your cart.")).to_be_visible()
    await expect(page.get_by_role("link", name="Cart, 1 item")).to_be_visible()

    # the existing checkout, by bank transfer
    await page.get_by_role("status").get_by_role("link", name="Checkout").click()
    await page.get_by_label("E-mail").fill("nur@example.id")
    await page.get_by_label("First name").fill("Nur")
    await page.get_by_label("Street and number").fill("Jl. Cihampelas No. 12")
    await page.get_by_label("City").fill("Bandung")
    await page.get_by_label("Postal code").fill("40131")
    await page.get_by_label("Country").select_option("ID")
    await page.get_by_label("Phone").fill("0812 2345 6789")
    await page.get_by_role("button", name="Use this address").click()
    shipping = page.get_by_role("group", name="Shipping method").get_by_role("radio")
    await shipping.first.check()
    await expect(page.get_by_test_id("place-order")).to_be_enabled()
    await page.get_by_test_id("place-order").click()
    await expect(page.get_by_test_id("order-title")).to_have_text(re.compile(r"Order #\d+ is placed"))
    number = re.search(r"/order/(\d+)$", page.url).group(1)

    # the account lists the order; its page shows the garment's production timeline, at QUEUED
    await page.get_by_role("link", name="Account").click()
    await page.get_by_test_id("orders").get_by_role("link", name=f"Order #{number}").click()
    await expect(page.get_by_test_id("order-title")).to_have_text(f"Order #{number}")
    job = page.get_by_test_id("production-job")
    await expect(job).to_have_count(1)
    await expect(job.get_by_test_id("stage")).to_have_attribute("data-stage", "QUEUED")
    await expect(job.get_by_test_id("stage")).to_have_text("Waiting for a tailor")
    step = job.get_by_test_id("timeline-step")
    await expect(step).to_have_count(1)
    await expect(step.first).to_have_attribute("data-stage", "QUEUED")
    assert re.search(r"\d{4}", await step.first.locator("time").inner_text())
    await expect(job).to_contain_text("Ready by")
    await shot(page, "account-order")

    # the profile is in the account, and can be deleted there
    await page.get_by_role("link", name="Back to your account").click()
    profile = page.get_by_test_id("profile")
    await expect(profile).to_have_count(1)
    await expect(profile.first).to_contain_text("Gamis lebaran")
    # a later visit to the configurator offers it: choosing it fills the form, and the quote is of the profile
    sent = quotes_sent(page)
    await page.goto(CONFIGURE)
    await page.get_by_test_id("profile").select_option(label="Gamis lebaran (version 1)")
    await expect(page.get_by_test_id("measure-LINGKAR_BADAN")).to_have_value("94")
    await expect(page.get_by_test_id("measure-PANJANG_BAJU")).to_have_value("138")
    await expect(page.get_by_test_id("quote-total")).to_have_text(re.compile(r"IDR\s?\d"))
    assert sent and "measurementProfileId" in sent[-1] and "measurements" not in sent[-1]
    await page.goto(f"{SHOP}account")
    # edited in the account: a new version, with the new value
    await profile.first.get_by_role("button", name="Edit").click()
    await profile.first.get_by_label("Chest / bust (cm)").fill("96.5")
    await profile.first.get_by_role("button", name="Save").click()
    await expect(profile.first).to_contain_text("version 2")
    await expect(profile.first.locator("dd").first).to_have_text("96.5 cm")
    await profile.first.get_by_role("button", name="Delete").click()
    await expect(page.get_by_text("No saved measurements yet.")).to_be_visible()


async def test_the_unit_switch_converts_exactly_and_sends_centimetres(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    sent = quotes_sent(page)
    await page.goto(CONFIGURE)
    chest = page.get_by_test_id("measure-LINGKAR_BADAN")
    await chest.fill("94")
    await expect(page.get_by_text("(65–170 cm)").first).to_be_visible()
    await page.get_by_role("group", name="Unit").get_by_role("radio", name=re.compile(r"^inch")).check()
    await expect(chest).to_have_value("37.01")  # 94 / 2.54, shown to two decimals
    await expect(page.get_by_text("(25.59–66.93 inch)").first).to_be_visible()
    await page.get_by_role("group", name="Unit").get_by_role("radio", name=re.compile(r"^cm")).check()
    await expect(chest).to_have_value("94")  # the value typed, not a round trip through inches

    # typed in inches: sent as Lini converts inches (× 2.54, half up to two decimals), in centimetres
    await page.get_by_role("group", name="Unit").get_by_role("radio", name=re.compile(r"^inch")).check()
    await chest.fill("37.5")
    wanted = [{"code": "LINGKAR_BADAN", "value": "95.25"}]
    for _ in range(50):  # the quote is debounced
        if sent and sent[-1]["measurements"] == wanted:
            break
        await page.wait_for_timeout(100)
    assert sent[-1]["measurements"] == wanted and sent[-1]["unit"] == "CM"
    assert len(sent) <= 4  # debounced: not one request per key stroke
    await shot(page, "configurator-inch")


async def test_a_missing_measurement_shows_its_error_at_its_field(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(CONFIGURE)
    await fill_measurements(page, skip="PANJANG_BAJU")
    await page.get_by_test_id("add-garment").click()
    length = page.get_by_test_id("measure-PANJANG_BAJU")
    await expect(page.get_by_test_id("error-PANJANG_BAJU")).to_have_text("Required.")
    await expect(length).to_have_attribute("aria-invalid", "true")
    await expect(length).to_be_focused()
    # only that one: the others are fine
    await expect(page.locator("[aria-invalid='true']")).to_have_count(1)
    # out of its range, in the unit shown
    await page.get_by_test_id("measure-LINGKAR_LENGAN").fill("9")
    await expect(page.get_by_test_id("error-LINGKAR_LENGAN")).to_have_text("Between 20 and 60 cm.")
    await shot(page, "configurator-errors")
    await expect(page.get_by_role("link", name="Cart, 0 items")).to_be_visible()


async def test_the_arabic_configurator_is_right_to_left_with_arabic_hints(browser: tuple[BrowserContext, list[str]]):
    context, _ = browser
    page = await context.new_page()
    await page.goto(SHOP)
    await page.get_by_label("Language").select_option("ar")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await page.goto(CONFIGURE)
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    measurements = page.get_by_test_id("measurements")
    await expect(measurements.get_by_text("مقاساتك", exact=True)).to_be_visible()
    await expect(measurements.get_by_text("محيط الصدر", exact=True)).to_be_visible()
    await expect(measurements.get_by_text("حول أعرض جزء من الصدر")).to_be_visible()
    assert "Around the fullest" not in await measurements.inner_text()
    # right to left: a measurement's label (above its input) starts where the input starts, at the right edge;
    # left to right both would start at the left (label x == input x)
    label = await page.get_by_text("محيط الصدر", exact=True).bounding_box()
    field = await page.get_by_test_id("measure-LINGKAR_BADAN").bounding_box()
    assert label and field and label["width"] < field["width"]
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) < 1 and label["x"] > field["x"] + 1
    await fill_measurements(page)
    await expect(page.get_by_test_id("ready-by")).to_contain_text("جاهز")
    await shot(page, "configurator-arabic")


async def test_the_account_shows_older_orders_a_page_at_a_time(browser: tuple[BrowserContext, list[str]]):
    """Orders come 20 at a time, newest first; the older ones follow the last one shown (keyset), each once, with
    their status in the shopper's words."""
    context, _ = browser
    brand = await Brand.get(slug=SEKAR.slug)
    user = await make_user("rahma@example.id", full_name="Rahma")
    placed = [await make_order(brand, user=user, quantities=(1,), paid=index == 0) for index in range(22)]
    page = await context.new_page()
    await page.goto(f"{SHOP}account")
    await page.get_by_label("E-mail").fill("rahma@example.id")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rahma")
    links = page.get_by_test_id("orders").get_by_role("link")
    await expect(links).to_have_count(20)
    await expect(links.first).to_have_text(f"Order #{placed[-1].number}")
    await page.get_by_test_id("more-orders").click()
    await expect(links).to_have_count(22)
    await expect(page.get_by_test_id("more-orders")).to_have_count(0)
    shown = [re.sub(r"\D", "", text) for text in await links.all_inner_texts()]
    assert shown == [str(order.number) for order in reversed(placed)]
    orders = page.get_by_test_id("orders").get_by_role("listitem")
    await expect(orders.last).to_contain_text("Paid")
    await expect(orders.first).to_contain_text("Waiting for payment")
