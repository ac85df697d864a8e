"""Made-to-measure demo: two fabric suppliers, certified tailors, made-to-measure products for two brands, a
customer with saved measurements, and orders standing in each interesting production stage.

Everything goes through the same services the API calls (fabrics, product configuration, profiles, the
checkout and its completion, assignment, the tailor's steps, QC), so the demo is also a smoke test of the
whole path. Orders are placed only when the host offers the built-in `bank_transfer` gateway and a shipping
provider, as `make run` does. Every demo account signs in with the password in `LINI_DEMO_PASSWORD`; when it
is not set a random one is made and printed by `seed-demo`, so no known password ever ships with a database.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.actors.models import (
    ActorStatus,
    Brand,
    Certification,
    CertificationStatus,
    StaffMember,
    StaffRole,
    Supplier,
    Tailor,
    TailorKind,
)
from core.auth.models import User
from core.auth.passwords import hash_password
from core.auth.services import actor_for_user
from core.brand_plugins.models import BrandPluginConfig
from core.catalog.models import Category, Product, ProductMedia, ProductStatus
from core.catalog.prices import refresh_price_ranges
from core.checkout import completion
from core.checkout import services as checkout
from core.checkout.pricing import price_checkout
from core.context import SYSTEM, Actor
from core.garments import assignment, fabrics, jobs, products, profiles, qc, rates
from core.garments.models import DefectSeverity, JobStage, ProductionJob
from core.garments.quote import GarmentRequest, OptionChoice
from core.orders import fulfilment
from core.orders import services as orders
from core.plugins import PluginHost
from core.settings import CheckoutSettings

DEMO_PASSWORD_ENV = "LINI_DEMO_PASSWORD"
CDN = "https://images.lini.example"
IDR_PER_MYR = Decimal(3600)


@dataclass(frozen=True)
class FabricSpec:
    sku: str
    name: str
    composition: str
    weight_gsm: int
    width_cm: int
    colour: str
    pattern: str
    price: str
    stock: str
    lead_days: int


PRIANGAN = (
    FabricSpec("WLF-HTM", "Wolfis Hitam", "100% polyester (wolfis)", 140, 150, "Hitam", "Polos", "38000", "420", 5),
    FabricSpec("WLF-SAGE", "Wolfis Sage", "100% polyester (wolfis)", 140, 150, "Hijau sage", "Polos", "38000", "6", 5),
    FabricSpec("CRT-BBD", "Ceruty Babydoll Mocca", "100% polyester (ceruty)", 95, 150, "Mocca", "Polos", "32000",
               "300", 7),
    FabricSpec("TYB-PTH", "Katun Toyobo Putih", "100% katun", 125, 115, "Putih", "Polos", "45000", "260", 10),
)  # fmt: skip
MELAYU = (
    FabricSpec("NDA-JET", "Nida Jetblack", "Polyester nida", 160, 150, "Jet black", "Polos", "14.50", "180", 14),
    FabricSpec("LIN-SND", "Linen Sand", "55% linen, 45% rayon", 170, 140, "Sand", "Polos", "22.00", "120", 21),
)  # fmt: skip


def _names(indonesian: str, english: str) -> dict[str, str]:
    return {"id": indonesian, "en": english}


def _prices(idr: str, myr: str) -> list[products.PriceInput]:
    return [products.PriceInput("IDR", idr), products.PriceInput("MYR", myr)]


BANDS = (
    products.SizeBandInput("S", "88"),
    products.SizeBandInput("M", "96"),
    products.SizeBandInput("L", "106"),
    products.SizeBandInput("XL", None),
)
SLEEVE = products.OptionGroupInput(
    "SLEEVE",
    names=_names("Lengan", "Sleeve"),
    required=True,
    values=(
        products.OptionValueInput("PANJANG", _names("Panjang", "Long")),
        products.OptionValueInput("TIGA_PEREMPAT", _names("Tiga perempat", "Three-quarter")),
    ),
)
EMBROIDERY = products.OptionGroupInput(
    "EMBROIDERY",
    kind="TEXT",
    names=_names("Bordir nama", "Embroidered name"),
    max_length=20,
    surcharges=_prices("25000", "8"),
)


def _gamis(fabric_ids: dict[str, int]) -> products.ConfigInput:
    return products.ConfigInput(
        garment_type="GAMIS",
        base_prices=_prices("350000", "110"),
        size_band_field="LINGKAR_BADAN",
        size_bands=BANDS,
        production_days=14,
        option_groups=(
            SLEEVE,
            products.OptionGroupInput(
                "CUFF",
                names=_names("Manset", "Cuff"),
                values=(
                    products.OptionValueInput("POLOS", _names("Polos", "Plain")),
                    products.OptionValueInput("KANCING", _names("Kancing", "Buttoned"), _prices("15000", "5")),
                    products.OptionValueInput("KARET", _names("Karet", "Elastic"), _prices("10000", "3")),
                ),
            ),
            products.OptionGroupInput(
                "POCKET",
                kind="MULTIPLE",
                names=_names("Saku", "Pockets"),
                values=(
                    products.OptionValueInput("SAMPING", _names("Saku samping", "Side pockets"), _prices("10000", "3")),
                    products.OptionValueInput("DADA", _names("Saku dada", "Chest pocket"), _prices("12500", "4")),
                ),
            ),
            EMBROIDERY,
        ),
        fabrics=tuple(
            products.FabricInput(fabric_ids[sku], {"S": "2.50", "M": "2.75", "L": "3.00", "XL": "3.25"})
            for sku in ("WLF-HTM", "WLF-SAGE", "CRT-BBD", "LIN-SND")
        ),
    )  # fmt: skip


def _abaya(fabric_ids: dict[str, int]) -> products.ConfigInput:
    return products.ConfigInput(
        garment_type="ABAYA",
        base_prices=_prices("450000", "140"),
        size_band_field="LINGKAR_BADAN",
        size_bands=BANDS,
        production_days=18,
        option_groups=(
            SLEEVE,
            products.OptionGroupInput(
                "LINING",
                names=_names("Furing", "Lining"),
                required=True,
                values=(
                    products.OptionValueInput("TANPA", _names("Tanpa furing", "Unlined")),
                    products.OptionValueInput("PENUH", _names("Furing penuh", "Fully lined"), _prices("60000", "19")),
                ),
            ),
            EMBROIDERY,
        ),
        fabrics=tuple(
            products.FabricInput(fabric_ids[sku], {"S": "3.00", "M": "3.25", "L": "3.50", "XL": "3.75"})
            for sku in ("NDA-JET", "WLF-HTM")
        ),
    )


def _koko(garment: str, fabric_ids: dict[str, int]) -> products.ConfigInput:
    return products.ConfigInput(
        garment_type=garment,
        base_prices=_prices("220000", "68") if garment == "BAJU_KOKO" else _prices("240000", "75"),
        size_band_field="LINGKAR_BADAN",
        size_bands=(
            products.SizeBandInput("M", "100"),
            products.SizeBandInput("L", "112"),
            products.SizeBandInput("XL", None),
        ),
        production_days=10,
        option_groups=(
            products.OptionGroupInput(
                "COLLAR",
                names=_names("Kerah", "Collar"),
                required=True,
                values=(
                    products.OptionValueInput("SHANGHAI", _names("Shanghai", "Mandarin")),
                    products.OptionValueInput("KEMEJA", _names("Kerah kemeja", "Shirt collar"), _prices("15000", "5")),
                ),
            ),
            products.OptionGroupInput(
                "SLEEVE",
                names=_names("Lengan", "Sleeve"),
                required=True,
                values=(
                    products.OptionValueInput("PANJANG", _names("Panjang", "Long"), _prices("10000", "3")),
                    products.OptionValueInput("PENDEK", _names("Pendek", "Short")),
                ),
            ),
            products.OptionGroupInput(
                "POCKET",
                names=_names("Saku dada", "Chest pocket"),
                values=(products.OptionValueInput("DADA", _names("Saku dada", "Chest pocket"), _prices("12500", "4")),),
            ),
            EMBROIDERY,
        ),
        fabrics=tuple(
            products.FabricInput(fabric_ids[sku], {"M": "1.80", "L": "2.00", "XL": "2.20"})
            for sku in ("TYB-PTH", "LIN-SND")
        ),
    )  # fmt: skip


PRODUCTS = {
    "sekar-modest": (
        ("gamis-made-to-measure-aisyah", "Gamis Jahit Ukur Aisyah", "Made-to-measure Aisyah gamis", "gamis", _gamis),
        ("abaya-made-to-measure-madinah", "Abaya Jahit Ukur Madinah", "Made-to-measure Madinah abaya", "abaya", _abaya),
    ),
    "koko-nusantara": (
        ("koko-made-to-measure-hasan", "Baju Koko Jahit Ukur Hasan", "Made-to-measure Hasan baju koko", "baju-koko",
         lambda ids: _koko("BAJU_KOKO", ids)),
        ("kemeja-made-to-measure-umar", "Kemeja Jahit Ukur Umar", "Made-to-measure Umar shirt", "baju-koko",
         lambda ids: _koko("SHIRT", ids)),
    ),
}  # fmt: skip

SITI_GAMIS = [
    ("LINGKAR_BADAN", "94"),
    ("LINGKAR_PINGGANG", "78"),
    ("LINGKAR_PANGGUL", "102"),
    ("LEBAR_BAHU", "38"),
    ("PANJANG_LENGAN", "56"),
    ("LINGKAR_LENGAN", "30"),
    ("PANJANG_BAJU", "138"),
]
ADDRESS = {
    "first_name": "Siti",
    "last_name": "Rahmawati",
    "street1": "Jl. Cihampelas No. 12",
    "city": "Bandung",
    "province": "Jawa Barat",
    "postal_code": "40131",
    "country": "ID",
    "phone": "0812 2345 6789",
}
# Where each demo order's garment stands; the first waits for its bank transfer, the two queued ones for the
# dispatcher's offer (tailor_dispatch, on `make run`).
STAGES = ("UNPAID", "QUEUED", "QUEUED", "ASSIGNED", "SEWING", "ALTERATION", "READY", "SHIPPED")
# Who makes each garment past the queue: several tailors, so their records (QC, on time) differ for dispatch.
MAKERS = {"ASSIGNED": "berkah", "SEWING": "sinar", "ALTERATION": "cipta", "READY": "berkah", "SHIPPED": "sri"}


@dataclass(frozen=True)
class Makers:
    """The demo's suppliers (with their fabrics), tailors and exchange rate, and the accounts' password."""

    password: str
    hashed: str
    fabric_ids: dict[str, int]
    tailors: dict[str, tuple[Tailor, Actor]]


async def seed_makers() -> Makers:
    """The suppliers, their fabrics and the tailors: written before the plugins' `seed_demo` hook, inside its
    transaction, so a plugin's demo can trade with them (purchase orders, catalog feeds)."""
    password = os.environ.get(DEMO_PASSWORD_ENV) or secrets.token_urlsafe(9)
    hashed = hash_password(password, time_cost=2, memory_kib=19456)
    await rates.set_rate(SYSTEM, base="MYR", quote="IDR", rate=IDR_PER_MYR)
    fabric_ids = {
        **await _supplier(hashed, "priangan@demo.lini.id", "PT Tekstil Priangan", "ID", "Bandung", PRIANGAN),
        **await _supplier(hashed, "melayu@demo.lini.id", "Kain Melayu Sdn Bhd", "MY", "Kuala Lumpur", MELAYU, "MYR"),
    }
    return Makers(password=password, hashed=hashed, fabric_ids=fabric_ids, tailors=await _tailors(hashed))


async def seed(
    brands: list[Brand], host: PluginHost | None, makers: Makers | None = None
) -> tuple[list[int], int, str]:
    """Returns the ids of the products made, the number of orders placed and the demo accounts' password."""
    makers = makers or await seed_makers()
    password, hashed, fabric_ids, tailors = makers.password, makers.hashed, makers.fabric_ids, makers.tailors
    by_slug = {b.slug: b for b in brands}
    made: list[int] = []
    staff: dict[str, Actor] = {}
    for slug, specs in PRODUCTS.items():
        brand = by_slug.get(slug)
        if brand is None:
            continue
        staff[slug] = await _owner(hashed, brand)
        for product_slug, name, english, category, config in specs:
            made.append(await _product(staff[slug], brand, product_slug, name, english, category, config(fabric_ids)))
    await refresh_price_ranges(made)
    customer = await _user(hashed, "siti@demo.lini.id", "Siti Rahmawati")
    sekar = by_slug.get("sekar-modest")
    placed = 0
    if sekar is not None and host is not None and _can_order(host):
        actor = await actor_for_user(customer)
        profile, _ = await profiles.create_profile(
            actor,
            garment_type="GAMIS",
            brand_id=sekar.id,
            name="Gamis harian",
            values=[(code, Decimal(cm)) for code, cm in SITI_GAMIS],
            notes="Longgar.",
        )
        await BrandPluginConfig.create(
            brand_id=sekar.id,
            plugin="bank_transfer",
            config={
                "bank_name": "Bank Syariah Indonesia",
                "account_number": "7123 4567 89",
                "account_holder": sekar.name,
            },
        )
        gamis = await Product.get(brand_id=sekar.id, slug=PRODUCTS["sekar-modest"][0][0])
        for index, stage in enumerate(STAGES):
            await _order_at(
                stage, actor, staff["sekar-modest"], sekar, host, gamis.id, fabric_ids, profile.id, tailors, index
            )
            placed += 1
    return made, placed, password


def _can_order(host: PluginHost) -> bool:
    gateway_ids = {getattr(g, "id", "") for g in host.collect("payment_gateways")}
    return "bank_transfer" in gateway_ids and bool(host.collect("shipping_providers"))


async def _user(hashed: str, email: str, full_name: str) -> User:
    return await User.create(email=email, password_hash=hashed, full_name=full_name)


async def _owner(hashed: str, brand: Brand) -> Actor:
    user = await _user(hashed, f"owner@{brand.slug}.demo.lini.id", f"Pemilik {brand.name}")
    await StaffMember.create(brand_id=brand.id, user_id=user.id, role=StaffRole.OWNER)
    return await actor_for_user(user)


async def _supplier(
    hashed: str,
    email: str,
    name: str,
    country: str,
    city: str,
    specs: tuple[FabricSpec, ...],
    currency: str = "IDR",
) -> dict[str, int]:
    user = await _user(hashed, email, name)
    await Supplier.create(
        user_id=user.id,
        status=ActorStatus.APPROVED,
        legal_name=name,
        country=country,
        city=city,
        contact_name=name,
        contact_email=email,
        supplies=["FABRIC"],
    )
    actor = await actor_for_user(user)
    made: dict[str, int] = {}
    for spec in specs:
        fabric = await fabrics.create_fabric(
            actor,
            {
                "sku": spec.sku,
                "name": spec.name,
                "composition": spec.composition,
                "weight_gsm": spec.weight_gsm,
                "width_cm": spec.width_cm,
                "colour": spec.colour,
                "pattern": spec.pattern,
                "price_per_metre": Decimal(spec.price),
                "currency": currency,
                "stock_metres": Decimal(spec.stock),
                "min_order_metres": Decimal(1),
                "lead_time_days": spec.lead_days,
                "images": [f"{CDN}/fabrics/{spec.sku.lower()}.jpg"],
            },
        )
        made[spec.sku] = fabric.id
    return made


TAILORS = (
    # email, name, kind, city, province, garment types, capacity, certificate valid until (days from today)
    ("berkah@demo.lini.id", "Konveksi Berkah Cimahi", TailorKind.WORKSHOP, "Cimahi", "Jawa Barat",
     ["GAMIS", "ABAYA", "TUNIK", "MUKENA"], 12, 800),
    ("darto@demo.lini.id", "Pak Darto Tailor", TailorKind.INDIVIDUAL, "Jakarta Selatan", "DKI Jakarta",
     ["BAJU_KOKO", "SHIRT", "TROUSERS"], 3, 400),
    ("ratna@demo.lini.id", "Bu Ratna Kebaya", TailorKind.INDIVIDUAL, "Yogyakarta", "DI Yogyakarta",
     ["KEBAYA", "GAMIS"], 2, -30),  # her certificate has lapsed: she cannot be assigned until it is renewed
    # Around Bandung, Jakarta, Solo and Kuala Lumpur, for dispatch: varied certificates (one lapsing before a
    # two-week job is due, one still pending review), capacities, lead times, and a Malaysian workshop.
    ("sinar@demo.lini.id", "Konveksi Sinar Bandung", TailorKind.WORKSHOP, "Bandung", "Jawa Barat",
     ["GAMIS", "TUNIK", "HIJAB"], 10, 900),
    ("neng@demo.lini.id", "Neng Euis Jahit", TailorKind.INDIVIDUAL, "Bandung", "Jawa Barat",
     ["GAMIS", "KEBAYA"], 2, 5),  # lapses in five days: fine for staff today, not for a dispatched job
    ("cipta@demo.lini.id", "Cipta Busana Tebet", TailorKind.WORKSHOP, "Jakarta Selatan", "DKI Jakarta",
     ["GAMIS", "ABAYA", "DRESS"], 8, 600),
    ("bang@demo.lini.id", "Bang Ucok Tailor", TailorKind.INDIVIDUAL, "Jakarta Timur", "DKI Jakarta",
     ["BAJU_KOKO", "SHIRT"], 3, 300),
    ("laweyan@demo.lini.id", "Batik Laweyan Jahit", TailorKind.WORKSHOP, "Surakarta", "Jawa Tengah",
     ["KEBAYA", "BAJU_KOKO", "SHIRT"], 6, 700),
    ("sri@demo.lini.id", "Bu Sri Solo", TailorKind.INDIVIDUAL, "Surakarta", "Jawa Tengah",
     ["GAMIS", "MUKENA"], 2, 500),
    ("kampung@demo.lini.id", "Jahitan Kampung Baru", TailorKind.WORKSHOP, "Kuala Lumpur", "Wilayah Persekutuan",
     ["BAJU_KOKO", "GAMIS", "ABAYA"], 7, 650),
    ("aminah@demo.lini.id", "Puan Aminah Tailor", TailorKind.INDIVIDUAL, "Kuala Lumpur", "Wilayah Persekutuan",
     ["KEBAYA", "GAMIS"], 3, 450),
    ("depok@demo.lini.id", "Rumah Jahit Depok", TailorKind.INDIVIDUAL, "Depok", "Jawa Barat",
     ["GAMIS", "TUNIK"], 4, None),  # its certificate waits for review: not offered work yet
)  # fmt: skip
# Where each tailor is (latitude, longitude, country, lead time in days), for dispatch's distance and lead time.
PLACES = {
    "berkah": ("-6.872", "107.542", "ID", 7),
    "darto": ("-6.261", "106.810", "ID", 7),
    "ratna": ("-7.797", "110.370", "ID", 7),
    "sinar": ("-6.914", "107.609", "ID", 5),
    "neng": ("-6.903", "107.641", "ID", 6),
    "cipta": ("-6.226", "106.858", "ID", 6),
    "bang": ("-6.225", "106.900", "ID", 4),
    "laweyan": ("-7.573", "110.801", "ID", 8),
    "sri": ("-7.566", "110.828", "ID", 10),
    "kampung": ("3.166", "101.700", "MY", 9),
    "aminah": ("3.139", "101.686", "MY", 12),
    "depok": ("-6.402", "106.794", "ID", 5),
}


async def _tailors(hashed: str) -> dict[str, tuple[Tailor, Actor]]:
    made: dict[str, tuple[Tailor, Actor]] = {}
    today = date.today()
    for number, (email, name, kind, city, province, garments, capacity, valid_days) in enumerate(TAILORS, start=1):
        user = await _user(hashed, email, name)
        latitude, longitude, country, lead_time = PLACES[email.split("@")[0]]
        tailor = await Tailor.create(
            user_id=user.id,
            status=ActorStatus.APPROVED,
            kind=kind,
            display_name=name,
            city=city,
            province=province,
            country=country,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            garment_types=garments,
            capacity=capacity,
            lead_time_days=lead_time,
        )
        valid_until = today + timedelta(days=valid_days if valid_days is not None else 900)
        await Certification.create(
            tailor_id=tailor.id,
            scheme="SKKNI Garmen Apparel (Kepmenaker 2019)",
            kkni_level=3,
            competency_units=[
                {"code": "C.14GAR02.011.1", "title": "Memotong bahan"},
                {"code": "C.14GAR02.021.1", "title": "Menjahit pakaian dengan mesin"},
            ],
            certificate_number=f"LSP-GAR/DEMO/{today.year}/{number:04d}",
            lsp="LSP Garmen Indonesia",
            issued_on=valid_until - timedelta(days=3 * 365),
            valid_until=valid_until,
            status=CertificationStatus.VERIFIED if valid_days is not None else CertificationStatus.PENDING,
        )
        made[email.split("@")[0]] = (tailor, await actor_for_user(user))
    return made


async def _product(
    staff: Actor, brand: Brand, slug: str, name: str, english: str, category: str, config: products.ConfigInput
) -> int:
    category_row = await Category.filter(brand_id=brand.id, slug=category).first()
    product = await Product.create(
        brand_id=brand.id,
        category_id=category_row.id if category_row else None,
        slug=slug,
        name=name,
        description="Dijahit sesuai ukuran badan Anda oleh penjahit bersertifikat SKKNI.",
        made_to_measure=True,
        status=ProductStatus.PUBLISHED,
        translations={"en": {"name": english, "description": "Sewn to your measurements by a certified tailor."}},
    )
    await ProductMedia.create(product_id=product.id, url=f"{CDN}/{brand.slug}/{slug}.jpg", alt=name, position=0)
    await products.configure(staff, product.id, config)
    return product.id


async def _order_at(
    stage: str,
    customer: Actor,
    staff: Actor,
    brand: Brand,
    host: PluginHost,
    product_id: int,
    fabric_ids: dict[str, int],
    profile_id: int,
    tailors: dict[str, tuple[Tailor, Actor]],
    index: int,
) -> None:
    """Place one gamis order through the checkout and move its garment to `stage` through production."""
    limits = CheckoutSettings()
    cart = await checkout.create(customer, brand, limits, currency="IDR")
    request = GarmentRequest(
        product_id=product_id,
        fabric_id=fabric_ids["WLF-HTM" if index % 2 else "CRT-BBD"],
        options=(
            OptionChoice("SLEEVE", ("PANJANG",)),
            OptionChoice("CUFF", ("KARET",)),
            OptionChoice("POCKET", ("SAMPING",)),
            *((OptionChoice("EMBROIDERY", text="Siti R."),) if index == 3 else ()),
        ),
        measurement_profile_id=profile_id,
    )
    await checkout.custom_garment_add(customer, brand, cart.token, request, limits, host)
    await checkout.shipping_address_update(customer, brand, cart.token, ADDRESS, limits)
    pricing = await price_checkout(await checkout.open_for_change(customer, brand, cart.token), host, brand=brand)
    await checkout.delivery_method_update(customer, brand, cart.token, pricing.shipping_methods[0].id, limits, host)
    payment = await completion.payment_create(customer, brand, cart.token, "bank_transfer", host)
    placed = await completion.complete(customer, brand, cart.token, f"demo-{index}", host)
    if stage == "UNPAID":
        return
    await orders.payment_mark_received(payment.id, staff, host=host)
    job = await ProductionJob.filter(order_id=placed.order.id).order_by("id").first()
    assert job is not None
    tailor, tailor_actor = tailors[MAKERS.get(stage, "berkah")]
    path = _path_to(stage)
    for step in path:
        if step == JobStage.ASSIGNED:
            await assignment.assign(staff, job.id, tailor.id, note=f"Dikerjakan oleh {tailor.display_name}.")
        elif step in (JobStage.READY, JobStage.ALTERATION):
            passed = step == JobStage.READY
            await qc.report(
                staff,
                job.id,
                qc.Report(
                    passed=passed,
                    checklist=(
                        qc.ChecklistItem("UKURAN", passed),
                        qc.ChecklistItem("JAHITAN", True),
                        qc.ChecklistItem("KERAPIAN", True),
                    ),
                    defects=() if passed else (qc.Defect("PANJANG_BAJU_KURANG", DefectSeverity.MAJOR, "Kurang 2 cm"),),
                    outcome=None if passed else JobStage.ALTERATION,
                ),
                note="Lolos pemeriksaan mutu." if passed else "Panjang baju disesuaikan.",
                host=host,
            )
        elif step == JobStage.SHIPPED:  # a garment ships with its order line
            await fulfilment.shipment_create(
                staff,
                placed.order.id,
                host=host,
                carrier="JNE",
                tracking_number=f"JNE{placed.order.number:010d}",
                lines=[fulfilment.ShipmentItem(job.order_line_id, 1)],
            )
        else:
            await jobs.advance(tailor_actor, job.id, step, host=host)


def _path_to(stage: str) -> list[JobStage]:
    making = [JobStage.ASSIGNED, JobStage.ACCEPTED, JobStage.CUTTING, JobStage.SEWING, JobStage.FINISHING]
    qc_round = [JobStage.QUALITY_CHECK]
    full = [*making, *qc_round, JobStage.READY, JobStage.SHIPPED]
    if stage == "ALTERATION":
        return [*making, *qc_round, JobStage.ALTERATION]
    if stage == "QUEUED":
        return []
    return full[: full.index(JobStage(stage)) + 1]
