"""Rendering a brand's published catalog as RSS 2.0 with Google's `g:` product namespace.

The XML is built with ElementTree, which escapes markup, rather than by joining strings. ElementTree does not
refuse characters XML 1.0 forbids (most C0 controls such as `\\x0b`, which staff paste from word processors),
and one of them in one description makes Google Merchant Center reject the whole feed: `xml_text` drops them
from every value first.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from lini.plugin import Brand, prices_by_variant, quantize, storefront_products, variants_by_product

GOOGLE_NS = "http://base.google.com/ns/1.0"
ElementTree.register_namespace("g", GOOGLE_NS)

# Everything outside XML 1.0's Char production (tab, newline, carriage return, U+0020-U+D7FF, U+E000-U+FFFD,
# U+10000-U+10FFFF): the C0 controls, lone surrogates and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """`value` without the characters no XML 1.0 document may contain (escaping cannot save them)."""
    return _NOT_XML.sub("", value)


def feed_path(slug: str) -> str:
    return f"/feeds/{slug}/products.xml"


async def render_feed(brand: Brand, *, public_url: str, currency: str, max_items: int) -> str:
    products = await storefront_products(brand).order_by("name", "id").limit(max_items)
    variants = await variants_by_product([p.id for p in products])
    prices = await prices_by_variant([v.id for vs in variants.values() for v in vs])
    base = public_url.rstrip("/")
    rss = ElementTree.Element("rss", {"version": "2.0"})
    channel = ElementTree.SubElement(rss, "channel")
    _text(channel, "title", brand.name)
    _text(channel, "link", base)
    _text(channel, "description", brand.description or brand.name)
    for product in products:
        for variant in variants.get(product.id, []):
            price = next((p for p in prices.get(variant.id, []) if p.currency == currency), None)
            if price is None:
                continue
            fields = {
                "id": variant.sku,
                "item_group_id": product.slug,
                "title": product.name,
                "description": product.description or product.name,
                "link": f"{base}/products/{product.slug}?storefront={brand.slug}",
                "price": f"{quantize(price.amount, currency)} {currency}",
                "availability": "in_stock" if not product.made_to_measure else "preorder",
                "brand": brand.name,
                "condition": "new",
                "size": variant.size,
                "color": variant.colour,
            }
            _item(channel, fields)
    body = ElementTree.tostring(rss, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _item(channel: ElementTree.Element, fields: dict[str, str]) -> None:
    item = ElementTree.SubElement(channel, "item")
    for tag, value in fields.items():
        if value and xml_text(value):
            _text(item, f"{{{GOOGLE_NS}}}{tag}", value)


def _text(parent: ElementTree.Element, tag: str, value: str) -> None:
    ElementTree.SubElement(parent, tag).text = xml_text(value)


__all__ = ["feed_path", "render_feed", "xml_text"]
