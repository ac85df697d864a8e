"""Feed formats: how a file of tabular rows (a supplier's catalog, a price list) is read, whoever provides it.

A format is provided through the `catalog_formats` hook and only turns bytes into rows of raw cells keyed by the
file's own headers; what the columns mean, and whether a cell is valid, is the consumer's business. Formats are
generic so that a plugin can add one (a supplier's own API export, a fixed-width file) without editing the
plugin that imports the rows.

A problem with the file as a whole is raised as `FeedRefused` (the consumer refuses the file and writes
nothing); a problem with one row is yielded as a `RowRejected` in the row's place, and the reading goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from core.errors import DomainError
from core.plugins import PluginError


class FeedRefused(DomainError):
    """The file cannot be read at all (not this format, wrong encoding, a zip bomb); its `field` is `file`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, "file")


@dataclass(frozen=True)
class FeedLimits:
    """What a reader must refuse rather than read: more data rows than `max_rows`, or (for packed formats such as
    XLSX) a file that unpacks to more than `max_unpacked_bytes` — checked before unpacking it."""

    max_rows: int
    max_unpacked_bytes: int


@dataclass(frozen=True)
class RowRejected:
    """One row that cannot be read (more cells than headers, a JSON line that is not an object)."""

    code: str
    message: str


# A data row: its number in the file's own counting (CSV and XLSX count the header as row 1, line formats count
# lines) and its cells by header (`RowRejected` in place of the cells for a row that cannot be read).
FeedRow = tuple[int, Mapping[str, Any] | RowRejected]


@runtime_checkable
class CatalogFormat(Protocol):
    """A feed format. `name` is what clients choose it by (upper case, e.g. "CSV"); `extensions` (lower case,
    with the dot) and `media_types` recognise a file or a fetched answer; `sniff` recognises it by its first
    bytes when neither says. `rows` reads the whole file lazily (a generator: a consumer may stop early), in
    file order, raising `FeedRefused` for the file as a whole; `count` says how many data rows it has, cheaply
    and roughly (for progress), or None."""

    name: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]

    def sniff(self, head: bytes) -> bool: ...

    def rows(self, data: bytes, limits: FeedLimits) -> Iterator[FeedRow]: ...

    def count(self, data: bytes) -> int | None: ...


def formats_by_name(formats: list[CatalogFormat]) -> dict[str, CatalogFormat]:
    """The formats by name; two providers of one name are refused (the first would silently win)."""
    found: dict[str, CatalogFormat] = {}
    for provided in formats:
        if not isinstance(provided, CatalogFormat):
            raise PluginError(f"{provided!r} does not implement CatalogFormat (name, extensions, sniff, rows, count)")
        if provided.name in found:
            raise PluginError(f"two catalog formats are named {provided.name!r}")
        found[provided.name] = provided
    return found
