"""Tortoise's SQLite backend, with every transaction begun `IMMEDIATE`.

Tortoise begins transactions with a plain (deferred) `BEGIN`. In WAL mode a deferred transaction that reads and
then writes must upgrade its read snapshot to the write lock, and if another process committed in between SQLite
answers `database is locked` at once, without waiting for the busy timeout (waiting could not help: the snapshot
is stale). Two Lini processes on one SQLite file (the server and `server.py worker`, or two dispatchers) hit this
whenever both lease, reserve or update in read-then-write transactions. `BEGIN IMMEDIATE` takes the write lock
first, so a second writer waits for the busy timeout instead of failing. Within one process tortoise already runs
one transaction at a time on its single connection, so this costs nothing there.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

ENGINE = __name__


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
