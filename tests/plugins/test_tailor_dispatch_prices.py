"""A tailor's making prices over GraphQL (set, read, cleared; bad input typed with nothing written; nobody else's
changed) and the PRICE term they feed: the cheapest eligible tailor 1, the dearest 0, no price 0.5."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.tailor_dispatch.models import DispatchPrice
from tests.api.test_production import gid, make_tailor
from tests.plugins.test_tailor_dispatch import ALL_WEIGHTS_ZERO, UPDATE, by_name, explain, shop  # noqa: F401

PRICES = "{ myDispatchPrices { tailor { displayName } garmentType price { amount currency } } }"
SET = """mutation($input: DispatchPriceSetInput!) { dispatchPriceSet(input: $input) {
  prices { garmentType price { amount currency } } errors { field code } } }"""
DELETE = """mutation($input: DispatchPriceDeleteInput!) { dispatchPriceDelete(input: $input) {
  prices { garmentType price { amount currency } } errors { field code } } }"""
OFFERS = "{ myOffers { edges { node { job { garmentType } } } } }"


async def set_price(gql, token: str, amount: str, **extra: Any) -> dict[str, Any]:
    given = {"garmentType": "GAMIS", "currency": "IDR", "amount": amount, **extra}
    return (await gql(SET, {"input": given}, token=token))["dispatchPriceSet"]


async def test_a_tailor_sets_reads_replaces_and_clears_its_prices(gql):
    _, token = await make_tailor(name="Ani", garment_types=("GAMIS", "KEBAYA"))
    assert (await set_price(gql, token, "350000"))["errors"] == []
    done = await set_price(gql, token, "45.5", currency="MYR", garmentType="kebaya")
    assert done == {
        "prices": [
            {"garmentType": "GAMIS", "price": {"amount": "350000.00", "currency": "IDR"}},
            {"garmentType": "KEBAYA", "price": {"amount": "45.50", "currency": "MYR"}},
        ],
        "errors": [],
    }
    assert (await set_price(gql, token, "400000"))["prices"][0]["price"]["amount"] == "400000.00"  # replaced
    assert await DispatchPrice.all().count() == 2
    mine = (await gql(PRICES, token=token))["myDispatchPrices"]
    assert [(p["tailor"]["displayName"], p["garmentType"], p["price"]["amount"]) for p in mine] == [
        ("Ani", "GAMIS", "400000.00"),
        ("Ani", "KEBAYA", "45.50"),
    ]
    cleared = (await gql(DELETE, {"input": {"garmentType": "KEBAYA", "currency": "MYR"}}, token=token))[
        "dispatchPriceDelete"
    ]
    assert cleared["errors"] == [] and [p["garmentType"] for p in cleared["prices"]] == ["GAMIS"]
    again = (await gql(DELETE, {"input": {"garmentType": "KEBAYA", "currency": "MYR"}}, token=token))[
        "dispatchPriceDelete"
    ]
    assert again == {"prices": None, "errors": [{"field": "garmentType", "code": "NOT_FOUND"}]}


@pytest.mark.parametrize(
    ("given", "errors"),
    [
        ({"garmentType": "ABAYA"}, [{"field": "garmentType", "code": "INVALID_GARMENT_TYPE"}]),
        ({"currency": "XYZ"}, [{"field": "currency", "code": "INVALID_CURRENCY"}]),
        ({"amount": "0"}, [{"field": "amount", "code": "INVALID_AMOUNT"}]),
        ({"amount": "-5"}, [{"field": "amount", "code": "INVALID_AMOUNT"}]),
        ({"amount": "10000000000000"}, [{"field": "amount", "code": "INVALID_AMOUNT"}]),
        ({"amount": "1.005"}, [{"field": "amount", "code": "INVALID_AMOUNT"}]),
        (
            {"garmentType": "ABAYA", "amount": "0"},
            [{"field": "garmentType", "code": "INVALID_GARMENT_TYPE"}, {"field": "amount", "code": "INVALID_AMOUNT"}],
        ),
    ],
)
async def test_bad_prices_are_typed_errors_and_nothing_is_written(gql, given, errors):
    _, token = await make_tailor()
    given = dict(given)  # the parameters are shared by both backends' runs
    result = await set_price(gql, token, given.pop("amount", "350000"), **given)
    assert result == {"prices": None, "errors": errors}
    assert await DispatchPrice.all().count() == 0


async def test_nobody_else_changes_a_tailors_prices(gql):
    ani, ani_token = await make_tailor(name="Ani")
    _, budi_token = await make_tailor(name="Budi")
    await set_price(gql, ani_token, "350000")
    # Budi naming Ani's profile: not found, and Ani's price stays.
    taken = await set_price(gql, budi_token, "1", tailorId=gid("Tailor", ani.id))
    assert taken == {"prices": None, "errors": [{"field": "tailorId", "code": "NOT_FOUND"}]}
    gone = (
        await gql(
            DELETE,
            {"input": {"garmentType": "GAMIS", "currency": "IDR", "tailorId": gid("Tailor", ani.id)}},
            token=budi_token,
        )
    )["dispatchPriceDelete"]
    assert gone["errors"] == [{"field": "tailorId", "code": "NOT_FOUND"}]
    assert [(p.tailor_id, p.amount) for p in await DispatchPrice.all()] == [(ani.id, 350000)]
    assert (await gql(PRICES, token=budi_token))["myDispatchPrices"] == []


async def test_someone_not_a_tailor_is_refused_and_nothing_is_written(shop, gql):  # noqa: F811
    refused = await gql.error(SET, {"input": {"garmentType": "GAMIS", "currency": "IDR", "amount": "1"}})
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.error(PRICES, token=None))["extensions"]["code"] == "UNAUTHENTICATED"
    assert await DispatchPrice.all().count() == 0


async def test_with_only_price_weighed_the_cheapest_eligible_tailor_gets_the_offer(shop, gql):  # noqa: F811
    dear, dear_token = await make_tailor(name="Dear")
    cheap, cheap_token = await make_tailor(name="Cheap")
    await make_tailor(name="Unpriced")
    middle, middle_token = await make_tailor(name="Middle")
    uncertified, uncertified_token = await make_tailor(name="Cheapest but uncertified", certificate=None)
    for token, amount in ((dear_token, "500000"), (cheap_token, "300000"), (middle_token, "350000")):
        assert (await set_price(gql, token, amount))["errors"] == []
    await set_price(gql, uncertified_token, "100000")
    await set_price(gql, dear_token, "1", currency="MYR")  # another currency than the brand's: not compared
    only_price = {**ALL_WEIGHTS_ZERO, "priceWeight": "1"}
    assert (await gql(UPDATE, {"input": only_price}, token=shop.staff))["dispatchSettingsUpdate"]["errors"] == []

    found = await explain(gql, shop.job, token=shop.staff)
    assert [c["tailor"]["displayName"] for c in found["candidates"] if c["eligible"]] == [
        "Cheap",
        "Middle",
        "Unpriced",
        "Dear",
    ]
    price = {name: next(t for t in c["terms"] if t["term"] == "PRICE") for name, c in by_name(found).items()}
    assert price["Cheap"]["value"] == 1.0 and price["Dear"]["value"] == 0.0
    assert price["Middle"]["value"] == pytest.approx(0.75)
    assert price["Cheap"]["detail"] == "300000.00 IDR for GAMIS; the eligible ask 300000.00 to 500000.00."
    assert (price["Unpriced"]["value"], price["Unpriced"]["weight"]) == (0.5, 1.0)
    assert "No price set" in price["Unpriced"]["detail"]
    assert by_name(found)["Cheap"]["score"] == 1.0

    # The offer itself goes where the ranking says (the job was queued before the prices: offer it now).
    from plugins.tailor_dispatch import offers

    await offers.offer_next(shop.job)
    assert len((await gql(OFFERS, token=cheap_token))["myOffers"]["edges"]) == 1
    assert (await gql(OFFERS, token=dear_token))["myOffers"]["edges"] == []
    assert cheap.id and dear.id and middle.id and uncertified.id


async def test_a_tailor_without_a_price_is_neutral_when_nobody_has_one(shop, gql):  # noqa: F811
    await make_tailor(name="Ani")
    found = await explain(gql, shop.job, token=shop.staff)
    [term] = [t for t in found["candidates"][0]["terms"] if t["term"] == "PRICE"]
    assert term["value"] == 0.5 and term["detail"] == "No price set for GAMIS in IDR: neutral."


async def test_a_profile_keeps_at_most_max_prices(gql, monkeypatch):
    from plugins.tailor_dispatch import prices

    monkeypatch.setattr(prices, "MAX_PRICES", 1)
    _, token = await make_tailor(garment_types=("GAMIS", "KEBAYA"))
    await set_price(gql, token, "350000")
    assert (await set_price(gql, token, "360000"))["errors"] == []  # replacing one is not adding one
    refused = await set_price(gql, token, "1", garmentType="KEBAYA")
    assert refused == {"prices": None, "errors": [{"field": "garmentType", "code": "TOO_MANY_PRICES"}]}
    assert await DispatchPrice.all().count() == 1
