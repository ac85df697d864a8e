"""Rows inserted (or upserted) in bulk without a model instance per row, for imports of many thousand rows.

tortoise's `bulk_create` takes model instances, and building one costs more than writing its row: a feed of a
hundred thousand fabrics spent most of its time in `Model.__init__`. `insert_rows` and `upsert_rows` take plain
dicts by field name, convert each value with the field's own `to_db_value` (so what is stored is exactly what
the ORM would store, on SQLite and PostgreSQL alike), fill what a row leaves out with the field's default
(`auto_now` and `auto_now_add` with the time of the call), and write through the connection of the current
transaction, if any.

How a batch is sent depends on the engine, because what is cheap differs:

- PostgreSQL gets one statement per batch, `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)`: one
  array parameter per column, so the statement text is the same for every batch size (one prepared statement)
  and a thousand rows cost one round trip instead of a thousand executions of a one-row INSERT.
- SQLite, in process, runs a one-row INSERT per row through `executemany` (no round trips to save); a statement
  that must answer (`returning`) or resolve conflicts is a multi-row `VALUES` list, under SQLite's limit of
  32,766 parameters a statement.

`upsert_rows` adds `ON CONFLICT (…) DO NOTHING` or `DO UPDATE SET …`, and both can return columns of the rows
written (`RETURNING`): a caller learns the ids of new rows in the statement that made them, instead of reading
them back by key. Reading back with `WHERE key IN (…)` after a bulk insert is a trap on PostgreSQL: the table's
statistics still describe it as it was before (empty, for a first import), and once the same statement has run
five times the planner keeps a generic plan that scans every row of the supplier and compares it with each of
the list's values, so each batch's look-up took longer than the last (a 100,000-row import spent two minutes
there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from tortoise.fields import DatetimeField, Field
from tortoise.models import Model

BATCH_SIZE = 1000
SQLITE_MAX_PARAMETERS = 32_766


async def insert_rows(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    returning: Sequence[str] = (),
    batch_size: int = BATCH_SIZE,
) -> list[dict[str, Any]]:
    """INSERT `rows` (dicts by field name: `supplier_id`, not `supplier`) into `model`'s table. With
    `returning` (field names, e.g. `("id", "sku")`), the written rows' values of those fields come back, one
    dict per row in no promised order; without it, nothing does (and nothing is read)."""
    return await _write(model, rows, conflict=(), update=None, returning=returning, batch_size=batch_size)


async def upsert_rows(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
    batch_size: int = BATCH_SIZE,
) -> list[dict[str, Any]]:
    """INSERT `rows`, resolving a clash on the unique key `conflict` (field names of a unique constraint or
    index, e.g. `("supplier_id", "sku")`): with `update`, the existing row takes the new row's values of those
    fields (and is returned); without, the new row is skipped (and not returned, so the caller learns which
    keys were already taken). Two rows with the same key in one call are the caller's mistake: PostgreSQL
    refuses the batch (`IntegrityError`-like `OperationalError`), SQLite keeps the last."""
    if not conflict:
        raise ValueError("upsert_rows needs the fields of a unique key in `conflict`")
    return await _write(model, rows, conflict=conflict, update=update, returning=returning, batch_size=batch_size)


async def _write(
    model: type[Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str] | None,
    returning: Sequence[str],
    batch_size: int,
) -> list[dict[str, Any]]:
    if not rows:
        return []
    db = model._choose_db(True)
    executor = db.executor_class(model=model, db=db)
    meta = model._meta
    names = list(executor.regular_columns)
    for name in (*conflict, *(update or ()), *returning):
        if name not in meta.fields_db_projection:
            raise ValueError(f"{model.__name__} has no column {name!r}")
    unknown = set().union(*(row.keys() for row in rows[:1])) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)[0]!r}")
    postgres = db.capabilities.dialect == "postgres"
    columns = [meta.fields_db_projection[name] for name in names]
    tail = _tail(meta.fields_db_projection, conflict, update, returning)
    convert = _row_converter(model, names)
    found: list[dict[str, Any]] = []
    if postgres:
        types = [meta.fields_map[name].get_for_dialect("postgres", "SQL_TYPE") for name in names]
        arrays = ", ".join(f"${i}::{kind}[]" for i, kind in enumerate(types, 1))
        sql = f'INSERT INTO "{meta.db_table}" ({_quoted(columns)}) SELECT * FROM unnest({arrays}){tail}'
        for start in range(0, len(rows), batch_size):
            values = [convert(row) for row in rows[start : start + batch_size]]
            found += await _run(db, sql, [list(column) for column in zip(*values, strict=True)], returning)
        return found
    if not tail:  # a plain insert on SQLite: a prepared one-row INSERT, executed per row in process
        for start in range(0, len(rows), batch_size):
            await db.execute_many(executor.insert_query, [convert(row) for row in rows[start : start + batch_size]])
        return found
    size = max(1, min(batch_size, SQLITE_MAX_PARAMETERS // len(names)))
    one = "(" + ",".join("?" * len(names)) + ")"
    head = f'INSERT INTO "{meta.db_table}" ({_quoted(columns)}) VALUES '
    for start in range(0, len(rows), size):
        values = [convert(row) for row in rows[start : start + size]]
        sql = head + ",".join([one] * len(values)) + tail
        found += await _run(db, sql, [value for line in values for value in line], returning)
    return found


def _tail(
    projection: Mapping[str, str], conflict: Sequence[str], update: Sequence[str] | None, returning: Sequence[str]
) -> str:
    """The statement's ON CONFLICT and RETURNING clauses (the same words on both engines)."""
    tail = ""
    if conflict:
        tail += f" ON CONFLICT ({_quoted(projection[name] for name in conflict)})"
        if update:
            sets = ", ".join(f'"{projection[name]}" = EXCLUDED."{projection[name]}"' for name in update)
            tail += f" DO UPDATE SET {sets}"
        else:
            tail += " DO NOTHING"
    if returning:
        tail += " RETURNING " + ", ".join(f'"{projection[name]}" AS "{name}"' for name in returning)
    return tail


async def _run(db: Any, sql: str, values: list[Any], returning: Sequence[str]) -> list[dict[str, Any]]:
    # execute_query_dict fetches on both engines (tortoise's execute_query drops a PostgreSQL INSERT's rows)
    answered = await db.execute_query_dict(sql, values)
    return answered if returning else []


def _quoted(columns: Any) -> str:
    return ",".join(f'"{column}"' for column in columns)


def _row_converter(model: type[Model], names: Sequence[str]) -> Any:
    """A function from a row dict to its database values, in `names` order, defaults filled."""
    meta = model._meta
    now = datetime.now(UTC)
    fields = [meta.fields_map[name] for name in names]
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

    def convert(row: Mapping[str, Any]) -> list[Any]:
        line = []
        for name, converter, default, dated in plan:
            value = row[name] if name in row else (default() if callable(default) else default)
            if dated:
                setattr(holder, name, value)
            line.append(converter(value, holder))
        return line

    return convert


def _converter(field: Field[Any]) -> Any:
    """The field's `to_db_value`; for a plain field without validators, its type coercion alone (the same
    result, without a validation pass per value that has nothing to check)."""
    if type(field).to_db_value is not Field.to_db_value or field.validators:
        return field.to_db_value
    kind = field.field_type

    def coerce(value: Any, instance: Any) -> Any:
        return value if value is None or isinstance(value, kind) else kind(value)

    return coerce
