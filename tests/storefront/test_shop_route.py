"""How Lini serves the built storefront at /shop/<brand>/ (schema/shop.py), without a browser or a build: a
stand-in dist/ is served in its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema import shop

pytestmark = pytest.mark.engine_independent


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><html><head><script src="./assets/app-1.js"></script></head>')
    (tmp_path / "assets" / "app-1.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("no")
    monkeypatch.setattr(shop, "DIST", tmp_path)
    return tmp_path


async def test_every_app_path_gets_the_page_with_the_brand_s_base(client, dist):
    for path in ("/shop/sekar-modest/", "/shop/sekar-modest/p/gamis-syari", "/shop/sekar-modest/order/8"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
        assert '<head>\n    <base href="/shop/sekar-modest/" />' in answer.text
        assert answer.headers["cache-control"] == "no-cache"
    # the directory form, so that relative asset URLs resolve under the brand
    bare = await client.get("/shop/sekar-modest")
    assert bare.status_code == 308 and bare.headers["location"] == "/shop/sekar-modest/"


async def test_assets_are_served_for_any_brand_and_cached_for_good(client, dist):
    asset = await client.get("/shop/another-brand/assets/app-1.js")
    assert asset.status_code == 200 and asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    missing = await client.get("/shop/sekar-modest/assets/app-2.js")
    assert missing.status_code == 404 and missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    escaped = await client.get("/shop/sekar-modest/assets/%2e%2e/%2e%2e/secret.txt")
    assert escaped.status_code == 404


async def test_a_malformed_slug_or_no_build_is_a_404_that_says_why(client, dist, monkeypatch):
    assert (await client.get("/shop/Not_A_Slug/")).status_code == 404
    monkeypatch.setattr(shop, "DIST", dist / "nowhere")
    answer = await client.get("/shop/sekar-modest/")
    assert answer.status_code == 404 and "make storefront" in answer.json()["errors"][0]["message"]


async def test_hostile_paths_are_404s_never_500s(client, dist):
    for path in ("/shop/demo/assets/%00", "/shop/%E2%98%83", "/shop/a%0d%0ab", "/shop/demo/assets/" + "a" * 5000):
        answer = await client.get(path)
        assert answer.status_code == 404, (path, answer.status_code)
        assert "location" not in answer.headers
