"""The supplier_catalogs feed readers and row checks, without a database: every format gives the same rows,
and each kind of bad input is a typed refusal of the file or of the row, with its row number and column."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from plugins.supplier_catalogs.models import ImportMode
from plugins.supplier_catalogs.parsers import FeedError, FileFormat, Limits, detect, read_feed
from plugins.supplier_catalogs.rows import Action, Kind, checked

LIMITS = Limits(max_rows=100, max_unpacked_bytes=1_000_000)
TODAY = date(2026, 12, 3)
HEADER = ["sku", "name", "kind", "trim_type", "price", "currency", "stock", "image_urls"]
ROWS = [
    ["WOL-01", "Wolfis Hitam", "FABRIC", "", "38500", "IDR", "120.5", "https://cdn.example.id/a.jpg"],
    ["BTN-07", "Kancing Mutiara", "TRIM", "BUTTON", "1200", "IDR", "5000", ""],
]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\n".join(delimiter.join(cells) for cells in rows) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def jsonl_bytes(rows: list[list[str]]) -> bytes:
    header, *body = rows
    return "\n".join(json.dumps(dict(zip(header, cells, strict=True))) for cells in body).encode()


@pytest.mark.parametrize(
    ("data", "file_format"),
    [
        (csv_bytes([HEADER, *ROWS]), FileFormat.CSV),
        (csv_bytes([HEADER, *ROWS], ";", bom=True), FileFormat.CSV),
        (xlsx_bytes([HEADER, *ROWS]), FileFormat.XLSX),
        (jsonl_bytes([HEADER, *ROWS]), FileFormat.JSONL),
    ],
    ids=["csv-comma", "csv-semicolon-bom", "xlsx", "jsonl"],
)
def test_every_format_reads_the_same_rows(data, file_format):
    assert detect(data, "feed") == file_format
    feed = read_feed(data, file_format, LIMITS)
    assert feed.columns == set(HEADER) and not feed.problems
    first_row = 1 if file_format == FileFormat.JSONL else 2
    assert [number for number, _ in feed.rows] == [first_row, first_row + 1]
    fabric, trim_row = (checked(n, raw, mode=ImportMode.FULL, stock_only=False, today=TODAY) for n, raw in feed.rows)
    assert fabric[1] == [] and trim_row[1] == []
    assert fabric[0].kind == Kind.FABRIC and fabric[0].values["price_per_metre"] == Decimal("38500")
    assert fabric[0].values["stock_metres"] == Decimal("120.5")
    assert fabric[0].values["images"] == ["https://cdn.example.id/a.jpg"]
    assert trim_row[0].kind == Kind.TRIM and trim_row[0].values["trim_type"] == "BUTTON"


def test_headers_are_matched_loosely_and_unknown_ones_are_warned_about():
    rows = [["Supplier SKU", "Name", "Price", "Currency", "Colour code"], ["A", "B", "1", "IDR", "x"]]
    feed = read_feed(csv_bytes(rows), FileFormat.CSV, LIMITS)
    assert feed.columns == {"sku", "name", "price", "currency"}
    assert feed.warnings == ["Column 'Colour code' is unknown: ignored."]


@pytest.mark.parametrize(
    ("data", "file_format", "code"),
    [
        ("sku,name,price,currency\nA,Kain Rénda,1,IDR\n".encode("latin-1"), FileFormat.CSV, "INVALID_ENCODING"),
        (b"sku,price,currency\nA,1,IDR\n", FileFormat.CSV, "MISSING_COLUMN"),
        (b"", FileFormat.CSV, "EMPTY_FILE"),
        (b"not a workbook", FileFormat.XLSX, "INVALID_FILE"),
        (csv_bytes([HEADER, *[ROWS[0]] * 101]), FileFormat.CSV, "TOO_MANY_ROWS"),
    ],
    ids=["latin-1", "missing-name", "empty", "not-xlsx", "row-cap"],
)
def test_a_bad_file_is_refused_whole(data, file_format, code):
    with pytest.raises(FeedError) as refused:
        read_feed(data, file_format, LIMITS)
    assert refused.value.code == code and refused.value.field == "file"


def test_a_zip_bomb_workbook_is_refused_before_it_is_opened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)  # 5 MB of zeros packs into a few KB
    assert len(out.getvalue()) < 20_000
    with pytest.raises(FeedError) as refused:
        read_feed(out.getvalue(), FileFormat.XLSX, LIMITS)
    assert refused.value.code == "FILE_TOO_LARGE"


def test_a_bad_json_line_rejects_that_line_only():
    data = b'{"sku": "A", "name": "Kain", "price": 1, "currency": "IDR"}\nnot json\n[1, 2]\n'
    feed = read_feed(data, FileFormat.JSONL, LIMITS)
    assert [n for n, _ in feed.rows] == [1]
    assert [(p.row, p.code) for p in feed.problems] == [(2, "INVALID_JSON"), (3, "INVALID_JSON")]


def row_problems(cells: dict[str, object], mode: ImportMode = ImportMode.FULL) -> list[tuple[str | None, str]]:
    base: dict[str, object] = {"sku": "A-1", "name": "Kain", "price": "1000", "currency": "IDR"}
    row, problems = checked(7, {**base, **cells}, mode=mode, stock_only=False, today=TODAY)
    assert (row is None) == bool(problems)
    assert all(p.row == 7 for p in problems)
    return [(p.column, p.code) for p in problems]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"price": "-5"}, [("price", "INVALID_PRICE")]),
        ({"price": "abc"}, [("price", "INVALID_PRICE")]),
        ({"price": "10.5", "currency": "JPY"}, [("price", "INVALID_PRICE")]),  # yen have no decimals
        ({"currency": "XYZ"}, [("currency", "UNKNOWN_CURRENCY")]),
        ({"stock": "-1", "weight_gsm": "12.5"}, [("weight_gsm", "INVALID_NUMBER"), ("stock", "INVALID_QUANTITY")]),
        ({"sku": "two words"}, [("sku", "INVALID_SKU")]),
        ({"kind": "TRIM"}, [("trim_type", "REQUIRED")]),
        ({"kind": "TRIM", "trim_type": "RIBBON"}, [("trim_type", "INVALID_TRIM_TYPE")]),
        ({"image_urls": "javascript:alert(1)"}, [("image_urls", "INVALID_URL")]),
        ({"price_valid_to": "2026-01-01"}, [("price_valid_to", "PRICE_EXPIRED")]),
        ({"price_valid_from": "2027-02-01", "price_valid_to": "2027-01-01"}, [("price_valid_to", "INVALID_DATE")]),
        ({"action": "delete"}, [("action", "INVALID_ACTION")]),
        ({"name": ""}, [("name", "REQUIRED")]),
    ],
)
def test_each_bad_cell_is_reported_with_its_column(cells, expected):
    assert row_problems(cells) == expected


def test_a_price_for_a_later_day_is_a_good_row_that_starts_later():
    cells = {"sku": "A", "name": "Kain", "price": "1200", "currency": "IDR", "price_valid_from": "2027-01-01"}
    row, problems = checked(2, cells, mode=ImportMode.FULL, stock_only=False, today=TODAY)
    assert problems == [] and row is not None
    assert row.starts_later(TODAY) and not row.starts_later(date(2027, 1, 1))


def test_a_formula_is_only_text_and_a_decimal_comma_is_read():
    cells = {"sku": "A", "name": "=cmd|' /C calc'!A0", "price": "12,50", "currency": "MYR"}
    row, problems = checked(2, cells, mode=ImportMode.FULL, stock_only=False, today=TODAY)
    assert problems == [] and row is not None
    assert row.values["name"] == "=cmd|' /C calc'!A0" and row.values["price_per_metre"] == Decimal("12.50")


def test_delta_rows_delete_and_stock_only_rows_need_no_name():
    row, problems = checked(3, {"sku": "A", "action": "Delete"}, mode=ImportMode.DELTA, stock_only=False, today=TODAY)
    assert problems == [] and row is not None and row.action == Action.DELETE
    row, problems = checked(4, {"sku": "A", "stock": "3"}, mode=ImportMode.DELTA, stock_only=True, today=TODAY)
    assert problems == [] and row is not None and row.values == {"stock_metres": Decimal("3")}
