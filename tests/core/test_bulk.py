"""Core's bulk writers (`insert_rows`, `upsert_rows`, through lini.plugin): rows as the ORM would store them, in
batches, with ids returned from the statement that wrote them and clashes on a unique key skipped or updated,
on both engines; a rolled-back transaction keeps none of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

import lini.plugin
from core.actors.models import ActorStatus, Supplier
from core.bulk import insert_rows, upsert_rows
from core.garments.models import Fabric, FabricStatus
from tests.factories import make_user


@pytest.mark.engine_independent
def test_the_plugin_api_exports_them() -> None:
    assert lini.plugin.insert_rows is insert_rows
    assert lini.plugin.upsert_rows is upsert_rows


async def a_supplier() -> Supplier:
    user = await make_user()
    return await Supplier.create(
        user=user, legal_name="PT Tenun", country="ID", city="Solo", status=ActorStatus.APPROVED, supplies=["FABRIC"]
    )


def row(supplier: Supplier, sku: str, price: str = "1000.5", **extra: object) -> dict[str, object]:
    return {
        "supplier_id": supplier.id, "sku": sku, "name": f"Kain {sku}", "price_per_metre": Decimal(price),
        "currency": "IDR", "images": ["https://cdn.example.id/a.jpg"], **extra,
    }  # fmt: skip


async def test_insert_rows_returns_the_new_ids_and_stores_what_the_orm_would(app):
    supplier = await a_supplier()
    written = await insert_rows(
        Fabric, [row(supplier, f"F-{i}") for i in range(5)], returning=("id", "sku"), batch_size=2
    )
    assert sorted(r["sku"] for r in written) == [f"F-{i}" for i in range(5)]
    stored = {f.sku: f for f in await Fabric.filter(supplier_id=supplier.id)}
    assert {r["sku"]: r["id"] for r in written} == {sku: f.id for sku, f in stored.items()}
    fabric = stored["F-3"]
    assert fabric.price_per_metre == Decimal("1000.5") and fabric.images == ["https://cdn.example.id/a.jpg"]
    assert fabric.status == FabricStatus.ACTIVE and fabric.composition == "" and fabric.created_at is not None
    assert await insert_rows(Fabric, [row(supplier, "F-9")]) == []  # nothing asked, nothing read


async def test_upsert_rows_skips_or_updates_a_taken_key(app):
    supplier = await a_supplier()
    first = await insert_rows(Fabric, [row(supplier, "A"), row(supplier, "B")], returning=("id", "sku"))
    ids = {r["sku"]: r["id"] for r in first}

    skipped = await upsert_rows(
        Fabric, [row(supplier, "B", "9"), row(supplier, "C")], conflict=("supplier_id", "sku"), returning=("sku",)
    )
    assert skipped == [{"sku": "C"}]  # B was taken: not written, not returned
    assert (await Fabric.get(id=ids["B"])).price_per_metre == Decimal("1000.5")

    updated = await upsert_rows(
        Fabric,
        [row(supplier, "A", "7", name="Baru"), row(supplier, "D")],
        conflict=("supplier_id", "sku"),
        update=("price_per_metre", "name"),
        returning=("id", "sku"),
        batch_size=1,
    )
    assert {r["sku"] for r in updated} == {"A", "D"}
    assert next(r["id"] for r in updated if r["sku"] == "A") == ids["A"]  # the same row, updated in place
    a = await Fabric.get(id=ids["A"])
    assert (a.price_per_metre, a.name) == (Decimal(7), "Baru")
    assert await Fabric.filter(supplier_id=supplier.id).count() == 4


async def test_bad_calls_are_refused_and_a_rollback_keeps_nothing(app):
    supplier = await a_supplier()
    with pytest.raises(ValueError, match="no column 'colour_code'"):
        await insert_rows(Fabric, [row(supplier, "X", colour_code="red")])
    with pytest.raises(ValueError, match="unique key"):
        await upsert_rows(Fabric, [row(supplier, "X")], conflict=())
    with pytest.raises(ValueError, match="no column 'nope'"):
        await upsert_rows(Fabric, [row(supplier, "X")], conflict=("nope",))
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await upsert_rows(Fabric, [row(supplier, "Y")], conflict=("supplier_id", "sku"), returning=("id",))
            raise RuntimeError("undo")
    assert await Fabric.filter(supplier_id=supplier.id).count() == 0
