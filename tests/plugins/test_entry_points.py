"""A plugin installed the way a third party's is: a package plus a `lini.plugins` entry point, nothing else.

The fixture writes a package and its `.dist-info` (what `pip install` leaves behind) into a temporary
directory on `sys.path`, so `importlib.metadata` finds the entry point exactly as it would in site-packages.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import httpx
import pytest

from core.plugins import PluginError, discover, load_plugins
from core.settings import Settings, SettingsError, load_settings
from server import create_app

MODULE = "lini_throwaway_plugin"
NAME = "throwaway"

PLUGIN_SOURCE = '''
    """A throw-away Lini plugin: a greeting as a query field and as a route."""

    from __future__ import annotations

    import strawberry
    from pydantic import BaseModel, ConfigDict
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import BaseRoute, Route
    from strawberry.types import Info

    from core.plugins import PluginHost, SchemaExtension, hookimpl


    class Settings(BaseModel):
        model_config = ConfigDict(extra="forbid")

        greeting: str = "halo"


    @strawberry.type
    class ThrowawayQuery:
        @strawberry.field
        def throwaway_greeting(self, info: Info) -> str:
            return info.context.host.config("throwaway").greeting


    @hookimpl
    def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
        return [SchemaExtension(query=ThrowawayQuery)]


    @hookimpl
    def routes(host: PluginHost) -> list[BaseRoute]:
        async def ping(request: Request) -> Response:
            return PlainTextResponse("pong: " + host.config("throwaway").greeting)

        return [Route("/throwaway/ping", ping, methods=["GET"])]
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`lini_throwaway_plugin` installed with its entry point; removed again (and un-imported) afterwards."""
    site = tmp_path / "site"
    package = site / MODULE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(dedent(PLUGIN_SOURCE), encoding="utf-8")
    dist_info = site / f"{MODULE}-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: lini-throwaway-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(f"[lini.plugins]\n{NAME} = {MODULE}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    try:
        yield site
    finally:
        sys.modules.pop(MODULE, None)


def _with_plugins(settings: Settings, **update: object) -> Settings:
    return settings.model_copy(update={"plugins": settings.plugins.model_copy(update=update)})


def _configured(settings: Settings, table: dict[str, object]) -> Settings:
    return _with_plugins(settings, config={**settings.plugins.config, NAME: table})


def test_discover_finds_the_entry_point(installed: Path) -> None:
    found = discover()
    assert NAME in found
    assert found[NAME].value == MODULE
    assert MODULE not in sys.modules, "discovering must not import the plugin"


def test_nothing_is_discovered_once_it_is_uninstalled() -> None:
    assert NAME not in discover()
    assert MODULE not in sys.modules


def test_load_plugins_registers_it_with_default_settings(installed: Path, settings: Settings) -> None:
    host = load_plugins(settings, env={})
    assert NAME in host.names
    assert host.manager.get_plugin(NAME) is sys.modules[MODULE]
    assert host.config(NAME).greeting == "halo"


def test_its_table_configures_it(installed: Path, settings: Settings) -> None:
    host = load_plugins(_configured(settings, {"greeting": "selamat pagi"}), env={})
    assert host.config(NAME).greeting == "selamat pagi"


def test_an_environment_variable_overrides_its_table(installed: Path, settings: Settings) -> None:
    configured = _configured(settings, {"greeting": "selamat pagi"})
    host = load_plugins(configured, env={"LINI_PLUGINS_THROWAWAY_GREETING": "sugeng enjing"})
    assert host.config(NAME).greeting == "sugeng enjing"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"greeting": [1, 2]}, r"\[plugins\.throwaway\] greeting: Input should be a valid string \(got \[1, 2\]\)"),
        ({"greting": "typo"}, r"\[plugins\.throwaway\] greting: unknown key"),
    ],
)
def test_an_invalid_table_names_the_table_and_key(
    installed: Path, settings: Settings, table: dict[str, object], expected: str
) -> None:
    with pytest.raises(SettingsError, match=expected):
        load_plugins(_configured(settings, table), env={})


def test_an_enabled_list_without_it_leaves_it_out(installed: Path, settings: Settings) -> None:
    host = load_plugins(_with_plugins(settings, enabled=["product_feed"]), env={})
    assert host.names == ["product_feed"]
    assert MODULE not in sys.modules, "a disabled plugin must not even be imported"
    with pytest.raises(KeyError, match=NAME):
        host.config(NAME)


def test_lini_plugins_enabled_restricts_from_the_environment(installed: Path) -> None:
    restricted = load_settings(env={"LINI_PLUGINS_ENABLED": "product_feed"})
    assert restricted.plugins.enabled == ["product_feed"]
    assert NAME not in load_plugins(restricted, env={}).names

    everything = load_settings(env={"LINI_PLUGINS_ENABLED": '["product_feed", "throwaway"]'})
    assert {"product_feed", NAME} <= set(load_plugins(everything, env={}).names)


def test_an_unknown_name_in_enabled_is_refused(installed: Path, settings: Settings) -> None:
    with pytest.raises(PluginError, match=r"\[plugins\] enabled: no installed plugin named 'nonesuch'") as caught:
        load_plugins(_with_plugins(settings, enabled=[NAME, "nonesuch"]), env={})
    assert NAME in str(caught.value), "the message lists what is installed"


def test_a_table_for_an_uninstalled_plugin_is_refused(settings: Settings) -> None:
    with pytest.raises(PluginError, match=r"\[plugins\.throwaway\]: no installed plugin named 'throwaway'"):
        load_plugins(_configured(settings, {"greeting": "halo"}), env={})


async def test_it_is_served_end_to_end(installed: Path, settings: Settings) -> None:
    host = load_plugins(settings, env={"LINI_PLUGINS_THROWAWAY_GREETING": "sugeng enjing"})
    app = create_app(settings, host=host)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": "{ throwawayGreeting }"})
        assert response.status_code == 200
        assert response.json() == {"data": {"throwawayGreeting": "sugeng enjing"}}

        ping = await http.get("/throwaway/ping")
        assert ping.status_code == 200
        assert ping.text == "pong: sugeng enjing"
