"""Collecting every bad field before refusing, so a form (or one row of a bulk import) shows all its mistakes.

One helper for every domain: the catalog, taxes, vouchers, garments and the actor services all check input by
adding a `DomainError` per problem (or running a check that raises one) and refusing once at the end. Field
names are snake_case paths relative to what is checked; a caller nests them (`products.3.variants.0.sku`) with
`Problems.at`. The domains' own checks stay in their `validation` modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.errors import DomainError, DomainErrors

T = TypeVar("T")


class Problems:
    """Collects `DomainError`s under a field prefix; `at()` views share one list, so nesting costs nothing."""

    def __init__(self, prefix: str = "", errors: list[DomainError] | None = None) -> None:
        self.prefix = prefix
        self.errors: list[DomainError] = [] if errors is None else errors

    def add(self, code: str, message: str, field: str | None) -> None:
        self.errors.append(DomainError(code, message, None if field is None else f"{self.prefix}{field}"))

    def at(self, path: str) -> Problems:
        return Problems(f"{self.prefix}{path}.", self.errors)

    def collect(self, check: Callable[..., T], *args: object, **kwargs: object) -> T | None:
        """The check's cleaned value, or None with the `DomainError` it raised kept (under this prefix)."""
        try:
            return check(*args, **kwargs)
        except DomainError as error:
            self.add(error.code, error.message, error.field)
            return None

    def has(self, field: str) -> bool:
        return any(error.field == f"{self.prefix}{field}" for error in self.errors)

    def check(self) -> None:
        """Refuses with every problem found, as `DomainErrors` even when there is one."""
        if self.errors:
            raise DomainErrors(list(self.errors))

    def raise_any(self) -> None:
        """Refuses with every problem found; a single one is raised as itself, as a check alone would raise it."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
