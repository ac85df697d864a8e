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
  fresh database gets both ways, on SQLite and PostgreSQL).

Everything else (plans, rollbacks, `collect_sql`, dry runs, the recorder, transactions) is tortoise's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from tortoise.migrations import operations as ops
from tortoise.migrations.migration import Migration
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State

# Operations whose `database_forward` reads only the new state (checked against tortoise 1.1's operations.py).
_NEEDS_NO_OLD_STATE = (ops.CreateModel, ops.AddField, ops.AddIndex, ops.RunSQL, ops.CreateSchema)

_tortoise_apply = Migration.apply


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
        if isinstance(run[0], ops.CreateModel):
            _create_models_in_state(self.app_label, run, state)
            for operation in run:
                await self._run_database_forward(operation, None, state, schema_editor, transactions)  # type: ignore[arg-type]
            continue
        (operation,) = run
        old_state = None if isinstance(operation, _NEEDS_NO_OLD_STATE) else state.clone()
        operation.state_forward(self.app_label, state)
        await self._run_database_forward(operation, old_state, state, schema_editor, transactions)  # type: ignore[arg-type]
    state.validate_relations_initialized()
    return state


def _runs(operations: Iterable[ops.Operation]) -> Iterator[list[ops.Operation]]:
    """Consecutive `CreateModel`s together, every other operation alone, in order."""
    run: list[ops.Operation] = []
    for operation in operations:
        if isinstance(operation, ops.CreateModel):
            run.append(operation)
            continue
        if run:
            yield run
            run = []
        yield [operation]
    if run:
        yield run


def _create_models_in_state(app_label: str, run: list[ops.Operation], state: State) -> None:
    """Each `CreateModel.state_forward` with its reload deferred: one reload of everything they touched."""
    touched: set[tuple[str, str]] = set()

    def defer(model_tuples: Iterable[tuple[str, str]]) -> None:
        touched.update(model_tuples)

    state.reload_models = defer  # type: ignore[method-assign]
    try:
        for operation in run:
            operation.state_forward(app_label, state)
    finally:
        del state.reload_models  # back to the class's method
    state.reload_models(touched)


@contextmanager
def fast_apply() -> Iterator[None]:
    """Tortoise's migrations applied by `_apply` inside the block (the executor calls `Migration.apply`)."""
    Migration.apply = _apply  # type: ignore[method-assign]
    try:
        yield
    finally:
        Migration.apply = _tortoise_apply  # type: ignore[method-assign]
