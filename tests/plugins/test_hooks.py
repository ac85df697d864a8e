"""Every hook in core/hookspecs.py, driven through a throwaway plugin and observed over HTTP.

`use_plugin` only affects an app built after it is called, and the `app`, `client` and `gql` fixtures are async
(pytest-asyncio cannot set them up lazily from inside a running test), so each plugin here is registered by a
small fixture that the test requests *before* `app`, `client` or `gql`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

import httpx
import pytest
import strawberry
from pydantic import BaseModel, ConfigDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from strawberry.types import Info
from tortoise.connection import get_connection

from core.plugins import PluginError, PluginHost, SchemaExtension, hookimpl, load_plugins
from core.settings import Settings
from server import create_app

if TYPE_CHECKING:
    from tests.conftest import GraphQLClient

UsePlugin = Callable[..., object]


async def _database_answers() -> int:
    rows = await get_connection("default").execute_query_dict("SELECT 1 AS one")
    return int(rows[0]["one"])


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


# --- startup and shutdown -------------------------------------------------------------------------------


class Recorder:
    """A class-instance plugin: a plain `startup` and an `async def shutdown`, each recording its call."""

    def __init__(self) -> None:
        self.started: list[Starlette] = []
        self.stopped: list[Starlette] = []
        self.database_at_shutdown: int | None = None

    @hookimpl
    def startup(self, app: Starlette) -> None:
        self.started.append(app)

    @hookimpl
    async def shutdown(self, app: Starlette, host: PluginHost) -> None:
        self.database_at_shutdown = await _database_answers()
        self.stopped.append(app)


@pytest.fixture
def recorder(use_plugin: UsePlugin) -> Recorder:
    plugin = Recorder()
    use_plugin(plugin, name="recorder")
    return plugin


@pytest.fixture
def warmer(use_plugin: UsePlugin) -> SimpleNamespace:
    """A namespace plugin whose `async def startup` needs the database and leaves state a route serves."""
    calls: list[Starlette] = []

    @hookimpl
    async def startup(app: Starlette, host: PluginHost) -> None:
        await asyncio.sleep(0)
        app.state.warm = {"plugins": host.names, "database": await _database_answers()}
        calls.append(app)

    @hookimpl
    def routes(host: PluginHost) -> list[BaseRoute]:
        async def warm(request: Request) -> Response:
            return JSONResponse(request.app.state.warm)

        return [Route("/probe/warm", warm, methods=["GET"])]

    plugin = SimpleNamespace(startup=startup, routes=routes, calls=calls)
    use_plugin(plugin, name="warmer")
    return plugin


async def test_hook_startup(
    recorder: Recorder, warmer: SimpleNamespace, app: Starlette, client: httpx.AsyncClient
) -> None:
    response = await client.get("/probe/warm")
    assert response.status_code == 200
    served = response.json()
    assert served["database"] == 1
    assert {"recorder", "warmer"} <= set(served["plugins"])
    assert recorder.started == [app]
    assert warmer.calls == [app]
    assert recorder.stopped == []


async def test_startup_failure_stops_the_start(settings: Settings) -> None:
    @hookimpl
    def startup(app: Starlette) -> None:
        raise RuntimeError("cannot reach the payment provider")

    app = create_app(settings, host=load_plugins(settings, extra={"failing": SimpleNamespace(startup=startup)}, env={}))
    with pytest.raises(RuntimeError, match="cannot reach the payment provider"):
        async with app.router.lifespan_context(app):
            pytest.fail("the app must not serve after a failed startup hook")


async def test_hook_shutdown(recorder: Recorder, settings: Settings, plugin_host: PluginHost) -> None:
    app = create_app(settings, host=plugin_host)
    async with app.router.lifespan_context(app), _client(app) as http:
        assert (await http.get("/health")).status_code == 200
        assert recorder.started == [app]
        assert recorder.stopped == []
    assert recorder.stopped == [app]
    assert recorder.database_at_shutdown == 1, "shutdown must run before the database connections close"


async def test_shutdown_failure_is_logged_not_raised(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    @hookimpl
    def shutdown(app: Starlette) -> None:
        raise RuntimeError("flush failed")

    app = create_app(
        settings, host=load_plugins(settings, extra={"failing": SimpleNamespace(shutdown=shutdown)}, env={})
    )
    with caplog.at_level(logging.ERROR, logger="lini"):
        async with app.router.lifespan_context(app):
            pass
    failures = [record for record in caplog.records if "shutdown hook failed" in record.getMessage()]
    assert len(failures) == 1
    assert failures[0].exc_info is not None and "flush failed" in str(failures[0].exc_info[1])


# --- routes -----------------------------------------------------------------------------------------------


class PingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reply: str = "pong"


class Pinger:
    """Serves a route and a mounted sub-app; its reply comes from its validated settings."""

    Settings = PingSettings

    @hookimpl
    def routes(self, host: PluginHost) -> list[BaseRoute]:
        async def ping(request: Request) -> Response:
            return PlainTextResponse(host.config("pinger").reply)

        async def version(request: Request) -> Response:
            return JSONResponse({"version": 1})

        return [
            Route("/probe/ping", ping, methods=["GET"]),
            Mount("/probe/api", routes=[Route("/version", version, methods=["GET"])]),
        ]


@pytest.fixture
def pinger(use_plugin: UsePlugin) -> Pinger:
    plugin = Pinger()
    use_plugin(plugin, name="pinger")
    return plugin


async def test_hook_routes(pinger: Pinger, client: httpx.AsyncClient) -> None:
    response = await client.get("/probe/ping")
    assert response.status_code == 200
    assert response.text == "pong"
    assert (await client.post("/probe/ping")).status_code == 405
    assert (await client.get("/probe/api/version")).json() == {"version": 1}
    assert (await client.get("/probe/nothing-here")).status_code == 404


def _routes_plugin(*paths: str) -> SimpleNamespace:
    async def handler(request: Request) -> Response:
        return PlainTextResponse("mine")

    @hookimpl
    def routes(host: PluginHost) -> list[BaseRoute]:
        return [Route(path, handler) for path in paths]

    return SimpleNamespace(routes=routes)


@pytest.mark.parametrize("path", ["/graphql", "/health"])
def test_route_on_a_reserved_path_stops_the_start(settings: Settings, path: str) -> None:
    host = load_plugins(settings, extra={"greedy": _routes_plugin(path)}, env={})
    with pytest.raises(PluginError, match=f"two routes claim the path {path}$"):
        create_app(settings, host=host)


def test_route_claimed_by_two_plugins_stops_the_start(settings: Settings) -> None:
    extra = {"first": _routes_plugin("/probe/same"), "second": _routes_plugin("/probe/same")}
    host = load_plugins(settings, extra=extra, env={})
    with pytest.raises(PluginError, match="two routes claim the path /probe/same"):
        create_app(settings, host=host)


def test_routes_hook_returning_something_else_stops_the_start(settings: Settings) -> None:
    @hookimpl
    def routes(host: PluginHost) -> list[object]:
        return ["/probe/not-a-route"]

    host = load_plugins(settings, extra={"confused": SimpleNamespace(routes=routes)}, env={})
    with pytest.raises(PluginError, match="the routes hook returned '/probe/not-a-route', not a starlette Route"):
        create_app(settings, host=host)


# --- schema_extensions ------------------------------------------------------------------------------------


@strawberry.type
class ProbeQuery:
    @strawberry.field(description="Echoes its argument (added by a test plugin).")
    def probe_echo(self, info: Info, text: str) -> str:
        return f"{text} from {info.context.host.config('prober').greeting}"


@strawberry.type
class ProbeCounter:
    value: int


@strawberry.type
class ProbeMutation:
    @strawberry.mutation(description="Counts its calls (added by a test plugin).")
    def probe_count(self, info: Info) -> ProbeCounter:
        plugin: Prober = info.context.host.manager.get_plugin("prober")
        plugin.count += 1
        return ProbeCounter(value=plugin.count)


@strawberry.type(description="Named by no field; registered through SchemaExtension.types.")
class ProbeOrphan:
    note: str


class ProberSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    greeting: str = "prober"


class Prober:
    Settings = ProberSettings

    def __init__(self) -> None:
        self.count = 0

    @hookimpl
    def schema_extensions(self) -> list[SchemaExtension]:
        return [SchemaExtension(query=ProbeQuery, mutation=ProbeMutation, types=[ProbeOrphan])]


@pytest.fixture
def prober(use_plugin: UsePlugin) -> Prober:
    plugin = Prober()
    use_plugin(plugin, name="prober")
    return plugin


async def test_hook_schema_extensions(prober: Prober, gql: GraphQLClient) -> None:
    data = await gql('{ probeEcho(text: "halo") }')
    assert data == {"probeEcho": "halo from prober"}

    assert await gql("mutation { probeCount { value } }") == {"probeCount": {"value": 1}}
    assert await gql("mutation { probeCount { value } }") == {"probeCount": {"value": 2}}
    assert prober.count == 2

    orphan = await gql('{ __type(name: "ProbeOrphan") { name fields { name } } }')
    assert orphan == {"__type": {"name": "ProbeOrphan", "fields": [{"name": "note"}]}}


@strawberry.type
class ProductsAgain:
    @strawberry.field
    def products(self) -> str:
        return "not the catalog"


@strawberry.type
class OtherCounter:
    @strawberry.mutation
    def probe_count(self) -> int:
        return 0


def _extensions_plugin(*extensions: object) -> SimpleNamespace:
    @hookimpl
    def schema_extensions(host: PluginHost) -> list[object]:
        return list(extensions)

    return SimpleNamespace(schema_extensions=schema_extensions)


def test_query_field_clash_with_the_core_names_both(settings: Settings) -> None:
    host = load_plugins(settings, extra={"clash": _extensions_plugin(SchemaExtension(query=ProductsAgain))}, env={})
    with pytest.raises(PluginError, match=r"Query\.products is defined by both schema\.\S+ and .*\.ProductsAgain"):
        create_app(settings, host=host)


def test_mutation_field_clash_between_plugins_names_both(settings: Settings) -> None:
    extra = {
        "prober": _extensions_plugin(SchemaExtension(mutation=ProbeMutation)),
        "other": _extensions_plugin(SchemaExtension(mutation=OtherCounter)),
    }
    host = load_plugins(settings, extra=extra, env={})
    with pytest.raises(PluginError, match=r"Mutation\.probeCount is defined by both ") as caught:
        create_app(settings, host=host)
    assert "test_hooks.ProbeMutation" in str(caught.value)
    assert "test_hooks.OtherCounter" in str(caught.value)


def test_schema_extension_of_the_wrong_kind_stops_the_start(settings: Settings) -> None:
    host = load_plugins(settings, extra={"confused": _extensions_plugin(ProbeQuery)}, env={})
    with pytest.raises(PluginError, match=r"not a core\.plugins\.SchemaExtension"):
        create_app(settings, host=host)


def test_schema_extension_with_a_plain_class_stops_the_start(settings: Settings) -> None:
    class NotStrawberry:
        def hello(self) -> str:
            return "hi"

    host = load_plugins(settings, extra={"plain": _extensions_plugin(SchemaExtension(query=NotStrawberry))}, env={})
    with pytest.raises(PluginError, match=r"\.NotStrawberry is not a strawberry type"):
        create_app(settings, host=host)
