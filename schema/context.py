"""Per-request context: who is asking, for which storefront, and the request's dataloaders."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from core.actors.models import Brand
from core.actors.services import storefront_by_slug, storefront_slug_for_host
from core.auth import tokens
from core.auth.services import AuthConfig, actor_for_token
from core.context import ANONYMOUS, Actor
from core.errors import DomainError
from core.plugins import PluginHost
from core.ratelimits import RateLimits, address_key, token_key
from core.settings import Settings
from schema.errors import ApiError
from schema.loaders import Loaders
from schema.request_id import current_request_id

if TYPE_CHECKING:
    from schema.response_cache import Recorder

STOREFRONT_HEADER = "lini-storefront"


@dataclass
class LiniContext:
    request: Request
    response: Response | None
    settings: Settings
    host: PluginHost
    auth: AuthConfig
    rate_limits: RateLimits | None = None
    request_id: str = field(default_factory=current_request_id)  # the X-Request-Id of the response
    loaders: Loaders = field(default_factory=Loaders)
    # set when the response cache may store this request's answer: told what it reads (schema.response_cache)
    freshness: Recorder | None = None
    _storefronts: dict[str, asyncio.Future[Brand]] = field(default_factory=dict)
    _host_slug: asyncio.Future[str | None] | None = None
    _actor: asyncio.Future[Actor] | None = None

    async def actor(self) -> Actor:
        """Who is asking, from `Authorization: Bearer <access or app token>`; anonymous without the header."""
        if self._actor is None:
            self._actor = asyncio.ensure_future(self._resolve_actor())
        return await asyncio.shield(self._actor)

    async def _resolve_actor(self) -> Actor:
        header = self.request.headers.get("authorization", "").strip()
        if not header:
            return ANONYMOUS
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError("Send the token as `Authorization: Bearer <token>`.", "UNAUTHENTICATED")
        try:
            return await actor_for_token(self.auth, token.strip())
        except tokens.InvalidToken as error:
            raise ApiError(str(error), "UNAUTHENTICATED") from None

    @property
    def client_address(self) -> str:
        """The client's address; behind trusted proxies, the one they forwarded (`core.forwarded`)."""
        return self.request.client.host if self.request.client else ""

    @property
    def rate_limit_address_key(self) -> str:
        return address_key(self.client_address)

    @property
    def rate_limit_client_key(self) -> str:
        """Limits count a bearer token's requests together, wherever they come from; others by address."""
        return rate_limit_key(self.request)

    async def brand_slug(self, slug: str | None) -> str:
        """The brand a management field is about: its `brand` argument, else the `Lini-Storefront` header."""
        chosen = slug or self.request.headers.get(STOREFRONT_HEADER)
        if not chosen:
            raise DomainError(
                "BRAND_REQUIRED", "Say which brand: a `brand` argument or the Lini-Storefront header.", "brand"
            )
        return chosen

    async def storefront(self, slug: str | None = None) -> Brand:
        """The brand whose storefront is asking: a `storefront` argument, the header, or the `Host`."""
        chosen = slug or self.request.headers.get(STOREFRONT_HEADER)
        selector = f"slug:{chosen.strip().lower()}" if chosen else f"host:{self.request.headers.get('host', '')}"
        if selector not in self._storefronts:
            self._storefronts[selector] = asyncio.ensure_future(self._open_storefront(selector, chosen))
        return await asyncio.shield(self._storefronts[selector])

    async def _open_storefront(self, selector: str, chosen: str | None) -> Brand:
        if self.freshness is not None:
            await self.freshness.before(selector)  # the brand's catalog version, before any of its rows is read
        slug = chosen or await self._slug_from_host()
        if not slug:
            raise DomainError(
                "STOREFRONT_REQUIRED",
                "Say which storefront is asking: send the `Lini-Storefront: <brand slug>` header "
                "or a `storefront` argument.",
                "storefront",
            )
        brand = await storefront_by_slug(slug.strip().lower())
        if self.freshness is not None:
            self.freshness.resolved(selector, brand.id)
        return brand

    async def _slug_from_host(self) -> str | None:
        host = self.request.headers.get("host", "")
        if not host:
            return None
        if self._host_slug is None:
            self._host_slug = asyncio.ensure_future(storefront_slug_for_host(host))
        return await asyncio.shield(self._host_slug)


def rate_limit_key(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token_key(token.strip())
    return address_key(request.client.host if request.client else "")
