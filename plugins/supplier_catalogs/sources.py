"""URL sources: a supplier registers its feed's URL and the plugin's periodic job fetches it on its schedule.

A fetch asks conditionally (`If-None-Match` with the last ETag, `If-Modified-Since` with the last
`Last-Modified`): a 304 writes no import and changes nothing but the source's last check. A new file is queued
as an import, like an upload. A fetch that fails is recorded as a FAILED import naming why, so the supplier sees
it in `catalogImports`: `FETCH_TIMEOUT` (no answer within `fetch_timeout_seconds`), `FETCH_FAILED` (an HTTP
error status or a connection failure), `FILE_TOO_LARGE` (the body is read in chunks and dropped past
`max_fetch_bytes`, never all of it), `PRIVATE_ADDRESS` (the URL, or any redirect it gives, leads to a private
or loopback address: core's check for webhooks, before each request), `NOT_A_FEED` (HTML, e.g. a login page,
instead of a feed), `TOO_MANY_REDIRECTS`.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lini.plugin import (
    Actor,
    CatalogFormat,
    DomainError,
    PermissionDenied,
    actor_for_user_id,
    approved_supplier,
    check_public_url,
    checked_url_form,
)
from plugins.supplier_catalogs import importer
from plugins.supplier_catalogs.feed_models import CatalogSource, FetchOutcome
from plugins.supplier_catalogs.models import CatalogImport
from plugins.supplier_catalogs.parsers import FeedError

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("lini.supplier_catalogs")
MAX_REDIRECTS = 5
MAX_URL = 2000
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FetchPolicy:
    timeout_seconds: float
    max_bytes: int
    allow_private: bool = False
    allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


@dataclass
class Fetched:
    data: bytes
    url: str
    media_type: str
    etag: str
    last_modified: str


class NotModified(Exception):
    """The server answered 304: the feed has not changed since the last fetch."""


def checked_url(url: str) -> str:
    """The URL as registered: absolute http(s), no credentials (resolution is checked before each fetch)."""
    return checked_url_form(url)


async def fetch(source: CatalogSource, policy: FetchPolicy) -> Fetched:
    """GET the source's URL conditionally, following redirects by hand so that each is checked, reading at most
    `policy.max_bytes`; raises `NotModified` or a `FeedError` saying why nothing can be imported."""
    headers = {"Accept": "text/csv, application/x-ndjson, application/vnd.openxmlformats-officedocument"
               ".spreadsheetml.sheet;q=0.9, */*;q=0.1", "User-Agent": "Lini-supplier-catalogs/1"}  # fmt: skip
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    import httpx  # on the first fetch: with its command line (click, rich, pygments) ~40 ms and ~10 MB at start

    url = source.url
    timeout = httpx.Timeout(policy.timeout_seconds)
    try:
        async with httpx.AsyncClient(follow_redirects=False, timeout=timeout, trust_env=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                await _public(url, policy)
                async with client.stream("GET", url, headers=headers) as response:
                    if response.has_redirect_location:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    return await _answer(response, url, policy)
    except httpx.TimeoutException:
        raise FeedError("FETCH_TIMEOUT", f"The feed URL did not answer within {policy.timeout_seconds:g} s.") from None
    except httpx.HTTPError as error:
        raise FeedError("FETCH_FAILED", f"The feed URL could not be fetched: {type(error).__name__}.") from None
    raise FeedError("TOO_MANY_REDIRECTS", f"The feed URL redirects more than {MAX_REDIRECTS} times.")


async def _public(url: str, policy: FetchPolicy) -> None:
    try:
        checked_url(url)
        await check_public_url(url, allow_private=policy.allow_private, allowed_networks=policy.allowed_networks)
    except DomainError as error:
        raise FeedError(error.code, f"{error.message} ({url[:200]})") from None


async def _answer(response: httpx.Response, url: str, policy: FetchPolicy) -> Fetched:
    if response.status_code == 304:
        raise NotModified
    if response.status_code != 200:
        raise FeedError("FETCH_FAILED", f"The feed URL answered {response.status_code}: nothing was imported.")
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type in HTML_TYPES:
        raise FeedError("NOT_A_FEED", "The URL answered a web page (HTML), not a feed: check the address.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FeedError("FILE_TOO_LARGE", f"A fetched feed is at most {policy.max_bytes} bytes.")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > policy.max_bytes:
            raise FeedError("FILE_TOO_LARGE", f"A fetched feed is at most {policy.max_bytes} bytes.")
    if body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        raise FeedError("NOT_A_FEED", "The URL answered a web page (HTML), not a feed: check the address.")
    return Fetched(
        bytes(body),
        url,
        media_type,
        response.headers.get("etag", "")[:200],
        response.headers.get("last-modified", "")[:100],
    )


async def fetch_and_queue(
    source_id: int, *, policy: FetchPolicy, formats: dict[str, CatalogFormat]
) -> CatalogImport | None:
    """One fetch of a source (its job): the new file queued as an import, a failure recorded as a FAILED import,
    a 304 nothing at all. Returns the import, or None for 304 or a source gone or paused meanwhile."""
    source = await CatalogSource.get_or_none(id=source_id, active=True)
    if source is None:
        return None
    now = datetime.now(UTC)
    name = urlsplit(source.url).path.rsplit("/", 1)[-1] or urlsplit(source.url).hostname or "feed"
    actor = await actor_for_user_id(source.created_by_user_id)
    try:
        fetched = await fetch(source, policy)
    except NotModified:
        await CatalogSource.filter(id=source.id).update(last_fetched_at=now, last_outcome=FetchOutcome.NOT_MODIFIED)
        return None
    except FeedError as error:
        await CatalogSource.filter(id=source.id).update(last_fetched_at=now, last_outcome=FetchOutcome.FAILED)
        log = CatalogImport(
            supplier_id=source.supplier_id, filename=name[:255], file_format=source.file_format or "",
            mode=source.mode, atomic=source.atomic, started_by=source.created_by, started_at=now,
            started_by_user_id=source.created_by_user_id, source_id=source.id,
        )  # fmt: skip
        return await importer.refuse(log, error)
    if actor is None:
        logger.warning("catalog source %s: its account is gone; the fetched file is not imported", source.id)
        return None
    upload = importer.Upload(
        data=fetched.data,
        filename=name,
        mode=source.mode,
        atomic=source.atomic,
        file_format=source.file_format,
        media_type=fetched.media_type,
    )
    log = await importer.queue_import(
        actor, upload, supplier_id=source.supplier_id, formats=formats, max_bytes=policy.max_bytes, source_id=source.id
    )
    await CatalogSource.filter(id=source.id).update(
        last_fetched_at=now, last_outcome=FetchOutcome.IMPORTED, etag=fetched.etag, last_modified=fetched.last_modified
    )
    return log


async def due(now: datetime | None = None, *, limit: int = 100) -> list[int]:
    """Take the sources whose time has come: each gets its next time now, so the next run does not take it
    again while its fetch waits or runs."""
    now = now or datetime.now(UTC)
    taken: list[int] = []
    for source_id, minutes in (
        await CatalogSource.filter(active=True, next_fetch_at__lte=now)
        .order_by("next_fetch_at")
        .limit(limit)
        .values_list("id", "interval_minutes")
    ):
        moved = await CatalogSource.filter(id=source_id, next_fetch_at__lte=now).update(
            next_fetch_at=now + timedelta(minutes=minutes)
        )
        if moved:
            taken.append(source_id)
    return taken


# --- the supplier's sources ------------------------------------------------------------------------------------

MAX_INTERVAL_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class SourceRules:
    """What a source may be: the plugin's settings, with the formats its host offers."""

    policy: FetchPolicy
    formats: dict[str, CatalogFormat]
    min_interval_minutes: int
    max_sources: int


async def _checked(values: dict[str, object], rules: SourceRules) -> dict[str, object]:
    """The given fields of a source, checked: the URL's form and where it resolves now (checked again before
    each fetch), the format by name, the interval within bounds."""
    checked = dict(values)
    if "url" in values:
        url = checked_url(str(values["url"]))
        await check_public_url(
            url, allow_private=rules.policy.allow_private, allowed_networks=rules.policy.allowed_networks
        )
        checked["url"] = url
    name = values.get("file_format")
    if name is not None and str(name).upper() not in rules.formats:
        raise DomainError("UNKNOWN_FORMAT", f"Use one of {', '.join(sorted(rules.formats))}.", "format")
    if name is not None:
        checked["file_format"] = str(name).upper()
    minutes = values.get("interval_minutes")
    if minutes is not None and not (rules.min_interval_minutes <= int(str(minutes)) <= MAX_INTERVAL_MINUTES):
        raise DomainError(
            "INVALID_INTERVAL",
            f"Fetch every {rules.min_interval_minutes} to {MAX_INTERVAL_MINUTES} minutes.",
            "interval_minutes",
        )
    return checked


async def create_source(
    actor: Actor, values: dict[str, object], rules: SourceRules, *, supplier_id: int | None
) -> CatalogSource:
    supplier = await approved_supplier(actor)
    if supplier_id is not None and supplier_id != supplier.id:
        raise PermissionDenied("Only a supplier's own staff register its feeds.", authenticated=True)
    if await CatalogSource.filter(supplier_id=supplier.id).count() >= rules.max_sources:
        raise DomainError("TOO_MANY_SOURCES", f"A supplier has at most {rules.max_sources} feed URLs.", "url")
    checked = await _checked(values, rules)
    return await CatalogSource.create(
        supplier_id=supplier.id,
        created_by=actor.label[:100],
        created_by_user_id=actor.require_user(),
        next_fetch_at=datetime.now(UTC),  # fetched at the next pick, then on its schedule
        **checked,  # type: ignore[arg-type]
    )


async def own_source(actor: Actor, source_id: int) -> CatalogSource:
    supplier = await approved_supplier(actor)
    source = await CatalogSource.get_or_none(id=source_id, supplier_id=supplier.id)
    if source is None:
        raise DomainError("NOT_FOUND", "There is no such feed source.", "id")
    return source


async def update_source(actor: Actor, source_id: int, values: dict[str, object], rules: SourceRules) -> CatalogSource:
    """Change what is given; a new URL or format forgets the last ETag (a different feed) and is fetched soon."""
    source = await own_source(actor, source_id)
    checked = await _checked(values, rules)
    if "url" in checked or "file_format" in checked:
        checked.update(etag="", last_modified="", next_fetch_at=datetime.now(UTC))
    if checked:
        await CatalogSource.filter(id=source.id).update(**checked, updated_at=datetime.now(UTC))
    return await CatalogSource.get(id=source.id)


async def delete_source(actor: Actor, source_id: int) -> CatalogSource:
    """Forget a source; its imports stay in the log (without their source)."""
    source = await own_source(actor, source_id)
    await source.delete()
    return source


async def fetch_soon(actor: Actor, source_id: int) -> CatalogSource:
    """Fetch at the next pick (within seconds) rather than at its time, conditionally as always."""
    source = await own_source(actor, source_id)
    await CatalogSource.filter(id=source.id).update(next_fetch_at=datetime.now(UTC))
    return await CatalogSource.get(id=source.id)
