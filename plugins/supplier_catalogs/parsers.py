"""Reading a feed file into rows of raw cells: CSV (UTF-8, with or without BOM, `;` or `,`), XLSX, JSON Lines.

A problem with the file as a whole (wrong encoding, not a spreadsheet, a missing required column, too many rows,
an XLSX that unpacks to far more than it weighs) is a `FeedError`: the import refuses the file and writes
nothing. A problem with one line (a row with more cells than headers, a JSON line that is not an object) is a
`RowProblem` and rejects that row only. Cells stay raw here (text, or numbers from XLSX and JSON): `rows.py`
checks them. Nothing is ever evaluated: an XLSX formula is read as its cached value (`data_only`), and a CSV
cell starting with `=` is just text.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lini.plugin import DomainError
from plugins.supplier_catalogs import columns as cols


class FileFormat(StrEnum):
    CSV = "CSV"
    XLSX = "XLSX"
    JSONL = "JSONL"


class FeedError(DomainError):
    """The file cannot be imported at all; its `field` is always `file`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, "file")


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's own numbering: CSV and XLSX count the header as row 1, JSON Lines count lines
    column: str | None
    code: str
    message: str


@dataclass
class Feed:
    file_format: FileFormat
    columns: set[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_rows: int
    max_unpacked_bytes: int  # what an XLSX may unpack to: a zip bomb is refused before it is opened


def detect(data: bytes, filename: str) -> FileFormat:
    """By extension, else by content: a zip is XLSX, a first `{` is JSON Lines, anything else CSV."""
    name = filename.lower()
    for suffix, found in ((".xlsx", FileFormat.XLSX), (".jsonl", FileFormat.JSONL), (".ndjson", FileFormat.JSONL)):
        if name.endswith(suffix):
            return found
    if name.endswith(".csv"):
        return FileFormat.CSV
    if data.startswith(b"PK\x03\x04"):
        return FileFormat.XLSX
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return FileFormat.JSONL
    return FileFormat.CSV


def read_feed(data: bytes, file_format: FileFormat, limits: Limits) -> Feed:
    readers = {FileFormat.CSV: _csv, FileFormat.XLSX: _xlsx, FileFormat.JSONL: _jsonl}
    feed = readers[file_format](data, limits)
    lacking = cols.missing(feed.columns)
    if lacking:
        raise FeedError("MISSING_COLUMN", f"The feed has no {', '.join(lacking)} column (see the column set).")
    return feed


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FeedError(
            "INVALID_ENCODING", f"The file is not UTF-8 (line {line}, byte {error.start}): save it as UTF-8."
        ) from None


def _header(cells: Iterable[Any], feed: Feed) -> list[str | None]:
    """Known column names by position (None: ignored), with a warning per unknown or repeated header."""
    names: list[str | None] = []
    for cell in cells:
        name = cols.normalised(cell)
        if name in cols.COLUMNS and name not in feed.columns:
            feed.columns.add(name)
            names.append(name)
        else:
            if name:
                repeated = name in cols.COLUMNS
                feed.warnings.append(f"Column {cell!r} is {'repeated' if repeated else 'unknown'}: ignored.")
            names.append(None)
    return names


def _table(lines: Iterator[tuple[int, list[Any]]], feed: Feed, limits: Limits) -> Feed:
    """Rows of cells under a header row (CSV and XLSX): blank rows skipped, the row cap enforced."""
    first = next(lines, None)
    if first is None:
        raise FeedError("EMPTY_FILE", "The file has no header row.")
    names = _header(first[1], feed)
    for number, cells in lines:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        if len(feed.rows) + len(feed.problems) >= limits.max_rows:
            raise FeedError("TOO_MANY_ROWS", f"A feed has at most {limits.max_rows} rows: split the file.")
        if len(cells) > len(names) and any(str(c or "").strip() for c in cells[len(names) :]):
            feed.problems.append(RowProblem(number, None, "TOO_MANY_CELLS", "The row has more cells than headers."))
            continue
        feed.rows.append((number, {name: cell for name, cell in zip(names, cells, strict=False) if name}))
    return feed


def _csv(data: bytes, limits: Limits) -> Feed:
    text = _text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def lines() -> Iterator[tuple[int, list[Any]]]:
        try:
            for cells in reader:
                yield reader.line_num, list(cells)
        except csv.Error as error:
            raise FeedError("INVALID_CSV", f"The CSV is malformed at line {reader.line_num}: {error}.") from None

    return _table(lines(), Feed(FileFormat.CSV, set()), limits)


def _xlsx(data: bytes, limits: Limits) -> Feed:
    import openpyxl  # imported when an XLSX comes: it is the slowest import of the plugin

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FeedError("INVALID_FILE", "The file is not an XLSX workbook.") from None
    if unpacked > limits.max_unpacked_bytes:
        raise FeedError("FILE_TOO_LARGE", f"The workbook unpacks to more than {limits.max_unpacked_bytes} bytes.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged workbook: each means the same here
        raise FeedError("INVALID_FILE", "The file is not a readable XLSX workbook.") from None
    try:
        sheet = workbook.worksheets[0]
        lines = ((number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1))
        return _table(lines, Feed(FileFormat.XLSX, set()), limits)
    finally:
        workbook.close()


def _jsonl(data: bytes, limits: Limits) -> Feed:
    feed = Feed(FileFormat.JSONL, set())
    seen: set[str] = set()
    for number, line in enumerate(_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        if len(feed.rows) + len(feed.problems) >= limits.max_rows:
            raise FeedError("TOO_MANY_ROWS", f"A feed has at most {limits.max_rows} rows: split the file.")
        try:
            value = json.loads(line)
        except ValueError:
            feed.problems.append(RowProblem(number, None, "INVALID_JSON", "The line is not valid JSON."))
            continue
        if not isinstance(value, dict):
            feed.problems.append(RowProblem(number, None, "INVALID_JSON", "Each line must be one JSON object."))
            continue
        row: dict[str, Any] = {}
        for key, cell in value.items():
            name = cols.normalised(key)
            if name in cols.COLUMNS:
                row[name] = cell
                feed.columns.add(name)
            elif name not in seen:
                seen.add(name)
                feed.warnings.append(f"Column {key!r} is unknown: ignored.")
        feed.rows.append((number, row))
    if not feed.rows and not feed.problems:
        raise FeedError("EMPTY_FILE", "The file has no rows.")
    return feed
