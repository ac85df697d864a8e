"""Demo purchase orders (`make run`): the demo brands buy from the demo suppliers, one order in each state a
buyer meets first — submitted, proposed, confirmed, shipped, received, rejected — placed and moved through the
same services the API calls, so stock, history and events are what they would be."""

from __future__ import annotations

from decimal import Decimal

from lini.plugin import SYSTEM, Actor, Brand, Fabric, FabricStatus, Permission, Supplier
from plugins.supplier_catalogs import orders
from plugins.supplier_catalogs.order_models import MaterialKind, SupplierOrder

USER = type(SYSTEM.kind)("USER")  # the demo acts as the brands' staff and the suppliers' people would
SCRIPTS = (
    (),
    ("propose",),
    ("confirm",),
    ("confirm", "ship"),
    ("confirm", "ship", "receive"),
    ("reject",),
)


async def seed(brands: list[Brand]) -> None:
    suppliers = list(await Supplier.filter(status="APPROVED").order_by("id"))
    for brand, supplier in zip(brands, suppliers, strict=False):
        well_stocked = Fabric.filter(supplier_id=supplier.id, status=FabricStatus.ACTIVE, stock_metres__gte=100)
        fabrics = list(await well_stocked.order_by("id").limit(2))
        if not fabrics:
            continue
        buyer = Actor(kind=USER, user_id=0, brand_permissions={brand.id: frozenset({Permission.MANAGE_ORDERS})})
        seller = Actor(kind=USER, user_id=supplier.user_id, supplier_ids=frozenset({supplier.id}))
        for index, steps in enumerate(SCRIPTS):
            order = await _place(buyer, brand, supplier, fabrics, index)
            for step in steps:
                await _step(step, order, seller, buyer)


async def _place(buyer: Actor, brand: Brand, supplier: Supplier, fabrics: list[Fabric], index: int) -> SupplierOrder:
    lines = [
        orders.LineRequest(MaterialKind.FABRIC, fabric.id, max(Decimal(fabric.min_order_metres), Decimal(10 + index)))
        for fabric in fabrics
    ]
    address = {"name": brand.name, "line1": "Jl. Cihampelas No. 12", "city": "Bandung", "country": "ID",
               "phone": "+62 22 1234567"}  # fmt: skip
    request = orders.OrderRequest(
        supplier_id=supplier.id, lines=lines, delivery_address=address, note="Untuk koleksi Lebaran.", brand=brand.slug
    )
    return await orders.create(buyer, request, default_currency=brand.default_currency)


async def _step(step: str, order: SupplierOrder, seller: Actor, buyer: Actor) -> None:
    if step == "confirm":
        await orders.confirm(seller, order.id)
    elif step == "ship":
        await orders.ship(seller, order.id, carrier="JNE", tracking_number=f"JNE{order.id:010d}", tracking_url="")
    elif step == "receive":
        await orders.receive(buyer, order.id)
    elif step == "reject":
        await orders.reject(seller, order.id, "Warna ini sedang tidak diproduksi.")
    elif step == "propose":
        first = (await orders.ordered_lines(order.id))[0]
        await orders.propose(seller, order.id, {first.id: Decimal(first.quantity) / 2}, "Sisa stok kami.")
