"""The reference storefront in Debian's Chromium (Playwright), against a Lini served by uvicorn on 127.0.0.1 with the
demo data, every request for another host refused (the demo's pictures are on a CDN that does not exist: the shop
draws its placeholders). Screenshots of each page go to storefront/test-results/ (git-ignored)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import BrowserContext, Route, async_playwright

from core.demo import seed_demo
from schema.shop import DIST
from tests.conftest import CI
from tests.live_server import on_loopback

CHROMIUM = Path(os.environ.get("LINI_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[2] / "storefront" / "test-results"
# The host of the demo data's image URLs (core/demo.py CDN): the only one the shop may ask for beside Lini.
DEMO_CDN = urlsplit("https://images.lini.example").hostname


def require_browser_and_build() -> None:
    """In CI both must be there (.ci/run installs chromium and runs `make storefront`); elsewhere a skip says why."""
    missing = [
        what
        for what, there in (
            (f"{CHROMIUM} (apt-get install -y chromium)", CHROMIUM.exists()),
            (f"{DIST / 'index.html'} (make storefront)", (DIST / "index.html").is_file()),
        )
        if not there
    ]
    if missing:
        if CI:
            raise RuntimeError(f"CI needs {' and '.join(missing)}: .ci/run installs and builds them")
        pytest.skip(f"missing {' and '.join(missing)}")


@pytest.fixture
async def served(app, plugin_host) -> AsyncIterator[str]:
    """The test's app with the demo data on a free port of 127.0.0.1."""
    require_browser_and_build()
    await seed_demo(host=plugin_host)
    async with on_loopback(app) as url:
        yield url


@pytest.fixture
async def browser(served: str) -> AsyncIterator[tuple[BrowserContext, list[str]]]:
    """A fresh Chromium context (English first, like most CI machines) and the list of other hosts' URLs it asked
    for, each refused; the page errors it raised fail the test."""
    refused: list[str] = []
    errors: list[str] = []

    async def offline(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort("internetdisconnected")

    SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = await chromium.new_context(
                locale="en-US", viewport={"width": 1200, "height": 900}, base_url=served
            )
            context.set_default_timeout(15_000)
            await context.route("**/*", offline)
            context.on("weberror", lambda error: errors.append(str(error.error)))
            yield context, refused
        finally:
            await chromium.close()
    assert errors == [], f"the shop raised: {errors}"
    assert {urlsplit(url).hostname for url in refused} <= {DEMO_CDN}, f"the shop asked for more: {refused}"
