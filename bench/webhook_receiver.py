"""A loopback webhook receiver for `bench.webhooks`: answers 200 at once and remembers what arrived, when.

`python -m bench.webhook_receiver PORT` serves it with uvicorn (one process, its own core's worth of CPU, so the
bench's own loop does not slow it); `GET /arrivals` returns every (path, Lini-Event-Id, arrival time) so far;
`BENCH_RECEIVER_DELAY_MS` makes each answer that late (a slow receiver, for tests).
Nothing is verified here: the receiver is the fixed cost both the dispatcher and the floor pay.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

import orjson
import uvicorn

arrivals: list[tuple[str, str, float]] = []
DELAY = float(os.environ.get("BENCH_RECEIVER_DELAY_MS", "0")) / 1000  # a slower receiver, for tests


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    if scope["method"] == "GET" and scope["path"] == "/arrivals":
        body = orjson.dumps(arrivals)
    else:
        event_id = dict(scope["headers"]).get(b"lini-event-id", b"").decode()
        arrivals.append((scope["path"], event_id, time.time()))
        if DELAY:
            await asyncio.sleep(DELAY)
        body = b"ok"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
