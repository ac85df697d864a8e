"""Demo data: two Indonesian brands with believable catalogs, so a fresh `make run` has something to show.

Prices are in rupiah (IDR) with a Malaysian ringgit (MYR) price beside them, as an exporting brand would set.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tortoise.transactions import in_transaction

from core.actors.models import Brand, BrandStatus
from core.catalog.models import Product, ProductStatus, Variant, VariantPrice
from core.errors import DomainError

IDR_PER_MYR = Decimal(3600)

BRANDS = [
    {
        "slug": "sekar-modest",
        "name": "Sekar Modest",
        "description": "Busana muslimah dari Bandung: gamis, abaya dan hijab yang nyaman untuk sehari-hari.",
        "primary_color": "#7c3a5a",
        "languages": ["id", "en", "ms"],
        "ships_to": ["ID", "MY", "SG", "BN"],
        "sizes": ["S", "M", "L", "XL"],
        "colours": ["Hitam", "Dusty Pink", "Sage", "Navy"],
        "products": [
            ("Gamis Ceruty Babydoll Aisyah", 389_000, "Gamis ceruty babydoll dengan furing, busui friendly."),
            ("Gamis Wolfis Polos Hana", 259_000, "Gamis wolfis jatuh dan adem, resleting depan."),
            ("Gamis Katun Rayon Motif Bunga Sekar", 229_000, "Katun rayon motif bunga, nyaman untuk harian."),
            ("Abaya Hitam Bordir Madinah", 549_000, "Abaya jetblack dengan bordir tangan di lengan."),
            ("Abaya Kimono Crinkle Dubai", 479_000, "Abaya model kimono bahan crinkle airflow."),
            ("Abaya Set Khimar Zahra", 615_000, "Abaya lengkap dengan khimar senada."),
            ("Tunik Linen Kancing Depan Nadia", 199_000, "Tunik linen premium, kancing hidup."),
            ("Tunik Crinkle Airflow Laila", 175_000, "Tunik crinkle tidak perlu disetrika."),
            ("Tunik Batik Kombinasi Parang", 245_000, "Tunik kombinasi batik cap motif parang."),
            ("Khimar Syari Ceruty Dua Lapis", 145_000, "Khimar syari dua lapis menutup dada."),
            ("Pashmina Plisket Premium", 69_000, "Pashmina plisket lebar, mudah dibentuk."),
            ("Hijab Segi Empat Voal Motif", 89_000, "Hijab voal lasercut motif eksklusif."),
            ("Bergo Instan Jersey Sport", 59_000, "Bergo instan jersey untuk olahraga."),
            ("Mukena Katun Jepang Bordir", 329_000, "Mukena katun jepang dengan bordir pinggir."),
            ("Mukena Travel Parasut Mini", 149_000, "Mukena travel ringan dengan tas kecil."),
            ("Rok Plisket Hyget Premium", 135_000, "Rok plisket hyget, pinggang karet."),
            ("Celana Kulot Wolfis Lebar", 119_000, "Kulot wolfis lebar dengan saku samping."),
            ("Outer Cardigan Rajut Salsabila", 189_000, "Cardigan rajut longgar untuk dipadukan."),
            ("Setelan Tunik dan Celana Amira", 335_000, "Setelan tunik dan celana bahan katun toyobo."),
            ("Dress Muslim Satin Velvet Ratu", 429_000, "Dress satin velvet untuk acara resmi."),
        ],
    },
    {
        "slug": "koko-nusantara",
        "name": "Koko Nusantara",
        "description": "Baju koko dan busana pria muslim buatan penjahit Tasikmalaya.",
        "primary_color": "#14532d",
        "languages": ["id", "en"],
        "ships_to": ["ID", "MY", "SA", "TR"],
        "sizes": ["M", "L", "XL", "XXL"],
        "colours": ["Putih", "Hitam", "Maroon", "Abu Misty"],
        "products": [
            ("Baju Koko Bordir Tasik Klasik", 215_000, "Koko katun dengan bordir Tasikmalaya di dada."),
            ("Baju Koko Lengan Panjang Al-Fatih", 239_000, "Koko lengan panjang bahan toyobo adem."),
            ("Baju Koko Kurta Pakistan Hamzah", 279_000, "Kurta panjang model Pakistan, belahan samping."),
            ("Baju Koko Modern Kerah Shanghai", 199_000, "Koko kerah shanghai, potongan slim."),
            ("Baju Koko Anak Mini Fatih", 119_000, "Koko anak senada dengan model dewasa."),
            ("Gamis Pria Jubah Saudi Thobe", 329_000, "Jubah thobe model Saudi bahan toyobo."),
            ("Jubah Maroko Bordir Emas", 459_000, "Jubah Maroko dengan bordir benang emas."),
            ("Kemeja Batik Tulis Mega Mendung", 389_000, "Kemeja batik tulis Cirebon, furing katun."),
            ("Kemeja Batik Cap Kawung Lengan Pendek", 189_000, "Batik cap motif kawung, lengan pendek."),
            ("Sarung Tenun Samarinda Premium", 249_000, "Sarung tenun tangan Samarinda."),
            ("Sarung Songket Palembang", 385_000, "Sarung songket dengan benang perak."),
            ("Celana Sirwal Katun Premium", 149_000, "Sirwal katun, isbal friendly."),
            ("Peci Rajut Turki", 49_000, "Peci rajut model Turki."),
            ("Kopiah Hitam Beludru Gresik", 65_000, "Kopiah beludru buatan Gresik."),
            ("Rompi Pria Bordir Santri", 159_000, "Rompi untuk dipadukan dengan koko."),
            ("Setelan Koko dan Sirwal Ramadhan", 365_000, "Setelan koko dan sirwal serasi."),
        ],
    },
]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


async def seed_demo(*, only_if_empty: bool = False) -> str:
    """Load the demo brands; refuses to mix demo data into a database that already has brands."""
    if await Brand.exists():
        if only_if_empty:
            return "the database already has brands: demo data not loaded"
        raise DomainError("NOT_EMPTY", "the database already has brands; seed-demo only fills an empty one")
    products = 0
    async with in_transaction():
        for spec in BRANDS:
            brand = await Brand.create(
                slug=spec["slug"],
                name=spec["name"],
                description=spec["description"],
                status=BrandStatus.APPROVED,
                primary_color=spec["primary_color"],
                logo_url=f"https://cdn.lini.example/brands/{spec['slug']}/logo.png",
                default_currency="IDR",
                currencies=["IDR", "MYR"],
                languages=spec["languages"],
                ships_to=spec["ships_to"],
            )
            for index, (name, price, description) in enumerate(spec["products"]):
                products += 1
                await _product(brand, spec, index, name, Decimal(price), description)
    return f"loaded {len(BRANDS)} brands and {products} products"


async def _product(brand: Brand, spec: dict, index: int, name: str, price: Decimal, description: str) -> None:
    product = await Product.create(
        brand=brand,
        slug=slugify(name),
        name=name,
        description=description,
        status=ProductStatus.PUBLISHED,
    )
    code = "".join(word[0] for word in name.split()[:4]).upper()
    variants = []
    position = 0
    for colour in spec["colours"][: 2 + index % 3]:
        for size_index, size in enumerate(spec["sizes"]):
            position += 1
            variants.append(
                Variant(
                    brand=brand,
                    product=product,
                    sku=f"{code}-{index + 1:03d}-{slugify(colour)[:4].upper()}-{size}",
                    size=size,
                    colour=colour,
                    weight_grams=250 + 50 * size_index,
                    position=position,
                )
            )
    await Variant.bulk_create(variants)
    saved = await Variant.filter(product=product).order_by("position")
    prices = []
    for variant in saved:
        idr = price + (Decimal(10_000) if variant.size in ("XL", "XXL") else 0)
        myr = (idr / IDR_PER_MYR).quantize(Decimal("1")) - Decimal("0.10")
        prices += [
            VariantPrice(variant=variant, currency="IDR", amount=idr),
            VariantPrice(variant=variant, currency="MYR", amount=myr),
        ]
    await VariantPrice.bulk_create(prices)
