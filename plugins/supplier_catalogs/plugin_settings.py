"""The plugin's settings (`[plugins.supplier_catalogs]`) and the feed formats its host offers, read by the
schema, the jobs and the demo alike."""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lini.plugin import CatalogFormat, PluginHost, formats_by_name

NAME = "supplier_catalogs"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Largest feed file uploaded, in bytes; a bigger upload is refused after reading one byte more. Multipart
    # requests are also bounded by the server's own limit ([media] max_upload_bytes + [server] max_body_size), so
    # feeds beyond that come from a URL source.
    max_file_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    # Most data rows one feed may have.
    max_rows: int = Field(200_000, ge=1)
    # What an XLSX workbook may unpack to: a zip bomb is refused before openpyxl opens it.
    max_unpacked_bytes: int = Field(100 * 1024 * 1024, ge=1024)
    # URL sources: the largest body read (in chunks: the fetch stops past it), how long a fetch may take, the
    # shortest interval a supplier may choose, and which private addresses a fetch may reach (none: a source, or
    # any redirect it gives, must resolve to public addresses only; tests allow their loopback server).
    max_fetch_bytes: int = Field(64 * 1024 * 1024, ge=1024)
    fetch_timeout_seconds: float = Field(30.0, gt=0, le=300)
    min_interval_minutes: int = Field(15, ge=1)
    allow_private_addresses: bool = False
    allowed_networks: list[str] = Field(default_factory=list)
    # Most URL sources per supplier.
    max_sources: int = Field(10, ge=1)

    @field_validator("allowed_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network)  # a ValueError names the bad one
        return value


def formats_of(host: PluginHost) -> dict[str, CatalogFormat]:
    """Every plugin's feed formats by name (this plugin's CSV, XLSX and JSON Lines among them)."""
    return formats_by_name(host.collect("catalog_formats"))
