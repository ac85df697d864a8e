"""The address book: the caller's own addresses only, validated country and phone, one default of each kind."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from core.actors.addresses import MAX_ADDRESSES
from core.actors.models import Address
from core.events import Event
from tests.factories import access_token, make_user

FIELDS = "id firstName city country phone phoneE164 isDefaultShipping isDefaultBilling"
CREATE = f"""mutation($input: AddressCreateInput!) {{ addressCreate(input: $input) {{
  address {{ {FIELDS} }} errors {{ field code }} }} }}"""
UPDATE = f"""mutation($id: ID!, $input: AddressUpdateInput!) {{ addressUpdate(id: $id, input: $input) {{
  address {{ {FIELDS} }} errors {{ field code }} }} }}"""
DELETE = "mutation($id: ID!) { addressDelete(id: $id) { deletedId errors { field code } } }"
MINE = "{ me { addresses { firstName isDefaultShipping isDefaultBilling } } }"

HOME = {
    "firstName": "Rina",
    "lastName": "Wulandari",
    "street1": "Jl. Braga No. 12",
    "city": "Bandung",
    "province": "Jawa Barat",
    "postalCode": "40111",
    "country": "id",
    "phone": "0812 3456 7890",
}


def gid(type_name: str, id: int) -> str:
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


async def rows() -> list[dict[str, Any]]:
    return list(await Address.all().order_by("id").values())


async def test_create_normalises_country_and_phone_and_lists_the_callers_book(gql):
    user = await make_user()
    token = access_token(user)
    created = (await gql(CREATE, {"input": HOME}, token=token))["addressCreate"]
    assert created["errors"] == []
    address = created["address"]
    assert (address["country"], address["phone"], address["phoneE164"]) == ("ID", "0812 3456 7890", "+6281234567890")
    assert (address["isDefaultShipping"], address["isDefaultBilling"]) == (False, False)
    assert (await Address.get()).user_id == user.id
    assert (await Event.get(type="address.created")).payload["user_id"] == user.id
    other = access_token(await make_user())
    await gql(CREATE, {"input": {**HOME, "firstName": "Orang Lain"}}, token=other)
    assert (await gql(MINE, token=token))["me"]["addresses"] == [
        {"firstName": "Rina", "isDefaultShipping": False, "isDefaultBilling": False}
    ]


async def test_a_national_phone_is_read_in_the_addresses_country(gql):
    token = access_token(await make_user())
    kl = {**HOME, "city": "Kuala Lumpur", "country": "MY", "phone": "012-345 6789"}
    created = (await gql(CREATE, {"input": kl}, token=token))["addressCreate"]["address"]
    assert created["phoneE164"] == "+60123456789"
    no_phone = (await gql(CREATE, {"input": {**HOME, "phone": ""}}, token=token))["addressCreate"]["address"]
    assert (no_phone["phone"], no_phone["phoneE164"]) == ("", "")


async def test_a_new_default_takes_over_from_the_previous_one_of_its_kind(gql):
    token = access_token(await make_user())
    first = await gql(CREATE, {"input": {**HOME, "isDefaultShipping": True, "isDefaultBilling": True}}, token=token)
    first_id = first["addressCreate"]["address"]["id"]
    await gql(CREATE, {"input": {**HOME, "firstName": "Kantor", "isDefaultShipping": True}}, token=token)
    assert (await gql(MINE, token=token))["me"]["addresses"] == [
        {"firstName": "Rina", "isDefaultShipping": False, "isDefaultBilling": True},
        {"firstName": "Kantor", "isDefaultShipping": True, "isDefaultBilling": False},
    ]
    moved = await gql(UPDATE, {"id": first_id, "input": {"isDefaultShipping": True}}, token=token)
    assert moved["addressUpdate"]["errors"] == []
    assert (await gql(MINE, token=token))["me"]["addresses"] == [
        {"firstName": "Rina", "isDefaultShipping": True, "isDefaultBilling": True},
        {"firstName": "Kantor", "isDefaultShipping": False, "isDefaultBilling": False},
    ]
    # another customer's defaults are not theirs to unset
    other = access_token(await make_user())
    await gql(CREATE, {"input": {**HOME, "firstName": "Lain", "isDefaultShipping": True}}, token=other)
    assert (await gql(MINE, token=token))["me"]["addresses"][0]["isDefaultShipping"] is True


async def test_update_changes_only_the_fields_given(gql):
    token = access_token(await make_user())
    id = (await gql(CREATE, {"input": HOME}, token=token))["addressCreate"]["address"]["id"]
    updated = (await gql(UPDATE, {"id": id, "input": {"city": " Cimahi "}}, token=token))["addressUpdate"]
    assert updated["errors"] == []
    assert updated["address"]["city"] == "Cimahi" and updated["address"]["phoneE164"] == "+6281234567890"
    stored = await Address.get()
    assert (stored.first_name, stored.street1, stored.postal_code) == ("Rina", "Jl. Braga No. 12", "40111")


async def test_changing_the_country_checks_the_phone_again(gql):
    token = access_token(await make_user())
    id = (await gql(CREATE, {"input": HOME}, token=token))["addressCreate"]["address"]["id"]
    before = await rows()
    moved = await gql(UPDATE, {"id": id, "input": {"country": "SA", "city": "Jeddah"}}, token=token)
    assert moved["addressUpdate"] == {"address": None, "errors": [{"field": "phone", "code": "INVALID_PHONE"}]}
    assert await rows() == before
    fixed = await gql(
        UPDATE, {"id": id, "input": {"country": "SA", "city": "Jeddah", "phone": "+966 50 123 4567"}}, token=token
    )
    assert fixed["addressUpdate"]["address"]["phoneE164"] == "+966501234567"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"country": "XX"}, "country", "INVALID_COUNTRY"),
        ({"country": "IDN"}, "country", "INVALID_COUNTRY"),
        ({"phone": "0812"}, "phone", "INVALID_PHONE"),
        ({"phone": "+1 555"}, "phone", "INVALID_PHONE"),
        ({"firstName": " "}, "firstName", "REQUIRED"),
        ({"street1": ""}, "street1", "REQUIRED"),
        ({"postalCode": "1" * 21}, "postalCode", "TOO_LONG"),
        ({"postalCode": "4011"}, "postalCode", "INVALID_POSTAL_CODE"),  # Indonesia: five digits
        ({"postalCode": "40111-2"}, "postalCode", "INVALID_POSTAL_CODE"),
        ({"country": "SG", "phone": ""}, "postalCode", "INVALID_POSTAL_CODE"),  # Singapore: six digits
        ({"country": "MY", "postalCode": "", "phone": ""}, "postalCode", "POSTAL_CODE_REQUIRED"),
    ],
)
async def test_bad_input_is_a_user_error_and_writes_nothing(gql, changes, field, code):
    token = access_token(await make_user())
    created = await gql(CREATE, {"input": {**HOME, **changes}}, token=token)
    assert created["addressCreate"] == {"address": None, "errors": [{"field": field, "code": code}]}
    assert await Address.all().count() == 0
    id = (await gql(CREATE, {"input": HOME}, token=token))["addressCreate"]["address"]["id"]
    before = await rows()
    updated = await gql(UPDATE, {"id": id, "input": changes}, token=token)
    assert updated["addressUpdate"] == {"address": None, "errors": [{"field": field, "code": code}]}
    assert await rows() == before


async def test_postal_codes_follow_each_countrys_format_and_are_stored_canonical(gql):
    token = access_token(await make_user())
    london = {**HOME, "city": "London", "country": "GB", "postalCode": " sw1a 1aa ", "phone": ""}
    created = (await gql(CREATE, {"input": london}, token=token))["addressCreate"]
    assert created["errors"] == []
    assert (await Address.get()).postal_code == "SW1A 1AA"
    dubai = {**HOME, "city": "Dubai", "country": "AE", "postalCode": "", "phone": ""}  # no postal codes there
    assert (await gql(CREATE, {"input": dubai}, token=token))["addressCreate"]["errors"] == []
    id = created["address"]["id"]
    before = await rows()
    moved = await gql(UPDATE, {"id": id, "input": {"country": "ID"}}, token=token)  # SW1A 1AA is not Indonesian
    assert moved["addressUpdate"] == {
        "address": None,
        "errors": [{"field": "postalCode", "code": "INVALID_POSTAL_CODE"}],
    }
    assert await rows() == before


async def test_someone_elses_address_is_not_found_and_left_alone(gql):
    owner = access_token(await make_user())
    created = await gql(CREATE, {"input": {**HOME, "isDefaultShipping": True}}, token=owner)
    id = created["addressCreate"]["address"]["id"]
    intruder = access_token(await make_user())
    before = await rows()
    updated = await gql(UPDATE, {"id": id, "input": {"city": "Jakarta", "isDefaultShipping": False}}, token=intruder)
    assert updated["addressUpdate"] == {"address": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    deleted = await gql(DELETE, {"id": id}, token=intruder)
    assert deleted["addressDelete"] == {"deletedId": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    node = "query($id: ID!) { node(id: $id) { ... on Address { city } } }"
    assert (await gql(node, {"id": id}, token=intruder))["node"] is None
    assert (await gql(node, {"id": id}, token=owner))["node"] == {"city": "Bandung"}
    assert await rows() == before
    wrong_type = await gql(DELETE, {"id": gid("Tailor", 1)}, token=owner)
    assert wrong_type["addressDelete"]["errors"] == [{"field": "id", "code": "INVALID_ID"}]


async def test_delete_removes_the_address(gql):
    token = access_token(await make_user())
    id = (await gql(CREATE, {"input": HOME}, token=token))["addressCreate"]["address"]["id"]
    assert (await gql(DELETE, {"id": id}, token=token))["addressDelete"] == {"deletedId": id, "errors": []}
    assert (await gql(MINE, token=token))["me"]["addresses"] == []
    again = await gql(DELETE, {"id": id}, token=token)
    assert again["addressDelete"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    assert [e.type for e in await Event.all().order_by("id")] == ["address.created", "address.deleted"]


async def test_an_address_book_holds_at_most_fifty(gql):
    user = await make_user()
    await Address.bulk_create(
        [
            Address(user=user, first_name=f"A{i}", street1="Jl. Asia Afrika", city="Bandung", country="ID")
            for i in range(MAX_ADDRESSES)
        ]
    )
    data = await gql(CREATE, {"input": HOME}, token=access_token(user))
    assert data["addressCreate"] == {"address": None, "errors": [{"field": None, "code": "ADDRESS_LIMIT"}]}
    assert await Address.all().count() == MAX_ADDRESSES


async def test_anonymous_callers_are_refused(gql):
    owner = access_token(await make_user())
    id = (await gql(CREATE, {"input": HOME}, token=owner))["addressCreate"]["address"]["id"]
    before = await rows()
    assert (await gql(MINE))["me"] is None  # anonymous: no account, so no address book
    for query, variables in (
        (CREATE, {"input": HOME}),
        (UPDATE, {"id": id, "input": {"city": "Jakarta"}}),
        (DELETE, {"id": id}),
    ):
        assert (await gql.error(query, variables))["extensions"]["code"] == "UNAUTHENTICATED"
    assert await rows() == before
