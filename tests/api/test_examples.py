"""The example documents of docs/examples/ (the storefront's catalog page, product page, made-to-measure quote,
checkout and order tracking) run against the demo data through the Python codegen recipe of docs/storefront.md:
ariadne-codegen generates a client from schema.graphql and the documents, and the test drives the ASGI app
with it. So the recipe works, the documents are valid and they answer what a storefront needs."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.demo import BRANDS, seed_demo
from core.garments.demo import DEMO_PASSWORD_ENV
from core.orders.models import Order, OrderStatus
from schema.graphiql import EXAMPLE_VARIABLES
from tests.conftest import CI

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
CODEGEN = ROOT / "tools" / ".venv-codegen" / "bin" / "ariadne-codegen"
FIRST_BRAND = BRANDS[0].slug
PASSWORD = "kata-sandi-demo-17"
JAKARTA = {
    "firstName": "Siti",
    "lastName": "Aminah",
    "street1": "Jl. Kebon Sirih 12",
    "city": "Jakarta Pusat",
    "province": "DKI Jakarta",
    "postalCode": "10340",
    "country": "ID",
    "phone": "0812-3456-7890",
}

pytestmark = pytest.mark.engine_independent  # read and write paths the other tests cover on PostgreSQL


def operations() -> set[str]:
    names = set()
    for document in EXAMPLES.glob("*.graphql"):
        names |= set(re.findall(r"^(?:query|mutation) (\w+)", document.read_text(encoding="utf-8"), re.M))
    return names


def generated_client(tmp_path: Path) -> Any:
    """ariadne-codegen with the recipe's config, writing into tmp_path; the generated package imported."""
    if not CODEGEN.exists():
        if CI:
            raise RuntimeError("CI needs ariadne-codegen: `make tools` installs it in tools/.venv-codegen")
        pytest.skip("ariadne-codegen is not installed (`make tools`)")
    config = (EXAMPLES / "ariadne-codegen.toml").read_text(encoding="utf-8")
    assert 'target_package_path = "."' in config
    config = config.replace('target_package_path = "."', f'target_package_path = "{tmp_path}"')
    (tmp_path / "codegen.toml").write_text(config, encoding="utf-8")
    subprocess.run(
        [str(CODEGEN), "--config", str(tmp_path / "codegen.toml")], cwd=ROOT, check=True, capture_output=True
    )
    sys.path.insert(0, str(tmp_path))
    try:
        for name in [n for n in sys.modules if n == "lini_client" or n.startswith("lini_client.")]:
            del sys.modules[name]
        return importlib.import_module("lini_client")
    finally:
        sys.path.remove(str(tmp_path))


async def test_the_example_documents_run_on_the_demo_data_through_the_generated_client(
    app, plugin_host, tmp_path, monkeypatch
):
    lini_client = generated_client(tmp_path)
    monkeypatch.setenv(DEMO_PASSWORD_ENV, PASSWORD)
    await seed_demo(host=plugin_host)
    ran: set[str] = set()

    def client(token: str | None = None) -> Any:
        headers = {"Lini-Storefront": FIRST_BRAND} | ({"Authorization": f"Bearer {token}"} if token else {})
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers)
        return lini_client.LiniClient(url="http://testserver/graphql", http_client=http)

    shop = client()
    inputs = lini_client.input_types

    # catalog page, in the brand's second currency
    page = await shop.catalog_page(first=12, currency="MYR", filter_=inputs.ProductFilter(inStock=True))
    ran.add("CatalogPage")
    assert page.storefront.slug == FIRST_BRAND and page.products.total_count > 12
    assert page.products.page_info.has_next_page and page.categories
    card = page.products.edges[0].node
    assert card.pricing.price_range.start.currency == "MYR"
    assert isinstance(card.pricing.price_range.start.amount, Decimal)  # a string of digits on the wire

    # product page
    ready_made = next(e.node for e in page.products.edges if not e.node.made_to_measure)
    product = (await shop.product_page(slug=ready_made.slug, currency="IDR", language="en")).product
    ran.add("ProductPage")
    assert product is not None and product.variants and product.media
    variant = next(v for v in product.variants if v.is_available)
    assert variant.price is not None and variant.price.currency == "IDR"

    # made-to-measure options, then a quote with every required choice and measurement
    made = await shop.catalog_page(first=5, filter_=inputs.ProductFilter(madeToMeasure=True))
    options = (await shop.made_to_measure_options(slug=made.products.edges[0].node.slug, currency="IDR")).product
    ran.add("MadeToMeasureOptions")
    config = options.made_to_measure_config
    assert config is not None and config.fabrics and config.garment_type.fields
    chosen = [
        inputs.CustomGarmentOptionInput(group=g.code, text="Siti")
        if g.kind.value == "TEXT"
        else inputs.CustomGarmentOptionInput(group=g.code, values=[g.values[0].code])
        for g in config.option_groups
        if g.required
    ]
    measured = [
        inputs.CustomGarmentMeasurementInput(code=f.code, value=((f.min_cm + f.max_cm) / 2).quantize(Decimal(1)))
        for f in config.garment_type.fields
    ]
    fabric = next(f for f in config.fabrics if f.in_stock)
    garment = inputs.CustomGarmentInput(productId=options.id, fabricId=fabric.id, options=chosen, measurements=measured)
    quoted = (await shop.made_to_measure_quote(input=garment, currency="IDR")).custom_garment_quote
    ran.add("MadeToMeasureQuote")
    assert quoted.errors == [] and quoted.quote is not None and quoted.quote.problem is None
    assert quoted.quote.unit_price.amount > config.base_price.amount  # the fabric is charged on top

    # checkout as a guest, paid by bank transfer
    line = inputs.CheckoutLineInput(variantId=variant.id, quantity=1)
    created = await shop.checkout_create(
        input=inputs.CheckoutCreateInput(email="tamu@example.id", currency="IDR", lines=[line])
    )
    assert created.checkout_create.errors == []
    token = created.checkout_create.checkout.token
    shipped = await shop.checkout_ship_to(token=token, address=inputs.CheckoutAddressInput(**JAKARTA))
    methods = shipped.checkout_shipping_address_update.checkout.available_shipping_methods
    assert shipped.checkout_shipping_address_update.errors == [] and methods
    chosen_method = await shop.checkout_delivery_method(token=token, method=methods[0].id)
    summary = chosen_method.checkout_delivery_method_update.checkout
    assert summary.delivery_method.id == methods[0].id and summary.expires_at.utcoffset() is not None
    assert summary.total.amount == summary.subtotal.amount + summary.shipping_total.amount  # prices include tax
    gateways = [g.id for g in summary.available_payment_gateways]
    paid = (await shop.checkout_pay(token=token, gateway="bank_transfer")).checkout_payment_create
    assert "bank_transfer" in gateways and paid.errors == []
    assert paid.payment.action.instructions and paid.payment.amount.amount == summary.total.amount
    order = (await shop.checkout_complete(token=token, idempotency_key="examples-1")).checkout_complete
    ran |= {"CheckoutCreate", "CheckoutShipTo", "CheckoutDeliveryMethod", "CheckoutPay", "CheckoutComplete"}
    assert order.errors == [] and order.order.total.amount == summary.total.amount

    # order tracking: the demo customer follows her shipped made-to-measure order
    signed = (await shop.sign_in(email="siti@demo.lini.id", password=PASSWORD)).token_create
    assert signed.errors == [] and signed.token
    mine = client(signed.token)
    shipped_order = await Order.get(email="siti@demo.lini.id", status=OrderStatus.SHIPPED)
    assert shipped_order.number == EXAMPLE_VARIABLES["order-tracking"]["number"]  # GraphiQL's tab opens it
    tracked = (await mine.order_tracking(number=shipped_order.number)).order
    ran |= {"SignIn", "OrderTracking"}
    assert tracked is not None and tracked.status == "SHIPPED" and tracked.shipments
    assert tracked.created_at.utcoffset() is not None  # DateTime carries its offset
    assert [step.stage.value for step in tracked.production_jobs[0].history][-1] == "SHIPPED"
    with pytest.raises(lini_client.exceptions.GraphQLClientGraphQLMultiError) as guest:
        await shop.order_tracking(number=shipped_order.number)  # a guest sees no one's order
    assert guest.value.errors[0].extensions["code"] == "UNAUTHENTICATED"

    assert ran == operations(), "every operation of docs/examples/ runs here"
