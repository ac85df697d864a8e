"""Per-request context: who is asking, for which storefront, and the request's dataloaders."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from core.actors.models import Brand
from core.actors.services import storefront_by_slug, storefront_slug_for_host
from core.errors import DomainError
from core.plugins import PluginHost
from core.settings import Settings
from schema.loaders import Loaders

STOREFRONT_HEADER = "lini-storefront"


@dataclass
class LiniContext:
    request: Request
    response: Response | None
    settings: Settings
    host: PluginHost
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    loaders: Loaders = field(default_factory=Loaders)
    _storefronts: dict[str, asyncio.Future[Brand]] = field(default_factory=dict)
    _host_slug: asyncio.Future[str | None] | None = None

    async def storefront(self, slug: str | None = None) -> Brand:
        """The brand whose storefront is asking: a `storefront` argument, the header, or the `Host`."""
        slug = slug or self.request.headers.get(STOREFRONT_HEADER) or await self._slug_from_host()
        if not slug:
            raise DomainError(
                "STOREFRONT_REQUIRED",
                "Say which storefront is asking: send the `Lini-Storefront: <brand slug>` header "
                "or a `storefront` argument.",
                "storefront",
            )
        key = slug.strip().lower()
        if key not in self._storefronts:
            self._storefronts[key] = asyncio.ensure_future(storefront_by_slug(key))
        return await asyncio.shield(self._storefronts[key])

    async def _slug_from_host(self) -> str | None:
        host = self.request.headers.get("host", "")
        if not host:
            return None
        if self._host_slug is None:
            self._host_slug = asyncio.ensure_future(storefront_slug_for_host(host))
        return await asyncio.shield(self._host_slug)
