"""Keyset cursors: opaque, bound to their ordering, and refused when forged."""

from __future__ import annotations

import pytest

from core.catalog.models import Product
from core.errors import DomainError
from core.pagination import PageRequest, decode_cursor, encode_cursor


def test_cursor_round_trip():
    cursor = encode_cursor("products:name", ["Gamis", 42])
    assert decode_cursor(cursor, "products:name", Product, ["name", "id"]) == ["Gamis", 42]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all %%%",
        encode_cursor("products:created", ["Gamis", 42]),  # another ordering
        encode_cursor("products:name", ["Gamis"]),  # too short
        encode_cursor("products:name", ["Gamis", "42"]),  # id must be an integer
        encode_cursor("products:name", [7, 42]),  # name must be a string
    ],
)
def test_foreign_or_forged_cursors_are_refused(cursor):
    with pytest.raises(DomainError) as caught:
        decode_cursor(cursor, "products:name", Product, ["name", "id"])
    assert caught.value.code == "INVALID_CURSOR"


def test_page_size_over_the_maximum_is_an_error_not_a_cap():
    with pytest.raises(DomainError) as caught:
        PageRequest(first=101).validated(default_size=20, max_size=100)
    assert caught.value.code == "PAGE_SIZE_EXCEEDED"
    assert PageRequest().validated(default_size=20, max_size=100) == (20, False)
    assert PageRequest(last=5).validated(default_size=20, max_size=100) == (5, True)
