"""Core's batched fabric service (`write_fabrics`, for feed imports), `emit_many` and the public-address check
that `lini.plugin` offers: the batch checks each item as the one-by-one service does, reports a bad one under
its key and writes the others, keeps the price history and writes one event per fabric."""

from __future__ import annotations

import ipaddress
from decimal import Decimal

import pytest

import lini.plugin
from core.actors.models import ActorStatus, Supplier
from core.auth.services import actor_for_user
from core.context import Actor
from core.errors import DomainError, PermissionDenied
from core.event_batch import emit_many
from core.events import Event
from core.garments.fabric_batch import FabricChange, write_fabrics
from core.garments.models import Fabric, FabricPrice, FabricStatus
from core.webhooks.addresses import check_public_url
from tests.factories import make_user


@pytest.mark.engine_independent
def test_the_plugin_api_exports_them() -> None:
    assert lini.plugin.write_fabrics is write_fabrics
    assert lini.plugin.FabricChange is FabricChange
    assert lini.plugin.emit_many is emit_many
    assert lini.plugin.check_public_url is check_public_url


async def supplier_actor(status: ActorStatus = ActorStatus.APPROVED) -> tuple[Supplier, Actor]:
    user = await make_user()
    supplier = await Supplier.create(
        user=user, legal_name="PT Tenun", country="ID", city="Solo", status=status, supplies=["FABRIC"]
    )
    return supplier, await actor_for_user(user)


def fabric(sku: str, price: str = "1000", **extra: object) -> dict[str, object]:
    return {"sku": sku, "name": f"Kain {sku}", "price_per_metre": Decimal(price), "currency": "IDR", **extra}


async def test_a_batch_creates_updates_and_archives_with_history_and_events(app):
    supplier, actor = await supplier_actor()
    first = await write_fabrics(actor, [FabricChange(key=i, values=fabric(f"F-{i}")) for i in range(3)])
    assert sorted(first.created) == [0, 1, 2] and first.errors == {}
    ids = first.created
    assert await FabricPrice.filter(fabric_id__in=list(ids.values())).count() == 3
    events_before = await Event.filter(type="fabric.created").count()
    assert events_before == 3

    second = await write_fabrics(
        actor,
        [
            FabricChange(key="price", fabric_id=ids[0], values={"price_per_metre": Decimal(1200)}),
            FabricChange(key="name", fabric_id=ids[1], values={"name": "Kain Baru", "stock_metres": Decimal(7)}),
            FabricChange(key="gone", fabric_id=ids[2], archive=True),
            FabricChange(key="bad", fabric_id=ids[1], values={"price_per_metre": Decimal(-1)}),
            FabricChange(key="dupe", values=fabric("F-0")),
            FabricChange(key="missing", fabric_id=10**9, values={"name": "x"}),
        ],
    )
    assert (second.updated, second.archived) == (["price", "name"], ["gone"])
    assert {key: [e.code for e in errors] for key, errors in second.errors.items()} == {
        "bad": ["INVALID_PRICE"], "dupe": ["SKU_TAKEN"], "missing": ["NOT_FOUND"]
    }  # fmt: skip
    rows = {f.id: f for f in await Fabric.filter(supplier=supplier)}
    assert rows[ids[0]].price_per_metre == Decimal(1200) and rows[ids[0]].name == "Kain F-0"
    assert (rows[ids[1]].name, rows[ids[1]].stock_metres, rows[ids[1]].price_per_metre) == (
        "Kain Baru", Decimal(7), Decimal(1000)
    )  # fmt: skip
    assert rows[ids[2]].status == FabricStatus.ARCHIVED
    history = await FabricPrice.filter(fabric_id=ids[0]).order_by("id").values_list("price_per_metre", flat=True)
    assert history == [Decimal(1000), Decimal(1200)]
    assert await FabricPrice.filter(fabric_id=ids[1]).count() == 1  # no new price, no history row
    types = await Event.filter(id__gt=0).order_by("id").values_list("type", flat=True)
    assert types[3:] == ["fabric.updated", "fabric.updated", "fabric.archived"]


async def test_a_batch_needs_an_approved_supplier_and_touches_only_its_own_fabrics(app):
    _, mine = await supplier_actor()
    created = (await write_fabrics(mine, [FabricChange(key=1, values=fabric("MINE"))])).created[1]
    _, other = await supplier_actor()
    result = await write_fabrics(other, [FabricChange(key=1, fabric_id=created, values={"name": "Punya saya"})])
    assert [e.code for e in result.errors[1]] == ["NOT_FOUND"]
    assert (await Fabric.get(id=created)).name == "Kain MINE"
    _, pending = await supplier_actor(ActorStatus.APPLIED)
    with pytest.raises(PermissionDenied):
        await write_fabrics(pending, [FabricChange(key=1, values=fabric("X"))])


async def test_emit_many_writes_one_outbox_row_per_payload(app):
    await emit_many("fabric.updated", [{"fabric_id": i, "supplier_id": 1, "fields": ["name"]} for i in range(700)])
    assert await Event.filter(type="fabric.updated").count() == 700


@pytest.mark.engine_independent
async def test_check_public_url_refuses_private_addresses_unless_allowed() -> None:
    for url in ("http://127.0.0.1/x", "http://10.0.0.8/", "http://169.254.169.254/latest", "http://[::1]/"):
        with pytest.raises(DomainError) as refused:
            await check_public_url(url, field="source")
        assert (refused.value.code, refused.value.field) == ("PRIVATE_ADDRESS", "source")
    await check_public_url("http://93.184.215.14/feed.csv")
    await check_public_url("http://127.0.0.1:8080/", allowed_networks=[ipaddress.ip_network("127.0.0.0/8")])
    with pytest.raises(DomainError):
        await check_public_url("http://10.0.0.8/", allowed_networks=[ipaddress.ip_network("127.0.0.0/8")])
    await check_public_url("http://10.0.0.8/", allow_private=True)
