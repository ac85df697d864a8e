"""Building test data straight through the models, with sensible defaults."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count

from core.actors.models import Brand, BrandStatus, StaffMember, StaffRole
from core.auth import tokens
from core.auth.models import User
from core.auth.passwords import hash_password
from core.catalog import search
from core.catalog.models import Product, ProductStatus, Stock, Variant, VariantPrice
from core.customs.models import CustomsData
from core.money import quantize
from core.orders.models import Order, OrderLine, OrderStatus, PaymentStatus
from core.payments.models import Payment, PaymentState

_seq = count(1)
PASSWORD = "kain-tenun-2026"


async def make_user(email: str = "", *, admin: bool = False, password: str = PASSWORD, **fields: object) -> User:
    email = email or f"user{next(_seq)}@example.id"
    hashed = hash_password(password, time_cost=1, memory_kib=8)
    return await User.create(email=email, password_hash=hashed, is_platform_admin=admin, **fields)


def access_token(user: User) -> str:
    """An access token signed with the development key (what the test settings use)."""
    token, _ = tokens.issue(
        tokens.DEVELOPMENT_KEY,
        user_id=user.id,
        kind="access",
        version=user.token_version,
        lifetime=timedelta(minutes=5),
    )
    return token


async def make_staff(brand: Brand, role: StaffRole = StaffRole.OWNER, email: str = "") -> tuple[User, str]:
    """A user working for `brand` with `role`, and an access token for them."""
    user = await make_user(email)
    await StaffMember.create(brand=brand, user=user, role=role)
    return user, access_token(user)


async def make_admin() -> tuple[User, str]:
    user = await make_user(admin=True)
    return user, access_token(user)


async def make_brand(slug: str = "", *, status: BrandStatus = BrandStatus.APPROVED, **fields: object) -> Brand:
    slug = slug or f"brand-{next(_seq)}"
    defaults: dict[str, object] = {
        "name": slug.replace("-", " ").title(),
        "default_currency": "IDR",
        "currencies": ["IDR", "MYR"],
        "languages": ["id", "en"],
        "ships_to": ["ID", "MY"],
    }
    return await Brand.create(slug=slug, status=status, **{**defaults, **fields})


async def make_product(
    brand: Brand,
    name: str,
    *,
    prices: dict[str, str] | None = None,
    sizes: tuple[str, ...] = ("M", "L"),
    status: ProductStatus = ProductStatus.PUBLISHED,
    customs: bool = True,
    **fields: object,
) -> Product:
    """With `customs` (the default) the product can ship abroad: it has a complete customs declaration."""
    n = next(_seq)
    product = await Product.create(
        brand=brand,
        name=name,
        slug=fields.pop("slug", f"{name.lower().replace(' ', '-')}-{n}"),
        status=status,
        **fields,
    )
    for position, size in enumerate(sizes):
        variant = await Variant.create(
            brand=brand, product=product, sku=f"SKU-{n}-{size}", size=size, colour="Hitam", position=position
        )
        for currency, amount in (prices or {"IDR": "150000"}).items():
            await VariantPrice.create(variant=variant, currency=currency, amount=Decimal(amount))
    if customs:
        await CustomsData.create(
            brand=brand,
            product=product,
            hs_code="620443",
            description="Women's woven dress of polyester",
            origin_country="ID",
            composition=[{"material": "polyester", "percent": "100"}],
        )
    await search.reindex([product.id])
    return product


async def make_catalog(brand: Brand, size: int, *, prefix: str = "Gamis") -> list[Product]:
    """`size` products with two variants each, priced in IDR and MYR, bulk-inserted."""
    products = [
        Product(brand=brand, name=f"{prefix} {i:04d}", slug=f"{prefix.lower()}-{i:04d}", status=ProductStatus.PUBLISHED)
        for i in range(size)
    ]
    await Product.bulk_create(products)
    saved = await Product.filter(brand=brand, name__startswith=prefix).order_by("id")
    variants = [
        Variant(brand=brand, product=p, sku=f"{prefix[:3].upper()}-{p.id}-{s}", size=s, colour="Sage", position=j)
        for p in saved
        for j, s in enumerate(("M", "L"))
    ]
    await Variant.bulk_create(variants)
    stored = await Variant.filter(brand=brand, product_id__in=[p.id for p in saved])
    await VariantPrice.bulk_create(
        [
            VariantPrice(variant=v, currency=c, amount=Decimal(a))
            for v in stored
            for c, a in (("IDR", "199000"), ("MYR", "55"))
        ]
    )
    await search.reindex(p.id for p in saved)
    return saved


async def make_order(
    brand: Brand,
    *,
    user: User | None = None,
    email: str = "",
    quantities: tuple[int, ...] = (2, 1),
    price: str = "150000",
    shipping: str = "20000",
    stock: int = 10,
    paid: bool = False,
    status: str | None = None,
    payment_due_at: datetime | None = None,
    gateway: str = "bank_transfer",
) -> Order:
    """An order as checkout completion leaves it (rows inserted directly): one line per quantity, each a
    variant of one product with `stock` units left on hand, PPN 11% included, and one bank-transfer payment
    (SUCCEEDED and the order PAID when `paid`, else ACTION_REQUIRED and UNPAID)."""
    currency = brand.default_currency
    product = await make_product(
        brand, "Gamis Order", prices={currency: price}, sizes=tuple(f"S{i}" for i in range(len(quantities)))
    )
    variants = await Variant.filter(product_id=product.id).order_by("position")
    unit = Decimal(price)
    unit_tax = quantize(unit * 11 / 111, currency)
    subtotal = unit * sum(quantities)
    total = subtotal + Decimal(shipping)
    number = await Order.filter(brand_id=brand.id).count() + 1
    order = await Order.create(
        brand=brand,
        number=number,
        user=user,
        email=email or (user.email if user else f"buyer{next(_seq)}@example.id"),
        status=status or (OrderStatus.PAID if paid else OrderStatus.UNPAID),
        payment_status=PaymentStatus.PAID if paid else PaymentStatus.PENDING,
        currency=currency,
        shipping_address={"first_name": "Siti", "city": "Bandung", "country": "ID"},
        delivery_method_name="JNE REG",
        subtotal_amount=subtotal,
        shipping_amount=Decimal(shipping),
        tax_amount=unit_tax * sum(quantities),
        total_amount=total,
        paid_amount=total if paid else Decimal(0),
        payment_due_at=payment_due_at,
    )
    for position, (variant, quantity) in enumerate(zip(variants, quantities, strict=True)):
        await Stock.create(variant=variant, quantity=stock)
        await OrderLine.create(
            order=order,
            variant=variant,
            product_id=product.id,
            product_name=product.name,
            variant_name=variant.size,
            sku=variant.sku,
            quantity=quantity,
            unit_price_gross=unit,
            unit_price_net=unit - unit_tax,
            tax_rate=Decimal("0.11"),
            tax_amount=unit_tax * quantity,
            total_amount=unit * quantity,
            position=position,
        )
    await Payment.create(
        brand=brand,
        order=order,
        gateway=gateway,
        state=PaymentState.SUCCEEDED if paid else PaymentState.ACTION_REQUIRED,
        amount=total,
        currency=currency,
        captured_amount=total if paid else Decimal(0),
        psp_reference=f"REF-{order.id}-{next(_seq)}",
    )
    return order
