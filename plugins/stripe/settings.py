"""The plugin's settings: process-wide (`[plugins.stripe]`) and per brand (`pluginConfigure`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Settings(BaseModel):
    """`[plugins.stripe]` in settings.toml: where the keys are, and how the API is reached."""

    model_config = ConfigDict(extra="forbid")

    secret_key_env: str = Field("STRIPE_SECRET_KEY", min_length=1)
    publishable_key_env: str = Field("STRIPE_PUBLISHABLE_KEY", min_length=1)
    webhook_secret_env: str = Field("STRIPE_WEBHOOK_SECRET", min_length=1)
    api_base: str = Field("", pattern=r"^(https?://[^\s/]+(/\S*)?)?$")
    max_network_retries: int = Field(2, ge=0, le=5)
    timeout_seconds: float = Field(30, gt=0, le=80)
    webhook_tolerance_seconds: int = Field(300, ge=1, le=3600)


class BrandSettings(BaseModel):
    """A brand's Stripe settings; saving them (even empty) turns Stripe on for the brand."""

    model_config = ConfigDict(extra="forbid")

    connect_account_id: str | None = Field(
        None,
        pattern=r"^acct_[A-Za-z0-9]{6,64}$",
        description="The brand's connected Stripe account (acct_…): charges are made on it, so it is paid directly.",
    )
    capture_mode: Literal["automatic", "manual"] = Field(
        "automatic",
        description="manual: the card is only authorised at checkout and captured when the order goes into "
        "production or ships.",
    )
    statement_descriptor: str | None = Field(
        None,
        pattern=r"^[^<>\\'\"*]{1,22}$",
        description="What the shopper's card statement shows after the account's prefix (22 characters at most).",
    )

    @field_validator("statement_descriptor")
    @classmethod
    def _has_a_letter(cls, value: str | None) -> str | None:
        if value is not None and not any(c.isascii() and c.isalpha() for c in value):
            raise ValueError("a statement descriptor needs at least one Latin letter")
        return value
