"""Lini's application factory and command line.

python server.py serve [--host H] [--port P] [--workers N] [--reload]
python server.py worker [--concurrency N]
python server.py migrate
python server.py makemigrations APP [--name NAME]
python server.py seed-demo
python server.py documents add|list [FILE.graphql ...] [--manifest FILE]
python server.py events [--failed] [--redeliver ID ...]
python server.py jobs [--status S] [--task NAME] [--cancel ID ...] [--retry ID ...]
python server.py media-thumbnails
python server.py export-schema [--output schema.graphql] [--installed]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from procrastinate import App
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from tortoise.connection import get_connection
from tortoise.contrib.starlette import RegisterTortoise

import core.wiring  # noqa: F401  (garments subscribe to order events: the one place core is wired)
from core import outbox
from core.auth.services import AuthConfig
from core.catalog import freshness
from core.db import APP, DatabaseNotMigrated, connected, make_migrations, migrate, pending_migrations, tortoise_config
from core.errors import DomainError
from core.events import DeliveryStatus, EventDelivery
from core.forwarded import ProxyHeadersMiddleware
from core.jobs import admin as job_admin
from core.jobs import schema as job_schema
from core.jobs import worker as job_worker
from core.jobs.queue import build_app as build_job_app
from core.jobs.queue import is_postgres
from core.plugins import PluginError, PluginHost, discover, load_plugins
from core.ratelimits import LimitClass, RateLimits, address_key
from core.response_store import ResponseStore, open_store
from core.settings import Settings, SettingsError, load_settings
from schema import build_schema, documents, graphiql, shop
from schema.context import LiniContext, rate_limit_key
from schema.rate_limits import error_body
from schema.request_body import RequestRefused
from schema.request_id import RequestIdMiddleware, configure_logging
from schema.response_cache import NO_STORE, Pending, ResponseCache, cacheable_response, etag_matches, mark
from schema.view import READ_OPERATION, HardenedView, refusal_response, starlette_http_error

logger = logging.getLogger("lini")
RESERVED_PATHS = {"/graphql", "/health", "/media", graphiql.ROUTE.path, shop.MOUNT}


class LiniGraphQL(HardenedView, GraphQL):
    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        host: PluginHost,
        auth: AuthConfig,
        rate_limits: RateLimits,
        cache: ResponseCache | None = None,
    ) -> None:
        # development only; strawberry renders it when a browser asks for /graphql, with the page below
        ide = "graphiql" if settings.development and settings.graphql.graphiql else None
        # Uploads are safe from CSRF here: changing anything needs a bearer token, never a cookie. Queries may come
        # as GET, so that a CDN can keep the cacheable ones; a mutation sent as GET is refused (405).
        super().__init__(schema, graphql_ide=ide, allow_queries_via_get=True, multipart_uploads_enabled=True)
        self.settings = settings
        self.host = host
        self.auth = auth
        self.rate_limits = rate_limits
        self.cache = cache
        graphql = settings.graphql
        self.documents = documents.load(
            graphql.trusted_documents, automatic=graphql.persisted_queries, trusted_only=graphql.trusted_documents_only
        )

    @property
    def graphql_ide_html(self) -> str:
        """Lini's own GraphiQL page (schema.graphiql), which loads nothing from outside, not strawberry's."""
        return graphiql.page()

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)  # ~10× faster than json.dumps on a catalog page; same JSON

    async def get_context(self, request: Any, response: Any = None) -> LiniContext:
        pending: Pending | None = getattr(request.state, "lini_cache", None)
        return LiniContext(
            request=request,
            response=response,
            settings=self.settings,
            host=self.host,
            auth=self.auth,
            rate_limits=self.rate_limits,
            freshness=pending.recorder if pending is not None else None,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Multipart requests (file uploads) get room for one upload plus the operations; everything else keeps
        the app-wide `max_body_size`. Uploaded parts are closed when the request ends, even when it failed."""
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        app: ASGIApp = self._serve
        if Headers(scope=scope).get("content-type", "").startswith("multipart/form-data"):
            limit = self.settings.media.max_upload_bytes + self.settings.server.max_body_size
            app = RequestBodyLimitMiddleware(app, max_body_size=limit)
        await app(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope=scope, receive=receive)
        try:
            try:
                exceeded = await self._request_limits(request)
                response = await self._answer(request) if exceeded is None else exceeded
            except (HTTPException, RequestRefused) as exc:
                response = refusal_response(exc)  # JSON with a code, like every other error
            if "cache-control" not in response.headers:
                response.headers["Cache-Control"] = NO_STORE  # only cacheable answers say otherwise
            await response(scope, receive, send)
        finally:
            await request.close()  # closes the spooled temporary files of a parsed multipart form

    async def _answer(self, request: Request) -> Response:
        """The answer, with the catalog changes this request committed already visible to the next reader."""
        async with freshness.collecting():
            if self.cache is None or not self.cache.applies(request):
                return await self.run(request)
            return await self._cache_lookup(request)

    async def _cache_lookup(self, request: Request) -> Response:
        """An anonymous request, after the request-wide limits: its operation is read (by the hardened reader,
        once) and looked up; a miss runs as any request does and is stored if it may be."""
        assert self.cache is not None
        operation = await self.read_operation(self.request_adapter_class(request))
        token = READ_OPERATION.set(operation)
        try:
            found = await self.cache.lookup(request, operation)
            if isinstance(found, tuple):
                body, etag, left = found
                exceeded = await self.rate_limits.hit(LimitClass.QUERY, rate_limit_key(request))
                if exceeded is not None:  # a hit is a query like any other for the `query` limit
                    return JSONResponse(
                        error_body(exceeded), status_code=429, headers={"Retry-After": str(exceeded.retry_after)}
                    )
                return cacheable_response(request, body, etag, left, "hit")
            if found is not None:
                request.state.lini_cache = found
            response = await self.run(request)
            saved = await self.cache.save(found, response) if found is not None else None
            if saved is not None:
                etag, left = saved
                if etag_matches(request.headers.get("if-none-match", ""), etag):
                    return cacheable_response(request, b"", etag, left, "miss")
                mark(response, etag, left, "miss")
            return response
        finally:
            READ_OPERATION.reset(token)

    async def _request_limits(self, request: Request) -> Response | None:
        """Every request counts against its address and its bearer token before its body is even read."""
        address = address_key(request.client.host if request.client else "")
        client = rate_limit_key(request)
        hits = {LimitClass.PER_IP: (address, 1)}
        if client != address:
            hits[LimitClass.PER_TOKEN] = (client, 1)
        exceeded = await self.rate_limits.hit_all(hits)
        if exceeded is None:
            return None
        return JSONResponse(error_body(exceeded), status_code=429, headers={"Retry-After": str(exceeded.retry_after)})


def create_app(settings: Settings | None = None, *, host: PluginHost | None = None) -> Starlette:
    """Build the ASGI app; settings and plugins are validated here, before anything is served."""
    settings = settings or load_settings()
    host = host or load_plugins(settings)
    if host.settings is not settings:
        raise ValueError("create_app: the plugin host was loaded with other settings than the app's")
    auth = AuthConfig.from_settings(settings)
    rate_limits = RateLimits.from_settings(settings.rate_limits)
    store = open_store(settings.cache) if settings.cache.enabled else None
    cache = ResponseCache(settings.cache, store) if store is not None else None
    schema = build_schema(host)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        apps = host.database_apps()
        async with RegisterTortoise(app, config=tortoise_config(settings.database.url, apps)):
            if settings.database.require_migrated:
                pending = await pending_migrations(apps)
                if pending:
                    raise DatabaseNotMigrated(
                        f"The database {settings.database.url} is not migrated "
                        f"(pending: {', '.join(pending)}). Run `python server.py migrate` first."
                    )
            try:
                await host.call("startup", app=app)
                if getattr(app.state, "tune_gc", False):
                    tune_gc()
                # the queue is open for requests to defer jobs; its worker runs here only on SQLite ([jobs] worker)
                async with _publishing(store), job_worker.serving(settings, host) as jobs, _delivering(settings, host):
                    app.state.jobs = jobs
                    yield
            finally:
                # also after a failed start-up: plugins that did start get to clean up
                await host.call("shutdown", app=app, on_error="log")
                await rate_limits.close()
                if store is not None:
                    await store.close()

    app = Starlette(
        routes=[
            Route("/graphql", LiniGraphQL(schema, settings, host, auth, rate_limits, cache)),
            Route("/health", health, methods=["GET"]),
            *([graphiql.ROUTE] if settings.development and settings.graphql.graphiql else []),
            Mount("/media", app=StaticFiles(directory=settings.media.root, check_dir=False), name="media"),
            *shop.ROUTES,  # the reference storefront, once built (storefront/, `make storefront`)
            *plugin_routes(host),
        ],
        lifespan=lifespan,
        exception_handlers={StarletteHTTPException: starlette_http_error},
        middleware=[
            # outermost: the request id is in every answer and log line, and an unhandled error is answered as JSON
            Middleware(RequestIdMiddleware),
            # inside it (not Starlette's max_body_size, which answers before any middleware), so 413 is JSON too
            Middleware(RequestBodyLimitMiddleware, max_body_size=settings.server.max_body_size),
            # then, so that everything after it sees the real client (limits, sign-in throttling, logs)
            Middleware(
                ProxyHeadersMiddleware,
                trusted=settings.server.trusted_proxies,
                header=settings.server.proxy_header,
            ),
        ],
    )
    app.state.settings = settings
    app.state.rate_limits = rate_limits
    app.state.response_cache = cache
    app.state.plugins = host
    app.state.schema = schema
    return app


@asynccontextmanager
async def _delivering(settings: Settings, host: PluginHost) -> AsyncIterator[None]:
    """`[events] deliver_hooks = "background"`: plugins hear of this process's commits from a dispatcher task
    after the requests answered (`core.outbox.Background`), not from each request before it answers."""
    if settings.events.deliver_hooks != "background":
        yield
        return
    async with outbox.delivering_in_background(host):
        yield


@asynccontextmanager
async def _publishing(store: ResponseStore | None) -> AsyncIterator[None]:
    """While the app serves, this process's catalog changes move the versions its cache reads."""
    if store is None:
        yield
        return
    async with freshness.publishing_to(store.versions):
        yield


GC_THRESHOLDS = (20_000, 20, 20)


def tune_gc() -> None:
    """Keep the collector off the request path: freeze what start-up built (schema, models, plugins: ~100k objects
    a full collection would otherwise walk every time), and collect the young generation every 20,000
    allocations instead of 700, since one catalog page allocates several thousand container objects."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def plugin_routes(host: PluginHost) -> list[BaseRoute]:
    routes: list[BaseRoute] = host.collect("routes")
    seen: set[str] = set(RESERVED_PATHS)
    for route in routes:
        path = getattr(route, "path", None)
        if not isinstance(route, BaseRoute) or path is None:
            raise PluginError(f"the routes hook returned {route!r}, not a starlette Route or Mount")
        if path in seen:
            raise PluginError(f"two routes claim the path {path}")
        seen.add(path)
    return routes


async def health(request: Request) -> Response:
    try:
        await get_connection("default").execute_query("SELECT 1")
    except Exception as exc:
        logger.warning("health check failed: %r", exc)
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    events = await outbox.backlog()
    age = None if events.oldest_age_seconds is None else round(events.oldest_age_seconds, 3)
    return JSONResponse(
        {
            "status": "ok",
            "database": "ok",
            # what waits for delivery, and for how long the oldest has: a growing age means no sweep runs
            "events": {"pending": events.pending, "oldestPendingSeconds": age},
            "jobs": await _job_counts(getattr(request.app.state, "jobs", None)),
        }
    )


async def _job_counts(jobs: App | None) -> dict[str, int] | None:
    """The queue's jobs waiting and running (all queues), or None when the queue cannot say."""
    if jobs is None:
        return None
    try:
        queues = await jobs.job_manager.list_queues_async()
    except Exception as exc:  # the queue's own database trouble shows here, not as a failed health check
        logger.warning("job queue counts unavailable: %r", exc)
        return None
    return {status: sum(int(q[status]) for q in queues) for status in ("todo", "doing", "failed")}


def app_factory() -> Starlette:
    """Entry for `uvicorn --factory`: every worker process builds its own app."""
    configure_logging()
    app = create_app()
    app.state.tune_gc = True  # a serving process, not a test: see tune_gc()
    return app


# --- command line ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="server.py", description="Lini: headless GraphQL commerce.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the API with uvicorn (GraphQL on /graphql)")
    serve.add_argument("--host", help="interface to bind (default: [server] host)")
    serve.add_argument("--port", type=int, help="port (default: [server] port)")
    serve.add_argument("--workers", type=int, help="worker processes (default: [server] workers)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    worker = commands.add_parser("worker", help="run the job queue's tasks (PostgreSQL; as many processes as wanted)")
    worker.add_argument("--concurrency", type=int, help="jobs run at once (default: [jobs] concurrency)")
    commands.add_parser(
        "migrate", help="apply pending database migrations (Lini's, the enabled plugins' and the job queue's)"
    )
    makemigrations = commands.add_parser(
        "makemigrations", help="write the migration for model changes of one app: `lini` or a plugin's name"
    )
    makemigrations.add_argument("app", help="`lini`, or the name of an enabled plugin that owns tables")
    makemigrations.add_argument("--name", default="", help="the migration's name (default: tortoise's)")
    seed = commands.add_parser("seed-demo", help="load the demo brands and catalog into an empty database")
    seed.add_argument("--if-empty", action="store_true", help="do nothing (and succeed) if brands exist")
    admin = commands.add_parser("create-admin", help="create a platform administrator (or promote an account)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", help="default: asked for on the terminal, or LINI_ADMIN_PASSWORD")
    documents = commands.add_parser(
        "documents", help="register trusted documents in the manifest of [graphql] trusted_documents, or list them"
    )
    documents.add_argument("action", choices=("add", "list"))
    documents.add_argument("files", nargs="*", type=Path, help="`add`: .graphql files (one document each) or manifests")
    documents.add_argument("--manifest", type=Path, help="the manifest (default: [graphql] trusted_documents)")
    events = commands.add_parser(
        "events", help="the outbox: what waits for delivery, the dead letters (--failed), and redelivering them"
    )
    events.add_argument("--failed", action="store_true", help="list the deliveries given up on, newest first")
    events.add_argument("--redeliver", type=int, nargs="+", metavar="ID", help="try these dead deliveries again")
    events.add_argument("--limit", type=int, default=100, help="at most this many lines (default 100)")
    jobs = commands.add_parser("jobs", help="the job queue's jobs (PostgreSQL): list them, --cancel ID… those unwanted")
    jobs.add_argument("--status", choices=job_admin.STATUSES, help="only jobs in this state (default: all)")
    jobs.add_argument("--task", help='only this task\'s jobs ("lini:expire_unpaid_orders", "tailor_dispatch:…")')
    jobs.add_argument("--cancel", type=int, nargs="+", metavar="ID", help="cancel these jobs (abort them if running)")
    jobs.add_argument("--retry", type=int, nargs="+", metavar="ID", help="run these failed jobs again, now")
    jobs.add_argument("--limit", type=int, default=100, help="at most this many lines (default 100)")
    commands.add_parser(
        "media-thumbnails",
        help="make the thumbnails of images uploaded before Lini made them (run once after upgrading)",
    )
    export = commands.add_parser("export-schema", help="write the GraphQL SDL of the live schema")
    export.add_argument("--output", default="schema.graphql", help="file to write ('-' for stdout)")
    export.add_argument(
        "--installed",
        action="store_true",
        help="the schema of the plugins enabled here, third-party ones included (default: Lini's built-ins only, "
        "which is what the committed schema.graphql holds)",
    )
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    configure_logging()
    try:
        settings = load_settings()
        return COMMANDS[args.command](settings, args)
    except (SettingsError, DatabaseNotMigrated, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    load_plugins(settings)  # fail here, with the message, rather than once per worker
    workers = args.workers or settings.server.workers
    if workers > 1 and settings.database.url.startswith("sqlite") and not args.reload:
        print(
            f"error: {workers} workers on SQLite ({settings.database.url}): each process would lock the one file "
            "for its writes, and concurrent requests would fail with 'database is locked'. Serve with --workers 1, "
            "or set [database] url to PostgreSQL for more processes.",
            file=sys.stderr,
        )
        return 2
    if workers > 1 and not settings.rate_limits.redis_url_env and settings.rate_limits.enabled:
        print(
            f"warning: rate limits are counted in each of the {workers} processes' memory, so each limit allows "
            f"{workers} times its number; set [rate_limits] redis_url_env to count them in Redis",
            file=sys.stderr,
        )
    uvicorn.run(
        "server:app_factory",
        factory=True,
        host=args.host or settings.server.host,
        port=args.port or settings.server.port,
        workers=None if args.reload else workers,
        reload=args.reload,
        # Forwarded headers are read by the app (core.forwarded), from [server] trusted_proxies only: uvicorn's own
        # reading would believe any process on loopback.
        proxy_headers=False,
        timeout_graceful_shutdown=20,
        log_level="info",
    )
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if not is_postgres(settings.database.url):
        print(
            f"error: the database is SQLite ({settings.database.url}): its job queue lives in the server's memory and "
            "the server runs it (`server.py serve`). Workers of their own need [database] url on PostgreSQL.",
            file=sys.stderr,
        )
        return 2
    if args.concurrency is not None and args.concurrency < 1:
        print("error: --concurrency must be 1 or more", file=sys.stderr)
        return 2
    asyncio.run(job_worker.run(settings, load_plugins(settings), concurrency=args.concurrency))
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    applied = asyncio.run(migrate(settings.database.url, load_plugins(settings).database_apps()))
    for step in asyncio.run(job_schema.install(settings.database.url)):
        applied.append(
            "procrastinate (the job queue's schema)" if step == job_schema.SCHEMA else f"procrastinate {step}"
        )
    print("\n".join(f"applied {name}" for name in applied) or "nothing to apply: the database is up to date")
    return 0


def _makemigrations(settings: Settings, args: argparse.Namespace) -> int:
    apps = load_plugins(settings).database_apps()
    if args.app not in (APP, *apps):
        print(f"error: no database app named {args.app!r} (apps: {', '.join((APP, *apps))})", file=sys.stderr)
        return 2
    written = asyncio.run(make_migrations(apps, args.app, name=args.name))
    print("\n".join(f"wrote {path}" for path in written) or f"no changes in {args.app}'s models")
    return 0


def _seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from core.demo import seed_demo

    host = load_plugins(settings)

    async def run() -> str:
        apps = host.database_apps()
        async with connected(settings.database.url, apps):
            if await pending_migrations(apps):
                raise DatabaseNotMigrated("Run `python server.py migrate` before `seed-demo`.")
            return await seed_demo(only_if_empty=args.if_empty, host=host)

    print(asyncio.run(run()))
    return 0


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    import getpass
    import os

    from core.auth.services import AuthConfig, create_admin

    password = args.password or os.environ.get("LINI_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    config = AuthConfig.from_settings(settings)

    async def run() -> str:
        async with connected(settings.database.url):
            user = await create_admin(config, email=args.email, password=password)
            return f"platform admin: {user.email}"

    print(asyncio.run(run()))
    return 0


def _documents(settings: Settings, args: argparse.Namespace) -> int:
    configured = settings.graphql.trusted_documents
    manifest = args.manifest or (Path(configured) if configured else None)
    if manifest is None:
        raise SettingsError("say which manifest: --manifest FILE, or set [graphql] trusted_documents")
    if args.action == "list":
        for registered in documents.read_manifest(manifest) if manifest.exists() else []:
            print(f"{registered.id}  {registered.type or '-':8}  {registered.name}")
        return 0
    found = [registered for path in args.files for registered in documents.documents_in(path)]
    documents.check_against(build_schema(load_plugins(settings))._schema, settings, found)
    for registered, new in documents.add_to_manifest(manifest, found):
        print(f"{'registered' if new else 'already registered'} {registered.id} {registered.name}")
    return 0


def _events(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> None:
        async with connected(settings.database.url):
            if args.redeliver:
                print(f"{await outbox.redeliver(args.redeliver)} of {len(args.redeliver)} put back for delivery")
            elif args.failed:
                for row in await outbox.dead_letters(limit=args.limit):
                    error = " ".join(row.last_error.split())[:120]
                    print(
                        f"{row.id}\t{row.subscriber}\tevent {row.event_id} {row.event.type}\t"
                        f"{row.attempts} attempts\t{row.created_at:%Y-%m-%d %H:%M:%S}\t{error}"
                    )
            else:
                backlog = await outbox.backlog()
                age = "-" if backlog.oldest_age_seconds is None else f"{backlog.oldest_age_seconds:.1f} s"
                dead = await EventDelivery.filter(status=DeliveryStatus.FAILED).count()
                print(f"pending {backlog.pending} (oldest {age}), failed {dead}")

    asyncio.run(run())
    return 0


def _jobs(settings: Settings, args: argparse.Namespace) -> int:
    if not is_postgres(settings.database.url):
        print(
            f"error: the database is SQLite ({settings.database.url}): its job queue lives in the server's memory, "
            "which no other process can reach.",
            file=sys.stderr,
        )
        return 2

    async def run() -> None:
        app = build_job_app(settings, load_plugins(settings), max_connections=1)
        async with app.open_async():
            if args.cancel or args.retry:
                change = job_admin.cancel if args.cancel else job_admin.retry
                for job_id, outcome in (await change(app, args.cancel or args.retry)).items():
                    print(f"{job_id}\t{outcome}")
                return
            for line in await job_admin.listed(app, status=args.status, task=args.task, limit=args.limit):
                when = f"{line.scheduled_at:%Y-%m-%d %H:%M:%S}" if line.scheduled_at else "-"
                arguments = orjson.dumps(line.arguments, default=str).decode()[:80]
                print(f"{line.id}\t{line.task}\t{line.status}\t{line.attempts} attempts\t{when}\t{arguments}")

    asyncio.run(run())
    return 0


def _media_thumbnails(settings: Settings, args: argparse.Namespace) -> int:
    from core.catalog.media import LocalStorage, backfill_thumbnails

    async def run() -> tuple[int, int]:
        async with connected(settings.database.url):
            return await backfill_thumbnails(LocalStorage.from_settings(settings))

    made, skipped = asyncio.run(run())
    print(f"thumbnails made for {made} images; {skipped} skipped (linked, missing or unreadable)")
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    sdl = export_sdl(settings if args.installed else builtin_settings(settings))
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def export_sdl(settings: Settings) -> str:
    return build_schema(load_plugins(settings)).as_str() + "\n"


def builtin_settings(settings: Settings) -> Settings:
    """`settings` with exactly Lini's own plugins (those under `plugins/`) enabled: the committed schema.graphql is
    the API every Lini has, so neither a third-party plugin installed in a developer's environment nor a
    built-in one switched off in their settings.toml may change it."""
    names = [name for name, entry in discover().items() if entry.value.startswith("plugins.")]
    return settings.model_copy(update={"plugins": settings.plugins.model_copy(update={"enabled": names})})


COMMANDS = {
    "serve": _serve,
    "worker": _worker,
    "migrate": _migrate,
    "makemigrations": _makemigrations,
    "seed-demo": _seed_demo,
    "create-admin": _create_admin,
    "media-thumbnails": _media_thumbnails,
    "documents": _documents,
    "events": _events,
    "jobs": _jobs,
    "export-schema": _export_schema,
}

if __name__ == "__main__":
    sys.exit(main())
