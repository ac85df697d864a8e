"""GraphiQL works offline: Debian's Chromium, driven by Playwright, loads /graphql from a Lini served by uvicorn
with every request that is not for 127.0.0.1 refused, finds the example documents as tabs and the first demo
brand's Lini-Storefront header, and runs the catalog page query on the demo data."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Route, async_playwright

from core.demo import BRANDS, seed_demo
from core.settings import Settings
from schema.graphiql import ASSETS
from tests.conftest import CI
from tests.live_server import on_loopback

CHROMIUM = Path(os.environ.get("LINI_CHROMIUM", "/usr/bin/chromium"))
HAVE_CHROMIUM = CHROMIUM.exists()
pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """GraphiQL is served in development only."""
    return settings.model_copy(update={"server": settings.server.model_copy(update={"environment": "development"})})


@pytest.fixture
async def served(app, plugin_host) -> AsyncIterator[str]:
    """The test's app (its lifespan already run by the `app` fixture) on a free port of 127.0.0.1."""
    await seed_demo(host=plugin_host)
    async with on_loopback(app) as url:
        yield url


async def test_the_assets_are_lini_s_own_and_gzipped(client):
    for name in ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css"):
        zipped = await client.get(f"/graphiql/{name}", headers={"Accept-Encoding": "gzip"})
        assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
        assert zipped.content  # httpx unpacked it
    plain = await client.get("/graphiql/react.production.min.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text.startswith("/**")
    missing = await client.get("/graphiql/manifest.json")
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql/graphiql.min.js" in page.text
    assert "unpkg" not in page.text and "https://" not in page.text.split("<script>")[0]
    assert json.loads((ASSETS / "manifest.json").read_text())["graphiql.min.js"]["version"] == "3.8.3"


async def test_outside_development_there_is_no_graphiql(settings):
    from server import create_app

    production_like = settings.model_copy(update={"server": settings.server.model_copy(update={"environment": "test"})})
    app = create_app(production_like)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        assert (await http.get("/graphiql/graphiql.min.js")).status_code == 404
        assert "GraphiQL" not in (await http.get("/graphql", headers={"Accept": "text/html"})).text


async def test_graphiql_runs_the_catalog_page_with_the_network_off(served):
    if not HAVE_CHROMIUM:
        if CI:
            raise RuntimeError(f"CI needs {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    refused: list[str] = []

    async def offline(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = await browser.new_context()
            await context.route("**/*", offline)
            page = await context.new_page()
            answers: list[dict] = []
            page.on("requestfinished", lambda request: answers.append({"sent": request.post_data or ""}))
            await page.goto(f"{served}/graphql")
            tabs = page.locator(".graphiql-tab")
            await tabs.first.wait_for(timeout=30_000)
            names = [name.strip() for name in await tabs.all_inner_texts()]
            assert names == ["CatalogPage", "CheckoutCreate", "MadeToMeasureOptions", "SignIn", "ProductPage"], names
            await page.get_by_role("button", name="Headers").click()
            headers = page.locator(".graphiql-editor-tool .graphiql-editor").last
            assert BRANDS[0].slug in await headers.inner_text()

            async with page.expect_response(
                lambda r: r.request.method == "POST" and "CatalogPage" in (r.request.post_data or "")
            ) as answered:
                await page.locator(".graphiql-execute-button").click()
            body = await (await answered.value).json()
            assert "errors" not in body, body
            assert body["data"]["storefront"]["slug"] == BRANDS[0].slug and body["data"]["products"]["totalCount"] > 0
            # GraphiQL read the schema too (the docs explorer and completion): introspection is not refused
            introspected = await page.evaluate(
                """async () => (await fetch(location.pathname, {
                    method: "POST",
                    headers: {"Content-Type": "application/json"},
                    body: JSON.stringify({query: "{ __schema { queryType { name } } }"}),
                })).json()"""
            )
            assert introspected == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
            assert any("IntrospectionQuery" in answer["sent"] for answer in answers)
            result = page.locator(".graphiql-response")
            await result.get_by_text(f'"{BRANDS[0].name}"').wait_for(timeout=10_000)
        finally:
            await browser.close()
    assert refused == [], f"the page asked for more than Lini serves: {refused}"
