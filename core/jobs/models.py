"""Jobs asked for on SQLite, kept until they have run: the embedded queue's durable record.

On SQLite the queue itself lives in the server's memory (procrastinate's in-memory connector), which a restart
empties; a job deferred for later (an offer expiring in two hours) must outlive that. So `defer_job` writes a
row here in the caller's transaction, the in-process runner hands the due rows to the queue, and the row goes
when its job has run. PostgreSQL never writes this table: there the job is procrastinate's own row, written in
the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class JobRequest(Model):
    id = fields.BigIntField(primary_key=True)
    task_name = fields.CharField(max_length=200)
    args: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    scheduled_at = fields.DatetimeField(null=True, db_index=True)  # None: as soon as possible
    queue_name = fields.CharField(max_length=100, default="default")
    priority = fields.IntField(default=0)
    lock = fields.CharField(max_length=200, null=True)
    queueing_lock = fields.CharField(max_length=200, null=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "job_request"
