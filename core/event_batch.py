"""Many events of one type at once, for bulk operations (a feed import writes a hundred thousand).

`emit` writes an event and its delivery rows one statement at a time. Events no one is subscribed to by
construction (no brand, so no webhook; a type no hook streams) need only their outbox rows, and those are
written here in a few multi-row statements, in the caller's transaction like `emit`. Anything with
subscribers goes through `emit`, one by one, so deliveries are never skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.bulk import insert_rows
from core.events import Event, emit, stream_hook


async def emit_many(type: str, payloads: Sequence[dict[str, Any]], *, brand_id: int | None = None) -> None:
    """Record one event of `type` per payload; call inside the operation's transaction."""
    if brand_id is not None or stream_hook(type) is not None:
        for payload in payloads:
            await emit(type, payload, brand_id=brand_id)
        return
    await insert_rows(Event, [{"type": type, "payload": payload} for payload in payloads])
