"""Each finished job's outcome for its tailor's record (`production_job_outcome`), kept from the job's history.

A tailor's record (`candidates.track_table`: QC first pass, remakes for the making, on time over its last N
finished jobs) was three aggregates over qc_inspection, production_stage_change and the remakes for every ranking:
half the time of ranking a job over a thousand tailors. The outcome row is that summary per job, so the record is
one indexed read of (tailor_id, assigned_at, job_id).

The row is never patched field by field: `refresh` rewrites it from the job's history (the first inspection by id,
the first READY stage change, a MAKING remake pointing at the job, the job's current tailor, stage and assignment
time) in the caller's transaction. `stages.move` calls it after every stage change (a QC report records its
inspection before moving the job, so the move sees it) and `qc` after creating a remake (whose cause is only then
written), so the rows are what the history says whatever order things happened in. A job that is not finished, or
has no tailor, has no row. Migration 0015 backfills with the same statement for every job.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from core.garments.models import JobStage

FINISHED = (JobStage.READY, JobStage.SHIPPED, JobStage.REMADE)
TABLE = "production_job_outcome"

# Per job: the first inspection's verdict (lowest id), the first READY (earliest stage change), whether a MAKING
# remake points at it; on time when that READY's UTC day is on or before ready-by. Each subquery is indexed on the
# job (qc_inspection.job_id, production_stage_change.job_id, production_job.remake_of_id, migration 0015).
INSERT_SQL = """
INSERT INTO production_job_outcome
    (job_id, tailor_id, brand_id, assigned_at, first_qc_passed, remade, ready_at, on_time)
SELECT id, tailor_id, brand_id, assigned_at, first_qc_passed, remade, ready_at,
       CASE WHEN ready_at IS NULL OR ready_by IS NULL THEN NULL WHEN {day} <= ready_by THEN TRUE ELSE FALSE END
FROM (
    SELECT j.id, j.tailor_id, j.brand_id, j.assigned_at, j.ready_by,
           (SELECT q.passed FROM qc_inspection q WHERE q.job_id = j.id ORDER BY q.id LIMIT 1) AS first_qc_passed,
           EXISTS (
               SELECT 1 FROM production_job m WHERE m.remake_of_id = j.id AND m.remake_cause = 'MAKING'
           ) AS remade,
           (
               SELECT MIN(c.created_at) FROM production_stage_change c WHERE c.job_id = j.id AND c.to_stage = 'READY'
           ) AS ready_at
    FROM production_job j
    WHERE j.tailor_id IS NOT NULL AND j.stage IN ({finished}){jobs}
) o
"""


def _statements(dialect: str, job_ids: Sequence[int] | None) -> list[tuple[str, list[Any]]]:
    postgres = dialect == "postgres"
    day = "(ready_at AT TIME ZONE 'UTC')::date" if postgres else "DATE(ready_at)"
    finished = ", ".join(f"'{stage.value}'" for stage in FINISHED)
    if job_ids is None:
        return [(f"DELETE FROM {TABLE}", []), (INSERT_SQL.format(day=day, finished=finished, jobs=""), [])]
    ids_sql = "SELECT unnest($1::bigint[])" if postgres else "SELECT value FROM json_each(?)"
    values: list[Any] = [sorted({int(i) for i in job_ids})]
    if not postgres:
        values = [json.dumps(values[0])]
    insert = INSERT_SQL.format(day=day, finished=finished, jobs=f" AND j.id IN ({ids_sql})")
    return [(f"DELETE FROM {TABLE} WHERE job_id IN ({ids_sql})", values), (insert, values)]


async def refresh(job_ids: Sequence[int], *, client: BaseDBAsyncClient | None = None) -> None:
    """Rewrite these jobs' outcome rows from their history (two statements whatever their number), inside the
    caller's transaction."""
    if not job_ids:
        return
    client = client or connections.get("default")
    for sql, values in _statements(client.capabilities.dialect, job_ids):
        await client.execute_query(sql, values)


async def rebuild(client: BaseDBAsyncClient | None = None) -> None:
    """Every job's outcome row from the history (the migration's backfill; also after raw history imports)."""
    client = client or connections.get("default")
    for sql, values in _statements(client.capabilities.dialect, None):
        await client.execute_query(sql, values)
