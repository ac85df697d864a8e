"""A brand's settings for plugins over GraphQL (permission MANAGE_STOREFRONT): `brandPlugins` and
`pluginConfigure`. Secret settings go in and never come out: the API says only whether each is set."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.brand_plugins import services
from core.errors import DomainError
from schema.arguments import BrandSlug
from schema.errors import UserError, attempt
from schema.permissions import BrandPermission, guard

MANAGE_STOREFRONT = BrandPermission(Permission.MANAGE_STOREFRONT)


@strawberry.type(description="A secret setting (an API key): whether the brand has set it, never its value.")
class PluginSecret:
    name: str = strawberry.field(description="The setting's name, as in `config` of `pluginConfigure`.")
    is_set: bool = strawberry.field(description="Whether the brand has given it a (non-empty) value.")


@strawberry.type(description="A plugin with per-brand settings, as this brand has configured it.")
class BrandPlugin:
    plugin: str = strawberry.field(description="The plugin's name, e.g. stripe; the `plugin` of `pluginConfigure`.")
    active: bool = strawberry.field(description="Whether the brand uses it (e.g. offers the gateway).")
    configured: bool = strawberry.field(description="Whether the brand has saved settings for it.")
    config: JSON = strawberry.field(description="The settings as a JSON object, without the secret ones.")
    secrets: list[PluginSecret] = strawberry.field(description="The plugin's secret settings and whether each is set.")

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
    active: bool | None = strawberry.field(
        default=None, description="Use the plugin or not; null keeps it as it is (a new one starts active)."
    )
    config: JSON | None = strawberry.field(
        default=None,
        description="A JSON object of settings by name, as the plugin's BrandSettings define them; checked as a "
        "whole after merging when given or when the plugin is active. Errors `UNKNOWN_SETTING`, `REQUIRED`, "
        "`INVALID` (named `config.<setting>`).",
    )


@strawberry.type(description="The result of `pluginConfigure`.")
class PluginConfigurePayload:
    plugin: BrandPlugin | None = strawberry.field(
        default=None, description="The plugin as the brand has it now; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type
class BrandPluginQuery:
    @strawberry.field(
        **guard("The enabled plugins that take per-brand settings, with this brand's.", MANAGE_STOREFRONT)
    )
    async def brand_plugins(self, info: Info, brand: BrandSlug = None) -> list[BrandPlugin]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_STOREFRONT)
        return [BrandPlugin.of(v) for v in await services.brand_plugins(actor, found, host=info.context.host)]


@strawberry.type
class BrandPluginMutation:
    @strawberry.mutation(
        **guard(
            "Switch a plugin on or off for the brand and set its settings. Error `PLUGIN_NOT_FOUND`.", MANAGE_STOREFRONT
        )
    )
    async def plugin_configure(
        self,
        info: Info,
        plugin: Annotated[str, strawberry.argument(description="The plugin's name, as `BrandPlugin.plugin`.")],
        input: Annotated[PluginConfigureInput, strawberry.argument(description="What to change.")],
        brand: BrandSlug = None,
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
