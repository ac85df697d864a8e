"""Suppliers over GraphQL: applying, the platform's decisions, and the admin's list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import suppliers
from core.actors.models import ActorStatus
from core.actors.models import Supplier as SupplierModel
from core.actors.suppliers import SupplyKind
from core.pagination import PageRequest, paginate
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import PLATFORM_ADMIN, SIGNED_IN, guard
from schema.relay import After, Before, Connection, First, Last, connection, decode_id

# Shared with tailors (schema/actors/tailors.py imports it): one GraphQL enum for both selection processes.
ActorStatusEnum = described_enum(
    ActorStatus,
    name="ActorStatus",
    description="Where a supplier or tailor stands in the platform's selection.",
    values={
        "APPLIED": "Applied and waiting for a platform administrator's decision.",
        "APPROVED": "Accepted: takes part in the platform (brands may buy from or dispatch to it).",
        "REJECTED": "The application was turned down; its owner may apply again.",
        "SUSPENDED": "Stopped by the platform until it is approved again.",
    },
)
SupplyKindEnum = described_enum(
    SupplyKind,
    name="SupplyKind",
    description="What a supplier sells to brands.",
    values={
        "FABRIC": "Cloth by the metre.",
        "TRIMS": "Buttons, zips, labels, thread and the like.",
        "ACCESSORIES": "Accessories: what is neither fabric nor trims.",
    },
)


@strawberry.type(description="A maker of fabric, trims or accessories, as its owner and the platform see it.")
class Supplier(relay.Node):
    id: relay.NodeID[int]
    status: ActorStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the supplier stands in the platform's selection."
    )
    legal_name: str = strawberry.field(description="The registered company or trading name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    city: str = strawberry.field(description="The city the supplier works from.")
    contact_name: str = strawberry.field(description="The person to talk to.")
    contact_email: str = strawberry.field(description="The contact's e-mail address, lowercased.")
    contact_phone: str = strawberry.field(description="As the supplier typed it.")
    contact_phone_e164: str = strawberry.field(description="The same number in E.164, e.g. +6281234567890.")
    supplies: list[SupplyKindEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What the supplier sells, at least one kind."
    )
    status_reason: str = strawberry.field(description="Why it was last rejected or suspended; empty if never.")
    created_at: datetime = strawberry.field(description="When the supplier applied (ISO 8601 with offset).")

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


@strawberry.input(description="An application to supply brands. Text fields are trimmed and must not be empty.")
class SupplierApplyInput:
    legal_name: str = strawberry.field(description="Up to 200 characters. Errors `REQUIRED`, `TOO_LONG`.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID. Error `INVALID_COUNTRY`.")
    city: str = strawberry.field(description="Up to 100 characters. Errors `REQUIRED`, `TOO_LONG`.")
    contact_name: str = strawberry.field(description="Up to 200 characters. Errors `REQUIRED`, `TOO_LONG`.")
    contact_email: str = strawberry.field(description="An e-mail address. Error `INVALID_EMAIL`.")
    contact_phone: str = strawberry.field(
        description="International, or national in the supplier's country. Errors `REQUIRED`, `INVALID_PHONE`."
    )
    supplies: list[SupplyKindEnum] = strawberry.field(  # type: ignore[valid-type]
        description="One or more kinds (repeats ignored). Error `INVALID_SUPPLIES`."
    )


@strawberry.input(description="A platform administrator's decision on a supplier.")
class SupplierDecisionInput:
    reason: str = strawberry.field(default="", description="Why; kept as the supplier's `statusReason`.")


@strawberry.input(description="Narrows the supplier list; the conditions given must all hold.")
class SupplierFilter:
    status: ActorStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only suppliers in this status; null for all."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Part of the legal name, ignoring case; at most 200 characters (error `INVALID_FILTER`).",
    )


@strawberry.type(description="The result of a supplier mutation.")
class SupplierPayload:
    supplier: Supplier | None = strawberry.field(default=None, description="The supplier as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


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
        filter: Annotated[SupplierFilter | None, strawberry.argument(description="Conditions; null for all.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
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
    @strawberry.mutation(
        **guard(
            "Apply to supply brands; the platform reviews the application. One live application per account "
            "(error `ALREADY_APPLIED`); after a rejection the account may apply again.",
            SIGNED_IN,
        )
    )
    async def supplier_apply(
        self, info: Info, input: Annotated[SupplierApplyInput, strawberry.argument(description="The application.")]
    ) -> SupplierPayload:
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

    @strawberry.mutation(
        **guard(
            "Approve an applied supplier (or reinstate a suspended one). Errors `NOT_FOUND`, `INVALID_STATUS`.",
            PLATFORM_ADMIN,
        )
    )
    async def supplier_approve(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The supplier's ID; APPLIED or SUSPENDED.")],
    ) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.APPROVED)

    @strawberry.mutation(
        **guard("Reject a supplier's application. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN)
    )
    async def supplier_reject(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The supplier's ID; it must be APPLIED.")],
        input: Annotated[SupplierDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.REJECTED, input.reason if input else "")

    @strawberry.mutation(**guard("Suspend an approved supplier. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN))
    async def supplier_suspend(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The supplier's ID; it must be APPROVED.")],
        input: Annotated[SupplierDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> SupplierPayload:
        return await _decide(info, id, ActorStatus.SUSPENDED, input.reason if input else "")


QUERIES = (SupplierQuery,)
MUTATIONS = (SupplierMutation,)
TYPES = (Supplier,)
