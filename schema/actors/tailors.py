"""Tailors and convection workshops over GraphQL: applying, certificates, decisions, and finding them.

A page of tailors loads the certificates of all of them in one query (a per-request DataLoader), so listing
50 costs what listing 5 does.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.actors import certificates, tailors
from core.actors.models import ActorStatus, CertificationStatus, TailorKind
from core.actors.models import Certification as CertificationModel
from core.actors.models import Tailor as TailorModel
from core.auth.permissions import Permission
from core.context import Actor
from core.garments import tailor_metrics
from core.pagination import PageRequest, paginate
from schema.actors.suppliers import ActorStatusEnum
from schema.context import STOREFRONT_HEADER
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.loaders import grouped_loader
from schema.permissions import PLATFORM_ADMIN, SIGNED_IN, TAILOR, BrandPermission, guard
from schema.relay import After, Before, Connection, First, Last, connection, decode_id

TailorKindEnum = described_enum(
    TailorKind,
    name="TailorKind",
    description="Whether a tailor profile is one person or a workshop.",
    values={
        "INDIVIDUAL": "A tailor working alone.",
        "WORKSHOP": "A convection workshop (konveksi) with several people sewing.",
    },
)
CertificationStatusEnum = described_enum(
    CertificationStatus,
    name="CertificationStatus",
    description="A certificate is PENDING until the platform checks it.",
    values={
        "PENDING": "Added by the tailor, not yet checked; it does not make the tailor certified.",
        "VERIFIED": "Checked and genuine; it counts until its `validUntil` date.",
        "REJECTED": "Checked and refused (see `statusReason`); it never counts.",
    },
)
MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)
LOADER = "certifications_by_tailor"


def _certifications(info: Info) -> DataLoader[int, list[CertificationModel]]:
    """The request's loader, made on first use (schema/loaders.py stays free of actor concerns)."""
    extra = info.context.loaders.extra
    if LOADER not in extra:
        extra[LOADER] = grouped_loader(tailors.certifications_by_tailor)
    return extra[LOADER]


@strawberry.type(description="One unit of competence a certificate covers, e.g. GAR.CM02.003.01.")
class CompetencyUnit:
    code: str = strawberry.field(description="The SKKNI unit code, uppercase, e.g. GAR.CM02.003.01.")
    title: str = strawberry.field(description="The unit's title as on the certificate.")


@strawberry.type(description="A competency certificate, e.g. SKKNI through a BNSP-licensed LSP.")
class Certification(relay.Node):
    id: relay.NodeID[int]
    scheme: str = strawberry.field(description="The certification scheme, e.g. 'SKKNI Menjahit Pakaian'.")
    kkni_level: int | None = strawberry.field(description="KKNI qualification level, 1–9; null if the scheme has none.")
    competency_units: list[CompetencyUnit] = strawberry.field(description="The units it covers; may be empty.")
    certificate_number: str = strawberry.field(
        description="The number on the certificate, uppercase with single spaces; unique within its scheme."
    )
    lsp: str = strawberry.field(description="The certification body (Lembaga Sertifikasi Profesi).")
    issued_on: date = strawberry.field(description="The day it was issued (ISO 8601 date).")
    valid_until: date = strawberry.field(description="The last day it is valid (ISO 8601 date).")
    document_url: str = strawberry.field(description="An http(s) link to a scan of it; empty if none was given.")
    status: CertificationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Whether the platform has checked it."
    )
    status_reason: str = strawberry.field(description="Why the platform rejected it; empty otherwise.")
    verified_at: datetime | None = strawberry.field(
        description="When the platform verified or rejected it (ISO 8601 with offset); null while PENDING."
    )
    is_valid: bool = strawberry.field(description="Verified and not expired (valid until today or later).")

    @classmethod
    def from_model(cls, row: CertificationModel) -> Certification:
        return cls(
            id=row.id,
            scheme=row.scheme,
            kkni_level=row.kkni_level,
            competency_units=[CompetencyUnit(code=u["code"], title=u["title"]) for u in row.competency_units],
            certificate_number=row.certificate_number,
            lsp=row.lsp,
            issued_on=row.issued_on,
            valid_until=row.valid_until,
            document_url=row.document_url,
            status=row.status,
            status_reason=row.status_reason,
            verified_at=row.verified_at,
            is_valid=certificates.is_valid(row),
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: list[str], required: bool = False
    ) -> list[Certification | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await tailors.visible_certifications(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


METRICS_LOADER = "tailor_metrics"
MetricsKey = tuple[int, str | None, int]  # tailor id, brand slug (None: every brand's jobs), last jobs


def _metrics(info: Info, actor: Actor) -> DataLoader[MetricsKey, tailor_metrics.TailorMetrics | None]:
    """The request's loader: a page of tailors asking for one brand's records is three statements, not 3 × n."""
    extra = info.context.loaders.extra
    if METRICS_LOADER not in extra:

        async def load(keys: list[MetricsKey]) -> list[tailor_metrics.TailorMetrics | None]:
            rows = {t.id: t for t in await TailorModel.filter(id__in=[k[0] for k in keys])}
            found: dict[MetricsKey, tailor_metrics.TailorMetrics] = {}
            for brand, last in {(k[1], k[2]) for k in keys}:
                wanted = [rows[k[0]] for k in keys if (k[1], k[2]) == (brand, last) and k[0] in rows]
                for tailor_id, value in (
                    await tailor_metrics.metrics(actor, wanted, brand_slug=brand, last=last)
                ).items():
                    found[(tailor_id, brand, last)] = value
            return [found.get(key) for key in keys]

        extra[METRICS_LOADER] = DataLoader(load_fn=load)
    return extra[METRICS_LOADER]


@strawberry.type(
    description="A tailor's record over its last finished jobs (READY, SHIPPED or REMADE), newest assignment first, "
    "kept from its production history: QC inspections, remakes and READY dates."
)
class TailorMetrics:
    brand: str | None = strawberry.field(
        description="The slug of the brand whose jobs are counted; null when every brand's are (the tailor's own view)."
    )
    last_jobs: int = strawberry.field(description="How many of the last finished jobs were looked at, at most.")
    finished_jobs: int = strawberry.field(description="Finished jobs counted (at most `lastJobs`).")
    inspected: int = strawberry.field(description="Of those, how many had a QC inspection.")
    first_pass: int = strawberry.field(description="Of the inspected, how many passed their first inspection.")
    first_pass_rate: float | None = strawberry.field(
        description="firstPass / inspected, from 0 to 1; null before any inspection."
    )
    remade_for_making: int = strawberry.field(
        description="Finished jobs remade because of the making (not measurements or fabric)."
    )
    remake_rate: float | None = strawberry.field(
        description="remadeForMaking / finishedJobs, from 0 to 1; null before any finished job."
    )
    timed: int = strawberry.field(description="Finished jobs that had a ready-by date and reached READY.")
    on_time: int = strawberry.field(description="Of the timed, how many reached READY on or before ready-by (UTC).")
    on_time_rate: float | None = strawberry.field(description="onTime / timed, from 0 to 1; null before any.")
    last_assigned_at: datetime | None = strawberry.field(
        description="When it was last given a job (of the brand, when `brand` is set); ISO 8601, UTC."
    )

    @classmethod
    def of(cls, found: tailor_metrics.TailorMetrics) -> TailorMetrics:
        record = found.record
        return cls(
            brand=found.brand.slug if found.brand else None,
            last_jobs=found.last,
            finished_jobs=record.jobs,
            inspected=record.inspected,
            first_pass=record.first_pass,
            first_pass_rate=found.first_pass_rate,
            remade_for_making=record.remade,
            remake_rate=found.remake_rate,
            timed=record.timed,
            on_time=record.on_time,
            on_time_rate=found.on_time_rate,
            last_assigned_at=record.last_assigned_at,
        )


@strawberry.type(description="An individual tailor or a convection workshop that makes garments to order.")
class Tailor(relay.Node):
    id: relay.NodeID[int]
    status: ActorStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the tailor stands in the platform's selection; brands see APPROVED tailors only."
    )
    kind: TailorKindEnum = strawberry.field(description="One person or a workshop.")  # type: ignore[valid-type]
    display_name: str = strawberry.field(description="The name brands see.")
    city: str = strawberry.field(description="The city the tailor works in.")
    province: str = strawberry.field(description="The province; empty if not given.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    latitude: Decimal | None = strawberry.field(
        description="Degrees north (negative: south), six decimal places; null if no location was given."
    )
    longitude: Decimal | None = strawberry.field(
        description="Degrees east (negative: west), six decimal places; null if no location was given."
    )
    garment_types: list[str] = strawberry.field(description="Garment type codes, e.g. GAMIS, BAJU_KOKO.")
    capacity: int = strawberry.field(description="How many garments it can have in production at once.")
    lead_time_days: int = strawberry.field(description="Days the tailor needs to make one garment.")
    phone: str = strawberry.field(description="As the tailor typed it.")
    phone_e164: str = strawberry.field(description="The same number in E.164.")
    status_reason: str = strawberry.field(description="Why it was last rejected or suspended; empty if never.")
    created_at: datetime = strawberry.field(description="When the tailor applied (ISO 8601 with offset).")

    @classmethod
    def from_model(cls, tailor: TailorModel) -> Tailor:
        return cls(
            id=tailor.id,
            status=tailor.status,
            kind=tailor.kind,
            display_name=tailor.display_name,
            city=tailor.city,
            province=tailor.province,
            country=tailor.country,
            latitude=tailor.latitude,
            longitude=tailor.longitude,
            garment_types=list(tailor.garment_types),
            capacity=tailor.capacity,
            lead_time_days=tailor.lead_time_days,
            phone=tailor.phone,
            phone_e164=tailor.phone_e164,
            status_reason=tailor.status_reason,
            created_at=tailor.created_at,
        )

    @strawberry.field(description="Its certificates, newest first, whatever their status.")
    async def certifications(self, info: Info) -> list[Certification]:
        return [Certification.from_model(row) for row in await _certifications(info).load(self.id)]

    @strawberry.field(description="Holds at least one verified certificate that has not expired.")
    async def is_certified(self, info: Info) -> bool:
        return certificates.holds_valid(await _certifications(info).load(self.id))

    @strawberry.field(
        description="Its production record: over every brand's jobs for the tailor itself and platform admins "
        "(or over `brand`'s when given); over the brand's own jobs for that brand's staff with MANAGE_ORDERS, once "
        "the tailor has made a job for them; null for anyone else. INVALID_LAST_JOBS unless lastJobs is 1 to 200; "
        "NOT_FOUND for an unknown brand."
    )
    async def metrics(
        self,
        info: Info,
        brand: Annotated[
            str | None,
            strawberry.argument(
                description="A brand's slug: count only its jobs. Staff default to the storefront's brand."
            ),
        ] = None,
        last_jobs: Annotated[
            int, strawberry.argument(description="How many of the last finished jobs to count, 1 to 200.")
        ] = tailor_metrics.DEFAULT_LAST,
    ) -> TailorMetrics | None:
        actor = await info.context.actor()
        tailor_metrics.check_last(last_jobs)
        loader = _metrics(info, actor)
        found = await loader.load((self.id, brand, last_jobs))
        header = info.context.request.headers.get(STOREFRONT_HEADER)
        if found is None and brand is None and header:  # staff: their storefront's brand
            found = await loader.load((self.id, header, last_jobs))
        return TailorMetrics.of(found) if found else None

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: list[str], required: bool = False) -> list[Tailor | None]:
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if i.isdigit()]
        visible = await tailors.visible_tailors(actor, ids)
        return [cls.from_model(visible[int(i)]) if i.isdigit() and int(i) in visible else None for i in node_ids]


@strawberry.input(description="An application as a tailor or workshop. Text fields are trimmed.")
class TailorApplyInput:
    kind: TailorKindEnum = strawberry.field(description="One person or a workshop.")  # type: ignore[valid-type]
    display_name: str = strawberry.field(description="1–200 characters. Errors `REQUIRED`, `TOO_LONG`.")
    city: str = strawberry.field(description="1–100 characters. Errors `REQUIRED`, `TOO_LONG`.")
    province: str = strawberry.field(default="", description="Up to 100 characters; may be empty.")
    country: str = strawberry.field(default="ID", description="ISO 3166-1 alpha-2. Error `INVALID_COUNTRY`.")
    latitude: Decimal | None = strawberry.field(
        default=None,
        description="−90 to 90 (error `INVALID_LATITUDE`), rounded to six places; give with longitude "
        "(error `INVALID_LOCATION`).",
    )
    longitude: Decimal | None = strawberry.field(
        default=None,
        description="−180 to 180 (error `INVALID_LONGITUDE`), rounded to six places; give with latitude "
        "(error `INVALID_LOCATION`).",
    )
    garment_types: list[str] = strawberry.field(
        description="At least one of SHIRT, TROUSERS, GAMIS, ABAYA, BAJU_KOKO, KEBAYA, TUNIK, MUKENA, HIJAB, "
        "JACKET, DRESS, SKIRT (any case). Error `INVALID_GARMENT_TYPE`."
    )
    capacity: int = strawberry.field(description="Garments in production at once, 1–500. Error `INVALID_CAPACITY`.")
    lead_time_days: int = strawberry.field(description="Days to make a garment, 1–180. Error `INVALID_LEAD_TIME`.")
    phone: str = strawberry.field(
        description="International, or national in the tailor's country. Errors `REQUIRED`, `INVALID_PHONE`."
    )


@strawberry.input(description="One unit of competence a certificate covers.")
class CompetencyUnitInput:
    code: str = strawberry.field(
        description="An SKKNI unit code, e.g. GAR.CM02.003.01 (any case). Error `INVALID_COMPETENCY_UNIT`."
    )
    title: str = strawberry.field(description="1–300 characters. Error `INVALID_COMPETENCY_UNIT`.")


@strawberry.input(description="A competency certificate to register; it stays PENDING until the platform checks it.")
class TailorCertificationAddInput:
    scheme: str = strawberry.field(
        description="The certification scheme, e.g. 'SKKNI Menjahit Pakaian'; up to 100 characters."
    )
    kkni_level: int | None = strawberry.field(
        default=None, description="KKNI level 1–9, if the scheme has one. Error `INVALID_KKNI_LEVEL`."
    )
    competency_units: list[CompetencyUnitInput] = strawberry.field(
        default_factory=list, description="The units it covers; may be empty."
    )
    certificate_number: str = strawberry.field(
        description="Up to 100 characters; case and spacing are ignored. A number already registered in the "
        "scheme: error `CERTIFICATE_EXISTS`."
    )
    lsp: str = strawberry.field(description="The certification body (LSP) that issued it; up to 200 characters.")
    issued_on: date = strawberry.field(description="Not in the future. Error `INVALID_DATES`.")
    valid_until: date = strawberry.field(description="After `issuedOn`. Error `INVALID_DATES`.")
    document_url: str = strawberry.field(
        default="", description="An http(s) link to a scan of the certificate. Error `INVALID_URL`."
    )


@strawberry.input(description="A platform administrator's decision on a tailor or a certificate.")
class TailorDecisionInput:
    reason: str = strawberry.field(default="", description="Why; kept as the `statusReason`.")


@strawberry.input(description="Narrows the tailor list; the conditions given must all hold.")
class TailorFilter:
    status: ActorStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only tailors in this status (brand staff only ever see APPROVED ones)."
    )
    garment_type: str | None = strawberry.field(
        default=None, description="Makes this garment type, e.g. GAMIS. Error `INVALID_GARMENT_TYPE`."
    )
    certified: bool | None = strawberry.field(
        default=None, description="true: holds a verified, unexpired certificate; false: holds none; null: either."
    )
    city: str | None = strawberry.field(default=None, description="Exact city name, case-insensitive.")
    search: str | None = strawberry.field(
        default=None,
        description="Part of the display name, ignoring case; at most 200 characters (error `INVALID_FILTER`).",
    )


@strawberry.type(description="The result of a tailor mutation.")
class TailorPayload:
    tailor: Tailor | None = strawberry.field(default=None, description="The tailor as it is now; null on errors.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


@strawberry.type(description="The result of a certificate mutation.")
class CertificationPayload:
    certification: Certification | None = strawberry.field(
        default=None, description="The certificate as it is now; null on errors."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="What was wrong with the input; empty on success."
    )


def _tailor_payload(tailor: TailorModel | None, errors: list[UserError]) -> TailorPayload:
    return TailorPayload(tailor=Tailor.from_model(tailor) if tailor else None, errors=errors)


def _certification_payload(row: CertificationModel | None, errors: list[UserError]) -> CertificationPayload:
    return CertificationPayload(certification=Certification.from_model(row) if row else None, errors=errors)


async def _decide(info: Info, id: relay.GlobalID, target: ActorStatus, reason: str = "") -> TailorPayload:
    actor = await info.context.actor()
    return _tailor_payload(
        *await attempt(lambda: tailors.decide(actor, decode_id(id, "Tailor"), target, reason=reason))
    )


async def _decide_certification(
    info: Info, id: relay.GlobalID, target: CertificationStatus, reason: str = ""
) -> CertificationPayload:
    actor = await info.context.actor()
    return _certification_payload(
        *await attempt(
            lambda: tailors.decide_certification(actor, decode_id(id, "Certification"), target, reason=reason)
        )
    )


@strawberry.type
class TailorQuery:
    @strawberry.field(
        **guard(
            "Tailors and workshops, newest first (brand staff see approved ones only).",
            PLATFORM_ADMIN,
            MANAGE_ORDERS,
        )
    )
    async def tailors(
        self,
        info: Info,
        filter: Annotated[TailorFilter | None, strawberry.argument(description="Conditions; null for all.")] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Tailor]:
        actor = await info.context.actor()
        chosen = filter or TailorFilter()
        queryset = tailors.listing(
            actor,
            status=chosen.status,
            garment_type=chosen.garment_type,
            certified=chosen.certified,
            city=chosen.city,
            search=chosen.search,
        )
        limits = info.context.settings.graphql
        page = await paginate(
            queryset,
            PageRequest(first=first, after=after, last=last, before=before),
            order=("-id",),
            key="tailors:new",
            default_size=limits.default_page_size,
            max_size=limits.max_page_size,
        )
        return connection(page, Tailor.from_model)

    @strawberry.field(**guard("The caller's tailor profile (latest application); null if none.", SIGNED_IN))
    async def my_tailor_profile(self, info: Info) -> Tailor | None:
        found = await tailors.own(await info.context.actor())
        return Tailor.from_model(found) if found else None


@strawberry.type
class TailorMutation:
    @strawberry.mutation(
        **guard(
            "Apply as a tailor or convection workshop; the platform reviews it. One live application per "
            "account (error `ALREADY_APPLIED`).",
            SIGNED_IN,
        )
    )
    async def tailor_apply(
        self, info: Info, input: Annotated[TailorApplyInput, strawberry.argument(description="The application.")]
    ) -> TailorPayload:
        actor = await info.context.actor()
        return _tailor_payload(
            *await attempt(
                lambda: tailors.apply(
                    actor,
                    kind=input.kind,
                    display_name=input.display_name,
                    city=input.city,
                    province=input.province,
                    country=input.country,
                    latitude=input.latitude,
                    longitude=input.longitude,
                    garment_types=input.garment_types,
                    capacity=input.capacity,
                    lead_time_days=input.lead_time_days,
                    phone=input.phone,
                )
            )
        )

    @strawberry.mutation(
        **guard(
            "Approve an applied tailor (or reinstate a suspended one). Errors `NOT_FOUND`, `INVALID_STATUS`.",
            PLATFORM_ADMIN,
        )
    )
    async def tailor_approve(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The tailor's ID; APPLIED or SUSPENDED.")],
    ) -> TailorPayload:
        return await _decide(info, id, ActorStatus.APPROVED)

    @strawberry.mutation(
        **guard("Reject a tailor's application. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN)
    )
    async def tailor_reject(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The tailor's ID; it must be APPLIED.")],
        input: Annotated[TailorDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> TailorPayload:
        return await _decide(info, id, ActorStatus.REJECTED, input.reason if input else "")

    @strawberry.mutation(
        **guard(
            "Suspend an approved tailor: it gets no new work. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN
        )
    )
    async def tailor_suspend(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The tailor's ID; it must be APPROVED.")],
        input: Annotated[TailorDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> TailorPayload:
        return await _decide(info, id, ActorStatus.SUSPENDED, input.reason if input else "")

    @strawberry.mutation(
        **guard(
            "Add a competency certificate to the caller's tailor profile (latest not rejected one; none: error "
            "`INVALID_STATUS`).",
            TAILOR,
        )
    )
    async def tailor_certification_add(
        self,
        info: Info,
        input: Annotated[TailorCertificationAddInput, strawberry.argument(description="The certificate.")],
    ) -> CertificationPayload:
        actor = await info.context.actor()
        return _certification_payload(
            *await attempt(
                lambda: tailors.add_certification(
                    actor,
                    scheme=input.scheme,
                    kkni_level=input.kkni_level,
                    competency_units=[{"code": u.code, "title": u.title} for u in input.competency_units],
                    certificate_number=input.certificate_number,
                    lsp=input.lsp,
                    issued_on=input.issued_on,
                    valid_until=input.valid_until,
                    document_url=input.document_url,
                )
            )
        )

    @strawberry.mutation(
        **guard(
            "Mark a pending certificate as checked and genuine. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN
        )
    )
    async def tailor_certification_verify(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The certificate's ID; it must be PENDING.")],
    ) -> CertificationPayload:
        return await _decide_certification(info, id, CertificationStatus.VERIFIED)

    @strawberry.mutation(**guard("Reject a pending certificate. Errors `NOT_FOUND`, `INVALID_STATUS`.", PLATFORM_ADMIN))
    async def tailor_certification_reject(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The certificate's ID; it must be PENDING.")],
        input: Annotated[TailorDecisionInput | None, strawberry.argument(description="The reason, if any.")] = None,
    ) -> CertificationPayload:
        return await _decide_certification(info, id, CertificationStatus.REJECTED, input.reason if input else "")


QUERIES = (TailorQuery,)
MUTATIONS = (TailorMutation,)
TYPES = (Tailor, Certification)
