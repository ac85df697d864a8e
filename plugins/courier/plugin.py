"""The hooks: live rates, the label mutations, the tracking webhook and polling job, the error codes.

One API client and one rate cache per plugin host (a process has one; the test suite builds many), built on
first use from the host's `[plugins.courier]` settings and the environment.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lini.plugin import Blueprint, PluginHost, SchemaExtension, hookimpl
from plugins.courier import jobs, tracking
from plugins.courier.client import CourierApi, read_keys
from plugins.courier.errors import ERROR_CODES
from plugins.courier.provider import CourierProvider
from plugins.courier.schema import CourierMutation
from plugins.courier.settings import NAME

logger = logging.getLogger("lini.plugins.courier")
_providers: weakref.WeakKeyDictionary[PluginHost, CourierProvider] = weakref.WeakKeyDictionary()


def provider_for(host: PluginHost) -> CourierProvider:
    provider = _providers.get(host)
    if provider is None:
        config = host.config(NAME)
        provider = _providers[host] = CourierProvider(CourierApi(config, read_keys(config)))
    return provider


def api_for(host: PluginHost) -> CourierApi:
    return provider_for(host).api


@hookimpl
def startup(app: Starlette, host: PluginHost) -> None:
    api = api_for(host)
    if not api.configured:
        logger.info("courier is off: [plugins.courier] api_base or %s is not set", api.config.api_key_env)
    elif not api.keys.webhook_secret:
        logger.warning("courier webhooks will be refused: %s is not set", api.config.webhook_secret_env)


@hookimpl
def shipping_providers(host: PluginHost) -> list[Any]:
    return [provider_for(host)]


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [SchemaExtension(mutation=CourierMutation)]


@hookimpl
def routes(host: PluginHost) -> list[BaseRoute]:
    async def courier_webhook(request: Request) -> Response:
        return await tracking.receive(request, api=api_for(host), host=host)

    return [Route(tracking.PATH, courier_webhook, methods=["POST"], name="courier_webhook")]


@hookimpl
def job_blueprints(host: PluginHost) -> list[Blueprint]:
    return [jobs.blueprint]


@hookimpl
def error_codes() -> dict[str, str]:
    return dict(ERROR_CODES)
