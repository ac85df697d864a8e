"""`server.py worker` with the test plugin registered: `python -m tests.jobs.worker_process` (settings from
the environment, LINI_DATABASE_URL first), for tests that run several worker processes on one database."""

from __future__ import annotations

import asyncio

from core.jobs import worker
from core.plugins import load_plugins
from core.settings import load_settings
from schema.request_id import configure_logging
from tests.plugins import job_plugin


def main() -> None:
    configure_logging()
    settings = load_settings()
    asyncio.run(worker.run(settings, load_plugins(settings, extra={job_plugin.NAME: job_plugin}), concurrency=2))


if __name__ == "__main__":
    main()
