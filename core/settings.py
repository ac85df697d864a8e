"""Typed settings: `settings.toml`, overridden by `LINI_<SECTION>_<KEY>` environment variables.

Settings are validated once, at start-up, so a typo stops the server with a message that names the key
instead of surfacing as a strange failure in the middle of a request.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_origin

import limits
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENV_PREFIX = "LINI_"
# `LINI_` variables that are not settings but are read by name (documented in the README). Any other `LINI_*`
# variable must be a setting (or be named by a `*_env` key), so a misspelt override stops the start instead of
# being silently ignored.
OTHER_VARIABLES = {
    "LINI_SETTINGS": "the settings file to read instead of settings.toml",
    "LINI_SECRET_KEY": "the token signing key ([auth] signing_key_env's default)",
    "LINI_DEMO_PASSWORD": "the demo accounts' password (server.py seed-demo)",
    "LINI_ADMIN_PASSWORD": "the password server.py create-admin sets when --password is not given",
    "LINI_TRACE_HOOKS": "log every plugin hook call (core.plugins)",
}
# The test suite's own variables (LINI_TEST_POSTGRES_URL, LINI_TEST_REDIS_URL, ...): never read by the server.
TEST_PREFIX = "LINI_TEST_"
# Overrides of `[plugins.<name>]` tables: checked by core.plugins.load_plugins, which knows each plugin's keys.
PLUGIN_PREFIX = "LINI_PLUGINS_"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "settings.toml"


class SettingsError(Exception):
    """A setting is unknown, missing or of the wrong type; the message names it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(_Section):
    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    max_body_size: int = Field(1_048_576, ge=1024)
    public_url: str = "http://127.0.0.1:8000"
    # Addresses or networks of the reverse proxies whose forwarded-client header is believed; "*" trusts every
    # peer. Empty (the default) believes no one, loopback included.
    trusted_proxies: list[str] = []
    # The one header those proxies set: a client can send the other one itself, so it is never read.
    proxy_header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            if entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not an IP address, a network (10.0.0.0/8) or '*'") from None
        return value


class DatabaseSettings(_Section):
    url: str = "sqlite://lini.db"
    require_migrated: bool = True


class GraphQLSettings(_Section):
    graphiql: bool = True
    # "auto": on, except when [server] environment = "production"; see Settings.introspection.
    introspection: Literal["auto"] | bool = "auto"
    max_depth: int = Field(12, ge=2, le=64)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(2000, ge=10)
    max_document_length: int = Field(65_536, ge=256)
    max_repeated_fields: int = Field(50, ge=1)
    max_cost: int = Field(50_000, ge=1)
    assumed_list_length: int = Field(5, ge=1, le=1000)
    default_page_size: int = Field(20, ge=1)
    max_page_size: int = Field(100, ge=1)
    max_json_depth: int = Field(32, ge=4, le=256)
    max_json_items: int = Field(1000, ge=10)
    persisted_queries: bool = True
    trusted_documents: str = ""
    trusted_documents_only: bool = False


class AuthSettings(_Section):
    # Name of the environment variable holding the token signing key (never the key itself).
    signing_key_env: str = "LINI_SECRET_KEY"
    access_token_minutes: int = Field(15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(30, ge=1, le=365)
    password_reset_minutes: int = Field(60, ge=5, le=7 * 24 * 60)
    staff_invite_days: int = Field(7, ge=1, le=90)
    password_min_length: int = Field(10, ge=8, le=128)
    # Failed sign-ins for one e-mail or one address before each try must wait (doubling), and before a lock.
    login_slowdown_after: int = Field(3, ge=1)
    login_lock_after: int = Field(10, ge=2)
    login_lock_minutes: int = Field(15, ge=1)
    # The same for failed sign-ins from one client address, whichever accounts they try (a shared address such as
    # a mobile carrier's gateway carries many people, so these are higher).
    login_ip_slowdown_after: int = Field(20, ge=1)
    login_ip_lock_after: int = Field(30, ge=2)
    # argon2id cost; lower only in tests.
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=8)


class CatalogSettings(_Section):
    # `quantityAvailable` never shows more than this, so competitors cannot read stock levels.
    quantity_available_cap: int = Field(20, ge=1, le=10_000)


class MediaSettings(_Section):
    # Folder where uploaded images are stored and served from under /media (the "local" backend).
    root: str = "media"
    # Largest accepted upload, in bytes.
    max_upload_bytes: int = Field(5 * 1024 * 1024, ge=1024)


class PapersSettings(_Section):
    """Customs papers of shipments abroad (core.customs.papers), stored through the media storage."""

    # TrueType fonts with Latin and Arabic glyphs; empty: IBM Plex Sans Arabic from its PyPI package.
    font: str = ""
    font_bold: str = ""


class CheckoutSettings(_Section):
    # A checkout left alone this long expires; every change starts the clock again.
    ttl_hours: int = Field(72, ge=1, le=24 * 90)
    # Most units of one variant on one line, and most lines on one checkout.
    max_line_quantity: int = Field(50, ge=1, le=10_000)
    max_lines: int = Field(100, ge=1, le=1_000)


class JobsSettings(_Section):
    """The job queue (procrastinate): which process runs the tasks (core.jobs)."""

    # "auto": a worker inside the server process on SQLite (one process, the in-memory queue), none on PostgreSQL
    # (run `server.py worker`); "in-process" or "external" decide everywhere.
    worker: Literal["auto", "in-process", "external"] = "auto"
    # Jobs one worker runs at once (`server.py worker --concurrency` overrides it).
    concurrency: int = Field(4, ge=1, le=256)
    # Seconds a stopping worker waits for running jobs before aborting them (they are retried).
    shutdown_grace_seconds: int = Field(20, ge=0, le=3600)
    # How long a dispatcher's claim on a subscriber (a plugin hook, a webhook) lasts unrenewed: a worker killed
    # mid-delivery holds its subscribers this long before another takes over. At least one post's timeout.
    delivery_lease_seconds: float = Field(30, ge=1, le=3600)


class EventsSettings(_Section):
    """How long the outbox keeps what it has delivered (the job queue prunes it nightly)."""

    # Deliveries made (to a plugin or a webhook) are kept this many days for the delivery log, then deleted.
    keep_delivered_days: int = Field(14, ge=1, le=3650)
    # Events are kept this many days, unless a delivery of theirs is still pending or failed (dead letters stay
    # until redelivered or their webhook is deleted).
    keep_days: int = Field(90, ge=1, le=3650)
    # Who hands a request's events to plugins' hooks once it committed: "background", a task of the serving
    # process, a few milliseconds after the answer (one pass for the commits of many requests); "request", the
    # request itself before it answers (so plugins have heard when the client reads the answer; the tests use
    # it). Webhooks are posted by workers either way.
    deliver_hooks: Literal["background", "request"] = "background"


class RateLimitSettings(_Section):
    """Requests per client and per operation class; each limit is a `limits` string ("10/minute;100/hour")."""

    enabled: bool = True
    # Name of the environment variable holding the Redis URL that limits are counted in, shared by every process;
    # empty: each process counts in its own memory.
    redis_url_env: str = ""
    # Prefix of every key written to Redis.
    key_prefix: str = Field("lini", min_length=1, max_length=40)
    strategy: Literal["fixed-window", "moving-window", "sliding-window-counter"] = "fixed-window"
    per_ip: str = "600/minute"
    per_token: str = "1200/minute"
    login: str = "10/minute;60/hour"
    registration: str = "5/minute;30/hour"
    password_reset: str = "5/minute;20/hour"
    checkout_write: str = "120/minute"
    query: str = "600/minute"

    @field_validator("per_ip", "per_token", "login", "registration", "password_reset", "checkout_write", "query")
    @classmethod
    def _limit(cls, value: str) -> str:
        if value.strip():
            try:
                limits.parse_many(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a limit such as '10/minute' or '5/second;100/hour'") from None
        return value.strip()


class CacheSettings(_Section):
    """The response cache of anonymous storefront queries (schema.response_cache)."""

    enabled: bool = True
    # Longest a cached answer is served, in this process, from Redis or by a CDN (`Cache-Control: max-age`): no
    # reader sees a change later than its commit plus this. Catalog changes end the entries before that.
    ttl_seconds: int = Field(10, ge=1, le=3600)
    # Name of the environment variable holding the Redis URL where every process keeps the same entries and
    # catalog versions; empty: each process keeps its own in memory.
    redis_url_env: str = ""
    # Prefix of every key written to Redis.
    key_prefix: str = Field("lini", min_length=1, max_length=40)
    # Most bytes of answers one process keeps in memory (the least recently used go first).
    max_memory_bytes: int = Field(64 * 1024 * 1024, ge=1024 * 1024)
    # Larger answers are not cached.
    max_entry_bytes: int = Field(1024 * 1024, ge=1024)


class WebhooksSettings(_Section):
    # Most webhooks one brand may have.
    max_per_brand: int = Field(100, ge=1, le=10_000)
    # Post to private, loopback and link-local addresses too (a receiver on the same network; tests). Off:
    # a brand's URL could otherwise reach the platform's own services (SSRF).
    allow_private_addresses: bool = False
    # A receiver answering later than this has failed the delivery.
    timeout_seconds: float = Field(10, gt=0, le=60)


class PluginsSettings(_Section):
    enabled: list[str] = ["*"]
    # The raw `[plugins.<name>]` tables; each is validated by its plugin's own model when it loads.
    config: dict[str, dict[str, Any]] = {}

    def allows(self, name: str) -> bool:
        return "*" in self.enabled or name in self.enabled


class Settings(_Section):
    server: ServerSettings = ServerSettings()
    database: DatabaseSettings = DatabaseSettings()
    graphql: GraphQLSettings = GraphQLSettings()
    auth: AuthSettings = AuthSettings()
    catalog: CatalogSettings = CatalogSettings()
    media: MediaSettings = MediaSettings()
    papers: PapersSettings = PapersSettings()
    checkout: CheckoutSettings = CheckoutSettings()
    jobs: JobsSettings = JobsSettings()
    events: EventsSettings = EventsSettings()
    rate_limits: RateLimitSettings = RateLimitSettings()
    cache: CacheSettings = CacheSettings()
    webhooks: WebhooksSettings = WebhooksSettings()
    plugins: PluginsSettings = PluginsSettings()

    @property
    def development(self) -> bool:
        return self.server.environment == "development"

    @property
    def introspection(self) -> bool:
        """Whether `__schema`/`__type` are answered: `[graphql] introspection`, where "auto" means everywhere
        but production (a production schema is published on purpose, not by default)."""
        chosen = self.graphql.introspection
        return self.server.environment != "production" if chosen == "auto" else chosen


_SECTIONS: dict[str, type[_Section]] = {
    "server": ServerSettings,
    "database": DatabaseSettings,
    "graphql": GraphQLSettings,
    "webhooks": WebhooksSettings,
    "auth": AuthSettings,
    "catalog": CatalogSettings,
    "media": MediaSettings,
    "papers": PapersSettings,
    "checkout": CheckoutSettings,
    "jobs": JobsSettings,
    "events": EventsSettings,
    "rate_limits": RateLimitSettings,
    "cache": CacheSettings,
    "plugins": PluginsSettings,
}


def load_settings(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the TOML file, apply environment overrides and validate the result."""
    env = os.environ if env is None else env
    path = Path(path or env.get("LINI_SETTINGS") or DEFAULT_PATH)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML: {exc}") from None

    for name in raw:
        if name not in _SECTIONS:
            raise SettingsError(f"{path}: unknown section [{name}]; expected one of {', '.join(_SECTIONS)}")
        if not isinstance(raw[name], dict):
            raise SettingsError(f"{path}: `{name}` must be a table [{name}]")

    plugins = dict(raw.get("plugins", {}))
    tables = {key: plugins.pop(key) for key in list(plugins) if isinstance(plugins[key], dict)}
    raw["plugins"] = {**plugins, "config": tables}

    sources: dict[tuple[str, str], str] = {}
    for section, model in _SECTIONS.items():
        for key, field in model.model_fields.items():
            if key == "config":
                continue
            var = f"{ENV_PREFIX}{section}_{key}".upper()
            if var in env:
                raw.setdefault(section, {})[key] = parse_env_value(env[var], field.annotation)
                sources[(section, key)] = var
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc, path, sources)) from None
    known = {var for var, _ in setting_variables()} | named_variables(settings)
    for name in raw["plugins"]["config"].values():
        known |= {value for key, value in name.items() if key.endswith("_env") and isinstance(value, str)}
    check_variables(env, known, skip_prefix=PLUGIN_PREFIX)
    return settings


def setting_variables() -> list[tuple[str, tuple[str, str]]]:
    """Every core setting's environment variable with its (section, key)."""
    return [
        (f"{ENV_PREFIX}{section}_{key}".upper(), (section, key))
        for section, model in _SECTIONS.items()
        for key in model.model_fields
        if key != "config"
    ]


def named_variables(settings: Settings) -> set[str]:
    """The variables that core `*_env` keys name (`[auth] signing_key_env = "LINI_SECRET_KEY"`)."""
    names = set()
    for section in _SECTIONS:
        values = getattr(settings, section)
        for key in type(values).model_fields:
            value = getattr(values, key)
            if key.endswith("_env") and isinstance(value, str) and value:
                names.add(value)
    return names


def check_variables(
    env: Mapping[str, str], known: set[str], *, skip_prefix: str | None = None, only_prefix: str | None = None
) -> None:
    """Stop on a `LINI_*` variable that nothing reads, naming the closest valid one.

    `skip_prefix` leaves a family to a later check (plugins' variables, known once plugins load);
    `only_prefix` checks that family alone.
    """
    valid = known | set(OTHER_VARIABLES)
    for var in sorted(env):
        if not var.startswith(ENV_PREFIX) or var.startswith(TEST_PREFIX) or var in valid:
            continue
        if skip_prefix and var.startswith(skip_prefix):
            continue
        if only_prefix and not var.startswith(only_prefix):
            continue
        close = difflib.get_close_matches(var, sorted(valid), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise SettingsError(
            f"environment variable {var} is not a Lini setting{hint} (settings are LINI_<SECTION>_<KEY>, plugin "
            f"settings LINI_PLUGINS_<NAME>_<KEY>; see settings.toml)"
        )


def parse_env_value(value: str, annotation: Any) -> Any:
    """Environment variables are strings; lists accept JSON or comma-separated values."""
    if get_origin(annotation) is list or annotation is list:
        value = value.strip()
        if value.startswith("["):
            return json.loads(value)
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def describe_validation_error(
    exc: ValidationError,
    origin: Path | str,
    sources: Mapping[tuple[str, str], str] | None = None,
    *,
    section: str | None = None,
) -> str:
    lines = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        if section is None:
            section_name, keys = (loc[0], loc[1:]) if len(loc) >= 2 else ("", loc)
        else:
            section_name, keys = section, loc
        where = f"[{section_name}] {'.'.join(keys)}" if section_name else ".".join(keys)
        source = (sources or {}).get((section_name, keys[0])) if keys else None
        found = f" (got {error['input']!r})" if error["type"] != "missing" else ""
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        lines.append(f"{where}: {message}{found}" + (f", from {source}" if source else ""))
    return f"invalid settings in {origin}:\n  " + "\n  ".join(lines)


def plugin_settings(
    settings: Settings, name: str, model: type[BaseModel] | None, env: Mapping[str, str] | None = None
) -> BaseModel | None:
    """Validate the `[plugins.<name>]` table (plus `LINI_PLUGINS_<NAME>_<KEY>`) against a plugin's model."""
    env = os.environ if env is None else env
    section = f"plugins.{name}"
    table = dict(settings.plugins.config.get(name, {}))
    if model is None:
        if table:
            raise SettingsError(f"[{section}]: plugin {name!r} takes no settings")
        return None
    unknown = sorted(set(table) - set(model.model_fields))
    if unknown:
        raise SettingsError(f"[{section}] {unknown[0]}: unknown key (expected: {', '.join(model.model_fields)})")
    sources: dict[tuple[str, str], str] = {}
    for key, field in model.model_fields.items():
        var = f"{ENV_PREFIX}PLUGINS_{name}_{key}".upper()
        if var in env:
            table[key] = parse_env_value(env[var], field.annotation)
            sources[(section, key)] = var
    try:
        return model.model_validate(table)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc, "settings.toml", sources, section=section)) from None
