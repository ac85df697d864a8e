"""Persisted documents: Apollo's automatic persisted queries, and operators' registered (trusted) documents.

A client may send `extensions: {persistedQuery: {version: 1, sha256Hash: "<hex>"}}` without the text. A known
hash runs its document; an unknown one is answered `PERSISTED_QUERY_NOT_FOUND`, and the client sends the text
with the hash, which the server checks (`PERSISTED_QUERY_HASH_MISMATCH`) and remembers for next time (a bounded
LRU per process; with several processes a client may be asked once per process).

Registered documents come from a file (`[graphql] trusted_documents`, an Apollo persisted-query manifest:
`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "name", "type", "body"}]}`,
which Apollo's `generate-persisted-query-manifest` writes, and `server.py documents add` too). With
`[graphql] trusted_documents_only`, a request without a valid token may run only those, sent by hash or in
full (`TRUSTED_DOCUMENT_REQUIRED` otherwise), and may not add to the automatic cache: an anonymous client
can then run nothing the operator did not ship.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, parse, validate

from core.settings import Settings, SettingsError
from schema.limits import query_limits
from schema.query_analysis import analyse
from schema.request_body import RequestRefused

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
HASH = re.compile(r"[0-9a-f]{64}")
CACHE_ENTRIES = 1000
CACHE_CHARACTERS = 8 * 1024 * 1024


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocumentNotFound(Exception):
    """The hash is neither registered nor remembered: the client should send the text with it."""


class DocumentNotTrusted(Exception):
    """Only registered documents may run for this caller."""


@dataclass(frozen=True)
class Registered:
    id: str
    name: str
    type: str
    body: str


class PersistedDocuments:
    def __init__(self, registered: Mapping[str, str], *, automatic: bool, trusted_only: bool) -> None:
        self.registered = dict(registered)
        self.automatic = automatic
        self.trusted_only = trusted_only
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._characters = 0

    def is_registered(self, text: str) -> bool:
        return sha256(text) in self.registered

    def resolve(self, query: str | None, extensions: Mapping[str, Any] | None, *, trusted_caller: bool) -> str | None:
        """The text to run. `trusted_caller`: the request carries a valid token (or trusted-only mode is off)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if query is not None and not trusted_caller and not self.is_registered(query):
                raise DocumentNotTrusted
            return query
        digest = _hash_of(persisted)
        if query is None:
            text = self.registered.get(digest) or (
                self._remembered(digest) if self._may_use_cache(trusted_caller) else None
            )
            if text is None:
                if not self.automatic and digest not in self.registered:
                    raise RequestRefused(
                        400, "PERSISTED_QUERY_NOT_SUPPORTED", "This server runs only registered persisted documents."
                    )
                raise DocumentNotFound
            return text
        if sha256(query) != digest:
            raise RequestRefused(
                400, "PERSISTED_QUERY_HASH_MISMATCH", "`sha256Hash` is not the SHA-256 of the query's text."
            )
        if digest not in self.registered:
            if not trusted_caller:
                raise DocumentNotTrusted
            if self.automatic:
                self._remember(digest, query)
        return query

    def _may_use_cache(self, trusted_caller: bool) -> bool:
        return self.automatic and trusted_caller

    def _remembered(self, digest: str) -> str | None:
        text = self._cache.get(digest)
        if text is not None:
            self._cache.move_to_end(digest)
        return text

    def _remember(self, digest: str, text: str) -> None:
        if digest in self._cache:
            return
        self._cache[digest] = text
        self._characters += len(text)
        while len(self._cache) > CACHE_ENTRIES or self._characters > CACHE_CHARACTERS:
            _, dropped = self._cache.popitem(last=False)
            self._characters -= len(dropped)


def _hash_of(persisted: object) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise RequestRefused(400, "PERSISTED_QUERY_INVALID", "`persistedQuery` must be {version: 1, sha256Hash}.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not HASH.fullmatch(digest):
        raise RequestRefused(400, "PERSISTED_QUERY_INVALID", "`sha256Hash` must be 64 lower-case hex digits.")
    return digest


# --- the manifest file -------------------------------------------------------------------------------------


def read_manifest(path: Path) -> list[Registered]:
    """The registered documents of a manifest; each id must be the SHA-256 of its body."""
    try:
        raw = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise SettingsError(f"[graphql] trusted_documents: {path} does not exist") from None
    except orjson.JSONDecodeError as error:
        raise SettingsError(f"[graphql] trusted_documents: {path} is not JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT or raw.get("version") != 1:
        raise SettingsError(f'{path}: expected {{"format": "{MANIFEST_FORMAT}", "version": 1, "operations": [...]}}')
    documents = []
    for index, operation in enumerate(raw.get("operations") or []):
        body = operation.get("body") if isinstance(operation, dict) else None
        if not isinstance(body, str) or operation.get("id") != sha256(body):
            raise SettingsError(f"{path}: operations[{index}] needs a `body` and an `id` that is its SHA-256")
        documents.append(
            Registered(
                id=operation["id"], name=str(operation.get("name", "")), type=str(operation.get("type", "")), body=body
            )
        )
    return documents


def write_manifest(path: Path, documents: Iterable[Registered]) -> None:
    operations = [{"id": d.id, "name": d.name, "type": d.type, "body": d.body} for d in documents]
    content = {"format": MANIFEST_FORMAT, "version": 1, "operations": operations}
    path.write_bytes(orjson.dumps(content, option=orjson.OPT_INDENT_2) + b"\n")


def load(settings_path: str, *, automatic: bool, trusted_only: bool) -> PersistedDocuments:
    if trusted_only and not settings_path:
        raise SettingsError("[graphql] trusted_documents_only needs [graphql] trusted_documents (a manifest file)")
    registered = {d.id: d.body for d in read_manifest(Path(settings_path))} if settings_path else {}
    return PersistedDocuments(registered, automatic=automatic, trusted_only=trusted_only)


# --- registering documents (`python server.py documents add`) ----------------------------------------------


def documents_in(path: Path) -> list[Registered]:
    """A `.json` file is a manifest to merge; any other file is one document, registered as its exact text
    (the text a client sends, or whose SHA-256 it sends)."""
    if path.suffix == ".json":
        return read_manifest(path)
    body = path.read_text(encoding="utf-8")
    try:
        document = parse(body)
    except GraphQLError as error:
        raise SettingsError(f"{path}: {error.message}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = ",".join(op.name.value for op in operations if op.name) or path.stem
    kind = operations[0].operation.value if len(operations) == 1 else ""
    return [Registered(id=sha256(body), name=name, type=kind, body=body)]


def check_against(schema: GraphQLSchema, settings: Settings, documents: Iterable[Registered]) -> None:
    """Refuse, before writing, a document the server would refuse: invalid, or over a query limit."""
    limits = query_limits(settings, schema)
    for registered in documents:
        parsed = parse(registered.body)
        errors = analyse(schema, parsed, limits) or validate(schema, parsed)
        if errors:
            raise SettingsError(f"{registered.name or registered.id}: {errors[0].message}")


def add_to_manifest(path: Path, documents: Iterable[Registered]) -> list[tuple[Registered, bool]]:
    """Merge documents into the manifest at `path` (created if missing); each with whether it is new."""
    known = {d.id: d for d in read_manifest(path)} if path.exists() else {}
    added = []
    for registered in documents:
        added.append((registered, registered.id not in known))
        known.setdefault(registered.id, registered)
    write_manifest(path, known.values())
    return added
