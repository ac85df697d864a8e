"""`server.py serve`: what it refuses before starting uvicorn, and how it starts it."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from server import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def test_two_workers_on_sqlite_are_refused_with_the_reason(monkeypatch, capsys, started, tmp_path):
    monkeypatch.setenv("LINI_DATABASE_URL", f"sqlite://{tmp_path}/lini.db")
    assert main(["serve", "--workers", "2"]) == 2
    error = capsys.readouterr().err
    assert "2 workers on SQLite" in error and "--workers 1" in error and "PostgreSQL" in error
    assert started == []
    monkeypatch.setenv("LINI_SERVER_WORKERS", "3")
    assert main(["serve"]) == 2 and started == []


def test_two_workers_on_postgres_start_and_uvicorn_reads_no_forwarded_header(monkeypatch, capsys, started):
    monkeypatch.setenv("LINI_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lini")
    assert main(["serve", "--workers", "2"]) == 0
    [call] = started
    assert call["workers"] == 2 and call["proxy_headers"] is False
    assert "counted in each of the 2 processes' memory" in capsys.readouterr().err


def test_one_worker_on_sqlite_starts(monkeypatch, started, tmp_path):
    monkeypatch.setenv("LINI_DATABASE_URL", f"sqlite://{tmp_path}/lini.db")
    assert main(["serve"]) == 0 and started[0]["workers"] == 1
