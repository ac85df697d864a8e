"""Dispatch strategies side by side (the `dispatch_strategies` hook): a brand chooses one in `dispatchSettings`,
an unknown name is a typed error that changes nothing, the chosen strategy orders `dispatchExplain` and the
offers, and the built-in WEIGHTED one is every brand's default."""

from __future__ import annotations

import pytest

from core.garments.dispatch_strategies import strategies_by_name
from core.plugins import PluginError
from plugins.tailor_dispatch import offers, scoring
from plugins.tailor_dispatch.models import DispatchSettings
from tests.api.test_production import gid
from tests.plugins import test_tailor_dispatch as base
from tests.plugins.experience_strategy import ExperiencePlugin, MostExperienced
from tests.plugins.test_tailor_dispatch import EXPLAIN, finished_job, tailor

STRATEGIES = "{ dispatchStrategies { name description } }"
shop = base.shop  # the same brand, staff and queued job as the dispatch tests
CHOOSE = """mutation($input: DispatchSettingsUpdateInput!) { dispatchSettingsUpdate(input: $input) {
  dispatchSettings { strategy } errors { field code } } }"""


@pytest.fixture
def plugins() -> dict[str, object]:
    return {"experience": ExperiencePlugin()}


async def ranked(gql, job: int) -> tuple[str, list[str], list[dict]]:
    found = await gql(EXPLAIN.replace("{ jobId", "{ jobId strategy"), {"job": gid("ProductionJob", job)})
    explanation = found["dispatchExplain"]
    names = [c["tailor"]["displayName"] for c in explanation["candidates"] if c["eligible"]]
    return explanation["strategy"], names, explanation["candidates"]


async def test_hook_dispatch_strategies(shop, gql):
    veteran = await tailor("Veteran")
    await tailor("Newcomer")
    for days in (20, 10):
        await finished_job(shop, veteran, first_pass=True, days_ago=days)

    listed = (await gql(STRATEGIES))["dispatchStrategies"]
    assert [s["name"] for s in listed] == ["MOST_EXPERIENCED", "WEIGHTED"]
    strategy, names, _ = await ranked(gql, shop.job)
    assert (strategy, names) == ("WEIGHTED", ["Newcomer", "Veteran"])  # the default: rotation favours the idle

    chosen = (await gql(CHOOSE, {"input": {"strategy": "MOST_EXPERIENCED"}}))["dispatchSettingsUpdate"]
    assert chosen == {"dispatchSettings": {"strategy": "MOST_EXPERIENCED"}, "errors": []}
    strategy, names, candidates = await ranked(gql, shop.job)
    assert (strategy, names) == ("MOST_EXPERIENCED", ["Veteran", "Newcomer"])
    [term] = candidates[0]["terms"]
    assert term == {
        "term": None,
        "value": pytest.approx(2 / 3, abs=1e-6),
        "weight": 1.0,
        "contribution": pytest.approx(2 / 3, abs=1e-6),
        "detail": "2 finished jobs.",
    }
    assert candidates[0]["score"] == pytest.approx(2 / 3, abs=1e-6)

    offer = await offers.offer_next(shop.job)  # the offer follows the brand's strategy too
    assert offer is not None and offer.tailor_id == veteran.id


async def test_an_unknown_strategy_is_a_typed_error_and_nothing_changes(shop, gql):
    refused = (await gql(CHOOSE, {"input": {"strategy": "CHEAPEST", "historyJobs": 5}}))["dispatchSettingsUpdate"]
    assert refused == {"dispatchSettings": None, "errors": [{"field": "strategy", "code": "UNKNOWN_STRATEGY"}]}
    assert not await DispatchSettings.exists()


async def test_a_brand_whose_strategy_was_uninstalled_gets_a_typed_error(shop, gql):
    await DispatchSettings.create(brand_id=shop.brand.id, strategy="GONE")
    error = await gql.error(EXPLAIN, {"job": gid("ProductionJob", shop.job)})
    assert error["extensions"]["code"] == "UNKNOWN_STRATEGY"


def test_two_strategies_of_one_name_are_refused():
    with pytest.raises(PluginError, match="two dispatch strategies are named 'WEIGHTED'"):
        strategies_by_name([scoring.Weighted(), scoring.Weighted()])
    with pytest.raises(PluginError, match="does not implement DispatchStrategy"):
        strategies_by_name([object()])  # type: ignore[list-item]
    assert set(strategies_by_name([scoring.Weighted(), MostExperienced()])) == {"WEIGHTED", "MOST_EXPERIENCED"}
