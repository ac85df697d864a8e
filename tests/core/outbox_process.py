"""A dispatcher process for tests/core/test_outbox_processes.py: `python -m tests.core.outbox_process URL OUT`.

It loads Lini's plugins plus a recorder that appends each event id it is handed to OUT (one line each, written
with O_APPEND so two processes never interleave a line), then dispatches until nothing is pending. With
`--hang-on ID` the recorder stops for good when handed that event, so the test can kill the process mid-delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from types import SimpleNamespace
from typing import Any

from tortoise import Tortoise

from core import outbox
from core.db import tortoise_config
from core.events import DeliveryStatus, EventDelivery
from core.plugins import hookimpl, load_plugins
from core.settings import load_settings


def recorder(out: str, hang_on: int | None, pause: float) -> SimpleNamespace:
    @hookimpl
    async def order_event(event: dict[str, Any]) -> None:
        if event["id"] == hang_on:
            await asyncio.sleep(3600)
        await asyncio.sleep(pause)  # long enough for the other process to try the same rows meanwhile
        descriptor = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, f"{event['id']} {os.getpid()}\n".encode())
        finally:
            os.close(descriptor)

    return SimpleNamespace(order_event=order_event)


async def main(url: str, out: str, hang_on: int | None, pause: float, lease: float) -> None:
    settings = load_settings(
        env={
            "LINI_DATABASE_URL": url,
            "LINI_JOBS_DELIVERY_LEASE_SECONDS": str(lease),
            "LINI_WEBHOOKS_TIMEOUT_SECONDS": "1",
        }
    )
    host = load_plugins(settings, extra={"recorder": recorder(out, hang_on, pause)}, env={})
    await Tortoise.init(config=tortoise_config(url, host.database_apps()))
    try:
        while await EventDelivery.exists(status=DeliveryStatus.PENDING):
            if not await outbox.dispatch(host):
                await asyncio.sleep(0.05)  # another process holds the lease: wait for it or for its expiry
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--hang-on", type=int)
    parser.add_argument("--pause", type=float, default=0.002)
    parser.add_argument("--lease", type=float, default=60)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url, arguments.out, arguments.hang_on, arguments.pause, arguments.lease))
