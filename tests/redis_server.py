"""The Redis the rate-limit tests count in: 127.0.0.1:6379 (or LINI_TEST_REDIS_URL), required when CI=true."""

from __future__ import annotations

import os
import socket

from tests.conftest import CI

REDIS_URL = os.environ.get("LINI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# Storages the limiter tests run on; CI fails rather than skips when Redis is missing.
STORAGES = ["memory"] + (["redis"] if CI or os.environ.get("LINI_TEST_REDIS_URL") or _reachable() else [])
