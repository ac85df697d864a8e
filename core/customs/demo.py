"""The demo brands' customs data: real HS headings for their garments, the subheading chosen by fibre.

Each category gets its heading's man-made-fibre subheading as the default (most demo fabrics are polyester), and
each product made of another fibre gets its own composition and subheading — the way a brand would classify:
once per category, then the exceptions.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.actors.models import Brand
from core.catalog.models import Category, Product
from core.customs.models import CustomsData

# fibre class -> (material as on the label, the subheading's last two digits index in a heading's table)
FABRICS: Mapping[str, tuple[str, str]] = {
    "CERUTY": ("polyester", "synthetic"),
    "WOLFIS": ("polyester", "synthetic"),
    "CRINKLE": ("polyester", "synthetic"),
    "KATUN": ("cotton", "cotton"),
    "TOYOBO": ("cotton", "cotton"),
    "KATUN_JEPANG": ("cotton", "cotton"),
    "LINEN": ("linen", "other"),
    "RAYON": ("viscose", "artificial"),
    "BROKAT": ("nylon", "synthetic"),
    "BELUDRU": ("polyester", "synthetic"),
    "SATIN": ("polyester", "synthetic"),
    "TILE": ("nylon", "synthetic"),
}

# category slug -> (English description with {material}, subheading per fibre class)
HEADINGS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    # 6204.4x: women's dresses, woven
    "gamis": (
        "Women's woven dress (gamis) of {material}",
        {"cotton": "620442", "synthetic": "620443", "artificial": "620444", "other": "620449"},
    ),
    # 6211.4x: women's other garments (overgarments, prayer garments), woven
    "abaya": (
        "Women's woven abaya (overgarment) of {material}",
        {"cotton": "621142", "synthetic": "621143", "artificial": "621143", "other": "621149"},
    ),
    "mukena": (
        "Women's woven prayer garment (mukena) of {material}",
        {"cotton": "621142", "synthetic": "621143", "artificial": "621143", "other": "621149"},
    ),
    # 6206: women's blouses and shirts, woven
    "tunik": (
        "Women's woven tunic blouse of {material}",
        {"cotton": "620630", "synthetic": "620640", "artificial": "620640", "other": "620690"},
    ),
    "kebaya": (
        "Women's woven kebaya blouse of {material}",
        {"cotton": "620630", "synthetic": "620640", "artificial": "620640", "other": "620690"},
    ),
    # 6214: shawls, scarves, veils
    "hijab": (
        "Woven hijab (headscarf) of {material}",
        {"cotton": "621490", "synthetic": "621430", "artificial": "621440", "other": "621490"},
    ),
    "kain": (
        "Woven batik wrap cloth (kain) of {material}",
        {"cotton": "621490", "synthetic": "621430", "artificial": "621440", "other": "621490"},
    ),
    # 6205: men's shirts, woven
    "baju-koko": (
        "Men's woven shirt (baju koko) of {material}",
        {"cotton": "620520", "synthetic": "620530", "artificial": "620530", "other": "620590"},
    ),
    "batik": (
        "Men's woven batik shirt of {material}",
        {"cotton": "620520", "synthetic": "620530", "artificial": "620530", "other": "620590"},
    ),
    # 6211.3x: men's other garments (robes, sarongs), woven
    "jubah": (
        "Men's woven robe (jubah) of {material}",
        {"cotton": "621132", "synthetic": "621133", "artificial": "621133", "other": "621139"},
    ),
    "sarung": (
        "Men's woven sarong of {material}",
        {"cotton": "621132", "synthetic": "621133", "artificial": "621133", "other": "621139"},
    ),
    # 6505: hats and caps made up from textile
    "aksesoris": (
        "Peci (brimless cap) of {material}",
        dict.fromkeys(("cotton", "synthetic", "artificial", "other"), "650500"),
    ),
}
# sub-categories classify as their parents (Gamis Syari is a gamis)
ALIASES = {"gamis-syari": "gamis", "kebaya-modern": "kebaya"}


def _declaration(heading: str, material: str, fibre: str) -> dict[str, object]:
    description, codes = HEADINGS[heading]
    return {
        "hs_code": codes[fibre],
        "description": description.format(material=material),
        "origin_country": "ID",
        "composition": [{"material": material, "percent": "100"}],
    }


async def classify(brand: Brand, categories: Mapping[str, Category], fabric_of: Mapping[str, str]) -> None:
    """Category defaults (polyester), then a row for each product of another fibre (`fabric_of`: slug -> fabric)."""
    rows = [
        CustomsData(brand=brand, category=category, **_declaration(ALIASES.get(slug, slug), "polyester", "synthetic"))
        for slug, category in categories.items()
        if ALIASES.get(slug, slug) in HEADINGS and slug not in ALIASES
    ]
    slug_of = {c.id: ALIASES.get(s, s) for s, c in categories.items()}
    for product in await Product.filter(brand_id=brand.id, slug__in=list(fabric_of)).only("id", "slug", "category_id"):
        material, fibre = FABRICS.get(fabric_of[product.slug], ("polyester", "synthetic"))
        heading = slug_of.get(product.category_id or -1)
        if heading is not None and heading in HEADINGS and material != "polyester":
            rows.append(CustomsData(brand=brand, product=product, **_declaration(heading, material, fibre)))
    await CustomsData.bulk_create(rows)


# Destinations the demo brands ship to, with duty and import tax tables in their spirit (2025 rules, simplified:
# a real deployment keeps them current through customsRateSet/importTaxSet or a `landed_cost` plugin).
IMPORT_TAXES = (
    # Malaysia: low-value goods up to MYR 500 enter duty-free and pay 10% sales tax.
    {"country": "MY", "name": "SST", "rate": "10", "currency": "MYR", "duty_free_up_to": "500"},
    # Saudi Arabia: 15% VAT on everything, duty above SAR 1,000.
    {"country": "SA", "name": "VAT", "rate": "15", "currency": "SAR", "duty_free_up_to": "1000"},
    # Turkey: 20% KDV on value and duty; postal imports pay duty from the first lira.
    {"country": "TR", "name": "KDV", "rate": "20", "currency": "TRY"},
    # Singapore: 9% GST from the first dollar, no duty on garments.
    {"country": "SG", "name": "GST", "rate": "9", "currency": "SGD"},
)
DUTIES = (
    *(("MY", heading, "20") for heading in ("6204", "6205", "6206", "6211", "6214")),
    *(("SA", heading, "12") for heading in ("6204", "6205", "6206", "6211", "6214", "6505")),
    *(("TR", heading, "12") for heading in ("6204", "6205", "6206", "6211", "6214", "6505")),
)


async def seed_tables() -> None:
    """The platform's duty and import tax tables for the demo's destinations (skipped if any is kept already)."""
    from decimal import Decimal

    from core.customs.models import CustomsDuty, ImportTax

    if await ImportTax.exists():
        return
    await ImportTax.bulk_create(
        [
            ImportTax(
                **{k: Decimal(v) if k in ("rate", "duty_free_up_to") else v for k, v in row.items()},
                updated_by="demo",
            )
            for row in IMPORT_TAXES
        ]
    )
    await CustomsDuty.bulk_create(
        [CustomsDuty(country=c, hs_prefix=p, rate=Decimal(r), updated_by="demo") for c, p, r in DUTIES]
    )
