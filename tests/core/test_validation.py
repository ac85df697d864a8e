"""The one `Problems` helper every domain collects field errors with."""

from __future__ import annotations

import pytest

from core.errors import DomainError, DomainErrors
from core.validation import Problems


def _refuse(field: str) -> str:
    raise DomainError("REQUIRED", "no", field)


def test_nested_views_share_one_list_and_prefix_collected_checks():
    problems = Problems()
    row = problems.at("products.3")
    assert row.collect(_refuse, "sku") is None
    row.add("TOO_LONG", "no", "name")
    assert row.has("sku") and problems.has("products.3.sku") and not problems.has("sku")
    with pytest.raises(DomainErrors) as raised:
        problems.check()
    assert [(e.code, e.field) for e in raised.value.errors] == [
        ("REQUIRED", "products.3.sku"),
        ("TOO_LONG", "products.3.name"),
    ]


def test_check_always_raises_the_list_and_raise_any_a_single_error_alone():
    single = Problems()
    single.add("REQUIRED", "no", "city")
    with pytest.raises(DomainErrors):
        single.check()
    with pytest.raises(DomainError):
        single.raise_any()
    Problems().check()  # nothing to report
    Problems().raise_any()
