"""Demo feeds (`make run`): each approved demo supplier's catalog grows by a feed of 240 materials (200 fabrics,
40 trims) loaded through the importer as a supplier's upload would be, so the demo has a catalog worth browsing
and its import log shows a finished import. DELTA, so core's own demo fabrics stay as they are."""

from __future__ import annotations

from lini.plugin import PluginHost, Supplier, actor_for_user_id
from plugins.supplier_catalogs import importer
from plugins.supplier_catalogs.jobs import limits
from plugins.supplier_catalogs.models import ImportMode
from plugins.supplier_catalogs.plugin_settings import formats_of

FABRICS = (
    ("Wolfis", "100% polyester", 180, 150, 38_500), ("Katun Toyobo", "100% cotton", 125, 115, 42_000),
    ("Rayon Viscose", "100% rayon", 110, 145, 29_000), ("Linen Rami", "55% linen 45% rayon", 160, 145, 64_000),
    ("Ceruti Baby Doll", "100% polyester", 95, 150, 33_000),
    ("Satin Velvet", "97% polyester 3% spandex", 140, 150, 36_500),
    ("Jersey Premium", "95% cotton 5% spandex", 200, 180, 58_000), ("Moscrepe", "100% polyester", 150, 150, 31_000),
)  # fmt: skip
COLOURS = (
    "Hitam", "Putih Tulang", "Navy", "Maroon", "Sage", "Mocca", "Dusty Pink", "Emerald", "Terracotta", "Lilac",
    "Abu Muda", "Olive", "Mustard", "Biru Dongker", "Salem", "Coklat Susu", "Army", "Denim", "Burgundy", "Peach",
    "Toska", "Cream", "Milo", "Mint", "Khaki",
)  # fmt: skip
TRIMS = (
    ("BTN", "Kancing Mutiara", "BUTTON", "PIECE", 1_200), ("ZIP", "Resleting YKK 20 cm", "ZIP", "PIECE", 3_500),
    ("LCE", "Renda Brokat", "LACE", "METRE", 8_000), ("INT", "Kain Keras Vlieseline", "INTERLINING", "METRE", 12_000),
    ("THR", "Benang Jahit Astra", "THREAD", "PIECE", 4_500),
)  # fmt: skip
HEADER = (
    "sku;name;kind;trim_type;unit;composition;weight_gsm;width_cm;colour;price;currency;stock;min_order;"
    "lead_time_days\n"
)


def feed(prefix: str, currency: str) -> bytes:
    """200 fabrics (8 kinds × 25 colours) and 40 trims (5 kinds × 8 colours); prices in IDR, or MYR / 3,500."""
    scale = 1 if currency == "IDR" else 3_500
    lines = [HEADER]
    for f, (name, composition, gsm, width, price) in enumerate(FABRICS):
        for c, colour in enumerate(COLOURS):
            amount = f"{price / scale:.2f}" if scale > 1 else str(price + c * 500)
            stock = 40 + (f * 37 + c * 53) % 600
            lines.append(f"{prefix}-F{f}{c:02d};{name} {colour};FABRIC;;;{composition};{gsm};{width};{colour};"
                         f"{amount};{currency};{stock};5;{7 + f}\n")  # fmt: skip
    for t, (code, name, kind, unit, price) in enumerate(TRIMS):
        for c, colour in enumerate(COLOURS[:8]):
            amount = f"{price / scale:.2f}" if scale > 1 else str(price)
            lines.append(f"{prefix}-{code}{c:02d};{name} {colour};TRIM;{kind};{unit};;;;{colour};{amount};{currency};"
                         f"{500 + t * 100};{50 if unit == 'PIECE' else 5};{3 + t}\n")  # fmt: skip
    return "".join(lines).encode()


async def seed(host: PluginHost) -> list[importer.CatalogImport]:
    done = []
    for index, supplier in enumerate(await Supplier.filter(status="APPROVED").order_by("id")):
        actor = await actor_for_user_id(supplier.user_id)
        if actor is None:
            continue
        currency = "MYR" if supplier.country == "MY" else "IDR"
        data = feed(f"D{index + 1}", currency)
        upload = importer.Upload(data=data, filename="katalog-demo.csv", mode=ImportMode.DELTA, atomic=True)
        done.append(
            await importer.import_now(
                actor, upload, formats=formats_of(host), limits=limits(host), max_bytes=len(data) + 1
            )
        )
    return done
