"""The customer's address book over GraphQL; every operation is scoped to the caller's own addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

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
    first_name: str = strawberry.field(description="The recipient's first name.")
    last_name: str = strawberry.field(description="The recipient's last name; may be empty.")
    company: str = strawberry.field(description="A company name; may be empty.")
    street1: str = strawberry.field(description="The first street line.")
    street2: str = strawberry.field(description="A second street line; may be empty.")
    city: str = strawberry.field(description="The city or regency (kota/kabupaten).")
    province: str = strawberry.field(description="The province; may be empty.")
    postal_code: str = strawberry.field(description="The postal code as typed; may be empty.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    phone: str = strawberry.field(description="As the customer typed it.")
    phone_e164: str = strawberry.field(description="The same number in E.164, for couriers' APIs.")
    is_default_shipping: bool = strawberry.field(description="The one address the book offers first for delivery.")
    is_default_billing: bool = strawberry.field(description="The one address the book offers first for billing.")
    created_at: datetime = strawberry.field(description="When it was added (ISO 8601 with offset).")

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


@strawberry.input(
    description="A new address. Text is trimmed; too long: error `TOO_LONG`, a required one empty: `REQUIRED`."
)
class AddressCreateInput:
    first_name: str = strawberry.field(description="Required, up to 100 characters.")
    last_name: str = strawberry.field(default="", description="Up to 100 characters.")
    company: str = strawberry.field(default="", description="Up to 200 characters.")
    street1: str = strawberry.field(description="Required, up to 250 characters.")
    street2: str = strawberry.field(default="", description="Up to 250 characters.")
    city: str = strawberry.field(description="Required, up to 100 characters.")
    province: str = strawberry.field(default="", description="Up to 100 characters.")
    postal_code: str = strawberry.field(default="", description="Up to 20 characters.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. ID. Error `INVALID_COUNTRY`.")
    phone: str = strawberry.field(
        default="",
        description="International, or national in the address's country; may be empty. Error `INVALID_PHONE`.",
    )
    is_default_shipping: bool = strawberry.field(default=False, description="Takes over from the previous default.")
    is_default_billing: bool = strawberry.field(default=False, description="Takes over from the previous default.")


@strawberry.input(description="Only the fields given are changed.")
class AddressUpdateInput:
    first_name: str | None = strawberry.field(default=None, description="Not empty, up to 100 characters.")
    last_name: str | None = strawberry.field(default=None, description="Up to 100 characters.")
    company: str | None = strawberry.field(default=None, description="Up to 200 characters.")
    street1: str | None = strawberry.field(default=None, description="Not empty, up to 250 characters.")
    street2: str | None = strawberry.field(default=None, description="Up to 250 characters.")
    city: str | None = strawberry.field(default=None, description="Not empty, up to 100 characters.")
    province: str | None = strawberry.field(default=None, description="Up to 100 characters.")
    postal_code: str | None = strawberry.field(default=None, description="Up to 20 characters.")
    country: str | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2; the phone is checked again in the new country."
    )
    phone: str | None = strawberry.field(
        default=None, description="International, or national in the address's country. Error `INVALID_PHONE`."
    )
    is_default_shipping: bool | None = strawberry.field(
        default=None, description="true takes the role from the previous default; false gives it up."
    )
    is_default_billing: bool | None = strawberry.field(
        default=None, description="true takes the role from the previous default; false gives it up."
    )


@strawberry.type(description="The result of `addressCreate` and `addressUpdate`.")
class AddressPayload:
    address: Address | None = strawberry.field(default=None, description="The address as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of `addressDelete`.")
class AddressDeletePayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The ID of the removed address; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


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
    @strawberry.mutation(
        **guard("Add an address to the caller's address book; a full book (50): error `ADDRESS_LIMIT`.", SIGNED_IN)
    )
    async def address_create(
        self, info: Info, input: Annotated[AddressCreateInput, strawberry.argument(description="The address.")]
    ) -> AddressPayload:
        actor = await info.context.actor()
        return _payload(*await attempt(lambda: addresses.create(actor, strawberry.asdict(input))))

    @strawberry.mutation(
        **guard("Change one of the caller's addresses; another's or a missing one: error `NOT_FOUND`.", SIGNED_IN)
    )
    async def address_update(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The address's ID.")],
        input: Annotated[AddressUpdateInput, strawberry.argument(description="The fields to change.")],
    ) -> AddressPayload:
        actor = await info.context.actor()
        changes = {k: v for k, v in strawberry.asdict(input).items() if v is not None}
        return _payload(*await attempt(lambda: addresses.update(actor, decode_id(id, "Address"), changes)))

    @strawberry.mutation(
        **guard("Remove one of the caller's addresses; another's or a missing one: error `NOT_FOUND`.", SIGNED_IN)
    )
    async def address_delete(
        self, info: Info, id: Annotated[relay.GlobalID, strawberry.argument(description="The address's ID.")]
    ) -> AddressDeletePayload:
        actor = await info.context.actor()
        _, errors = await attempt(lambda: addresses.delete(actor, decode_id(id, "Address")))
        return AddressDeletePayload(deleted_id=None if errors else id, errors=errors)


MUTATIONS = (AddressMutation,)
TYPES = (Address,)
