"""Production over GraphQL: brand staff list, assign and inspect jobs (`productionJobs`, `productionJobAssign`,
`productionJobReportQc`), tailors read and advance their own (`myJobs`, `productionJobAdvance`), and customers
follow their garments on the order (`Order.productionJobs`, rendered by `order_jobs`).

A page of jobs is rendered in a fixed number of statements (the jobs with their order line, order and tailor
joined, then their history and inspections), whatever its size. Staff see internal notes; tailors and
customers never do, and nothing here carries the customer's e-mail or address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from core.actors import brands
from core.auth.permissions import Permission
from core.context import Actor
from core.garments import assignment, jobs, qc, stages
from core.garments.models import DefectSeverity, JobStage, ProductionStageChange, QcInspection, RemakeCause
from core.garments.models import ProductionJob as JobModel
from core.outbox import after_commit
from core.pagination import PageRequest, paginate
from schema.errors import UserError, attempt
from schema.permissions import TAILOR, BrandPermission, guard
from schema.relay import Connection, connection, decode_id

MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)
T = TypeVar("T")

ProductionStage = strawberry.enum(JobStage, name="ProductionStage", description="Where a garment's making stands.")
RemakeCauseEnum = strawberry.enum(RemakeCause, name="RemakeCause", description="Why a garment is made again.")
DefectSeverityEnum = strawberry.enum(DefectSeverity, name="DefectSeverity")


@strawberry.enum(description="What happens to a garment that failed QC.")
class QcOutcome(Enum):
    ALTERATION = "ALTERATION"
    REMAKE = "REMAKE"


# --- types --------------------------------------------------------------------------------------------------


@strawberry.type(description="One step of a garment's making: when it reached a stage, and what was said.")
class ProductionJobStep:
    stage: ProductionStage  # type: ignore[valid-type]
    from_stage: ProductionStage | None = strawberry.field(  # type: ignore[valid-type]
        description="Null for the step that created the job."
    )
    at: datetime
    note: str = strawberry.field(description="Visible to the customer.")
    internal_note: str | None = strawberry.field(description="Brand staff only; null for anyone else.")
    actor: str = strawberry.field(description="user:<id>, app:<id> or SYSTEM.")
    role: str = strawberry.field(description="TAILOR, STAFF or SYSTEM.")
    photo_urls: list[str]

    @classmethod
    def of(cls, row: ProductionStageChange, *, staff: bool) -> ProductionJobStep:
        return cls(
            stage=JobStage(row.to_stage),
            from_stage=JobStage(row.from_stage) if row.from_stage else None,
            at=row.created_at,
            note=row.note,
            internal_note=row.internal_note if staff else None,
            actor=row.actor,
            role=row.actor_role,
            photo_urls=list(row.photo_urls),
        )


@strawberry.type
class QcChecklistResult:
    item: str
    passed: bool
    note: str


@strawberry.type
class QcDefect:
    code: str
    severity: DefectSeverityEnum  # type: ignore[valid-type]
    note: str


@strawberry.type(description="A quality inspection of a garment by the brand's staff.")
class QcInspectionResult:
    id: relay.GlobalID
    passed: bool
    checklist: list[QcChecklistResult]
    defects: list[QcDefect]
    inspector: str
    note: str
    photo_urls: list[str]
    created_at: datetime

    @classmethod
    def of(cls, row: QcInspection) -> QcInspectionResult:
        return cls(
            id=relay.GlobalID("QcInspection", str(row.id)),
            passed=row.passed,
            checklist=[
                QcChecklistResult(item=c["item"], passed=bool(c["passed"]), note=c.get("note", ""))
                for c in row.checklist
            ],
            defects=[
                QcDefect(code=d["code"], severity=DefectSeverity(d["severity"]), note=d.get("note", ""))
                for d in row.defects
            ],
            inspector=row.inspector,
            note=row.note,
            photo_urls=list(row.photo_urls),
            created_at=row.created_at,
        )


@strawberry.type(description="Who makes a garment, as the brand and the customer see it.")
class ProductionTailor:
    id: relay.GlobalID
    display_name: str


@strawberry.type(description="A body measurement the garment is cut to, in centimetres.")
class ProductionMeasurement:
    code: str
    cm: str


@strawberry.type(description="A chosen option: the group's code, the values' codes, or the text (embroidery).")
class ProductionOption:
    group: str
    values: list[str]
    text: str


@strawberry.type(description="The cloth a garment is cut from, and how much of it.")
class ProductionFabric:
    sku: str
    name: str
    metres: str


@strawberry.type(
    description="One garment to make for a made-to-measure order line: what to make it from, who makes it, "
    "where it stands and how it got there."
)
class ProductionJob(relay.Node):
    id: relay.NodeID[int]
    stage: ProductionStage  # type: ignore[valid-type]
    garment: str = strawberry.field(description="The product's name, with the garment's number on a line of several.")
    garment_type: str
    garment_index: int
    ready_by: date | None
    order_number: int
    order_line_id: relay.GlobalID
    tailor: ProductionTailor | None
    assigned_at: datetime | None
    fabric: ProductionFabric | None
    size_band: str
    measurements: list[ProductionMeasurement]
    options: list[ProductionOption]
    remake_of: relay.GlobalID | None = strawberry.field(description="The job this one makes again.")
    remake_cause: RemakeCauseEnum | None  # type: ignore[valid-type]
    next_stages: list[ProductionStage] = strawberry.field(  # type: ignore[valid-type]
        description="Where the viewer may move it (assignment and QC included)."
    )
    history: list[ProductionJobStep]
    inspections: list[QcInspectionResult]
    created_at: datetime

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ProductionJob | None]:
        """Visible to staff managing the brand's orders and to the job's tailor."""
        actor = await info.context.actor()
        ids = [int(i) for i in node_ids if str(i).isdigit()]
        rows = [row for row in await _with_relations(JobModel.filter(id__in=ids)) if jobs.roles(actor, row)]
        rendered = {job.id: job for job in await render_jobs(rows, actor)}
        return [rendered.get(int(i)) if str(i).isdigit() else None for i in node_ids]


def _with_relations(queryset: Any) -> Any:
    return queryset.select_related("order", "order_line", "tailor")


def _garment(row: JobModel) -> str:
    line = row.order_line
    return line.product_name if line.quantity <= 1 else f"{line.product_name} ({row.garment_index}/{line.quantity})"


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _snapshot(row: JobModel) -> dict[str, Any]:
    value = row.order_line.custom_garment
    return value if isinstance(value, dict) else {}


async def render_jobs(rows: Sequence[JobModel], actor: Actor) -> list[ProductionJob]:
    """Jobs fetched with `_with_relations`, in two more statements for the lot (history, inspections)."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    history = _grouped(await ProductionStageChange.filter(job_id__in=ids).order_by("id"), "job_id")
    inspections = _grouped(await QcInspection.filter(job_id__in=ids).order_by("id"), "job_id")
    rendered = []
    for row in rows:
        held = jobs.roles(actor, row)
        staff = stages.Role.STAFF in held
        snapshot = _snapshot(row)
        fabric = snapshot.get("fabric") or {}
        rendered.append(
            ProductionJob(
                id=row.id,
                stage=JobStage(row.stage),
                garment=_garment(row),
                garment_type=row.garment_type_code,
                garment_index=row.garment_index,
                ready_by=row.ready_by,
                order_number=row.order.number,
                order_line_id=relay.GlobalID("OrderLine", str(row.order_line_id)),
                tailor=_tailor(row),
                assigned_at=row.assigned_at,
                fabric=ProductionFabric(
                    sku=str(fabric.get("sku", "")), name=str(fabric.get("name", "")), metres=str(row.fabric_metres)
                )
                if row.fabric_id is not None or fabric
                else None,
                size_band=str(snapshot.get("size_band") or ""),
                measurements=[
                    ProductionMeasurement(code=str(m["code"]), cm=str(m["cm"]))
                    for m in snapshot.get("measurements", [])
                ],
                options=[
                    ProductionOption(
                        group=str(o.get("group", "")),
                        values=[str(v) for v in o.get("values", [])],
                        text=str(o.get("text") or ""),
                    )
                    for o in snapshot.get("options", [])
                ],
                remake_of=relay.GlobalID("ProductionJob", str(row.remake_of_id)) if row.remake_of_id else None,
                remake_cause=RemakeCause(row.remake_cause) if row.remake_cause else None,
                next_stages=sorted(
                    {to for role in held for to in stages.next_stages(row.stage, role)}, key=list(JobStage).index
                ),
                history=[ProductionJobStep.of(h, staff=staff) for h in history[row.id]],
                inspections=[QcInspectionResult.of(i) for i in inspections[row.id]],
                created_at=row.created_at,
            )
        )
    return rendered


def _tailor(row: JobModel) -> ProductionTailor | None:
    if row.tailor_id is None:
        return None
    return ProductionTailor(id=relay.GlobalID("Tailor", str(row.tailor_id)), display_name=row.tailor.display_name)


# --- the customer's view on the order ----------------------------------------------------------------------


@strawberry.type(description="A step of a garment's making, as its customer sees it.")
class OrderProductionStep:
    stage: ProductionStage  # type: ignore[valid-type]
    at: datetime
    note: str


@strawberry.type(description="A made-to-measure garment of the order, and how its making goes.")
class OrderProductionJob:
    id: relay.GlobalID
    garment: str = strawberry.field(description="The product's name, with the garment's number on a line of several.")
    garment_type: str
    stage: ProductionStage  # type: ignore[valid-type]
    ready_by: date | None
    tailor: ProductionTailor | None = strawberry.field(description="Who makes it (their display name only).")
    history: list[OrderProductionStep]


async def _jobs_by_order(order_ids: Iterable[int]) -> dict[int, list[OrderProductionJob]]:
    rows = await JobModel.filter(order_id__in=list(order_ids)).select_related("order_line", "tailor").order_by("id")
    steps = _grouped(await ProductionStageChange.filter(job_id__in=[r.id for r in rows]).order_by("id"), "job_id")
    grouped: dict[int, list[OrderProductionJob]] = defaultdict(list)
    for row in rows:
        grouped[row.order_id].append(
            OrderProductionJob(
                id=relay.GlobalID("ProductionJob", str(row.id)),
                garment=_garment(row),
                garment_type=row.garment_type_code,
                stage=JobStage(row.stage),
                ready_by=row.ready_by,
                tailor=_tailor(row),
                history=[
                    OrderProductionStep(stage=JobStage(s.to_stage), at=s.created_at, note=s.note) for s in steps[row.id]
                ],
            )
        )
    return grouped


async def order_jobs(info: Info, order_id: int) -> list[OrderProductionJob]:
    """The garments of an order already visible to the viewer (its customer or its brand's staff), batched
    over every order of the response: two statements in all."""
    loader = info.context.loaders.extra.get("production_jobs_by_order")
    if loader is None:

        async def load(keys: list[int]) -> list[list[OrderProductionJob]]:
            found = await _jobs_by_order(keys)
            return [found.get(key, []) for key in keys]

        loader = info.context.loaders.extra["production_jobs_by_order"] = DataLoader(load_fn=load)
    return await loader.load(order_id)


# --- inputs and payloads -------------------------------------------------------------------------------------


@strawberry.input(description="Every condition given must hold.")
class ProductionJobFilter:
    stage: list[ProductionStage] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these stages."
    )
    tailor_id: relay.GlobalID | None = None
    order_number: int | None = None
    garment_type: str | None = strawberry.field(default=None, description="A garment type code, e.g. GAMIS.")


@strawberry.input(description="Any of these stages.")
class MyJobsFilter:
    stage: list[ProductionStage] | None = None  # type: ignore[valid-type]


@strawberry.input(description="A move of a job to its next stage, with what to record.")
class ProductionJobAdvanceInput:
    to: ProductionStage  # type: ignore[valid-type]
    note: str = strawberry.field(default="", description="Visible to the customer.")
    internal_note: str = strawberry.field(default="", description="Visible to brand staff only.")
    photo_urls: list[str] = strawberry.field(default_factory=list, description="Up to 10 http(s) URLs.")


@strawberry.input
class QcChecklistInput:
    item: str = strawberry.field(description="A code, e.g. SEAMS, MEASUREMENTS, FINISHING.")
    passed: bool
    note: str = ""


@strawberry.input
class QcDefectInput:
    code: str = strawberry.field(description="A code, e.g. UNEVEN_HEM, WRONG_SLEEVE_LENGTH.")
    severity: DefectSeverityEnum  # type: ignore[valid-type]
    note: str = ""


@strawberry.input(description="An inspection: a pass makes the garment READY; a fail needs an outcome.")
class ProductionJobReportQcInput:
    passed: bool
    checklist: list[QcChecklistInput] = strawberry.field(default_factory=list)
    defects: list[QcDefectInput] = strawberry.field(default_factory=list)
    outcome: QcOutcome | None = strawberry.field(default=None, description="For a fail: ALTERATION or REMAKE.")
    remake_cause: RemakeCauseEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Required with REMAKE."
    )
    note: str = strawberry.field(default="", description="Visible to the customer.")
    internal_note: str = strawberry.field(default="", description="Visible to brand staff only.")
    photo_urls: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class ProductionJobPayload:
    job: ProductionJob | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProductionJobReportQcPayload:
    job: ProductionJob | None = None
    inspection: QcInspectionResult | None = None
    remake: ProductionJob | None = strawberry.field(default=None, description="The new job, after a REMAKE.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _run(info: Info, operation: Callable[[], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """The service through `attempt`, then the events its transaction wrote delivered (after the commit)."""
    result, errors = await attempt(operation)
    if result is not None:
        await after_commit(info.context.host)
    return result, errors


async def _rendered(actor: Actor, job_ids: Sequence[int]) -> list[ProductionJob]:
    rows = await _with_relations(JobModel.filter(id__in=list(job_ids)))
    by_id = {job.id: job for job in await render_jobs(rows, actor)}
    return [by_id[i] for i in job_ids if i in by_id]


async def _page(info: Info, queryset: Any, key: str, first: int | None, after: str | None) -> Connection[ProductionJob]:
    limits = info.context.settings.graphql
    page = await paginate(
        _with_relations(queryset),
        PageRequest(first=first, after=after),
        order=("-id",),
        key=key,
        default_size=limits.default_page_size,
        max_size=limits.max_page_size,
    )
    rendered = {job.id: job for job in await render_jobs(page.items, await info.context.actor())}
    return connection(page, lambda row: rendered[row.id])


# --- fields ---------------------------------------------------------------------------------------------------


@strawberry.type
class ProductionQuery:
    @strawberry.field(**guard("The brand's production jobs, newest first.", MANAGE_ORDERS))
    async def production_jobs(
        self,
        info: Info,
        filter: ProductionJobFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        brand: str | None = None,
    ) -> Connection[ProductionJob]:
        actor = await info.context.actor()
        found = await brands.managed_brand(actor, await info.context.brand_slug(brand), Permission.MANAGE_ORDERS)
        given = filter or ProductionJobFilter()
        queryset = jobs.staff_jobs(
            found.id,
            stages_in=given.stage,
            tailor_id=decode_id(given.tailor_id, "Tailor", "filter.tailor_id") if given.tailor_id else None,
            order_number=given.order_number,
            garment_type=given.garment_type,
        )
        return await _page(info, queryset, "jobs:new", first, after)

    @strawberry.field(**guard("The signed-in tailor's jobs, newest first.", TAILOR))
    async def my_jobs(
        self, info: Info, filter: MyJobsFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[ProductionJob]:
        actor = await info.context.actor()
        queryset = jobs.tailor_jobs(actor, stages_in=filter.stage if filter else None)
        return await _page(info, queryset, "jobs:mine", first, after)


@strawberry.type
class ProductionMutation:
    @strawberry.mutation(
        **guard(
            "Give a queued job to a tailor: approved, holding a certificate valid today, making the garment type, "
            "with a free place.",
            MANAGE_ORDERS,
        )
    )
    async def production_job_assign(
        self, info: Info, job_id: relay.GlobalID, tailor_id: relay.GlobalID, note: str = "", internal_note: str = ""
    ) -> ProductionJobPayload:
        actor = await info.context.actor()
        job, errors = await _run(
            info,
            lambda: assignment.assign(
                actor,
                decode_id(job_id, "ProductionJob", "job_id"),
                decode_id(tailor_id, "Tailor", "tailor_id"),
                note=note,
                internal_note=internal_note,
            ),
        )
        return ProductionJobPayload(job=(await _rendered(actor, [job.id]))[0] if job else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Move a job one stage on. The assigned tailor accepts (or declines: `to: QUEUED`) and advances the "
            "making stages; staff may take a job back before its cloth is cut (`to: QUEUED`). A READY garment "
            "ships with its order line (`shipmentCreate`); garments are called off only with their order "
            "(`orderCancel`).",
            TAILOR,
            MANAGE_ORDERS,
        )
    )
    async def production_job_advance(
        self, info: Info, job_id: relay.GlobalID, input: ProductionJobAdvanceInput
    ) -> ProductionJobPayload:
        actor = await info.context.actor()
        job, errors = await _run(
            info,
            lambda: jobs.advance(
                actor,
                decode_id(job_id, "ProductionJob", "job_id"),
                JobStage(input.to),
                note=input.note,
                internal_note=input.internal_note,
                photo_urls=input.photo_urls,
                host=info.context.host,
            ),
        )
        return ProductionJobPayload(job=(await _rendered(actor, [job.id]))[0] if job else None, errors=errors)

    @strawberry.mutation(
        **guard(
            "Record a quality inspection of a garment in QUALITY_CHECK: a pass makes it READY, a fail sends it to "
            "ALTERATION or has it remade (a new job; the fabric is reserved again).",
            MANAGE_ORDERS,
        )
    )
    async def production_job_report_qc(
        self, info: Info, job_id: relay.GlobalID, input: ProductionJobReportQcInput
    ) -> ProductionJobReportQcPayload:
        actor = await info.context.actor()
        verdict = qc.Report(
            passed=input.passed,
            checklist=[qc.ChecklistItem(item=c.item, passed=c.passed, note=c.note) for c in input.checklist],
            defects=[qc.Defect(code=d.code, severity=DefectSeverity(d.severity), note=d.note) for d in input.defects],
            outcome={"ALTERATION": JobStage.ALTERATION, "REMAKE": JobStage.REMADE}.get(input.outcome.value)
            if input.outcome
            else None,
            remake_cause=RemakeCause(input.remake_cause) if input.remake_cause else None,
        )
        result, errors = await _run(
            info,
            lambda: qc.report(
                actor,
                decode_id(job_id, "ProductionJob", "job_id"),
                verdict,
                note=input.note,
                internal_note=input.internal_note,
                photo_urls=input.photo_urls,
                host=info.context.host,
            ),
        )
        if result is None:
            return ProductionJobReportQcPayload(errors=errors)
        ids = [result.job.id, *([result.remake.id] if result.remake else [])]
        rendered = await _rendered(actor, ids)
        return ProductionJobReportQcPayload(
            job=rendered[0],
            inspection=QcInspectionResult.of(result.inspection),
            remake=rendered[1] if result.remake else None,
        )


QUERIES = (ProductionQuery,)
MUTATIONS = (ProductionMutation,)
TYPES = (ProductionJob,)
