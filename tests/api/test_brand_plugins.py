"""Per-brand plugin settings through GraphQL (`pluginConfigure`, `brandPlugins`) and what they decide: which
payment gateways a brand offers (`core.payments.registry`). Secrets go in and never come out."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from core.actors.models import StaffRole
from core.brand_plugins.models import BrandPluginConfig
from core.payments import registry
from core.plugins import hookimpl
from tests.factories import make_brand, make_staff

UsePlugin = Callable[..., object]
CONFIGURE = """mutation($plugin: String!, $input: PluginConfigureInput!) {
  pluginConfigure(plugin: $plugin, input: $input) {
    plugin { plugin active configured config secrets { name isSet } } errors { field code } } }"""
LIST = "{ brandPlugins { plugin active configured config secrets { name isSet } } }"
BANK = {"bank_name": "Bank Syariah Indonesia", "account_number": "7123 4567 89", "account_holder": "PT Sekar Busana"}


class WalletSettings(BaseModel):
    merchant_id: str
    api_key: SecretStr


class Wallet:
    id = "wallet"
    name = "Dompet"
    currencies = frozenset({"MYR"})
    pays_after_order = False

    async def start(self, context: Any) -> Any:
        raise AssertionError("this gateway only shows up in listings; paying through it is not part of these tests")

    async def status(self, payment: Any, config: dict[str, Any]) -> Any:
        return payment.state

    async def refund(self, payment: Any, amount: Any, idempotency_key: str, config: dict[str, Any]) -> Any:
        raise AssertionError("this gateway only shows up in listings; paying through it is not part of these tests")


@pytest.fixture
def wallet(use_plugin: UsePlugin) -> SimpleNamespace:
    plugin = SimpleNamespace(BrandSettings=WalletSettings, payment_gateways=hookimpl(lambda host: [Wallet()]))
    use_plugin(plugin, name="wallet")
    return plugin


@pytest.fixture
async def shop(gql) -> dict[str, Any]:
    brand = await make_brand("sekar")
    _, token = await make_staff(brand, StaffRole.MANAGER)
    gql.storefront, gql.token = "sekar", token
    return {"brand": brand}


async def offered(app, brand, currency: str = "IDR") -> list[str]:
    return [gateway.id for gateway, _ in await registry.available(app.state.plugins, brand.id, currency)]


async def test_bank_transfer_is_offered_once_the_brand_gives_a_valid_account(app, gql, shop):
    assert await offered(app, shop["brand"]) == []
    incomplete = await gql(CONFIGURE, {"plugin": "bank_transfer", "input": {"config": {"bank_name": "BSI"}}})
    assert incomplete["pluginConfigure"]["errors"] == [
        {"field": "config.accountNumber", "code": "REQUIRED"},
        {"field": "config.accountHolder", "code": "REQUIRED"},
    ]
    bad = await gql(
        CONFIGURE, {"plugin": "bank_transfer", "input": {"config": {**BANK, "account_number": "abc", "colour": "red"}}}
    )
    assert bad["pluginConfigure"]["errors"] == [{"field": "config.colour", "code": "UNKNOWN_SETTING"}]
    assert not await BrandPluginConfig.exists()
    saved = await gql(CONFIGURE, {"plugin": "bank_transfer", "input": {"config": BANK}})
    assert saved["pluginConfigure"] == {
        "plugin": {
            "plugin": "bank_transfer",
            "active": True,
            "configured": True,
            "config": {**BANK, "payment_window_hours": 24},
            "secrets": [],
        },
        "errors": [],
    }
    assert await offered(app, shop["brand"]) == ["bank_transfer"]
    assert await offered(app, await make_brand()) == []  # another brand has not configured it
    off = await gql(CONFIGURE, {"plugin": "bank_transfer", "input": {"active": False}})
    assert off["pluginConfigure"]["plugin"]["active"] is False
    assert await offered(app, shop["brand"]) == []
    listed = await gql(LIST)
    # Every plugin with per-brand settings is listed (courier and stripe too, unconfigured), configured or not.
    assert [p["plugin"] for p in listed["brandPlugins"]] == ["bank_transfer", "courier", "stripe"]
    assert [p["configured"] for p in listed["brandPlugins"]] == [True, False, False]


async def test_secrets_are_stored_never_shown_and_kept_when_left_out(wallet, app, gql, shop):
    first = await gql(
        CONFIGURE, {"plugin": "wallet", "input": {"config": {"merchant_id": "M-1", "api_key": "sk_live_x"}}}
    )
    assert first["pluginConfigure"]["plugin"]["config"] == {"merchant_id": "M-1"}
    assert first["pluginConfigure"]["plugin"]["secrets"] == [{"name": "api_key", "isSet": True}]
    renamed = await gql(CONFIGURE, {"plugin": "wallet", "input": {"config": {"merchant_id": "M-2"}}})
    assert renamed["pluginConfigure"]["errors"] == []
    assert await registry.brand_config(shop["brand"].id, "wallet") == {"merchant_id": "M-2", "api_key": "sk_live_x"}
    listed = {p["plugin"]: p for p in (await gql(LIST))["brandPlugins"]}
    assert "sk_live_x" not in str(listed) and listed["wallet"]["secrets"] == [{"name": "api_key", "isSet": True}]
    assert listed["bank_transfer"] == {
        "plugin": "bank_transfer",
        "active": False,
        "configured": False,
        "config": {},
        "secrets": [],
    }
    # the wallet takes MYR only
    assert await offered(app, shop["brand"], "MYR") == ["wallet"]
    assert await offered(app, shop["brand"], "IDR") == []


async def test_hook_payment_gateways(wallet, app, gql, shop):
    found = registry.gateways(app.state.plugins)
    assert set(found) == {"bank_transfer", "wallet"}
    assert registry.plugin_of(app.state.plugins, "wallet") == "wallet"
    assert isinstance(found["wallet"], Wallet)


async def test_plugin_settings_need_manage_storefront_at_that_brand(gql, shop):
    _, staff = await make_staff(shop["brand"], StaffRole.STAFF)  # orders and products, not the storefront
    for query, variables in ((CONFIGURE, {"plugin": "bank_transfer", "input": {"config": BANK}}), (LIST, None)):
        assert (await gql.error(query, variables, token=staff))["extensions"]["code"] == "FORBIDDEN"
        koko = await make_brand()
        _, outsider = await make_staff(koko)
        assert (await gql.error(query, variables, token=outsider))["extensions"]["code"] == "FORBIDDEN"
        assert (await gql.error(query, variables, token=None))["extensions"]["code"] == "UNAUTHENTICATED"
    assert not await BrandPluginConfig.exists()


async def test_unknown_plugins_and_settings_for_plugins_without_any_are_refused(gql, shop):
    unknown = await gql(CONFIGURE, {"plugin": "paypal", "input": {"active": True}})
    assert unknown["pluginConfigure"]["errors"] == [{"field": "plugin", "code": "PLUGIN_NOT_FOUND"}]
    no_settings = await gql(CONFIGURE, {"plugin": "product_feed", "input": {"config": {"x": 1}}})
    assert no_settings["pluginConfigure"]["errors"] == [{"field": "config", "code": "INVALID"}]
    not_object = await gql(CONFIGURE, {"plugin": "bank_transfer", "input": {"config": [1, 2]}})
    assert not_object["pluginConfigure"]["errors"] == [{"field": "config", "code": "INVALID"}]
    assert not await BrandPluginConfig.exists()
