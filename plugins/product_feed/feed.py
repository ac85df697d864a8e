"""Rendering a brand's published catalog as RSS 2.0 with Google's `g:` product namespace."""

from __future__ import annotations

from xml.sax.saxutils import escape

from lini.plugin import Brand, Product, prices_by_variant, quantize, storefront_products, variants_by_product

GOOGLE_NS = "http://base.google.com/ns/1.0"


def feed_path(slug: str) -> str:
    return f"/feeds/{slug}/products.xml"


async def render_feed(brand: Brand, *, public_url: str, currency: str, max_items: int) -> str:
    products = await storefront_products(brand).order_by("name", "id").limit(max_items)
    variants = await variants_by_product([p.id for p in products])
    prices = await prices_by_variant([v.id for vs in variants.values() for v in vs])
    items = []
    for product in products:
        for variant in variants.get(product.id, []):
            price = next((p for p in prices.get(variant.id, []) if p.currency == currency), None)
            if price is None:
                continue
            items.append(
                _item(
                    brand,
                    product,
                    variant.sku,
                    variant.size,
                    variant.colour,
                    f"{quantize(price.amount, currency)} {currency}",
                    public_url,
                )
            )
    base = public_url.rstrip("/")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:g="{GOOGLE_NS}"><channel>'
        f"<title>{escape(brand.name)}</title><link>{escape(base)}</link>"
        f"<description>{escape(brand.description or brand.name)}</description>" + "".join(items) + "</channel></rss>\n"
    )


def _item(brand: Brand, product: Product, sku: str, size: str, colour: str, price: str, base: str) -> str:
    link = f"{base.rstrip('/')}/products/{product.slug}?storefront={brand.slug}"
    fields = {
        "g:id": sku,
        "g:item_group_id": product.slug,
        "g:title": product.name,
        "g:description": product.description or product.name,
        "g:link": link,
        "g:price": price,
        "g:availability": "in_stock" if not product.made_to_measure else "preorder",
        "g:brand": brand.name,
        "g:condition": "new",
        "g:size": size,
        "g:color": colour,
    }
    body = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in fields.items() if value)
    return f"<item>{body}</item>"
