"""Applying tortoise migrations without rebuilding every model class once or twice per operation.

Tortoise's `Migration.apply` clones the whole migration state before each operation (so that an operation can
read the table as it was) and, in `CreateModel.state_forward`, re-renders the new model and every model
related to it, then finalises every model of the state. With Lini's ~60 models that is O(operations × models)
model classes built: 12-14 s for a fresh database, none of it SQL (`bench/startup.py`, cProfile).

`fast_apply()` applies the same operations, in the same order, with the same SQL, but

- clones the old state only for operations whose forward SQL reads it (`RemoveField`, `AlterField`,
  `RunPython`, renames, removals …); `CreateModel`, `AddField`, `AddIndex`, `RunSQL` and `CreateSchema` read
  only the new state;
- applies a run of consecutive `CreateModel`s to the state first and reloads their models once, then creates
  their tables one by one. Creating a model only adds backward relations to the others, which make no columns,
  so each table is created exactly as before (asserted: `tests/core/test_migrating.py` compares the schema a
  fresh database gets both ways, on SQLite and PostgreSQL);
- does the same for a run of consecutive `AddField`s, and for a run of `AddIndex`es: each one's SQL reads only
  its own field (`ALTER TABLE … ADD COLUMN` from that field's definition) or index from the new model, so the
  other fields and indexes of the run being in the model already changes no statement. Runs never mix kinds: a
  table created after its later fields were in the state would be created with them.

While the block runs, the filter tables tortoise builds for every field of every model class it renders
(`get_filters_for_field`: ~20 dicts a field, ~28,000 calls for a fresh database, the largest single cost left)
are built once per distinct plain field and shared: for a field that is not a relation, JSON or array field,
the table depends only on its name, its column, the model field a `pk` stands for and whether it is a
`TSVectorField`, and tortoise never mutates an entry (`_generate_filters` copies one before overriding it).

Everything else (plans, rollbacks, `collect_sql`, dry runs, the recorder, transactions) is tortoise's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from tortoise import filters as tortoise_filters
from tortoise import models as tortoise_models
from tortoise.contrib.postgres.fields import ArrayField, TSVectorField
from tortoise.fields import Field, JSONField
from tortoise.fields.relational import BackwardFKRelation, ManyToManyFieldInstance
from tortoise.filters import FilterInfoDict
from tortoise.migrations import operations as ops
from tortoise.migrations.migration import Migration
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State

# Operations whose `database_forward` reads only the new state (checked against tortoise 1.1's operations.py).
_NEEDS_NO_OLD_STATE = (ops.CreateModel, ops.AddField, ops.AddIndex, ops.RunSQL, ops.CreateSchema)

_tortoise_apply = Migration.apply
_tortoise_filters_for_field = tortoise_filters.get_filters_for_field
# Fields whose filter table reads more of the field than the key of `_filters_for_field` holds: never shared.
_OWN_FILTERS = (ManyToManyFieldInstance, BackwardFKRelation, JSONField, ArrayField)


async def _apply(
    self: Migration,
    state: State,
    *,
    dry_run: bool = False,
    schema_editor: BaseSchemaEditor | None = None,
    collect_sql: bool = False,
) -> State:
    if dry_run or collect_sql or schema_editor is None:
        return await _tortoise_apply(self, state, dry_run=dry_run, schema_editor=schema_editor, collect_sql=collect_sql)
    transactions = schema_editor.client.capabilities.supports_transactions
    for run in _runs(self.operations):
        if isinstance(run[0], _BATCHED):
            _forward_in_state(self.app_label, run, state)
            for operation in run:
                await self._run_database_forward(operation, None, state, schema_editor, transactions)  # type: ignore[arg-type]
            continue
        (operation,) = run
        old_state = None if isinstance(operation, _NEEDS_NO_OLD_STATE) else state.clone()
        operation.state_forward(self.app_label, state)
        await self._run_database_forward(operation, old_state, state, schema_editor, transactions)  # type: ignore[arg-type]
    state.validate_relations_initialized()
    return state


# Operations applied to the state as a run of one kind, their models reloaded once (see the module's docstring).
_BATCHED = (ops.CreateModel, ops.AddField, ops.AddIndex)


def _runs(operations: Iterable[ops.Operation]) -> Iterator[list[ops.Operation]]:
    """Consecutive operations of one `_BATCHED` kind together, every other operation alone, in order."""
    run: list[ops.Operation] = []
    for operation in operations:
        if run and type(operation) is not type(run[0]):
            yield run
            run = []
        if isinstance(operation, _BATCHED):
            run.append(operation)
            continue
        yield [operation]
    if run:
        yield run


def _forward_in_state(app_label: str, run: list[ops.Operation], state: State) -> None:
    """Each operation's `state_forward` with its reloads deferred: one reload of everything they touched."""
    touched: set[tuple[str, str]] = set()

    def defer(model_tuples: Iterable[tuple[str, str]]) -> None:
        touched.update(model_tuples)

    def defer_one(app: str, model_name: str) -> None:
        touched.add((app, model_name))

    state.reload_models = defer  # type: ignore[method-assign]
    state.reload_model = defer_one  # type: ignore[method-assign,assignment]
    try:
        for operation in run:
            operation.state_forward(app_label, state)
    finally:
        del state.reload_models  # back to the class's methods
        del state.reload_model
    state.reload_models(touched)


def _shared_filters() -> Callable[[str, Field | None, str], dict[str, FilterInfoDict]]:
    tables: dict[tuple[str, str, str, bool], dict[str, FilterInfoDict]] = {}

    def filters_for_field(field_name: str, field: Field | None, source_field: str) -> dict[str, FilterInfoDict]:
        if field is not None and isinstance(field, _OWN_FILTERS):
            return _tortoise_filters_for_field(field_name, field, source_field)
        actual = field.model_field_name if field_name == "pk" and field else field_name
        key = (field_name, actual, source_field, isinstance(field, TSVectorField))
        table = tables.get(key)
        if table is None:
            table = tables[key] = _tortoise_filters_for_field(field_name, field, source_field)
        return dict(table)  # the entries shared, the table the caller's (it only reads it, but may keep it)

    return filters_for_field


@contextmanager
def fast_apply() -> Iterator[None]:
    """Tortoise's migrations applied by `_apply` inside the block (the executor calls `Migration.apply`), with
    the filter tables of model fields shared (see the module's docstring)."""
    Migration.apply = _apply  # type: ignore[method-assign]
    tortoise_models.get_filters_for_field = _shared_filters()  # type: ignore[assignment]
    try:
        yield
    finally:
        Migration.apply = _tortoise_apply  # type: ignore[method-assign]
        tortoise_models.get_filters_for_field = _tortoise_filters_for_field
