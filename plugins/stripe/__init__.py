"""Stripe: card and local payment methods through PaymentIntents, for brands that sell abroad.

`checkoutPaymentCreate(gateway: "stripe")` creates (or resumes) a PaymentIntent for the checkout's total;
the storefront confirms it with Stripe.js using the `clientSecret` and `publishableKey` it is handed;
`checkoutComplete` accepts it once Stripe says it succeeded (or is authorised, for a brand that captures by
hand). `/webhooks/stripe` receives Stripe's signed events: each is stored once by id, so a replay changes
nothing, and a paid intent whose shopper closed the tab still becomes an order. Refunds and cancellations
from the order mutations go back through Stripe with idempotency keys.

Process-wide settings (`[plugins.stripe]`) name the environment variables holding the keys; each brand
turns Stripe on with `pluginConfigure(plugin: "stripe")`, optionally with its Stripe Connect account (so it
is paid directly), its capture mode and its statement descriptor.
"""

from __future__ import annotations

from plugins.stripe.gateway import StripeGateway
from plugins.stripe.plugin import order_event, payment_gateways, routes, shutdown, startup
from plugins.stripe.settings import BrandSettings, Settings

MODELS = "plugins.stripe.models"
MIGRATIONS = "plugins.stripe.migrations"


__all__ = [
    "MIGRATIONS",
    "MODELS",
    "BrandSettings",
    "Settings",
    "StripeGateway",
    "order_event",
    "payment_gateways",
    "routes",
    "shutdown",
    "startup",
]
