"""One feed row checked into what the import writes, or the problems that reject it (every one, per column).

A row's values are named as the writers want them: core's fabric fields (`price_per_metre`, `stock_metres`, …)
for fabrics, the plugin's trim fields for trims. Only the cells a row fills are kept, so an update changes what
the feed says and keeps the rest; a new material gets the defaults for what it leaves out.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from lini.plugin import exponent
from lini.plugin import is_currency as _is_currency
from plugins.supplier_catalogs.models import ImportMode, TrimType, TrimUnit
from plugins.supplier_catalogs.parsers import RowProblem

SKU = re.compile(r"^\S{1,64}$")
TEXTS = {"name": 200, "composition": 200, "colour": 64, "pattern": 64}
WHOLE = {"weight_gsm": (1, 2000), "width_cm": (1, 600), "lead_time_days": (0, 365)}
MAX_PRICE = Decimal(10) ** 13
MAX_QUANTITY = Decimal(10) ** 10
MAX_IMAGES = 20
URL_SPLIT = re.compile(r"[\s|]+")
FABRIC_NAMES = {"price": "price_per_metre", "stock": "stock_metres", "min_order": "min_order_metres"}
TRIM_NAMES = {fabric: trim for trim, fabric in FABRIC_NAMES.items()}


@functools.lru_cache(maxsize=512)
def is_currency(code: str) -> bool:
    """ISO 4217, asked once per code: a feed repeats its few currencies on every row."""
    return _is_currency(code)


class Kind(StrEnum):
    FABRIC = "FABRIC"
    TRIM = "TRIM"


class Action(StrEnum):
    UPSERT = "UPSERT"
    DELETE = "DELETE"


@dataclass
class CatalogRow:
    number: int
    kind: Kind
    sku: str
    action: Action = Action.UPSERT
    stock_only: bool = False
    kind_given: bool = True  # False: a known SKU keeps its kind (a stock feed need not say which are trims)
    values: dict[str, Any] = field(default_factory=dict)  # named for the writer of its kind
    valid_from: date | None = None
    valid_to: date | None = None
    digest: str = ""  # `row_hash`, once computed: the first pass compares it, the second stores it

    def starts_later(self, today: date) -> bool:
        """Whether its price is for a later day: the rest of the row is written now, the price on its date."""
        return self.valid_from is not None and self.valid_from > today


def text(cell: Any) -> str:
    """A cell as text: XLSX gives numbers and dates, JSON numbers; a whole float (1001.0) is its integer."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def checked(
    number: int, raw: dict[str, Any], *, mode: ImportMode, stock_only: bool, today: date
) -> tuple[CatalogRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def add(column: str | None, code: str, message: str) -> None:
        problems.append(RowProblem(number, column, code, message))

    cells = {name: text(value) if name != "image_urls" else value for name, value in raw.items()}
    filled = {name for name, value in cells.items() if value not in ("", None, [])}
    sku = cells.get("sku", "")
    if not SKU.match(sku):
        add("sku", "INVALID_SKU", "Give a SKU of 1–64 characters without spaces.")
    kind = _choice(add, cells.get("kind") or "FABRIC", Kind, "kind", "INVALID_KIND")
    action = _choice(add, cells.get("action") or "UPSERT", Action, "action", "INVALID_ACTION")
    if action == Action.DELETE and mode == ImportMode.FULL:
        add("action", "INVALID_ACTION", "A FULL import lists the whole catalog: delete rows belong in a DELTA import.")
    row = CatalogRow(
        number, kind or Kind.FABRIC, sku, action or Action.UPSERT, stock_only=stock_only, kind_given="kind" in filled
    )
    if row.action == Action.DELETE:
        return (None if problems else row), problems
    values: dict[str, Any] = {}
    if not stock_only:
        for column in ("name", "price", "currency"):
            if column not in filled:
                add(column, "REQUIRED", f"Give the {column} of every material.")
    for column, limit in TEXTS.items():
        if column in filled:
            if len(cells[column]) > limit:
                add(column, "TOO_LONG", f"Use at most {limit} characters.")
            values[column] = cells[column]
    for column, (low, high) in WHOLE.items():
        if column in filled:
            values[column] = _whole(add, cells[column], column, low, high)
    currency = cells.get("currency", "").upper()
    if "currency" in filled:
        if not is_currency(currency):
            add("currency", "UNKNOWN_CURRENCY", f"{cells['currency']!r} is not an ISO 4217 currency code.")
        values["currency"] = currency
    if "price" in filled:
        values["price"] = _price(add, cells["price"], currency if is_currency(currency) else "")
    for column in ("stock", "min_order"):
        if column in filled:
            values[column] = _quantity(add, cells[column], column)
    if "image_urls" in filled:
        values["images"] = _images(add, raw["image_urls"])
    _trim_fields(add, row, cells, filled, values)
    row.valid_from = _day(add, cells.get("price_valid_from", ""), "price_valid_from")
    row.valid_to = _day(add, cells.get("price_valid_to", ""), "price_valid_to")
    row.values = values
    _validity(add, row, today)
    if problems:
        return None, problems
    row.values = {FABRIC_NAMES.get(k, k): v for k, v in values.items()} if row.kind == Kind.FABRIC else values
    return row, problems


def _trim_fields(add: Any, row: CatalogRow, cells: dict[str, Any], filled: set[str], values: dict[str, Any]) -> None:
    if row.kind == Kind.TRIM:
        if "trim_type" in filled:
            values["trim_type"] = _choice(add, cells["trim_type"], TrimType, "trim_type", "INVALID_TRIM_TYPE")
        elif not row.stock_only:
            add("trim_type", "REQUIRED", "Give a trim's type: BUTTON, ZIP, LACE, INTERLINING or THREAD.")
        if "unit" in filled:
            values["unit"] = _choice(add, cells["unit"], TrimUnit, "unit", "INVALID_UNIT")
        values.pop("weight_gsm", None)
        return
    if "unit" in filled and cells["unit"].upper() != TrimUnit.METRE:
        add("unit", "INVALID_UNIT", "Fabric is sold per METRE.")
    if "trim_type" in filled:
        add("trim_type", "INVALID_TRIM_TYPE", "Only a TRIM has a trim type.")


def _choice(add: Any, value: str, choices: type[StrEnum], column: str, code: str) -> Any:
    try:
        return choices(value.strip().upper())
    except ValueError:
        add(column, code, f"Use one of {', '.join(choices)}.")
        return None


def _number(value: str) -> Decimal | None:
    if value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")  # a decimal comma, as `;`-separated spreadsheets write it
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _whole(add: Any, value: str, column: str, low: int, high: int) -> int | None:
    number = _number(value)
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        add(column, "INVALID_NUMBER", f"Give a whole number from {low} to {high}.")
        return None
    return int(number)


def _price(add: Any, value: str, currency: str) -> Decimal | None:
    number = _number(value)
    if number is None:
        add("price", "INVALID_PRICE", f"{value!r} is not a number.")
        return None
    if not 0 < number < MAX_PRICE:
        add("price", "INVALID_PRICE", "Give a price above 0.")
        return None
    if currency and number != number.quantize(Decimal(1).scaleb(-exponent(currency))):
        add("price", "INVALID_PRICE", f"{currency} has at most {exponent(currency)} decimals.")
        return None
    return number


def _quantity(add: Any, value: str, column: str) -> Decimal | None:
    number = _number(value)
    if number is None or not 0 <= number < MAX_QUANTITY or number != number.quantize(Decimal("0.01")):
        add(column, "INVALID_QUANTITY", "Give a quantity from 0, with at most two decimals.")
        return None
    return number


def _images(add: Any, value: Any) -> list[str]:
    urls = [text(v) for v in value] if isinstance(value, list) else URL_SPLIT.split(text(value))
    urls = [url for url in urls if url]
    if len(urls) > MAX_IMAGES:
        add("image_urls", "TOO_MANY", f"At most {MAX_IMAGES} images.")
    for url in urls:
        if not url.lower().startswith(("https://", "http://")):
            add("image_urls", "INVALID_URL", f"{url[:80]!r} is not an http(s) URL.")
    return urls


def _day(add: Any, value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        add(column, "INVALID_DATE", "Give a date as YYYY-MM-DD.")
        return None


def _validity(add: Any, row: CatalogRow, today: date) -> None:
    if row.valid_from and row.valid_to and row.valid_from > row.valid_to:
        add("price_valid_to", "INVALID_DATE", "The price cannot end before it starts.")
    elif row.valid_to and row.valid_to < today:
        add("price_valid_to", "PRICE_EXPIRED", "This price has already ended.")
    elif row.valid_from and row.valid_from > today and not _has_price(row):
        add("price_valid_from", "PRICE_REQUIRED", "A date for the price needs the price.")


def _has_price(row: CatalogRow) -> bool:
    return any(name in row.values for name in ("price", "price_per_metre"))


def row_hash(row: CatalogRow) -> str:
    """What identifies a row's content: the same row in the next feed is unchanged without reading the material."""
    if row.digest:
        return row.digest
    shown = sorted((name, str(value)) for name, value in row.values.items())
    key = (row.kind.value, row.stock_only, shown, str(row.valid_from or ""), str(row.valid_to or ""))
    row.digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return row.digest


def utc_today() -> date:
    return datetime.now(UTC).date()
