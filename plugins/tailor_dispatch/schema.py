"""The plugin's GraphQL API, for brand staff with MANAGE_ORDERS: the brand's dispatch weights and, for a queued
job, every approved tailor with each filter's verdict and each score term (`dispatchExplain`).

Filters and terms are enums, so a client can switch on them; scores and terms are floats in [0, 1], weights are
Decimals as the brand typed them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import BrandPermission, Roster, UserError, attempt, changes, decode_id, guard, managed_brand
from plugins.tailor_dispatch import dispatch, strategies, weights
from plugins.tailor_dispatch.models import DispatchSettings as SettingsRow

MANAGE_ORDERS = BrandPermission(weights.PERMISSION)
BrandArgument = Annotated[
    str | None, strawberry.argument(description="The brand's slug; the storefront's brand (its header) when omitted.")
]


def _weight(value: Decimal | int) -> Decimal:
    """Two decimals, as stored, whether the row is saved or still the defaults."""
    return Decimal(value).quantize(weights.CENT)


@strawberry.enum(name="DispatchFilter", description="A hard filter a tailor must pass to be offered a job.")
class DispatchFilter(Enum):
    APPROVED = strawberry.enum_value(
        "APPROVED", description="The platform approved the tailor and has not suspended it."
    )
    CERTIFIED = strawberry.enum_value(
        "CERTIFIED", description="It holds a verified certificate still valid on the job's ready-by date."
    )
    GARMENT_TYPE = strawberry.enum_value("GARMENT_TYPE", description="It makes the job's garment type.")
    CAPACITY = strawberry.enum_value("CAPACITY", description="It has a free place (active jobs below its capacity).")
    REGION = strawberry.enum_value("REGION", description="It is in a country the brand ships to.")
    LEAD_TIME = strawberry.enum_value(
        "LEAD_TIME", description="Today plus its lead time is on or before the job's ready-by date."
    )


@strawberry.enum(name="DispatchTerm", description="A term of the built-in WEIGHTED strategy's score.")
class DispatchTerm(Enum):
    QUALITY = strawberry.enum_value(
        "QUALITY", description="QC first-pass rate × (1 − remake rate for the making), with a prior of 5 jobs."
    )
    ON_TIME = strawberry.enum_value("ON_TIME", description="Share of finished jobs READY by their ready-by date.")
    LOAD = strawberry.enum_value("LOAD", description="Share of the tailor's places still free.")
    DISTANCE = strawberry.enum_value(
        "DISTANCE", description="1 / (1 + km / 500) from the brand's workshop; 0.5 when a coordinate is unknown."
    )
    ROTATION = strawberry.enum_value("ROTATION", description="Days since its last job, up to 30, over 30 (never: 1).")
    PRICE = strawberry.enum_value(
        "PRICE",
        description="The tailor's price for the garment type in the brand's default currency: the cheapest "
        "eligible 1, the dearest 0, linear between; 0.5 without a price.",
    )


def _weight_field(term: str) -> Decimal:
    return strawberry.field(description=f"Weight of the {term} term, 0 to 100 with 2 decimals; 0 leaves it out.")


def _weight_input(term: str) -> Decimal | None:
    return strawberry.field(
        default=strawberry.UNSET,
        description=f"New weight of the {term} term: 0 to 100, at most 2 decimals (INVALID_WEIGHT otherwise).",
    )


@strawberry.type(description="How a brand ranks tailors for its jobs (added by the tailor_dispatch plugin).")
class DispatchSettings:
    strategy: str = strawberry.field(
        description="The dispatch strategy ranking the brand's jobs (a name from `dispatchStrategies`; WEIGHTED "
        "by default)."
    )
    quality_weight: Decimal = _weight_field("QUALITY")
    on_time_weight: Decimal = _weight_field("ON_TIME")
    load_weight: Decimal = _weight_field("LOAD")
    distance_weight: Decimal = _weight_field("DISTANCE")
    rotation_weight: Decimal = _weight_field("ROTATION")
    price_weight: Decimal = _weight_field("PRICE")
    history_jobs: int = strawberry.field(description="How many of a tailor's last finished jobs its record counts.")
    origin_latitude: Decimal | None = strawberry.field(
        description="Latitude of the brand's workshop in decimal degrees (WGS 84); null when not given."
    )
    origin_longitude: Decimal | None = strawberry.field(
        description="Longitude of the brand's workshop in decimal degrees (WGS 84); null when not given."
    )
    offer_minutes: int = strawberry.field(description="How long an offer stays open for its tailor, in minutes.")
    max_misses: int = strawberry.field(
        description="Offers declined, expired or withdrawn before the job waits for staff (DISPATCH_JOB_NEEDS_STAFF)."
    )
    updated_at: datetime | None = strawberry.field(
        description="When staff last changed the settings (ISO 8601, UTC); null while they are the defaults."
    )

    @classmethod
    def of(cls, row: SettingsRow) -> DispatchSettings:
        return cls(
            strategy=row.strategy,
            quality_weight=_weight(row.quality_weight),
            on_time_weight=_weight(row.on_time_weight),
            load_weight=_weight(row.load_weight),
            distance_weight=_weight(row.distance_weight),
            rotation_weight=_weight(row.rotation_weight),
            price_weight=_weight(row.price_weight),
            history_jobs=row.history_jobs,
            origin_latitude=row.origin_latitude,
            origin_longitude=row.origin_longitude,
            offer_minutes=row.offer_minutes,
            max_misses=row.max_misses,
            updated_at=row.updated_at,
        )


@strawberry.input(description="Only the fields given are changed. Weights from 0 to 100; 0 leaves a term out.")
class DispatchSettingsUpdateInput:
    strategy: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A strategy name from `dispatchStrategies` (UNKNOWN_STRATEGY for any other).",
    )
    quality_weight: Decimal | None = _weight_input("QUALITY")
    on_time_weight: Decimal | None = _weight_input("ON_TIME")
    load_weight: Decimal | None = _weight_input("LOAD")
    distance_weight: Decimal | None = _weight_input("DISTANCE")
    rotation_weight: Decimal | None = _weight_input("ROTATION")
    price_weight: Decimal | None = _weight_input("PRICE")
    history_jobs: int | None = strawberry.field(
        default=strawberry.UNSET, description="Count 1 to 200 of each tailor's last finished jobs (INVALID_HISTORY)."
    )
    origin_latitude: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Workshop latitude, -90 to 90 decimal degrees; give both coordinates or neither "
        "(INVALID_COORDINATE); null clears it.",
    )
    origin_longitude: Decimal | None = strawberry.field(
        default=strawberry.UNSET,
        description="Workshop longitude, -180 to 180 decimal degrees; null clears it (INVALID_COORDINATE).",
    )
    offer_minutes: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="How long an offer stays open: 5 to 10080 minutes (a week) (INVALID_OFFER_MINUTES).",
    )
    max_misses: int | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 50 missed offers before staff are told (INVALID_MAX_MISSES)."
    )


@strawberry.type(description="The result of `dispatchSettingsUpdate`.")
class DispatchSettingsPayload:
    dispatch_settings: DispatchSettings | None = strawberry.field(
        default=None, description="The settings after the change; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input, each with its field; nothing was written."
    )


@strawberry.type(description="A dispatch strategy installed on this platform, which a brand may choose.")
class DispatchStrategyInfo:
    name: str = strawberry.field(description="What `dispatchSettingsUpdate(input: {strategy})` takes.")
    description: str = strawberry.field(description="What the strategy favours, in one sentence.")


@strawberry.type(description="One hard filter's verdict for one tailor.")
class DispatchFilterVerdict:
    filter: DispatchFilter = strawberry.field(description="Which filter.")
    passed: bool = strawberry.field(description="Whether the tailor passes it.")
    detail: str = strawberry.field(description="The facts the verdict was made from, in words.")


@strawberry.type(description="One term of a tailor's score, as the ranking used it.")
class DispatchScoreTerm:
    code: str = strawberry.field(description="The term's code in its strategy (QUALITY, ON_TIME, ... for WEIGHTED).")
    term: DispatchTerm | None = strawberry.field(
        description="The built-in term, when the strategy is WEIGHTED or reuses its codes; null otherwise."
    )
    value: float = strawberry.field(description="From 0 (worst) to 1 (best).")
    weight: float = strawberry.field(description="The term's weight in the brand's strategy.")
    contribution: float = strawberry.field(description="value × weight; the score is their sum over the weights'.")
    detail: str = strawberry.field(description="Where the value came from, in words.")


@strawberry.type(description="The tailor a candidate, offer or metric is about (no contact details).")
class DispatchTailor:
    id: relay.GlobalID = strawberry.field(description="The tailor's global ID (Tailor).")
    display_name: str = strawberry.field(description="The tailor's or workshop's public name.")
    city: str = strawberry.field(description="The city it works in.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code.")


def tailor_of(roster: Roster, i: int) -> DispatchTailor:
    return DispatchTailor(
        id=relay.GlobalID("Tailor", str(int(roster.ids[i]))),
        display_name=roster.display_names[i],
        city=roster.cities[i],
        country=roster.countries[i],
    )


BUILT_IN_TERMS = {t.value for t in DispatchTerm}


@strawberry.type(description="One approved tailor judged against the job.")
class DispatchCandidate:
    tailor: DispatchTailor = strawberry.field(description="Who.")
    eligible: bool = strawberry.field(description="Whether it passes every filter (only then is it offered the job).")
    rank: int | None = strawberry.field(description="1 for the best eligible tailor; null when a filter fails.")
    score: float = strawberry.field(description="From 0 to 1, rounded to 6 decimals; higher is offered first.")
    filters: list[DispatchFilterVerdict] = strawberry.field(description="Every filter, in DispatchFilter order.")
    terms: list[DispatchScoreTerm] = strawberry.field(description="Every term of the brand's strategy, in order.")

    @classmethod
    def of(cls, found: dispatch.Ranking, i: int, rank: int | None) -> DispatchCandidate:
        scores = found.scores
        return cls(
            tailor=tailor_of(found.judged.roster, i),
            eligible=rank is not None,
            rank=rank,
            score=round(float(scores.score[i]), 6),
            filters=[
                DispatchFilterVerdict(filter=DispatchFilter(v.check.value), passed=v.passed, detail=v.detail)
                for v in found.judged.verdicts(i)
            ],
            terms=[
                DispatchScoreTerm(
                    code=code,
                    term=DispatchTerm(code) if code in BUILT_IN_TERMS else None,
                    value=round(float(scores.values[k, i]), 6),
                    weight=float(scores.weights[k]),
                    contribution=round(float(scores.values[k, i] * scores.weights[k]), 6),
                    detail=scores.detail(k, i),
                )
                for k, code in enumerate(scores.terms)
            ],
        )


@strawberry.type(description="Why each tailor is where it is for one queued job.")
class DispatchExplanation:
    job_id: relay.GlobalID = strawberry.field(description="The production job explained (ProductionJob).")
    strategy: str = strawberry.field(description="The brand's dispatch strategy that scored the tailors.")
    certificates_judged_on: date = strawberry.field(description="The job's ready-by date (today without one).")
    candidates: list[DispatchCandidate] = strawberry.field(
        description="Eligible tailors best first, then the others by id."
    )


@strawberry.type
class DispatchQuery:
    @strawberry.field(**guard("The brand's dispatch weights (added by the tailor_dispatch plugin).", MANAGE_ORDERS))
    async def dispatch_settings(
        self,
        info: Info,
        brand: BrandArgument = None,
    ) -> DispatchSettings:
        actor = await info.context.actor()
        found = await managed_brand(actor, await info.context.brand_slug(brand), weights.PERMISSION)
        return DispatchSettings.of(await weights.read(actor, found))

    @strawberry.field(
        **guard(
            "The dispatch strategies installed on the platform, by name; any brand member may list them.", MANAGE_ORDERS
        )
    )
    def dispatch_strategies(self) -> list[DispatchStrategyInfo]:
        return [
            DispatchStrategyInfo(name=s.name, description=s.description)
            for _, s in sorted(strategies.available().items())
        ]

    @strawberry.field(
        **guard(
            "Every approved tailor for a queued job: each filter's verdict and each score term. NOT_FOUND for "
            "another brand's job, JOB_NOT_QUEUED once it left the queue.",
            MANAGE_ORDERS,
        )
    )
    async def dispatch_explain(
        self,
        info: Info,
        job_id: Annotated[relay.GlobalID, strawberry.argument(description="A queued production job of your brand.")],
    ) -> DispatchExplanation:
        actor = await info.context.actor()
        found = await dispatch.rank(actor, decode_id(job_id, "ProductionJob", "job_id"))
        return DispatchExplanation(
            job_id=relay.GlobalID("ProductionJob", str(found.judged.job.id)),
            strategy=found.strategy.name,
            certificates_judged_on=found.judged.judged_on,
            candidates=[DispatchCandidate.of(found, int(i), n) for n, i in enumerate(found.order, 1)]
            + [DispatchCandidate.of(found, int(i), None) for i in found.excluded],
        )


@strawberry.type
class DispatchMutation:
    @strawberry.mutation(
        **guard(
            "Change the brand's dispatch settings; only the fields given. Every mistake comes back in `errors` "
            "and nothing is written.",
            MANAGE_ORDERS,
        )
    )
    async def dispatch_settings_update(
        self,
        info: Info,
        input: Annotated[DispatchSettingsUpdateInput, strawberry.argument(description="The fields to change.")],
        brand: BrandArgument = None,
    ) -> DispatchSettingsPayload:
        actor = await info.context.actor()

        async def run() -> SettingsRow:
            found = await managed_brand(actor, await info.context.brand_slug(brand), weights.PERMISSION)
            return await weights.update(actor, found, changes(input, nullable=("origin_latitude", "origin_longitude")))

        row, errors = await attempt(run)
        return DispatchSettingsPayload(dispatch_settings=DispatchSettings.of(row) if row else None, errors=errors)
