"""A brand's settings for plugins over GraphQL (permission MANAGE_STOREFRONT): `brandPlugins` and
`pluginConfigure`. Secret settings go in and never come out: the API says only whether each is set."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.brand_plugins import services
from core.errors import DomainError
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard

MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)


@strawberry.type(description="A secret setting (an API key): whether the brand has set it, never its value.")
class PluginSecret:
    name: str
    is_set: bool


@strawberry.type(description="A plugin with per-brand settings, as this brand has configured it.")
class BrandPlugin:
    plugin: str
    active: bool = strawberry.field(description="Whether the brand uses it (e.g. offers the gateway).")
    configured: bool = strawberry.field(description="Whether the brand has saved settings for it.")
    config: JSON = strawberry.field(description="The settings, without the secret ones.")
    secrets: list[PluginSecret]

    @classmethod
    def of(cls, view: services.BrandPluginView) -> BrandPlugin:
        return cls(
            plugin=view.plugin,
            active=view.active,
            configured=view.configured,
            config=view.config,
            secrets=[PluginSecret(name=name, is_set=is_set) for name, is_set in view.secrets.items()],
        )


@strawberry.input(description="Only what is given changes; settings are merged into the saved ones.")
class PluginConfigureInput:
    active: bool | None = None
    config: JSON | None = strawberry.field(
        default=None, description="Settings by name, as the plugin's BrandSettings define them."
    )


@strawberry.type
class PluginConfigurePayload:
    plugin: BrandPlugin | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BrandPluginQuery:
    @strawberry.field(
        **guard("The enabled plugins that take per-brand settings, with this brand's.", MANAGE_STOREFRONT)
    )
    async def brand_plugins(self, info: Info, brand: str | None = None) -> list[BrandPlugin]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT)
        return [BrandPlugin.of(v) for v in await services.brand_plugins(actor, found, host=info.context.host)]


@strawberry.type
class BrandPluginMutation:
    @strawberry.mutation(**guard("Switch a plugin on or off for the brand and set its settings.", MANAGE_STOREFRONT))
    async def plugin_configure(
        self, info: Info, plugin: str, input: PluginConfigureInput, brand: str | None = None
    ) -> PluginConfigurePayload:
        actor = await info.context.actor()

        async def run() -> services.BrandPluginView:
            found = await brands.managed_brand(
                actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT
            )
            config: Any = input.config
            if config is not None and not isinstance(config, dict):
                raise DomainError("INVALID", "Settings are an object of names and values.", "config")
            return await services.configure(
                actor, found, plugin, host=info.context.host, active=input.active, config=config
            )

        view, errors = await attempt(run)
        return PluginConfigurePayload(plugin=BrandPlugin.of(view) if view else None, errors=errors)


QUERIES = (BrandPluginQuery,)
MUTATIONS = (BrandPluginMutation,)
TYPES = ()
