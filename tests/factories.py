"""Building test data straight through the models, with sensible defaults."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import count

from core.actors.models import Brand, BrandStatus, StaffMember, StaffRole
from core.auth import tokens
from core.auth.models import User
from core.auth.passwords import hash_password
from core.catalog import search
from core.catalog.models import Product, ProductStatus, Variant, VariantPrice

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
    **fields: object,
) -> Product:
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
