"""Rows inserted in bulk without a model instance per row, for imports of many thousand rows.

tortoise's `bulk_create` takes model instances, and building one costs more than writing its row: a feed of a
hundred thousand fabrics spent most of its time in `Model.__init__`. `insert_rows` takes plain dicts by field
name, converts each value with the field's own `to_db_value` (so what is stored is exactly what the ORM would
store, on SQLite and PostgreSQL alike), fills what a row leaves out with the field's default (`auto_now` and
`auto_now_add` with the time of the call), and sends one multi-row statement per batch through the connection of
the current transaction, if any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from tortoise.fields import DatetimeField, Field
from tortoise.models import Model

BATCH_SIZE = 1000


async def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]], *, batch_size: int = BATCH_SIZE) -> None:
    """INSERT `rows` (dicts by field name: `supplier_id`, not `supplier`) into `model`'s table; ids are the
    database's (read them back by a unique key)."""
    if not rows:
        return
    db = model._choose_db(True)
    executor = db.executor_class(model=model, db=db)
    meta = model._meta
    now = datetime.now(UTC)
    names = list(executor.regular_columns)
    fields = [meta.fields_map[name] for name in names]
    unknown = set().union(*(row.keys() for row in rows[:1])) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)[0]!r}")
    defaults: dict[str, Any] = {}
    for name, field in zip(names, fields, strict=True):
        if isinstance(field, DatetimeField) and (field.auto_now or field.auto_now_add):
            defaults[name] = now
        elif field.default is not None:
            defaults[name] = field.default
    holder = SimpleNamespace(**dict.fromkeys(names))  # what `to_db_value(value, instance)` may read or set
    plan = [
        (name, _converter(field), defaults.get(name), isinstance(field, DatetimeField))
        for name, field in zip(names, fields, strict=True)
    ]
    for start in range(0, len(rows), batch_size):
        values = []
        for row in rows[start : start + batch_size]:
            line = []
            for name, convert, default, dated in plan:
                value = row[name] if name in row else (default() if callable(default) else default)
                if dated:
                    setattr(holder, name, value)
                line.append(convert(value, holder))
            values.append(line)
        await db.execute_many(executor.insert_query, values)


def _converter(field: Field[Any]) -> Any:
    """The field's `to_db_value`; for a plain field without validators, its type coercion alone (the same
    result, without a validation pass per value that has nothing to check)."""
    if type(field).to_db_value is not Field.to_db_value or field.validators:
        return field.to_db_value
    kind = field.field_type

    def coerce(value: Any, instance: Any) -> Any:
        return value if value is None or isinstance(value, kind) else kind(value)

    return coerce
