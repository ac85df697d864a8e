"""The response cache of anonymous storefront reads (issue #13): one stored answer per document, variables and
the headers that choose the storefront and language, served without running GraphQL or touching the database.

What is cached: a query (never a mutation) whose root fields are all storefront catalog fields
(`CACHEABLE_FIELDS`), sent without an `Authorization` header, answered 200 without errors. `me`, `checkout`,
`order` and every management field are outside that list, so nothing personal is stored; a checkout token is an
argument of `checkout`, so a request that carries one is not cacheable either.

Where it sits: behind every hardening check. The per-address and per-token limits run first (`server.py`); the
body is read and decoded by the view's own hardened `parse_http_body` (size, JSON depth and items, NUL) and the
result is handed on to strawberry, so the body is read once. An entry is only ever written for a document that
went through the document limits, validation, the `query` rate limit and execution, and its key is a hash of the
raw request, so a lookup never parses anything; a hit still counts against the `query` rate limit.

Freshness: each entry holds the catalog versions (`core.catalog.freshness`) of the brands it read, taken before
it read them, and the global one; a lookup answers it only while they are all still current and its TTL (from
the moment execution started) has not passed. The brand behind a `Lini-Storefront` header, a `storefront`
argument or a `Host` is learnt by each process on first use, and that first answer is not stored, because its
brand's version could only be read after the brand's row.

HTTP: a cacheable answer carries a strong `ETag` (of its bytes), `Cache-Control: public, max-age=<what is left
of its TTL>` and `Vary: Lini-Storefront, Accept-Language, Authorization`; `If-None-Match` with that ETag is
answered 304. Every other GraphQL answer says `Cache-Control: no-store`, so no CDN keeps it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import FragmentDefinitionNode, OperationType
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.http import GraphQLRequestData

from core.catalog.freshness import GLOBAL, brand_key
from core.response_store import ResponseStore
from core.settings import CacheSettings
from schema.rate_limits import chosen_operation, root_fields

logger = logging.getLogger("lini.cache")

CACHEABLE_FIELDS = frozenset(
    {
        "storefront",
        "products",
        "productFacets",  # read from the same catalog rows as `products`, so the same versions keep it fresh
        "product",
        "categories",
        "category",
        "collections",
        "collection",
        "__typename",
    }
)
VARY = "Lini-Storefront, Accept-Language, Authorization"
STATUS_HEADER = "Lini-Cache"  # "hit" or "miss" on cacheable answers, for operators and tests
NO_STORE = "no-store"


@dataclass
class Recorder:
    """What one request being executed tells the cache: the versions of what it read, taken before it read
    them, and what kind of operation it ran."""

    store: ResponseStore
    brands: dict[str, int]  # the process's memo: storefront selector ("slug:x", "host:y") -> brand id
    versions: dict[str, int] = field(default_factory=dict)
    cacheable: bool = True
    operation: OperationType | None = None
    fields: frozenset[str] = frozenset()
    failed: bool = True

    async def before(self, selector: str) -> None:
        """Called before a storefront's brand is read: its version is taken now, if the brand is known."""
        brand_id = self.brands.get(selector)
        if brand_id is None:
            return
        key = brand_key(brand_id)
        if key not in self.versions:
            try:
                (self.versions[key],) = await self.store.versions.get([key])
            except Exception as error:
                self.store.failed(error)
                self.cacheable = False

    def resolved(self, selector: str, brand_id: int) -> None:
        """The brand a selector named; one learnt only now (or changed) makes this answer one not to store."""
        if self.brands.get(selector) != brand_id or brand_key(brand_id) not in self.versions:
            self.brands[selector] = brand_id
            self.cacheable = False

    def executed(self, operation: OperationType | None, fields: frozenset[str], failed: bool) -> None:
        self.operation, self.fields, self.failed = operation, fields, failed

    @property
    def storable(self) -> bool:
        return (
            self.cacheable
            and not self.failed
            and self.operation == OperationType.QUERY
            and bool(self.fields)
            and self.fields <= CACHEABLE_FIELDS
        )


@dataclass
class Pending:
    """A miss on its way through GraphQL: where to store its answer, and when its TTL started."""

    key: str
    started: float
    recorder: Recorder


class ResponseCache:
    def __init__(self, settings: CacheSettings, store: ResponseStore, *, clock: Callable[[], float] = time.time):
        self.settings = settings
        self.store = store
        self.clock = clock  # wall time: entries in Redis are compared by every process
        self.brands: dict[str, int] = {}

    @staticmethod
    def applies(request: Request) -> bool:
        """Only anonymous GET and JSON POST requests are looked up (uploads and signed-in callers never)."""
        if request.method not in ("GET", "POST") or "authorization" in request.headers:
            return False
        return request.method == "GET" or request.headers.get("content-type", "").startswith("application/json")

    def key(self, request: Request, data: GraphQLRequestData) -> str:
        headers = request.headers
        material = [
            data.query,
            data.operation_name,
            data.variables or None,  # `{}`, null and none at all (a GET without them) are one request
            data.extensions or None,
            headers.get("lini-storefront"),
            headers.get("host"),
            headers.get("accept-language"),
        ]
        return hashlib.sha256(orjson.dumps(material, option=orjson.OPT_SORT_KEYS)).hexdigest()

    async def lookup(self, request: Request, data: GraphQLRequestData) -> tuple[bytes, str, float] | Pending | None:
        """A current entry (body, ETag, seconds left), or the `Pending` miss to run; None when the store fails."""
        if data.protocol != "http" or not self.store.available:
            return None
        key = self.key(request, data)
        now = self.clock()
        try:
            stored = await self.store.entries.get(key)
            found = await self._current(stored, now) if stored is not None else None
            if found is not None:
                return found
            (global_version,) = await self.store.versions.get([GLOBAL])
        except Exception as error:
            self.store.failed(error)
            return None
        recorder = Recorder(self.store, self.brands, versions={GLOBAL: global_version})
        return Pending(key, now, recorder)

    async def _current(self, stored: bytes, now: float) -> tuple[bytes, str, float] | None:
        head, _, body = stored.partition(b"\n")
        meta = orjson.loads(head)
        left = meta["x"] - now
        if left <= 0:
            return None
        keys = list(meta["v"])
        if await self.store.versions.get(keys) != [meta["v"][k] for k in keys]:
            return None
        return body, meta["e"], left

    async def save(self, pending: Pending, response: Response) -> tuple[str, float] | None:
        """Store a miss's answer if it may be stored: its ETag and seconds left, else None."""
        body = getattr(response, "body", None)
        if (
            not pending.recorder.storable
            or response.status_code != 200
            or not isinstance(body, bytes)
            or len(body) > self.settings.max_entry_bytes
            or "set-cookie" in response.headers
        ):
            return None
        expires = pending.started + self.settings.ttl_seconds
        left = expires - self.clock()
        if left <= 0:
            return None
        etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        head = orjson.dumps({"v": pending.recorder.versions, "x": expires, "e": etag})
        try:
            await self.store.entries.put(pending.key, head + b"\n" + body, left)
        except Exception as error:
            self.store.failed(error)
        return etag, left


def cacheable_response(request: Request, body: bytes, etag: str, left: float, status: str) -> Response:
    """The answer of a cacheable query, or 304 when the client already holds these bytes."""
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max(0, int(left))}",
        "Vary": VARY,
        STATUS_HEADER: status,
    }
    if etag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def mark(response: Response, etag: str, left: float, status: str) -> None:
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={max(0, int(left))}"
    response.headers["Vary"] = VARY
    response.headers[STATUS_HEADER] = status


def etag_matches(header: str, etag: str) -> bool:
    """`If-None-Match` is a list of tags (weak ones compare equal for GET, RFC 9110 13.1.2), or `*`."""
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


class CacheableOperation(SchemaExtension):
    """Tells the request's `Recorder` what ran: the operation's kind and root fields, and whether it failed.
    `on_execute` runs only for a document that passed the limits and validation."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        recorder: Recorder | None = getattr(context.context, "freshness", None)
        yield
        if recorder is None or context.graphql_document is None:
            return
        document = context.graphql_document
        operation = chosen_operation(document, context.operation_name)
        if operation is None:
            return
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        names = frozenset(name for _, name in root_fields(operation.selection_set, fragments, set()))
        result: Any = context.result
        recorder.executed(operation.operation, names, failed=result is None or bool(getattr(result, "errors", None)))
