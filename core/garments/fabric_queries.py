"""Who sees which fabric, and the fabrics a page shows, read in a fixed number of queries.

Brands' staff, storefronts and anyone browsing see the ACTIVE fabrics of APPROVED suppliers (the catalogue);
a supplier sees its own in every status, archived too, whatever its own status (they stay its fabrics);
platform administrators see every fabric by ID. A fabric someone may not see is left out exactly as a missing
one is, so IDs cannot be probed. A made-to-measure product narrows the catalogue to the fabrics it allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from core.actors.models import ActorStatus, Supplier
from core.catalog.models import Product
from core.context import Actor
from core.errors import DomainError, PermissionDenied
from core.garments.models import Fabric, FabricPrice, FabricStatus, ProductFabric


def available() -> QuerySet[Fabric]:
    """Fabrics a brand may use: ACTIVE, from a supplier the platform has APPROVED (and not since suspended)."""
    return Fabric.filter(status=FabricStatus.ACTIVE, supplier__status=ActorStatus.APPROVED)


def can_view(actor: Actor, fabric: Fabric, supplier_status: str) -> bool:
    """The supplier's own, any fabric for platform administrators, the catalogue's for everyone."""
    return (
        fabric.supplier_id in actor.supplier_ids
        or actor.is_platform_admin
        or (fabric.status == FabricStatus.ACTIVE and supplier_status == ActorStatus.APPROVED)
    )


def catalogue(
    *,
    search: str | None = None,
    supplier_id: int | None = None,
    colour: str | None = None,
    pattern: str | None = None,
    in_stock: bool | None = None,
) -> QuerySet[Fabric]:
    """The fabrics brands and storefronts browse."""
    queryset = _searched(available(), search)
    if supplier_id is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    return refined(queryset, colour=colour, pattern=pattern, in_stock=in_stock)


def own(actor: Actor, *, status: FabricStatus | None = None, search: str | None = None) -> QuerySet[Fabric]:
    """The caller's suppliers' fabrics, archived ones too (whatever the supplier's status: they stay theirs)."""
    actor.require_user()
    if not actor.supplier_ids:
        raise PermissionDenied("Only a supplier has fabrics of its own.", authenticated=True)
    queryset = _searched(Fabric.filter(supplier_id__in=list(actor.supplier_ids)), search)
    return queryset.filter(status=status) if status else queryset


def listing(
    actor: Actor,
    *,
    mine: bool = False,
    status: FabricStatus | None = None,
    search: str | None = None,
    supplier_id: int | None = None,
    colour: str | None = None,
    pattern: str | None = None,
    in_stock: bool | None = None,
) -> QuerySet[Fabric]:
    """The caller's own fabrics (`mine`, any status) or the catalogue (ACTIVE only), filtered alike."""
    if mine:
        queryset = own(actor, status=status, search=search)
        if supplier_id is not None:
            queryset = queryset.filter(supplier_id=supplier_id)
        return refined(queryset, colour=colour, pattern=pattern, in_stock=in_stock)
    if status not in (None, FabricStatus.ACTIVE):
        raise DomainError("INVALID_FILTER", "Only a supplier's own list shows other statuses.", "filter.status")
    return catalogue(search=search, supplier_id=supplier_id, colour=colour, pattern=pattern, in_stock=in_stock)


def refined(
    queryset: QuerySet[Fabric], *, colour: str | None, pattern: str | None, in_stock: bool | None
) -> QuerySet[Fabric]:
    """Narrowed by colour and pattern (whatever their case) and by whether any metres are on hand."""
    if colour:
        queryset = queryset.filter(colour__iexact=colour.strip())
    if pattern:
        queryset = queryset.filter(pattern__iexact=pattern.strip())
    if in_stock is True:
        queryset = queryset.filter(stock_metres__gt=0)
    elif in_stock is False:
        queryset = queryset.filter(stock_metres__lte=0)
    return queryset


async def allowed_by_product(queryset: QuerySet[Fabric], *, brand_id: int, product_id: int) -> QuerySet[Fabric]:
    """Only the fabrics this storefront's product may be cut from; another brand's product is NOT_FOUND."""
    product = await Product.get_or_none(id=product_id, brand_id=brand_id)
    if product is None:
        raise DomainError("NOT_FOUND", "There is no such product in this storefront.", "productId")
    allowed = Subquery(ProductFabric.filter(product_id=product.id).values("fabric_id"))
    return queryset.filter(id__in=allowed)


async def visible_fabrics(actor: Actor, fabric_ids: Iterable[int]) -> dict[int, Fabric]:
    """The fabrics of `fabric_ids` the actor may see, by id, their suppliers loaded, in one query."""
    rows = await Fabric.filter(id__in=list(fabric_ids)).select_related("supplier")
    return {row.id: row for row in rows if can_view(actor, row, row.supplier.status)}


async def supplier_names(fabrics: Sequence[Fabric]) -> dict[int, str]:
    """Each fabric's supplier's legal name by supplier id, in one query."""
    supplier_ids = list({row.supplier_id for row in fabrics})
    return dict(await Supplier.filter(id__in=supplier_ids).values_list("id", "legal_name"))


async def price_histories(fabric_ids: Sequence[int]) -> dict[int, list[FabricPrice]]:
    """Each fabric's prices, oldest first, in one query."""
    grouped: dict[int, list[FabricPrice]] = {fabric_id: [] for fabric_id in fabric_ids}
    for row in await FabricPrice.filter(fabric_id__in=list(fabric_ids)).order_by("created_at", "id"):
        grouped[row.fabric_id].append(row)
    return grouped


def _searched(queryset: QuerySet[Fabric], search: str | None) -> QuerySet[Fabric]:
    text = (search or "").strip()
    if not text:
        return queryset
    if len(text) > 200:
        raise DomainError("INVALID_FILTER", "A search is at most 200 characters.", "filter.search")
    return queryset.filter(Q(name__icontains=text) | Q(sku__icontains=text) | Q(composition__icontains=text))
