"""The server: health, refusing an un-migrated database, the CLI, and the committed schema."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from core.db import DatabaseNotMigrated
from core.events import EventDelivery
from core.orders.events import order_changed
from core.plugins import discover, load_plugins
from server import builtin_settings, create_app, export_sdl, main
from tests.factories import make_brand, make_order

ROOT = Path(__file__).resolve().parents[1]


async def test_health_reports_the_database_the_event_backlog_and_the_queue(client, backend):
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["events"] == {"pending": 0, "oldestPendingSeconds": None}
    # on SQLite the in-memory queue counts its jobs; the suite's PostgreSQL database has the queue's tables only
    # once tests/jobs installed them: until then the queue cannot say (null), and health still answers
    if backend == "sqlite" or body["jobs"] is not None:
        assert set(body["jobs"]) == {"todo", "doing", "failed"} and body["jobs"]["failed"] == 0


async def test_health_shows_an_undelivered_event_and_its_age(client):
    brand = await make_brand("sekar")
    order = await make_order(brand)
    await order_changed(order, "ORDER_PAID")  # written, not yet delivered: nothing dispatched it
    await EventDelivery.all().update(created_at=datetime.now(UTC) - timedelta(seconds=90))
    events = (await client.get("/health")).json()["events"]
    assert events["pending"] == 1 and 90 <= events["oldestPendingSeconds"] < 120


async def test_graphiql_is_not_served_outside_development(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code in (404, 405)


async def test_graphiql_is_served_in_development(settings):
    dev = settings.model_copy(update={"server": settings.server.model_copy(update={"environment": "development"})})
    app = create_app(dev, host=load_plugins(dev, env={}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


@pytest.mark.sqlite_only
async def test_server_refuses_an_unmigrated_database(settings, tmp_path):
    empty = settings.model_copy(
        update={"database": settings.database.model_copy(update={"url": f"sqlite://{tmp_path}/empty.db"})}
    )
    app = create_app(empty, host=load_plugins(empty, env={}))
    with pytest.raises(DatabaseNotMigrated, match=r"python server\.py migrate"):
        async with app.router.lifespan_context(app):
            pass


async def test_oversized_bodies_are_refused(client):
    response = await client.post("/graphql", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_cli_help_explains_each_command():
    result = subprocess.run(
        [sys.executable, "server.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for command in ("serve", "migrate", "seed-demo", "export-schema"):
        assert command in result.stdout


def test_cli_reports_bad_settings_and_exits_2(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "settings.toml"
    bad.write_text("[graphql]\nmax_depth = 'deep'\n", encoding="utf-8")
    monkeypatch.setenv("LINI_SETTINGS", str(bad))
    assert main(["export-schema", "--output", "-"]) == 2
    assert "[graphql] max_depth" in capsys.readouterr().err


def test_cli_migrate_and_seed_demo_fill_an_empty_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LINI_DATABASE_URL", f"sqlite://{tmp_path}/cli.db")
    assert main(["migrate"]) == 0
    assert main(["seed-demo"]) == 0
    assert "loaded 3 brands" in capsys.readouterr().out
    assert main(["seed-demo", "--if-empty"]) == 0
    assert main(["seed-demo"]) == 2
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_committed_schema_is_the_schema_of_the_builtins(settings):
    """schema.graphql is Lini's API with its built-in plugins, whatever else is installed or switched off here;
    CI's schema diff (tools/schema_diff.py) compares it with the previous commit's, so it must never be stale."""
    builtin = builtin_settings(
        settings.model_copy(update={"plugins": settings.plugins.model_copy(update={"enabled": []})})
    )
    assert sorted(builtin.plugins.enabled) == sorted(n for n, e in discover().items() if e.value.startswith("plugins."))
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert export_sdl(builtin) == committed, "schema.graphql is stale: run `make schema` and commit it"


def test_export_schema_writes_the_builtins_unless_asked_for_the_installed(tmp_path, monkeypatch):
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('[plugins]\nenabled = ["bank_transfer"]\n', encoding="utf-8")
    monkeypatch.setenv("LINI_SETTINGS", str(settings_file))
    assert main(["export-schema", "--output", str(tmp_path / "builtins.graphql")]) == 0
    assert main(["export-schema", "--installed", "--output", str(tmp_path / "installed.graphql")]) == 0
    builtins = (tmp_path / "builtins.graphql").read_text(encoding="utf-8")
    assert builtins == (ROOT / "schema.graphql").read_text(encoding="utf-8")
    installed = (tmp_path / "installed.graphql").read_text(encoding="utf-8")
    assert "dispatchExplain" in builtins and "dispatchExplain" not in installed


def test_cli_create_admin_creates_then_promotes(tmp_path, monkeypatch, capsys):
    import asyncio

    from core.auth.models import User
    from core.db import connected

    url = f"sqlite://{tmp_path}/admin.db"
    monkeypatch.setenv("LINI_DATABASE_URL", url)
    monkeypatch.setenv("LINI_AUTH_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("LINI_AUTH_ARGON2_TIME_COST", "1")
    assert main(["migrate"]) == 0
    assert main(["create-admin", "--email", "Admin@Lini.example", "--password", "rahasia-negara-99"]) == 0
    assert "platform admin: admin@lini.example" in capsys.readouterr().out
    assert main(["create-admin", "--email", "admin@lini.example", "--password", "short"]) == 0  # promotes only

    async def admins() -> list[str]:
        async with connected(url):
            return await User.filter(is_platform_admin=True).values_list("email", flat=True)

    assert asyncio.run(admins()) == ["admin@lini.example"]
    assert main(["create-admin", "--email", "someone@lini.example", "--password", "short"]) == 2
    assert "Use at least" in capsys.readouterr().err


async def test_uploads_get_their_own_body_limit_and_other_requests_keep_the_small_one(settings):
    small = settings.model_copy(
        update={
            "server": settings.server.model_copy(update={"max_body_size": 4096}),
            "media": settings.media.model_copy(update={"max_upload_bytes": 16_384}),
        }
    )
    app = create_app(small)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        padded = {"query": "{ __typename }", "variables": {"pad": "x" * 8192}}
        assert (await client.post("/graphql", json=padded)).status_code == 413
        operations = json.dumps({"query": "{ __typename }", "variables": {}})
        form = {"operations": operations, "map": "{}"}
        fits = await client.post("/graphql", data=form, files={"0": ("a.png", b"\x00" * 12_000, "image/png")})
        assert fits.status_code == 200 and fits.json() == {"data": {"__typename": "Query"}}
        too_big = await client.post("/graphql", data=form, files={"0": ("a.png", b"\x00" * 40_000, "image/png")})
        assert too_big.status_code == 413


def test_cli_events_lists_the_dead_letters_and_redelivers_them(tmp_path, monkeypatch, capsys):
    import asyncio

    from core.db import connected
    from core.events import DeliveryStatus, Event

    url = f"sqlite://{tmp_path}/events.db"
    monkeypatch.setenv("LINI_DATABASE_URL", url)
    assert main(["migrate"]) == 0

    async def dead_delivery() -> int:
        async with connected(url):
            event = await Event.create(type="ORDER_PAID", payload={"type": "ORDER_PAID"})
            row = await EventDelivery.create(
                event=event,
                subscriber="order_event:erp",
                status=DeliveryStatus.FAILED,
                attempts=12,
                last_error="ConnectError: erp.example unreachable\n(traceback)",
                next_attempt_at=datetime.now(UTC),
            )
            return row.id

    delivery = asyncio.run(dead_delivery())
    capsys.readouterr()
    assert main(["events"]) == 0
    assert capsys.readouterr().out.strip() == "pending 0 (oldest -), failed 1"
    assert main(["events", "--failed"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{delivery}\torder_event:erp\tevent ") and "ORDER_PAID\t12 attempts" in line
    assert line.endswith("ConnectError: erp.example unreachable (traceback)")
    assert main(["events", "--redeliver", str(delivery), "999999"]) == 0
    assert capsys.readouterr().out.strip() == "1 of 2 put back for delivery"
    assert main(["events"]) == 0
    assert capsys.readouterr().out.startswith("pending 1 (oldest "), "due again, attempts counted afresh"
