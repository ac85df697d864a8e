"""Supplier catalogs: suppliers load their fabrics and trims from feed files instead of typing each one.

A feed is CSV (UTF-8, with or without BOM, `;` or `,`), XLSX or JSON Lines with the column set documented in
`columns.py`. `catalogImport` upserts it by (supplier, SKU), FULL or DELTA, atomic or row by row; fabrics go
through core's fabric service, trims (buttons, zips, lace, interlining, thread) into this plugin's own tables.
`catalogImports` is the supplier's log with counts and rejected rows; `trims` is what brands browse.
"""

from __future__ import annotations

from plugins.supplier_catalogs.plugin import (
    Settings,
    catalog_formats,
    error_codes,
    event_types,
    job_blueprints,
    schema_extensions,
    seed_demo,
)

MODELS = [
    "plugins.supplier_catalogs.models",
    "plugins.supplier_catalogs.order_models",
    "plugins.supplier_catalogs.feed_models",
]
MIGRATIONS = "plugins.supplier_catalogs.migrations"

__all__ = [
    "MIGRATIONS",
    "MODELS",
    "Settings",
    "catalog_formats",
    "error_codes",
    "event_types",
    "job_blueprints",
    "schema_extensions",
    "seed_demo",
]
