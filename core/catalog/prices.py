"""Keeping each product's price range per currency (`ProductPrice`) in step with its variants' prices.

Sorting and filtering a catalog by price needs one indexed number per product and currency; computing it
from variants at query time would turn every catalog page into a join over all variants.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from core.catalog.models import ProductPrice, Variant, VariantPrice


async def refresh_price_ranges(product_ids: Iterable[int]) -> None:
    """Recompute `ProductPrice` rows for these products; call in the transaction that changed the prices."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    variant_products = dict(await Variant.filter(product_id__in=ids).values_list("id", "product_id"))
    ranges: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for variant_id, currency, amount in await VariantPrice.filter(variant_id__in=list(variant_products)).values_list(
        "variant_id", "currency", "amount"
    ):
        ranges[(variant_products[variant_id], currency)].append(Decimal(amount))
    await ProductPrice.filter(product_id__in=ids).delete()
    await ProductPrice.bulk_create(
        [
            ProductPrice(product_id=product_id, currency=currency, min_amount=min(amounts), max_amount=max(amounts))
            for (product_id, currency), amounts in sorted(ranges.items())
        ]
    )
