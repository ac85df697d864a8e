"""The documented column set of a catalog feed, the same for CSV, XLSX and JSON Lines.

Headers are matched without regard to case, surrounding spaces, or spaces and hyphens for underscores
(`Weight GSM` is `weight_gsm`); a few common aliases are accepted. Unknown columns are ignored with a warning.

| column           | meaning                                                             | required              |
| ---------------- | ------------------------------------------------------------------- | --------------------- |
| sku              | the supplier's SKU, 1–64 characters without spaces                  | always                |
| name             | what the material is called                                         | except stock-only     |
| kind             | FABRIC (the default) or TRIM                                        |                       |
| trim_type        | a trim's type: BUTTON, ZIP, LACE, INTERLINING, THREAD               | for trims             |
| unit             | a trim's unit: PIECE (the default) or METRE; fabric is always METRE |                       |
| composition      | e.g. "100% cotton"                                                  |                       |
| weight_gsm       | grams per square metre, whole number                                |                       |
| width_cm         | width in centimetres, whole number                                  |                       |
| colour, pattern  | free text                                                           |                       |
| price            | price per unit (metre or piece), above 0                            | except stock-only     |
| currency         | ISO 4217 code                                                       | except stock-only     |
| stock            | units on hand, 0 or more                                            |                       |
| min_order        | smallest quantity sold, 0 or more                                   |                       |
| lead_time_days   | days to restock, 0–365                                              |                       |
| image_urls       | http(s) URLs separated by spaces or `|` (a list in JSON Lines)      |                       |
| price_valid_from | first day of the price (YYYY-MM-DD)                                 |                       |
| price_valid_to   | last day of the price (YYYY-MM-DD)                                  |                       |
| action           | DELTA imports: upsert (the default) or delete                       |                       |

A feed whose columns are only `sku`, `stock` (and `kind`, `action`) is stock-only: it changes stock alone, and a
FULL stock-only import archives nothing.
"""

from __future__ import annotations

import re

COLUMNS = (
    "sku", "name", "kind", "trim_type", "unit", "composition", "weight_gsm", "width_cm", "colour", "pattern",
    "price", "currency", "stock", "min_order", "lead_time_days", "image_urls", "price_valid_from",
    "price_valid_to", "action",
)  # fmt: skip
ALIASES = {
    "supplier_sku": "sku",
    "color": "colour",
    "price_per_unit": "price",
    "price_per_metre": "price",
    "weight": "weight_gsm",
    "width": "width_cm",
    "minimum_order": "min_order",
    "images": "image_urls",
    "lead_time": "lead_time_days",
}
REQUIRED = ("sku", "name", "price", "currency")
STOCK_ONLY = frozenset({"sku", "stock", "kind", "action"})

_SEPARATORS = re.compile(r"[\s\-]+")


def normalised(header: object) -> str:
    """A header as the column name it stands for (unknown ones come back normalised, to be warned about)."""
    name = _SEPARATORS.sub("_", str(header if header is not None else "").strip().lower()).strip("_")
    return ALIASES.get(name, name)


def is_stock_only(columns: set[str]) -> bool:
    return "stock" in columns and columns <= STOCK_ONLY


def missing(columns: set[str]) -> list[str]:
    """The required columns a feed lacks: only `sku` for a stock-only feed."""
    needed = ("sku",) if is_stock_only(columns) else REQUIRED
    return [name for name in needed if name not in columns]
