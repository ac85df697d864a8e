"""The customer's address book over GraphQL; every operation is scoped to the caller's own addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from core.actors import addresses
from core.actors.models import Address as AddressModel
from schema.errors import UserError, attempt
from schema.permissions import SIGNED_IN, guard
from schema.relay import decode_id


@strawberry.type(description="An entry in the signed-in customer's address book.")
class Address(relay.Node):
    id: relay.NodeID[int]
    first_name: str
    last_name: str
    company: str
    street1: str
    street2: str
    city: str
    province: str
    postal_code: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    phone: str = strawberry.field(description="As the customer typed it.")
    phone_e164: str = strawberry.field(description="The same number in E.164, for couriers' APIs.")
    is_default_shipping: bool
    is_default_billing: bool
    created_at: datetime

    @classmethod
    def from_model(cls, address: AddressModel) -> Address:
        return cls(
            id=address.id,
            first_name=address.first_name,
            last_name=address.last_name,
            company=address.company,
            street1=address.street1,
            street2=address.street2,
            city=address.city,
            province=address.province,
            postal_code=address.postal_code,
            country=address.country,
            phone=address.phone,
            phone_e164=address.phone_e164,
            is_default_shipping=address.is_default_shipping,
            is_default_billing=address.is_default_billing,
            created_at=address.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Address | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await addresses.visible_addresses(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.input
class AddressCreateInput:
    first_name: str
    last_name: str = ""
    company: str = ""
    street1: str
    street2: str = ""
    city: str
    province: str = ""
    postal_code: str = ""
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID.")
    phone: str = strawberry.field(default="", description="International, or national in the address's country.")
    is_default_shipping: bool = strawberry.field(default=False, description="Takes over from the previous default.")
    is_default_billing: bool = strawberry.field(default=False, description="Takes over from the previous default.")


@strawberry.input(description="Only the fields given are changed.")
class AddressUpdateInput:
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    province: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None
    is_default_shipping: bool | None = None
    is_default_billing: bool | None = None


@strawberry.type
class AddressPayload:
    address: Address | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddressDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(default=None, description="The ID of the removed address.")
    errors: list[UserError] = strawberry.field(default_factory=list)


def _payload(address: AddressModel | None, errors: list[UserError]) -> AddressPayload:
    return AddressPayload(address=Address.from_model(address) if address else None, errors=errors)


async def account_addresses(root: Any, info: Info) -> list[Address]:
    """Resolver for `User.addresses` (`me { addresses }`): an account's book, shown to that account alone."""
    actor = await info.context.actor()
    if getattr(root, "id", None) != actor.user_id:
        return []  # a platform admin viewing someone's account does not get their addresses
    return [Address.from_model(a) for a in await addresses.of_user(actor)]


@strawberry.type
class AddressMutation:
    @strawberry.mutation(**guard("Add an address to the caller's address book (at most 50).", SIGNED_IN))
    async def address_create(self, info: Info, input: AddressCreateInput) -> AddressPayload:
        actor = await info.context.actor()
        return _payload(*await attempt(lambda: addresses.create(actor, strawberry.asdict(input))))

    @strawberry.mutation(**guard("Change one of the caller's addresses.", SIGNED_IN))
    async def address_update(self, info: Info, id: relay.GlobalID, input: AddressUpdateInput) -> AddressPayload:
        actor = await info.context.actor()
        changes = {k: v for k, v in strawberry.asdict(input).items() if v is not None}
        return _payload(*await attempt(lambda: addresses.update(actor, decode_id(id, "Address"), changes)))

    @strawberry.mutation(**guard("Remove one of the caller's addresses.", SIGNED_IN))
    async def address_delete(self, info: Info, id: relay.GlobalID) -> AddressDeletePayload:
        actor = await info.context.actor()
        _, errors = await attempt(lambda: addresses.delete(actor, decode_id(id, "Address")))
        return AddressDeletePayload(deleted_id=None if errors else id, errors=errors)


MUTATIONS = (AddressMutation,)
TYPES = (Address,)
