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
from typing import Annotated, Any, TypeVar

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
from schema.arguments import BrandSlug
from schema.enums import described_enum
from schema.errors import UserError, attempt
from schema.permissions import TAILOR, BrandPermission, guard
from schema.relay import After, Connection, First, connection, decode_id

MANAGE_ORDERS = BrandPermission(Permission.MANAGE_ORDERS)
T = TypeVar("T")

ProductionStage = described_enum(
    JobStage,
    name="ProductionStage",
    description="Where a garment's making stands.",
    values={
        "QUEUED": "Waiting for a tailor (it can be assigned once its order is paid).",
        "ASSIGNED": "Given to a tailor, who has not accepted it yet.",
        "ACCEPTED": "The tailor accepted it; the cloth is still whole.",
        "CUTTING": "The cloth is being cut.",
        "SEWING": "Being sewn.",
        "FINISHING": "Being finished (buttons, hems, embroidery, pressing).",
        "QUALITY_CHECK": "Waiting for the brand's quality inspection.",
        "ALTERATION": "Failed the inspection; the tailor corrects it.",
        "READY": "Passed the inspection; ships with its order line.",
        "SHIPPED": "Sent to the customer (final).",
        "REMADE": "Replaced by a new job that makes it again (final).",
        "CANCELLED": "Called off with its order (final).",
    },
)
RemakeCauseEnum = described_enum(
    RemakeCause,
    name="RemakeCause",
    description="Why a garment is made again.",
    values={
        "MEASUREMENT": "The measurements were wrong.",
        "MAKING": "A fault in the making.",
        "FABRIC": "A fault in the fabric.",
        "CUSTOMER_CHANGE": "The customer changed the order.",
    },
)
DefectSeverityEnum = described_enum(
    DefectSeverity,
    name="DefectSeverity",
    description="How bad a defect found at quality control is.",
    values={
        "MINOR": "Cosmetic; the garment may still pass.",
        "MAJOR": "A fault that fails the inspection.",
        "CRITICAL": "The most serious grade of fault; it fails the inspection.",
    },
)


@strawberry.enum(description="What happens to a garment that failed QC.")
class QcOutcome(Enum):
    ALTERATION = strawberry.enum_value("ALTERATION", description="The tailor corrects it, then it is inspected again.")
    REMAKE = strawberry.enum_value(
        "REMAKE",
        description=(
            "It is made again as a new job (with `remakeCause`); its fabric is reserved again "
            "(FABRIC_OUT_OF_STOCK when short)."
        ),
    )


# --- types --------------------------------------------------------------------------------------------------


@strawberry.type(description="One step of a garment's making: when it reached a stage, and what was said.")
class ProductionJobStep:
    stage: ProductionStage = strawberry.field(description="The stage the job reached at this step.")  # type: ignore[valid-type]
    from_stage: ProductionStage | None = strawberry.field(  # type: ignore[valid-type]
        description="Null for the step that created the job."
    )
    at: datetime = strawberry.field(description="When (ISO 8601 with offset).")
    note: str = strawberry.field(description="Visible to the customer.")
    internal_note: str | None = strawberry.field(description="Brand staff only; null for anyone else.")
    actor: str = strawberry.field(description="user:<id>, app:<id> or SYSTEM.")
    role: str = strawberry.field(description="TAILOR, STAFF or SYSTEM.")
    photo_urls: list[str] = strawberry.field(description="Photos of the work at this step (absolute http(s) URLs).")

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


@strawberry.type(description="One checklist item of an inspection.")
class QcChecklistResult:
    item: str = strawberry.field(description="The item's code (e.g. `SEAMS`, `MEASUREMENTS`).")
    passed: bool = strawberry.field(description="Whether the garment passed it.")
    note: str = strawberry.field(description="The inspector's remark; may be empty.")


@strawberry.type(description="A defect found in an inspection.")
class QcDefect:
    code: str = strawberry.field(description="The defect's code (e.g. `UNEVEN_HEM`).")
    severity: DefectSeverityEnum = strawberry.field(  # type: ignore[valid-type]
        description="How bad it is; a MAJOR or CRITICAL one fails the inspection."
    )
    note: str = strawberry.field(description="The inspector's remark; may be empty.")


@strawberry.type(description="A quality inspection of a garment by the brand's staff.")
class QcInspectionResult:
    id: relay.GlobalID = strawberry.field(description="The inspection's global ID.")
    passed: bool = strawberry.field(description="Whether the garment passed (it became READY).")
    checklist: list[QcChecklistResult] = strawberry.field(description="The checklist items checked.")
    defects: list[QcDefect] = strawberry.field(description="The defects found.")
    inspector: str = strawberry.field(description="Who inspected (`user:<id>` or `app:<id>`).")
    note: str = strawberry.field(description="The inspector's note for the customer; may be empty.")
    photo_urls: list[str] = strawberry.field(description="Photos taken (absolute http(s) URLs).")
    created_at: datetime = strawberry.field(description="When it was recorded (ISO 8601 with offset).")

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
    id: relay.GlobalID = strawberry.field(description="The Tailor's global ID.")
    display_name: str = strawberry.field(description="The tailor's or workshop's public name.")


@strawberry.type(description="A body measurement the garment is cut to, in centimetres.")
class ProductionMeasurement:
    code: str = strawberry.field(description="The measurement's code (e.g. `LINGKAR_BADAN`).")
    cm: str = strawberry.field(description="The value in centimetres, as a decimal string (e.g. `96.50`).")


@strawberry.type(description="A chosen option: the group's code, the values' codes, or the text (embroidery).")
class ProductionOption:
    group: str = strawberry.field(description="The option group's code (e.g. `COLLAR`).")
    values: list[str] = strawberry.field(description="The chosen values' codes; empty for a text option.")
    text: str = strawberry.field(description="The text to embroider or print; empty otherwise.")


@strawberry.type(description="The cloth a garment is cut from, and how much of it.")
class ProductionFabric:
    sku: str = strawberry.field(description="The fabric's SKU.")
    name: str = strawberry.field(description="The fabric's name.")
    metres: str = strawberry.field(description="Metres reserved for this garment, as a decimal string.")


@strawberry.type(
    description="One garment to make for a made-to-measure order line: what to make it from, who makes it, "
    "where it stands and how it got there."
)
class ProductionJob(relay.Node):
    id: relay.NodeID[int]
    stage: ProductionStage = strawberry.field(description="Where the making stands now.")  # type: ignore[valid-type]
    garment: str = strawberry.field(description="The product's name, with the garment's number on a line of several.")
    garment_type: str = strawberry.field(description="The garment type's code (e.g. `GAMIS`).")
    garment_index: int = strawberry.field(
        description="Which garment of its order line it is (1 to the line's quantity)."
    )
    ready_by: date | None = strawberry.field(
        description="The date promised to the customer (ISO 8601 date); null when none was quoted."
    )
    order_number: int = strawberry.field(description="The number of the order it belongs to.")
    order_line_id: relay.GlobalID = strawberry.field(description="The OrderLine's global ID.")
    tailor: ProductionTailor | None = strawberry.field(description="The tailor it is assigned to; null while QUEUED.")
    assigned_at: datetime | None = strawberry.field(
        description="When it was assigned (ISO 8601 with offset); null while unassigned."
    )
    fabric: ProductionFabric | None = strawberry.field(
        description="The fabric to cut it from; null when the order line has none."
    )
    size_band: str = strawberry.field(description="The size band of its measurements (e.g. `M`); may be empty.")
    measurements: list[ProductionMeasurement] = strawberry.field(description="The body measurements to cut it to.")
    options: list[ProductionOption] = strawberry.field(description="The options the customer chose.")
    remake_of: relay.GlobalID | None = strawberry.field(description="The job this one makes again.")
    remake_cause: RemakeCauseEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Why this job remakes another; null for a first make."
    )
    next_stages: list[ProductionStage] = strawberry.field(  # type: ignore[valid-type]
        description="Where the viewer may move it (assignment and QC included)."
    )
    history: list[ProductionJobStep] = strawberry.field(
        description="Every step so far, oldest first; internal notes for brand staff only."
    )
    inspections: list[QcInspectionResult] = strawberry.field(description="Quality inspections so far, oldest first.")
    created_at: datetime = strawberry.field(
        description="When the job was made, as its order was placed (ISO 8601 with offset)."
    )

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
    stage: ProductionStage = strawberry.field(description="The stage the garment reached.")  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="When (ISO 8601 with offset).")
    note: str = strawberry.field(description="What the tailor or brand said at this step; may be empty.")


@strawberry.type(description="A made-to-measure garment of the order, and how its making goes.")
class OrderProductionJob:
    id: relay.GlobalID = strawberry.field(description="The ProductionJob's global ID.")
    garment: str = strawberry.field(description="The product's name, with the garment's number on a line of several.")
    garment_type: str = strawberry.field(description="The garment type's code (e.g. `GAMIS`).")
    stage: ProductionStage = strawberry.field(description="Where the making stands now.")  # type: ignore[valid-type]
    ready_by: date | None = strawberry.field(
        description="The date promised (ISO 8601 date); null when none was quoted."
    )
    tailor: ProductionTailor | None = strawberry.field(description="Who makes it (their display name only).")
    history: list[OrderProductionStep] = strawberry.field(description="Every step so far, oldest first.")


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
    tailor_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only jobs of this Tailor (its global ID)."
    )
    order_number: int | None = strawberry.field(
        default=None, description="Only the jobs of this order (a positive number; INVALID_FILTER otherwise)."
    )
    garment_type: str | None = strawberry.field(default=None, description="A garment type code, e.g. GAMIS.")


@strawberry.input(description="Any of these stages.")
class MyJobsFilter:
    stage: list[ProductionStage] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only jobs in any of these stages."
    )


@strawberry.input(description="A move of a job to its next stage, with what to record.")
class ProductionJobAdvanceInput:
    to: ProductionStage = strawberry.field(  # type: ignore[valid-type]
        description=(
            "The stage to move to; one not next from the current stage: INVALID_TRANSITION; one your "
            "role may not move it to: TRANSITION_NOT_ALLOWED."
        )
    )
    note: str = strawberry.field(default="", description="Visible to the customer.")
    internal_note: str = strawberry.field(default="", description="Visible to brand staff only.")
    photo_urls: list[str] = strawberry.field(default_factory=list, description="Up to 10 http(s) URLs.")


@strawberry.input(description="One checklist item checked.")
class QcChecklistInput:
    item: str = strawberry.field(description="A code, e.g. SEAMS, MEASUREMENTS, FINISHING.")
    passed: bool = strawberry.field(
        description=(
            "Whether the garment passed it; a failed item fails the inspection (QC_INCONSISTENT with `passed: true`)."
        )
    )
    note: str = strawberry.field(default="", description="A remark, at most 500 characters.")


@strawberry.input(description="A defect found; its code is letters, digits and _ up to 40 (INVALID_CODE).")
class QcDefectInput:
    code: str = strawberry.field(description="A code, e.g. UNEVEN_HEM, WRONG_SLEEVE_LENGTH.")
    severity: DefectSeverityEnum = strawberry.field(  # type: ignore[valid-type]
        description="How bad it is; a MAJOR or CRITICAL defect fails the inspection."
    )
    note: str = strawberry.field(default="", description="A remark, at most 500 characters.")


@strawberry.input(description="An inspection: a pass makes the garment READY; a fail needs an outcome.")
class ProductionJobReportQcInput:
    passed: bool = strawberry.field(description="Whether the garment passed.")
    checklist: list[QcChecklistInput] = strawberry.field(
        default_factory=list, description="The items checked, each once (DUPLICATE), at most 50 (TOO_MANY)."
    )
    defects: list[QcDefectInput] = strawberry.field(
        default_factory=list,
        description=("The defects found, at most 50; a fail needs a defect or a failed item (QC_REASON_REQUIRED)."),
    )
    outcome: QcOutcome | None = strawberry.field(default=None, description="For a fail: ALTERATION or REMAKE.")
    remake_cause: RemakeCauseEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Required with REMAKE."
    )
    note: str = strawberry.field(default="", description="Visible to the customer.")
    internal_note: str = strawberry.field(default="", description="Visible to brand staff only.")
    photo_urls: list[str] = strawberry.field(default_factory=list, description="Up to 10 http(s) URLs of photos.")


@strawberry.type(description="The job after the change, or the errors and no change.")
class ProductionJobPayload:
    job: ProductionJob | None = strawberry.field(default=None, description="The job; null when refused.")
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The inspected job, the inspection and any remake, or the errors and no change.")
class ProductionJobReportQcPayload:
    job: ProductionJob | None = strawberry.field(
        default=None, description="The inspected job (READY, ALTERATION or REMADE); null when refused."
    )
    inspection: QcInspectionResult | None = strawberry.field(
        default=None, description="The inspection recorded; null when refused."
    )
    remake: ProductionJob | None = strawberry.field(default=None, description="The new job, after a REMAKE.")
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description=(
            "Why it was refused (QC_INCONSISTENT, OUTCOME_REQUIRED, QC_REASON_REQUIRED, "
            "REMAKE_CAUSE_REQUIRED, INVALID_TRANSITION, FABRIC_OUT_OF_STOCK); empty on success."
        ),
    )


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
        filter: Annotated[
            ProductionJobFilter | None, strawberry.argument(description="Conditions the jobs must all meet.")
        ] = None,
        first: First = None,
        after: After = None,
        brand: BrandSlug = None,
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
        self,
        info: Info,
        filter: Annotated[MyJobsFilter | None, strawberry.argument(description="Only jobs in these stages.")] = None,
        first: First = None,
        after: After = None,
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
        self,
        info: Info,
        job_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The ProductionJob's global ID; one you may not see (or none) is refused with NOT_FOUND. "
                    "Not QUEUED: INVALID_TRANSITION; its order not paid: ORDER_NOT_IN_PRODUCTION."
                )
            ),
        ],
        tailor_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The Tailor's global ID: approved (TAILOR_NOT_APPROVED), certified today "
                    "(TAILOR_NOT_CERTIFIED), making this garment type (TAILOR_GARMENT_TYPE), with a free "
                    "place (TAILOR_AT_CAPACITY); none: NOT_FOUND."
                )
            ),
        ],
        note: Annotated[
            str, strawberry.argument(description="A note for the customer's view of the step; at most 2000 characters.")
        ] = "",
        internal_note: Annotated[
            str, strawberry.argument(description="A note for brand staff only; at most 2000 characters.")
        ] = "",
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
        self,
        info: Info,
        job_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The ProductionJob's global ID; one you may not see (or none) is refused with NOT_FOUND. "
                    "Moved meanwhile by someone else: JOB_CHANGED."
                )
            ),
        ],
        input: Annotated[
            ProductionJobAdvanceInput, strawberry.argument(description="The stage to move to and what to record.")
        ],
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
        self,
        info: Info,
        job_id: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description=(
                    "The ProductionJob's global ID; one you may not see (or none) is refused with NOT_FOUND. "
                    "Not in QUALITY_CHECK: INVALID_TRANSITION."
                )
            ),
        ],
        input: Annotated[ProductionJobReportQcInput, strawberry.argument(description="The inspection.")],
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
