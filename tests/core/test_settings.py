"""Settings: TOML plus LINI_* overrides, typed; a bad key or value stops the start and names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_settings_file_loads_with_documented_defaults():
    settings = load_settings(ROOT / "settings.toml", env={})
    assert settings.database.url == "sqlite://lini.db"
    assert settings.graphql.max_depth == 12 and settings.graphql.max_page_size == 100
    assert settings.plugins.enabled == ["*"]
    assert "product_feed" in settings.plugins.config


def test_every_key_in_settings_toml_is_commented():
    lines = (ROOT / "settings.toml").read_text(encoding="utf-8").splitlines()
    keys = [(index, line) for index, line in enumerate(lines) if line and not line.startswith(("#", "["))]
    assert len(keys) > 10
    for index, line in keys:
        assert lines[index - 1].startswith("#"), f"settings.toml line {index + 1} has no comment: {line}"


def test_environment_overrides_are_typed(tmp_path):
    path = write(tmp_path, "[server]\nport = 8000\n")
    env = {
        "LINI_SERVER_PORT": "9001",
        "LINI_DATABASE_URL": "postgres://u@h/db",
        "LINI_GRAPHQL_INTROSPECTION": "false",
        "LINI_PLUGINS_ENABLED": "product_feed, other",
        "LINI_TEST_POSTGRES_URL": "ignored: not a settings section",
    }
    settings = load_settings(path, env=env)
    assert settings.server.port == 9001
    assert settings.database.url == "postgres://u@h/db"
    assert settings.graphql.introspection is False
    assert settings.plugins.enabled == ["product_feed", "other"]


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("[server]\nport = 'eighty'\n", {}, "[server] port"),
        ("[server]\nprot = 8000\n", {}, "[server] prot: unknown key"),
        ("[graphql]\nmax_depth = 0\n", {}, "[graphql] max_depth"),
        ("[nonsense]\nx = 1\n", {}, "unknown section [nonsense]"),
        ("[server]\nenvironment = 'staging'\n", {}, "[server] environment"),
        ("", {"LINI_SERVER_PORT": "abc"}, "from LINI_SERVER_PORT"),
        ("[server\n", {}, "not valid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, text, env, expected):
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, text), env=env)
    assert expected in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", env={})


def test_settings_path_can_come_from_the_environment(tmp_path):
    path = write(tmp_path, "[server]\nport = 8123\n")
    assert load_settings(env={"LINI_SETTINGS": str(path)}).server.port == 8123


def test_a_misspelt_environment_variable_stops_the_start_and_suggests_the_name(tmp_path):
    path = write(tmp_path, "[server]\nport = 8000\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(path, env={"LINI_SERVER_PROT": "9001"})
    message = str(caught.value)
    assert "LINI_SERVER_PROT is not a Lini setting" in message
    assert "did you mean LINI_SERVER_PORT?" in message
    with pytest.raises(SettingsError, match=r"LINI_DATABSE_URL .*did you mean LINI_DATABASE_URL"):
        load_settings(path, env={"LINI_DATABSE_URL": "sqlite://x.db"})


def test_the_documented_variables_that_are_not_settings_still_load(tmp_path):
    path = write(tmp_path, "[rate_limits]\nredis_url_env = 'LINI_REDIS_URL'\n")
    env = {
        "LINI_SETTINGS": str(path),
        "LINI_SECRET_KEY": "k" * 40,
        "LINI_DEMO_PASSWORD": "demo-password",
        "LINI_ADMIN_PASSWORD": "admin-password",
        "LINI_TRACE_HOOKS": "1",
        "LINI_TEST_POSTGRES_URL": "postgres://postgres@127.0.0.1:5432/test",
        "LINI_TEST_REDIS_URL": "redis://127.0.0.1:6379/0",
        "LINI_REDIS_URL": "redis://127.0.0.1:6379/1",  # named by a `*_env` key, so read
        "LINI_PLUGINS_PRODUCT_FEED_CURRENCY": "IDR",  # checked when plugins load
        "PATH": "/usr/bin",
    }
    assert load_settings(env=env).rate_limits.redis_url_env == "LINI_REDIS_URL"
