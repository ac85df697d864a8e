"""Indexes the production history lacked (inspections and stage changes by job, remakes by the job remade, jobs by
tailor and assignment time for a tailor's last assignment) and each finished job's outcome row
(core/garments/outcomes.py), backfilled from the history already recorded."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# The backfill as of this migration, frozen here (not core.garments.outcomes, which may change with later tables).
BACKFILL = """
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
    WHERE j.tailor_id IS NOT NULL AND j.stage IN ('READY', 'SHIPPED', 'REMADE')
) o
"""


async def backfill(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    day = "(ready_at AT TIME ZONE 'UTC')::date" if postgres else "DATE(ready_at)"
    await client.execute_query("DELETE FROM production_job_outcome", [])
    await client.execute_query(BACKFILL.format(day=day), [])


async def nothing_to_undo(apps, schema_editor) -> None:
    """The table is dropped by reversing CreateModel."""

class Migration(migrations.Migration):
    dependencies = [('lini', '0014_customs_data')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProductionJobOutcome',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.OneToOneField('lini.ProductionJob', source_field='job_id', db_constraint=True, to_field='id', related_name='outcome', on_delete=OnDelete.CASCADE)),
                ('tailor', fields.ForeignKeyField('lini.Tailor', source_field='tailor_id', db_constraint=True, to_field='id', related_name='job_outcomes', on_delete=OnDelete.CASCADE)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='job_outcomes', on_delete=OnDelete.CASCADE)),
                ('assigned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('first_qc_passed', fields.BooleanField(null=True)),
                ('remade', fields.BooleanField(default=False)),
                ('ready_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('on_time', fields.BooleanField(null=True)),
            ],
            options={'table': 'production_job_outcome', 'app': 'lini', 'indexes': [Index(fields=['tailor_id', 'assigned_at', 'job_id'])], 'pk_attr': 'id', 'table_description': "A finished job's outcome, for its tailor's record."},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='ProductionJob',
            index=Index(fields=['tailor_id', 'assigned_at']),
        ),
        ops.AddIndex(
            model_name='ProductionJob',
            index=Index(fields=['remake_of_id']),
        ),
        ops.AddIndex(
            model_name='ProductionStageChange',
            index=Index(fields=['job_id']),
        ),
        ops.AddIndex(
            model_name='QcInspection',
            index=Index(fields=['job_id']),
        ),
        ops.RunPython(backfill, nothing_to_undo),
    ]
