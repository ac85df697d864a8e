"""`python -m bench.garments`: what made-to-measure pricing costs, in-process over ASGI.

A throwaway database gets the demo (`seed-demo` with the built-in plugins: made-to-measure gamis with options
and fabrics, a customer with a measurement profile). Then, as the storefront would, it times
`customGarmentQuote` with typed-in measurements and with the saved profile, and the totals of a checkout
holding 1 and 10 made-to-measure lines (each a different configuration), reporting p50 and p95 and the SQL
statements per request. Pricing is one computation for any number of lines, so 10 lines should cost about
what 1 costs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx

from bench.database import DEFAULT_POSTGRES_URL, throwaway_database
from core.auth import tokens as auth_tokens
from core.auth.models import User
from core.auth.services import actor_for_user
from core.catalog.models import Product
from core.checkout import services
from core.checkout.models import Checkout
from core.db import connected, migrate
from core.demo import seed_demo
from core.garments.demo import SITI_GAMIS
from core.garments.models import Fabric, MeasurementProfile
from core.garments.quote import GarmentRequest, OptionChoice
from core.plugins import load_plugins
from core.settings import CheckoutSettings, load_settings
from server import create_app

SLUG = "sekar-modest"
QUOTE = """query($input: CustomGarmentInput!) { customGarmentQuote(input: $input) {
  quote { unitPrice { amount currency } total { amount } readyBy } errors { code } } }"""
TOTALS = """query($t: String!) { checkout(token: $t) {
  lines { quantity total { amount } } subtotal { amount } total { amount currency } } }"""
ROUNDS = 200


def gid(kind: str, id: int) -> str:
    return base64.b64encode(f"{kind}:{id}".encode()).decode()


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


async def timed(http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None) -> list[float]:
    headers = {"Lini-Storefront": SLUG, **({"Authorization": f"Bearer {token}"} if token else {})}
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        body = response.json()
        assert not body.get("errors"), body
    return samples[ROUNDS // 10 :]  # the first tenth warms caches up


async def run(backend: str) -> str:
    settings = load_settings(env={})
    async with throwaway_database(backend, DEFAULT_POSTGRES_URL) as url:
        settings = settings.model_copy(update={"database": settings.database.model_copy(update={"url": url})})
        host = load_plugins(settings, env={})
        await migrate(url, host.database_apps())
        async with connected(url, host.database_apps()):
            await seed_demo(host=host)
            gamis = await Product.get(slug="gamis-made-to-measure-aisyah")
            fabrics = await Fabric.filter(sku__in=["WLF-HTM", "CRT-BBD", "LIN-SND"]).order_by("id")
            profile = await MeasurementProfile.filter(user__email="siti@demo.lini.id").first()
            assert profile is not None
            customer = await User.get(email="siti@demo.lini.id")
            actor = await actor_for_user(customer)
            brand = await gamis.brand
            tokens = {}
            for lines in (1, 10):
                cart = await services.create(actor, brand, CheckoutSettings(), currency="IDR")
                for n in range(lines):
                    request = GarmentRequest(
                        product_id=gamis.id,
                        fabric_id=fabrics[n % len(fabrics)].id,
                        options=(
                            OptionChoice("SLEEVE", ("PANJANG",)),
                            OptionChoice("EMBROIDERY", text=f"Nama {n}"),
                        ),
                        measurement_profile_id=profile.id,
                    )
                    await services.custom_garment_add(actor, brand, cart.token, request, CheckoutSettings(), host)
                tokens[lines] = cart.token
                # Set aside (a guest's, reached by its token), so the next `create` starts a new checkout.
                await Checkout.filter(id=cart.id).update(user_id=None)
            access, _ = auth_tokens.issue(
                auth_tokens.signing_key(settings),
                user_id=customer.id,
                kind="access",
                version=customer.token_version,
                lifetime=timedelta(minutes=30),
            )
        base_input = {
            "productId": gid("Product", gamis.id),
            "fabricId": gid("Fabric", fabrics[0].id),
            "options": [{"group": "SLEEVE", "values": ["PANJANG"]}, {"group": "EMBROIDERY", "text": "Siti"}],
        }
        typed = {**base_input, "measurements": [{"code": c, "value": v} for c, v in SITI_GAMIS]}
        saved = {**base_input, "measurementProfileId": gid("MeasurementProfile", profile.id)}
        app = create_app(settings, host=host)
        rows = []
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                cases = [
                    ("customGarmentQuote, typed measurements", QUOTE, {"input": typed}, None),
                    ("customGarmentQuote, saved profile", QUOTE, {"input": saved}, access),
                    ("checkout totals, 1 made-to-measure line", TOTALS, {"t": tokens[1]}, access),
                    ("checkout totals, 10 made-to-measure lines", TOTALS, {"t": tokens[10]}, access),
                ]
                for label, query, variables, token in cases:
                    samples = await timed(http, query, variables, token)
                    rows.append(
                        f"  {label:<44} p50 {statistics.median(samples):6.2f} ms   "
                        f"p95 {percentile(samples, 95):6.2f} ms"
                    )
    return "\n".join([f"made-to-measure pricing in-process over ASGI, {backend}, {ROUNDS} requests each", *rows])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.garments", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="sqlite")
    options = parser.parse_args(argv)
    print(asyncio.run(run(options.backend)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
