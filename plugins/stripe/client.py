"""The Stripe API as the plugin uses it: one `StripeClient` per event loop over an httpx async client, the
brand's request options (its Connect account), and Stripe's errors turned into Lini's typed errors.

The keys are read once from the environment variables that `[plugins.stripe]` names; without a secret key
the gateway is simply not offered. Calls go through the SDK's `*_async` methods, which retry network errors,
409s and 5xxs `max_network_retries` times with the same idempotency key, so a retry can never charge twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from lini.plugin import RETRY_LATER, DomainError

if TYPE_CHECKING:
    import stripe

# The SDK (with requests, httpx's command line, rich and pygments behind it: ~120 ms and ~27 MB) is imported by
# the first call to Stripe, not when the plugin loads: most processes (migrate, workers, a server without keys)
# never make one.

logger = logging.getLogger("lini.plugins.stripe")

# Codes of the errors a storefront may simply retry; a webhook answers 500 to them, so Stripe retries too.
RETRYABLE = RETRY_LATER


@dataclass(frozen=True, slots=True)
class Keys:
    secret_key: str
    publishable_key: str
    webhook_secret: str


def read_keys(config: Any, env: Mapping[str, str] | None = None) -> Keys:
    env = os.environ if env is None else env
    return Keys(
        secret_key=env.get(config.secret_key_env, "").strip(),
        publishable_key=env.get(config.publishable_key_env, "").strip(),
        webhook_secret=env.get(config.webhook_secret_env, "").strip(),
    )


@cache
def httpx_client_class() -> type[stripe.HTTPXClient]:
    """The SDK's httpx client, handing httpx the encoded form as `content`: stripe 16 passes it as `data`,
    which httpx deprecates for raw text (a DeprecationWarning on every call, an error in a future httpx)."""
    import stripe

    class HTTPXClient(stripe.HTTPXClient):
        def _get_request_args_kwargs(self, method: str, url: str, headers: Mapping[str, str], post_data: Any) -> Any:
            args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
            data = kwargs.pop("data", None)
            if data:
                kwargs["content"] = data
            return args, kwargs

    return HTTPXClient


class StripeApi:
    """Builds (per event loop, since an httpx pool belongs to one) and closes the SDK client."""

    def __init__(self, config: Any, keys: Keys) -> None:
        self.config = config
        self.keys = keys
        self._clients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, tuple[stripe.StripeClient, stripe.HTTPXClient]
        ] = weakref.WeakKeyDictionary()

    @property
    def configured(self) -> bool:
        return bool(self.keys.secret_key)

    def client(self) -> stripe.StripeClient:
        if not self.configured:
            raise DomainError("GATEWAY_NOT_AVAILABLE", "Stripe is not set up on this server.", "payment")
        loop = asyncio.get_running_loop()
        built = self._clients.get(loop)
        if built is None:
            import stripe

            base = self.config.api_base.rstrip("/")
            http = httpx_client_class()(timeout=self.config.timeout_seconds)
            client = stripe.StripeClient(
                self.keys.secret_key,
                base_addresses={"api": base} if base else None,
                max_network_retries=self.config.max_network_retries,
                http_client=http,
            )
            built = self._clients[loop] = (client, http)
        return built[0]

    async def close(self) -> None:
        """Close the current loop's HTTP pool (the `shutdown` hook)."""
        built = self._clients.pop(asyncio.get_running_loop(), None)
        if built is not None:
            await built[1].close_async()


def request_options(brand: Any, *, idempotency_key: str | None = None) -> dict[str, Any]:
    """Per-request options: the brand's connected account (a direct charge) and an idempotency key."""
    options: dict[str, Any] = {}
    if brand.connect_account_id:
        options["stripe_account"] = brand.connect_account_id
    if idempotency_key:
        options["idempotency_key"] = idempotency_key
    return options


def domain_error(error: stripe.StripeError) -> DomainError:
    """A Stripe failure as the typed error a storefront or staff member sees (never the secret details)."""
    import stripe

    if isinstance(error, stripe.CardError):
        return DomainError("PAYMENT_DECLINED", error.user_message or "The card was declined.", "payment")
    if isinstance(error, stripe.RateLimitError):
        return DomainError("PAYMENT_GATEWAY_BUSY", "Stripe is busy right now: try again in a moment.", "payment")
    if isinstance(error, stripe.APIConnectionError | stripe.APIError):
        return DomainError("PAYMENT_GATEWAY_UNAVAILABLE", "Stripe cannot be reached right now: try again.", "payment")
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        logger.error("Stripe refused the platform's credentials: %s", error)
        return DomainError("GATEWAY_NOT_AVAILABLE", "Stripe is not set up correctly for this shop.", "payment")
    logger.error("Stripe refused a request: %s (%s)", error, getattr(error, "code", None))
    return DomainError("PAYMENT_GATEWAY_ERROR", "Stripe refused the payment request.", "payment")
