"""The plugin's settings: process-wide (`[plugins.courier]`) and per brand (`pluginConfigure`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

NAME = "courier"


class Settings(BaseModel):
    """`[plugins.courier]` in settings.toml: where the aggregator is, where its keys are, how long to wait."""

    model_config = ConfigDict(extra="forbid")

    api_base: str = Field("", pattern=r"^(https?://[^\s/]+(/\S*)?)?$")
    api_key_env: str = Field("COURIER_API_KEY", min_length=1)
    webhook_secret_env: str = Field("COURIER_WEBHOOK_SECRET", min_length=1)
    timeout_seconds: float = Field(10, gt=0, le=60)
    # Rates are asked while a shopper waits at checkout: a courier slower than this offers no rates.
    rates_timeout_seconds: float = Field(3, gt=0, le=30)
    max_retries: int = Field(2, ge=0, le=5)
    backoff_seconds: float = Field(0.5, ge=0, le=30)
    rate_cache_seconds: int = Field(300, ge=0, le=86400)
    webhook_tolerance_seconds: int = Field(300, ge=1, le=3600)
    poll_batch: int = Field(100, ge=1, le=1000)


class BrandSettings(BaseModel):
    """A brand's courier account: where its parcels are collected. Saving it turns courier rates on for it."""

    model_config = ConfigDict(extra="forbid")

    origin_postal_code: str = Field(
        ..., pattern=r"^[0-9]{5}$", description="The postal code parcels are collected from (5 digits)."
    )
    origin_city: str = Field(..., min_length=1, max_length=100, description="The city parcels are collected from.")
    sender_phone: str = Field(
        ..., pattern=r"^\+?[0-9 ()-]{6,20}$", description="The phone number the courier calls for a pickup."
    )
    services: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Service codes offered at checkout (e.g. `jne_reg`, `sicepat_best`); empty offers every one.",
    )
