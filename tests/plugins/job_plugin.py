"""A plugin with one periodic task, every second, that appends its scheduled time and its process id to the
file named by LINI_TEST_JOB_LOG (so runs in several worker processes can be counted together)."""

from __future__ import annotations

import os

from lini.plugin import Blueprint, PluginHost, RetryStrategy, hookimpl, task_host

NAME = "job_plugin"
LOG_ENV = "LINI_TEST_JOB_LOG"
blueprint = Blueprint()


@blueprint.periodic(cron="* * * * * *")
@blueprint.task(name="tick", queueing_lock=f"{NAME}:tick", retry=RetryStrategy(max_attempts=2, wait=1))
async def tick(timestamp: int) -> None:
    assert task_host().settings is not None  # the worker's host reaches the task
    _append(f"{timestamp} {os.getpid()}\n")


@blueprint.task(name="note", retry=RetryStrategy(max_attempts=2, wait=1))
async def note(text: str) -> None:
    """A job deferred by a test (`defer_job("job_plugin:note", text=…)`): it writes its text to the log."""
    _append(f"{text}\n")


def _append(line: str) -> None:
    with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
        log.write(line)


@hookimpl
def job_blueprints(host: PluginHost) -> list[Blueprint]:
    return [blueprint]
