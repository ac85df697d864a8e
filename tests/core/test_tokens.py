"""The signing key comes from the environment; production refuses to start without a real one."""

from __future__ import annotations

import pytest

from core.auth.tokens import DEVELOPMENT_KEY, signing_key
from core.settings import SettingsError, load_settings


def settings_for(environment: str):
    base = load_settings(env={})
    return base.model_copy(update={"server": base.server.model_copy(update={"environment": environment})})


def test_development_falls_back_to_the_well_known_key():
    assert signing_key(settings_for("development"), env={}) == DEVELOPMENT_KEY


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({}, "is not set"),
        ({"LINI_SECRET_KEY": "short"}, "too short"),
        ({"LINI_SECRET_KEY": DEVELOPMENT_KEY}, "placeholder"),
    ],
)
def test_production_refuses_a_missing_short_or_placeholder_key(env, problem):
    with pytest.raises(SettingsError, match=problem) as caught:
        signing_key(settings_for("production"), env=env)
    assert "LINI_SECRET_KEY" in str(caught.value)


def test_production_uses_the_key_from_the_named_variable():
    settings = settings_for("production")
    settings = settings.model_copy(update={"auth": settings.auth.model_copy(update={"signing_key_env": "MY_KEY"})})
    assert signing_key(settings, env={"MY_KEY": "k" * 40}) == "k" * 40
