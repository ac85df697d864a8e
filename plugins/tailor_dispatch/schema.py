"""The plugin's GraphQL API, for brand staff with MANAGE_ORDERS: the brand's dispatch weights and, for a queued
job, every approved tailor with each filter's verdict and each score term (`dispatchExplain`).

Filters and terms are enums, so a client can switch on them; scores and terms are floats in [0, 1], weights are
Decimals as the brand typed them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info

from lini.plugin import BrandPermission, UserError, attempt, changes, decode_id, guard, managed_brand
from plugins.tailor_dispatch import dispatch, weights
from plugins.tailor_dispatch.models import DispatchSettings as SettingsRow
from plugins.tailor_dispatch.scoring import Scored

MANAGE_ORDERS = BrandPermission(weights.PERMISSION)


def _weight(value: Decimal | int) -> Decimal:
    """Two decimals, as stored, whether the row is saved or still the defaults."""
    return Decimal(value).quantize(weights.CENT)


@strawberry.enum(name="DispatchFilter", description="A hard filter a tailor must pass to be offered a job.")
class DispatchFilter(Enum):
    APPROVED = "APPROVED"
    CERTIFIED = "CERTIFIED"
    GARMENT_TYPE = "GARMENT_TYPE"
    CAPACITY = "CAPACITY"
    REGION = "REGION"
    LEAD_TIME = "LEAD_TIME"


@strawberry.enum(name="DispatchTerm", description="A term of the built-in score.")
class DispatchTerm(Enum):
    QUALITY = "QUALITY"
    ON_TIME = "ON_TIME"
    LOAD = "LOAD"
    DISTANCE = "DISTANCE"
    ROTATION = "ROTATION"


@strawberry.type(description="How a brand ranks tailors for its jobs (added by the tailor_dispatch plugin).")
class DispatchSettings:
    quality_weight: Decimal
    on_time_weight: Decimal
    load_weight: Decimal
    distance_weight: Decimal
    rotation_weight: Decimal
    history_jobs: int = strawberry.field(description="How many of a tailor's last finished jobs its record counts.")
    origin_latitude: Decimal | None = strawberry.field(description="Where the brand inspects garments.")
    origin_longitude: Decimal | None
    offer_minutes: int = strawberry.field(description="How long an offer stays open for its tailor.")
    max_misses: int = strawberry.field(
        description="Offers declined, expired or withdrawn before the job waits for staff (DISPATCH_JOB_NEEDS_STAFF)."
    )
    updated_at: datetime | None

    @classmethod
    def of(cls, row: SettingsRow) -> DispatchSettings:
        return cls(
            quality_weight=_weight(row.quality_weight),
            on_time_weight=_weight(row.on_time_weight),
            load_weight=_weight(row.load_weight),
            distance_weight=_weight(row.distance_weight),
            rotation_weight=_weight(row.rotation_weight),
            history_jobs=row.history_jobs,
            origin_latitude=row.origin_latitude,
            origin_longitude=row.origin_longitude,
            offer_minutes=row.offer_minutes,
            max_misses=row.max_misses,
            updated_at=row.updated_at,
        )


@strawberry.input(description="Only the fields given are changed. Weights from 0 to 100; 0 leaves a term out.")
class DispatchSettingsUpdateInput:
    quality_weight: Decimal | None = strawberry.UNSET
    on_time_weight: Decimal | None = strawberry.UNSET
    load_weight: Decimal | None = strawberry.UNSET
    distance_weight: Decimal | None = strawberry.UNSET
    rotation_weight: Decimal | None = strawberry.UNSET
    history_jobs: int | None = strawberry.UNSET
    origin_latitude: Decimal | None = strawberry.UNSET
    origin_longitude: Decimal | None = strawberry.UNSET
    offer_minutes: int | None = strawberry.UNSET
    max_misses: int | None = strawberry.UNSET


@strawberry.type
class DispatchSettingsPayload:
    dispatch_settings: DispatchSettings | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DispatchFilterVerdict:
    filter: DispatchFilter
    passed: bool
    detail: str


@strawberry.type
class DispatchScoreTerm:
    term: DispatchTerm
    value: float = strawberry.field(description="From 0 (worst) to 1 (best).")
    weight: float
    contribution: float = strawberry.field(description="value × weight; the score is their sum over the weights'.")
    detail: str


@strawberry.type
class DispatchTailor:
    id: relay.GlobalID
    display_name: str
    city: str
    country: str


@strawberry.type(description="One approved tailor judged against the job.")
class DispatchCandidate:
    tailor: DispatchTailor
    eligible: bool
    rank: int | None = strawberry.field(description="1 for the best eligible tailor; null when a filter fails.")
    score: float
    filters: list[DispatchFilterVerdict]
    terms: list[DispatchScoreTerm]

    @classmethod
    def of(cls, scored: Scored, rank: int | None) -> DispatchCandidate:
        candidate, tailor = scored.candidate, scored.candidate.tailor
        return cls(
            tailor=DispatchTailor(
                id=relay.GlobalID("Tailor", str(tailor.id)),
                display_name=tailor.display_name,
                city=tailor.city,
                country=tailor.country,
            ),
            eligible=rank is not None,
            rank=rank,
            score=round(scored.score, 6),
            filters=[
                DispatchFilterVerdict(filter=DispatchFilter(v.check.value), passed=v.passed, detail=v.detail)
                for v in candidate.verdicts
            ],
            terms=[
                DispatchScoreTerm(
                    term=DispatchTerm(t.term.value),
                    value=round(t.value, 6),
                    weight=t.weight,
                    contribution=round(t.contribution, 6),
                    detail=t.detail,
                )
                for t in scored.terms
            ],
        )


@strawberry.type(description="Why each tailor is where it is for one queued job.")
class DispatchExplanation:
    job_id: relay.GlobalID
    certificates_judged_on: date = strawberry.field(description="The job's ready-by date (today without one).")
    candidates: list[DispatchCandidate] = strawberry.field(
        description="Eligible tailors best first, then the others by id."
    )


@strawberry.type
class DispatchQuery:
    @strawberry.field(**guard("The brand's dispatch weights (added by the tailor_dispatch plugin).", MANAGE_ORDERS))
    async def dispatch_settings(self, info: Info, brand: str | None = None) -> DispatchSettings:
        actor = await info.context.actor()
        found = await managed_brand(actor, await info.context.brand_slug(brand), weights.PERMISSION)
        return DispatchSettings.of(await weights.read(actor, found))

    @strawberry.field(
        **guard("Every approved tailor for a queued job: each filter's verdict and each score term.", MANAGE_ORDERS)
    )
    async def dispatch_explain(self, info: Info, job_id: relay.GlobalID) -> DispatchExplanation:
        actor = await info.context.actor()
        found = await dispatch.explain(actor, decode_id(job_id, "ProductionJob", "job_id"))
        return DispatchExplanation(
            job_id=relay.GlobalID("ProductionJob", str(found.job.id)),
            certificates_judged_on=found.judged_on,
            candidates=[DispatchCandidate.of(s, i) for i, s in enumerate(found.ranked, 1)]
            + [DispatchCandidate.of(s, None) for s in found.excluded],
        )


@strawberry.type
class DispatchMutation:
    @strawberry.mutation(**guard("Change the brand's dispatch weights; only the fields given.", MANAGE_ORDERS))
    async def dispatch_settings_update(
        self, info: Info, input: DispatchSettingsUpdateInput, brand: str | None = None
    ) -> DispatchSettingsPayload:
        actor = await info.context.actor()

        async def run() -> SettingsRow:
            found = await managed_brand(actor, await info.context.brand_slug(brand), weights.PERMISSION)
            return await weights.update(actor, found, changes(input, nullable=("origin_latitude", "origin_longitude")))

        row, errors = await attempt(run)
        return DispatchSettingsPayload(dispatch_settings=DispatchSettings.of(row) if row else None, errors=errors)
