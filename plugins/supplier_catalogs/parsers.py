"""Reading a feed file into rows of raw cells, through the formats of the `catalog_formats` hook: this plugin's
own CSV (UTF-8, with or without BOM, `;` or `,`), XLSX and JSON Lines, and any other plugin's.

A format only turns bytes into rows of cells by the file's headers; `FeedStream` maps those headers onto the
column set (`columns.py`), warns about unknown ones and refuses a file lacking a required column. A problem with
the file as a whole (wrong encoding, not a spreadsheet, too many rows, an XLSX that unpacks to far more than it
weighs) is a `FeedError`: the import refuses the file and writes nothing. A problem with one line is a
`RowProblem` and rejects that row only. Rows are read lazily, so a hundred thousand of them are never all in
memory. Nothing is ever evaluated: an XLSX formula is read as its cached value (`data_only`), and a CSV cell
starting with `=` is just text.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lini.plugin import CatalogFormat, FeedLimits, FeedRefused, FeedRow, RowRejected
from plugins.supplier_catalogs import columns as cols

FeedError = FeedRefused  # the file cannot be imported at all; its `field` is always `file`
Limits = FeedLimits


class FileFormat(StrEnum):
    """The formats this plugin provides itself; other plugins' are known by their `name` alone."""

    CSV = "CSV"
    XLSX = "XLSX"
    JSONL = "JSONL"


@dataclass(frozen=True)
class RowProblem:
    row: int  # the file's own numbering: CSV and XLSX count the header as row 1, JSON Lines count lines
    column: str | None
    code: str
    message: str


# --- the built-in formats (this plugin's `catalog_formats`) ----------------------------------------------------


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FeedError(
            "INVALID_ENCODING", f"The file is not UTF-8 (line {line}, byte {error.start}): save it as UTF-8."
        ) from None


def _table(lines: Iterator[tuple[int, Sequence[Any]]], limits: FeedLimits) -> Iterator[FeedRow]:
    """Rows of cells under a header row (CSV and XLSX): blank rows skipped, the row cap enforced. A header
    repeated word for word names its first column only."""
    first = next(lines, None)
    if first is None:
        raise FeedError("EMPTY_FILE", "The file has no header row.")
    header = [str(cell).strip() if cell is not None else "" for cell in first[1]]
    positions = [(i, name) for i, name in enumerate(header) if name and name not in header[:i]]
    width = len(header)
    count = 0
    for number, cells in lines:
        if not any(cell is not None and str(cell).strip() != "" for cell in cells):
            continue
        count += 1
        if count > limits.max_rows:
            raise FeedError("TOO_MANY_ROWS", f"A feed has at most {limits.max_rows} rows: split the file.")
        if len(cells) > width and any(str(c if c is not None else "").strip() for c in cells[width:]):
            yield number, RowRejected("TOO_MANY_CELLS", "The row has more cells than headers.")
            continue
        size = len(cells)
        yield number, {name: cells[i] for i, name in positions if i < size}


class CsvFormat:
    name = FileFormat.CSV.value
    extensions = (".csv", ".tsv", ".txt")
    media_types = ("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel")

    def sniff(self, head: bytes) -> bool:
        return True  # the fallback: asked last, after every format that recognises its own bytes

    def count(self, data: bytes) -> int | None:
        return max(data.count(b"\n") - 1 + (0 if data.endswith(b"\n") else 1), 0)

    def rows(self, data: bytes, limits: FeedLimits) -> Iterator[FeedRow]:
        _text(data)  # refused whole, with the line at fault, before a row is read
        first_line = data[: data.find(b"\n") if b"\n" in data else len(data)]
        delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
        # decoded as it is read: a StringIO of the whole text would hold four bytes per character
        stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
        reader = csv.reader(stream, delimiter=delimiter, strict=True)

        def lines() -> Iterator[tuple[int, Sequence[Any]]]:
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error as error:
                raise FeedError("INVALID_CSV", f"The CSV is malformed at line {reader.line_num}: {error}.") from None

        return _table(lines(), limits)


class XlsxFormat:
    name = FileFormat.XLSX.value
    extensions = (".xlsx",)
    media_types = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04")

    def count(self, data: bytes) -> int | None:
        return None  # the sheet's dimension is the writer's claim: progress shows rows read alone

    def rows(self, data: bytes, limits: FeedLimits) -> Iterator[FeedRow]:
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

        def rows() -> Iterator[FeedRow]:
            try:
                sheet = workbook.worksheets[0]
                lines = enumerate(sheet.iter_rows(values_only=True), start=1)
                yield from _table(((n, list(cells)) for n, cells in lines), limits)
            finally:
                workbook.close()

        return rows()


class JsonLinesFormat:
    name = FileFormat.JSONL.value
    extensions = (".jsonl", ".ndjson")
    media_types = ("application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines")

    def sniff(self, head: bytes) -> bool:
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")

    def count(self, data: bytes) -> int | None:
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)

    def rows(self, data: bytes, limits: FeedLimits) -> Iterator[FeedRow]:
        text = _text(data)

        def rows() -> Iterator[FeedRow]:
            count = 0
            for number, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                count += 1
                if count > limits.max_rows:
                    raise FeedError("TOO_MANY_ROWS", f"A feed has at most {limits.max_rows} rows: split the file.")
                try:
                    value = json.loads(line)
                except ValueError:
                    yield number, RowRejected("INVALID_JSON", "The line is not valid JSON.")
                    continue
                if not isinstance(value, dict):
                    yield number, RowRejected("INVALID_JSON", "Each line must be one JSON object.")
                    continue
                yield number, value

        return rows()


BUILT_IN: tuple[CatalogFormat, ...] = (CsvFormat(), XlsxFormat(), JsonLinesFormat())  # type: ignore[assignment]


def detect(data: bytes, filename: str, formats: Sequence[CatalogFormat] = BUILT_IN, media_type: str = "") -> str:
    """A format's name: by the file name's extension, else the answer's media type, else the first bytes (every
    format that recognises its own bytes before CSV, which takes anything)."""
    name = filename.lower()
    for provided in formats:
        if any(name.endswith(suffix) for suffix in provided.extensions):
            return provided.name
    media = media_type.split(";", 1)[0].strip().lower()
    for provided in formats:
        if media and media in provided.media_types:
            return provided.name
    head = data[:512]
    for provided in sorted(formats, key=lambda f: f.name == FileFormat.CSV):
        if provided.sniff(head):
            return provided.name
    return FileFormat.CSV.value


# --- rows of the column set --------------------------------------------------------------------------------


class FeedStream:
    """A file's rows as the column set names them, read lazily. The first row decides the file's columns (a
    JSON line's keys, a table's header): a required column missing there refuses the file; a key seen later
    is mapped when it first comes. Unknown and repeated columns are warned about once and ignored."""

    def __init__(self, data: bytes, file_format: CatalogFormat, limits: FeedLimits) -> None:
        self.format = file_format
        self.warnings: list[str] = []
        self.columns: set[str] = set()
        self._names: dict[str, str | None] = {}
        self._rows = iter(file_format.rows(data, limits))
        self._first = next(self._rows, None)
        if self._first is None:
            raise FeedError("EMPTY_FILE", "The file has no rows.")
        if isinstance(self._first[1], Mapping):
            for key in self._first[1]:
                self._name(key)
        lacking = cols.missing(self.columns)
        if lacking:
            raise FeedError("MISSING_COLUMN", f"The feed has no {', '.join(lacking)} column (see the column set).")
        self.stock_only = cols.is_stock_only(self.columns)

    def _name(self, key: Any) -> str | None:
        name: str | None = cols.normalised(key)
        if name in cols.COLUMNS and name not in self.columns:
            self.columns.add(name)
        elif name:
            repeated = name in cols.COLUMNS
            self.warnings.append(f"Column {key!r} is {'repeated' if repeated else 'unknown'}: ignored.")
            name = None
        self._names[key] = name
        return name

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]] | RowProblem]:
        names = self._names
        rows = self._rows
        first, self._first = self._first, None
        if first is not None:
            rows = _chain(first, rows)
        for number, cells in rows:
            if isinstance(cells, RowRejected):
                yield RowProblem(number, None, cells.code, cells.message)
                continue
            row: dict[str, Any] = {}
            for key, cell in cells.items():
                name = names[key] if key in names else self._name(key)
                if name is not None:
                    row[name] = cell
            yield number, row


def _chain(first: FeedRow, rest: Iterator[FeedRow]) -> Iterator[FeedRow]:
    yield first
    yield from rest


@dataclass
class Feed:
    """A whole feed read at once (small files and tests): its rows, rejected lines and warnings."""

    file_format: str
    columns: set[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_feed(data: bytes, file_format: str | CatalogFormat, limits: FeedLimits) -> Feed:
    chosen = _built_in(file_format) if isinstance(file_format, str) else file_format
    stream = FeedStream(data, chosen, limits)
    feed = Feed(chosen.name, stream.columns)
    for item in stream:
        if isinstance(item, RowProblem):
            feed.problems.append(item)
        else:
            feed.rows.append(item)
    feed.warnings = stream.warnings
    return feed


def _built_in(name: str) -> CatalogFormat:
    return next(provided for provided in BUILT_IN if provided.name == name)
