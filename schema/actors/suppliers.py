"""Suppliers over GraphQL: applying, the platform's decisions, and the admin's list."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import suppliers
from core.actors.models import ActorStatus
from core.actors.models import Supplier as SupplierModel
from core.actors.suppliers import SupplyKind
from core.pagination import PageRequest, paginate
from schema.errors import UserError, attempt
from schema.permissions import PLATFORM_ADMIN, SIGNED_IN, guard
from schema.relay import Connection, connection, decode_id

# Shared with tailors (schema/actors/tailors.py imports it): one GraphQL enum for both selection processes.
ActorStatusEnum = strawberry.enum(
    ActorStatus, name="ActorStatus", description="Where a supplier or tailor stands in the platform's selection."
)
SupplyKindEnum = strawberry.enum(SupplyKind, name="SupplyKind", description="What a supplier sells to brands.")


@strawberry.type(description="A maker of fabric, trims or accessories, as its owner and the platform see it.")
class Supplier(relay.Node):
    id: relay.NodeID[int]
    status: ActorStatusEnum  # type: ignore[valid-type]
    legal_name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    city: str
    contact_name: str
    contact_email: str
    contact_phone: str = strawberry.field(description="As the supplier typed it.")
    contact_phone_e164: str = strawberry.field(description="The same number in E.164, e.g. +6281234567890.")
    supplies: list[SupplyKindEnum]  # type: ignore[valid-type]
    status_reason: str = strawberry.field(description="Why it was last rejected or suspended.")
    created_at: datetime

    @classmethod
    def from_model(cls, supplier: SupplierModel) -> Supplier:
        return cls(
            id=supplier.id,
            status=supplier.status,
            legal_name=supplier.legal_name,
            country=supplier.country,
            city=supplier.city,
            contact_name=supplier.contact_name,
            contact_email=supplier.contact_email,
            contact_phone=supplier.contact_phone,
            contact_phone_e164=supplier.contact_phone_e164,
            supplies=[SupplyKind(kind) for kind in supplier.supplies if kind in SupplyKind.__members__],
            status_reason=supplier.status_reason,
            created_at=supplier.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Supplier | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await suppliers.visible_suppliers(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.input
class SupplierApplyInput:
    legal_name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID.")
    city: str
    contact_name: str
    contact_email: str
    contact_phone: str = strawberry.field(description="International, or national in the supplier's country.")
    supplies: list[SupplyKindEnum]  # type: ignore[valid-type]


@strawberry.input
class SupplierDecisionInput:
    reason: str = ""


@strawberry.input
class SupplierFilter:
    status: ActorStatusEnum | None = None  # type: ignore[valid-type]
    search: str | None = strawberry.field(default=None, description="Part of the legal name.")


@strawberry.type
class SupplierPayload:
    supplier: Supplier | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _payload(supplier: SupplierModel | None, errors: list[UserError]) -> SupplierPayload:
    return SupplierPayload(supplier=Supplier.from_model(supplier) if supplier else None, errors=errors)


async def _decide(info: Info, id: relay.GlobalID, target: ActorStatus, reason: str = "") -> SupplierPayload:
    actor = await info.context.actor()
    return _payload(*await attempt(lambda: suppliers.decide(actor, decode_id(id, "Supplier"), target, reason=reason)))


@strawberry.type
class SupplierQuery:
    @strawberry.field(**guard("Suppliers on the platform, newest first.", PLATFORM_ADMIN))
    async def suppliers(
        self,
        info: Info,
        filter: SupplierFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Supplier]:
        actor = await info.context.actor()
        queryset = suppliers.listing(
            actor, status=filter.status if filter else None, search=filter.search if filter else None
        )
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("-id",),
            key="suppliers:new",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, Supplier.from_model)

    @strawberry.field(**guard("The caller's supplier profile (latest application); null if none.", SIGNED_IN))
    async def my_supplier(self, info: Info) -> Supplier | None:
        found = await suppliers.own(await info.context.actor())
        return Supplier.from_model(found) if found else None


@strawberry.type
class SupplierMutation:
    @strawberry.mutation(**guard("Apply to supply brands; the platform reviews the application.", SIGNED_IN))
    async def supplier_apply(self, info: Info, input: SupplierApplyInput) -> SupplierPayload:
        actor = await info.context.actor()
        return _payload(
            *await attempt(
                lambda: suppliers.apply(
                    actor,
                    legal_name=input.legal_name,
                    country=input.country,
                    city=input.city,
                    contact_name=input.contact_name,
                    contact_email=input.contact_email,
                    contact_phone=input.contact_phone,
                    supplies=[str(kind.value) for kind in input.supplies],
                )
            )
        )

    @strawberry.mutation(**guard("Approve an applied supplier (or reinstate a suspended one).", PLATFORM_ADMIN))
    async def supplier_approve(self, info: Info, id: relay.GlobalID) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.APPROVED)

    @strawberry.mutation(**guard("Reject a supplier's application.", PLATFORM_ADMIN))
    async def supplier_reject(
        self, info: Info, id: relay.GlobalID, input: SupplierDecisionInput | None = None
    ) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.REJECTED, input.reason if input else "")

    @strawberry.mutation(**guard("Suspend an approved supplier.", PLATFORM_ADMIN))
    async def supplier_suspend(
        self, info: Info, id: relay.GlobalID, input: SupplierDecisionInput | None = None
    ) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.SUSPENDED, input.reason if input else "")


QUERIES = (SupplierQuery,)
MUTATIONS = (SupplierMutation,)
TYPES = (Supplier,)
