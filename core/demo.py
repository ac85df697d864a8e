"""Demo data: three Indonesian brands with believable catalogs, so a fresh `make run` has something to show.

Each brand gets categories, collections, attributes (fabric, sleeve length, lining), products in Indonesian
with English translations, variants by size and colour with IDR and MYR prices, stock and images by URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tortoise.transactions import in_transaction

from core.actors.models import Brand, BrandStatus
from core.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductAttributeValue,
    ProductMedia,
    ProductStatus,
    Stock,
    Variant,
    VariantPrice,
)
from core.catalog.prices import refresh_price_ranges
from core.customs import demo as customs_demo
from core.errors import DomainError
from core.plugins import PluginHost

IDR_PER_MYR = Decimal(3600)
CDN = "https://images.lini.example"


@dataclass(frozen=True)
class Line:
    """A product line: one design made in several fabrics, each fabric a product."""

    category: str
    name: str
    english: str
    price: int
    description: str
    description_en: str


@dataclass(frozen=True)
class BrandSpec:
    slug: str
    name: str
    description: str
    colour: str
    languages: tuple[str, ...]
    ships_to: tuple[str, ...]
    sizes: tuple[str, ...]
    colours: tuple[tuple[str, str], ...]
    categories: tuple[tuple[str, str, str | None], ...]  # slug, name, parent slug
    fabrics: tuple[tuple[str, str, str], ...]  # code, label, English label
    lines: tuple[Line, ...]


SEKAR = BrandSpec(
    slug="sekar-modest",
    name="Sekar Modest",
    description="Busana muslimah dari Bandung: gamis, abaya dan hijab yang nyaman untuk sehari-hari.",
    colour="#7c3a5a",
    languages=("id", "en", "ms"),
    ships_to=("ID", "MY", "SG", "BN"),
    sizes=("S", "M", "L", "XL"),
    colours=(("Hitam", "Black"), ("Dusty Pink", "Dusty Pink"), ("Sage", "Sage"), ("Navy", "Navy")),
    categories=(
        ("gamis", "Gamis", None),
        ("gamis-syari", "Gamis Syari", "gamis"),
        ("abaya", "Abaya", None),
        ("tunik", "Tunik", None),
        ("hijab", "Hijab", None),
        ("mukena", "Mukena", None),
    ),
    fabrics=(
        ("CERUTY", "Ceruty", "Chiffon"),
        ("WOLFIS", "Wolfis", "Wool peach"),
        ("KATUN", "Katun", "Cotton"),
        ("LINEN", "Linen", "Linen"),
        ("CRINKLE", "Crinkle Airflow", "Crinkle airflow"),
    ),
    lines=(
        Line(
            "gamis",
            "Gamis Babydoll Aisyah",
            "Aisyah Babydoll Robe",
            389_000,
            "Gamis babydoll dengan furing, busui friendly.",
            "Babydoll robe with lining, nursing friendly.",
        ),
        Line(
            "gamis",
            "Gamis Polos Hana",
            "Hana Plain Robe",
            259_000,
            "Gamis polos jatuh dan adem, resleting depan.",
            "Flowing plain robe with a front zip.",
        ),
        Line(
            "gamis-syari",
            "Gamis Syari Khadijah",
            "Khadijah Syari Robe",
            459_000,
            "Gamis syari lebar dengan khimar senada.",
            "Wide syari robe with a matching khimar.",
        ),
        Line(
            "abaya",
            "Abaya Bordir Madinah",
            "Madinah Embroidered Abaya",
            549_000,
            "Abaya dengan bordir tangan di lengan.",
            "Abaya with hand embroidery on the sleeves.",
        ),
        Line(
            "abaya",
            "Abaya Kimono Dubai",
            "Dubai Kimono Abaya",
            479_000,
            "Abaya model kimono yang ringan.",
            "Light kimono-style abaya.",
        ),
        Line(
            "tunik",
            "Tunik Kancing Nadia",
            "Nadia Button Tunic",
            199_000,
            "Tunik dengan kancing hidup.",
            "Tunic with working buttons.",
        ),
        Line(
            "tunik",
            "Tunik Laila",
            "Laila Tunic",
            175_000,
            "Tunik tidak perlu disetrika.",
            "A tunic that needs no ironing.",
        ),
        Line(
            "hijab",
            "Khimar Dua Lapis",
            "Two-layer Khimar",
            145_000,
            "Khimar syari dua lapis menutup dada.",
            "Two-layer syari khimar covering the chest.",
        ),
        Line(
            "hijab",
            "Pashmina Plisket",
            "Pleated Pashmina",
            69_000,
            "Pashmina plisket lebar, mudah dibentuk.",
            "Wide pleated pashmina, easy to style.",
        ),
        Line(
            "mukena",
            "Mukena Bordir",
            "Embroidered Prayer Set",
            329_000,
            "Mukena dengan bordir pinggir.",
            "Prayer set with embroidered edges.",
        ),
        Line(
            "mukena",
            "Mukena Travel",
            "Travel Prayer Set",
            149_000,
            "Mukena travel ringan dengan tas kecil.",
            "Light travel prayer set with a pouch.",
        ),
        Line(
            "gamis",
            "Dress Muslim Ratu",
            "Ratu Muslim Dress",
            429_000,
            "Dress untuk acara resmi.",
            "A dress for formal occasions.",
        ),
        Line("tunik", "Setelan Amira", "Amira Set", 335_000, "Setelan tunik dan celana.", "Tunic and trousers set."),
        Line(
            "abaya",
            "Outer Salsabila",
            "Salsabila Outer",
            189_000,
            "Outer longgar untuk dipadukan.",
            "Loose outer to layer.",
        ),
        Line(
            "gamis",
            "Gamis Anak Zahra",
            "Zahra Girls' Robe",
            159_000,
            "Gamis anak senada dengan model ibu.",
            "Girls' robe matching the mother's design.",
        ),
        Line("hijab", "Bergo Sport", "Sport Hijab", 59_000, "Bergo instan untuk olahraga.", "Instant hijab for sport."),
        Line(
            "gamis",
            "Gamis Lebaran Sekar",
            "Sekar Eid Robe",
            499_000,
            "Gamis edisi Lebaran dengan payet halus.",
            "Eid edition robe with fine sequins.",
        ),
        Line(
            "mukena",
            "Mukena Anak Mini",
            "Kids' Prayer Set",
            119_000,
            "Mukena anak bermotif ceria.",
            "Kids' prayer set with a cheerful print.",
        ),
        Line(
            "tunik",
            "Kemeja Tunik Hanum",
            "Hanum Shirt Tunic",
            215_000,
            "Kemeja tunik kerah shanghai.",
            "Shirt tunic with a mandarin collar.",
        ),
        Line(
            "abaya",
            "Abaya Umrah Safa",
            "Safa Umrah Abaya",
            389_000,
            "Abaya polos untuk ibadah umrah.",
            "Plain abaya for umrah.",
        ),
        Line(
            "tunik",
            "Rok Plisket Hyget",
            "Hyget Pleated Skirt",
            135_000,
            "Rok plisket dengan pinggang karet.",
            "Pleated skirt with an elastic waist.",
        ),
    ),
)

KOKO = BrandSpec(
    slug="koko-nusantara",
    name="Koko Nusantara",
    description="Baju koko dan busana pria muslim buatan penjahit Tasikmalaya.",
    colour="#14532d",
    languages=("id", "en"),
    ships_to=("ID", "MY", "SA", "TR"),
    sizes=("M", "L", "XL", "XXL"),
    colours=(("Putih", "White"), ("Hitam", "Black"), ("Maroon", "Maroon"), ("Abu Misty", "Misty Grey")),
    categories=(
        ("baju-koko", "Baju Koko", None),
        ("jubah", "Jubah", None),
        ("batik", "Kemeja Batik", None),
        ("sarung", "Sarung", None),
        ("aksesoris", "Peci & Aksesoris", None),
    ),
    fabrics=(
        ("TOYOBO", "Toyobo", "Toyobo cotton"),
        ("KATUN", "Katun", "Cotton"),
        ("LINEN", "Linen", "Linen"),
        ("RAYON", "Rayon", "Rayon"),
        ("KATUN_JEPANG", "Katun Jepang", "Japanese cotton"),
    ),
    lines=(
        Line(
            "baju-koko",
            "Baju Koko Bordir Tasik",
            "Tasik Embroidered Koko",
            215_000,
            "Koko dengan bordir Tasikmalaya di dada.",
            "Koko shirt with Tasikmalaya embroidery.",
        ),
        Line(
            "baju-koko",
            "Baju Koko Al-Fatih",
            "Al-Fatih Koko",
            239_000,
            "Koko lengan panjang yang adem.",
            "Cool long-sleeved koko shirt.",
        ),
        Line(
            "baju-koko",
            "Kurta Pakistan Hamzah",
            "Hamzah Pakistani Kurta",
            279_000,
            "Kurta panjang model Pakistan.",
            "Long Pakistani-style kurta.",
        ),
        Line(
            "baju-koko",
            "Koko Kerah Shanghai",
            "Mandarin-collar Koko",
            199_000,
            "Koko kerah shanghai, potongan slim.",
            "Slim koko shirt with a mandarin collar.",
        ),
        Line("jubah", "Jubah Saudi Thobe", "Saudi Thobe", 329_000, "Jubah thobe model Saudi.", "Saudi-style thobe."),
        Line(
            "jubah",
            "Jubah Maroko Emas",
            "Golden Moroccan Jubba",
            459_000,
            "Jubah Maroko dengan bordir benang emas.",
            "Moroccan jubba with gold thread embroidery.",
        ),
        Line(
            "batik",
            "Kemeja Batik Mega Mendung",
            "Mega Mendung Batik Shirt",
            389_000,
            "Kemeja batik tulis Cirebon.",
            "Hand-drawn Cirebon batik shirt.",
        ),
        Line(
            "batik",
            "Kemeja Batik Kawung",
            "Kawung Batik Shirt",
            189_000,
            "Batik cap motif kawung.",
            "Stamped batik with the kawung motif.",
        ),
        Line(
            "sarung",
            "Sarung Tenun Samarinda",
            "Samarinda Woven Sarong",
            249_000,
            "Sarung tenun tangan Samarinda.",
            "Hand-woven Samarinda sarong.",
        ),
        Line(
            "sarung",
            "Sarung Songket Palembang",
            "Palembang Songket Sarong",
            385_000,
            "Sarung songket dengan benang perak.",
            "Songket sarong with silver thread.",
        ),
        Line(
            "aksesoris",
            "Peci Rajut Turki",
            "Turkish Knit Cap",
            49_000,
            "Peci rajut model Turki.",
            "Turkish-style knit cap.",
        ),
        Line(
            "aksesoris",
            "Rompi Santri",
            "Santri Vest",
            159_000,
            "Rompi untuk dipadukan dengan koko.",
            "A vest to wear over a koko shirt.",
        ),
        Line(
            "baju-koko",
            "Setelan Koko Ramadhan",
            "Ramadan Koko Set",
            365_000,
            "Setelan koko dan sirwal serasi.",
            "Matching koko and sirwal set.",
        ),
        Line(
            "baju-koko",
            "Koko Anak Fatih",
            "Fatih Boys' Koko",
            119_000,
            "Koko anak senada dengan model dewasa.",
            "Boys' koko matching the adult design.",
        ),
    ),
)

RUMAH_KEBAYA = BrandSpec(
    slug="rumah-kebaya",
    name="Rumah Kebaya Solo",
    description="Kebaya dan kain nusantara dari Solo, dijahit sesuai ukuran.",
    colour="#92400e",
    languages=("id", "en", "ms"),
    ships_to=("ID", "MY", "SG"),
    sizes=("S", "M", "L", "XL"),
    colours=(("Emas", "Gold"), ("Marun", "Maroon"), ("Hijau Botol", "Bottle Green")),
    categories=(("kebaya", "Kebaya", None), ("kebaya-modern", "Kebaya Modern", "kebaya"), ("kain", "Kain", None)),
    fabrics=(
        ("BROKAT", "Brokat", "Lace"),
        ("BELUDRU", "Beludru", "Velvet"),
        ("SATIN", "Satin", "Satin"),
        ("TILE", "Tile", "Tulle"),
    ),
    lines=(
        Line(
            "kebaya",
            "Kebaya Kutubaru Solo",
            "Solo Kutubaru Kebaya",
            429_000,
            "Kebaya kutubaru klasik khas Solo.",
            "Classic Solo kutubaru kebaya.",
        ),
        Line(
            "kebaya-modern",
            "Kebaya Modern Ayu",
            "Ayu Modern Kebaya",
            519_000,
            "Kebaya modern untuk wisuda.",
            "Modern kebaya for graduations.",
        ),
        Line(
            "kebaya",
            "Kebaya Kartini",
            "Kartini Kebaya",
            389_000,
            "Kebaya Kartini dengan bordir.",
            "Kartini kebaya with embroidery.",
        ),
        Line(
            "kain",
            "Kain Jarik Parang",
            "Parang Jarik Cloth",
            179_000,
            "Kain jarik batik motif parang.",
            "Batik jarik cloth with the parang motif.",
        ),
        Line(
            "kebaya-modern",
            "Kebaya Muslimah Sekar Jagad",
            "Sekar Jagad Muslim Kebaya",
            589_000,
            "Kebaya muslimah lengan panjang.",
            "Long-sleeved Muslim kebaya.",
        ),
        Line(
            "kebaya-modern",
            "Kebaya Encim Betawi",
            "Betawi Encim Kebaya",
            359_000,
            "Kebaya encim dengan bordir kerancang.",
            "Encim kebaya with cut-work embroidery.",
        ),
        Line(
            "kebaya",
            "Kebaya Bali Dewi",
            "Dewi Balinese Kebaya",
            299_000,
            "Kebaya Bali dengan obi senada.",
            "Balinese kebaya with a matching sash.",
        ),
    ),
)

BRANDS = (SEKAR, KOKO, RUMAH_KEBAYA)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


async def seed_demo(*, only_if_empty: bool = False, host: PluginHost | None = None) -> str:
    """Load the demo brands; refuses to mix demo data into a database that already has brands.

    The enabled plugins add theirs through the `seed_demo` hook (shipping zones, say), in the same transaction:
    core never imports a plugin, and a third party's plugin can seed its own demo the same way.
    """
    if await Brand.exists():
        if only_if_empty:
            return "the database already has brands: demo data not loaded"
        raise DomainError("NOT_EMPTY", "the database already has brands; seed-demo only fills an empty one")
    from core.catalog import search
    from core.garments import demo as made_to_measure

    product_ids: list[int] = []
    async with in_transaction():
        for spec in BRANDS:
            product_ids += await _brand(spec)
        await refresh_price_ranges(product_ids)
        await customs_demo.seed_tables()
        makers = await made_to_measure.seed_makers()
        if host is not None:
            await host.call("seed_demo", brands=await Brand.filter(slug__in=[b.slug for b in BRANDS]).order_by("id"))

    # After the catalog is committed: the orders go through checkout and production, each in its own transaction.
    brands = await Brand.filter(slug__in=[b.slug for b in BRANDS]).order_by("id")
    custom, orders, password = await made_to_measure.seed(list(brands), host, makers)
    product_ids += custom
    await search.reindex(product_ids)
    return (
        f"loaded {len(BRANDS)} brands and {len(product_ids)} products "
        f"({len(custom)} made to measure, {orders} made-to-measure orders); "
        f"demo accounts (README) sign in with the password {password}"
    )


async def _brand(spec: BrandSpec) -> list[int]:
    brand = await Brand.create(
        slug=spec.slug,
        name=spec.name,
        description=spec.description,
        status=BrandStatus.APPROVED,
        primary_color=spec.colour,
        logo_url=f"{CDN}/brands/{spec.slug}/logo.png",
        default_currency="IDR",
        default_language="id",
        currencies=["IDR", "MYR"],
        languages=list(spec.languages),
        ships_to=list(spec.ships_to),
    )
    categories = await _categories(brand, spec)
    fabric, choices, sleeve, lining = await _attributes(brand, spec)
    products: list[Product] = []
    base_prices: dict[str, int] = {}
    for line in spec.lines:
        for _code, label, english in spec.fabrics:
            base_prices[slugify(f"{line.name} {label}")] = line.price
            products.append(
                Product(
                    brand=brand,
                    category=categories[line.category],
                    slug=slugify(f"{line.name} {label}"),
                    name=f"{line.name} {label}",
                    description=f"{line.description} Bahan {label.lower()}.",
                    made_to_measure=False,  # made-to-measure products come from core.garments.demo
                    size_chart=_size_chart(spec.sizes, line.category),
                    status=ProductStatus.PUBLISHED,
                    translations={
                        "en": {
                            "name": f"{line.english} in {english}",
                            "description": f"{line.description_en} {english} fabric.",
                        }
                    },
                )
            )
    await Product.bulk_create(products)
    saved = await Product.filter(brand=brand).order_by("id")
    await _variants(brand, spec, saved, base_prices)
    await _details(saved, spec, fabric, choices, sleeve, lining)
    await customs_demo.classify(
        brand,
        categories,
        {slugify(f"{line.name} {label}"): code for line in spec.lines for code, label, _ in spec.fabrics},
    )
    await _collections(brand, saved)
    return [p.id for p in saved]


# The body length (PB, size S) of each garment category; hijabs, sarongs, cloth and accessories have no chart.
_BODY_LENGTH_CM = {
    "gamis": 136,
    "gamis-syari": 138,
    "abaya": 138,
    "tunik": 96,
    "mukena": 118,
    "baju-koko": 72,
    "jubah": 138,
    "batik": 72,
    "kebaya": 68,
    "kebaya-modern": 70,
}
_SIZE_STEPS = ("S", "M", "L", "XL", "XXL")


def _size_chart(sizes: tuple[str, ...], category: str) -> list[dict]:
    """A plausible chart per size (LD chest, PB body length, PL sleeve), grading 6/2/1 cm a size up from S."""
    length = _BODY_LENGTH_CM.get(category)
    if length is None:
        return []
    rows = []
    for size in sizes:
        step = _SIZE_STEPS.index(size)
        measurements = {"LD": 94 + 6 * step, "PB": length + 2 * step, "PL": 55 + step}
        rows.append({"size": size, "measurements": [{"code": c, "value": str(v)} for c, v in measurements.items()]})
    return rows


async def _categories(brand: Brand, spec: BrandSpec) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for position, (slug, name, parent) in enumerate(spec.categories):
        category = await Category.create(
            brand=brand, slug=slug, name=name, position=position, parent=found.get(parent) if parent else None
        )
        category.path = f"{found[parent].path if parent else '/'}{category.id}/"
        await category.save(update_fields=["path"])
        found[slug] = category
    return found


async def _attributes(
    brand: Brand, spec: BrandSpec
) -> tuple[Attribute, dict[str, AttributeChoice], Attribute, Attribute]:
    fabric = await Attribute.create(
        brand=brand, code="fabric", name="Bahan", type=AttributeType.CHOICE, translations={"en": {"name": "Fabric"}}
    )
    choices = {}
    for position, (code, label, english) in enumerate(spec.fabrics):
        choices[label] = await AttributeChoice.create(
            attribute=fabric, code=code, label=label, position=position, translations={"en": {"label": english}}
        )
    sleeve = await Attribute.create(
        brand=brand,
        code="sleeve_length",
        name="Panjang lengan",
        position=1,
        type=AttributeType.NUMBER,
        unit="cm",
        translations={"en": {"name": "Sleeve length"}},
    )
    lining = await Attribute.create(
        brand=brand,
        code="lining",
        name="Furing",
        type=AttributeType.BOOLEAN,
        position=2,
        translations={"en": {"name": "Lining"}},
    )
    return fabric, choices, sleeve, lining


async def _variants(brand: Brand, spec: BrandSpec, products: list[Product], base_prices: dict[str, int]) -> None:
    variants = []
    for index, product in enumerate(products):
        code = "".join(word[0] for word in product.name.split()[:4]).upper()
        position = 0
        for colour, _ in spec.colours[: 2 + index % 2]:
            for size in spec.sizes:
                position += 1
                variants.append(
                    Variant(
                        brand=brand,
                        product=product,
                        size=size,
                        colour=colour,
                        position=position,
                        sku=f"{code}-{product.id:04d}-{slugify(colour)[:3].upper()}-{size}",
                        barcode=f"899{product.id:06d}{position:03d}",
                        weight_grams=250 + 50 * spec.sizes.index(size),
                    )
                )
    await Variant.bulk_create(variants)
    saved = await Variant.filter(brand=brand).select_related("product").order_by("id")
    prices, stock = [], []
    for variant in saved:
        idr = Decimal(base_prices[variant.product.slug]) + (Decimal(10_000) if variant.size in ("XL", "XXL") else 0)
        myr = (idr / IDR_PER_MYR).quantize(Decimal("1")) - Decimal("0.10")
        prices += [
            VariantPrice(variant=variant, currency="IDR", amount=idr),
            VariantPrice(variant=variant, currency="MYR", amount=myr),
        ]
        stock.append(Stock(variant=variant, quantity=0 if variant.id % 9 == 0 else 3 + variant.id % 40))
    await VariantPrice.bulk_create(prices)
    await Stock.bulk_create(stock)


async def _details(
    products: list[Product],
    spec: BrandSpec,
    fabric: Attribute,
    choices: dict[str, AttributeChoice],
    sleeve: Attribute,
    lining: Attribute,
) -> None:
    values, media = [], []
    for product in products:
        label = next(label for _, label, _ in spec.fabrics if product.name.endswith(label))
        values += [
            ProductAttributeValue(product=product, attribute=fabric, choice=choices[label]),
            ProductAttributeValue(product=product, attribute=sleeve, number_value=Decimal(55 + product.id % 8)),
            ProductAttributeValue(product=product, attribute=lining, boolean_value=product.id % 3 != 0),
        ]
        for position, view in enumerate(("front", "back", "detail")):
            media.append(
                ProductMedia(
                    product=product,
                    url=f"{CDN}/{spec.slug}/{product.slug}/{view}.jpg",
                    alt=f"{product.name} ({view})",
                    position=position,
                )
            )
    await ProductAttributeValue.bulk_create(values)
    await ProductMedia.bulk_create(media)


async def _collections(brand: Brand, products: list[Product]) -> None:
    new = await Collection.create(brand=brand, slug="terbaru", name="Terbaru", translations={"en": {"name": "New in"}})
    eid = await Collection.create(
        brand=brand,
        slug="lebaran-2026",
        name="Koleksi Lebaran 2026",
        translations={"en": {"name": "Eid 2026 Collection"}},
    )
    await CollectionProduct.bulk_create(
        [CollectionProduct(collection=new, product=p, position=i) for i, p in enumerate(products[-12:])]
        + [CollectionProduct(collection=eid, product=p, position=i) for i, p in enumerate(products[::4])]
    )
