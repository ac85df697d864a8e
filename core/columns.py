"""Column precisions shared by the models, typed so that `fields.DecimalField(**MONEY)` type-checks.

A plain dict would reach tortoise's `DecimalField` overloads as `**dict[str, int]`, which matches none of them;
a TypedDict tells the checker exactly which keyword arguments it carries.
"""

from __future__ import annotations

from typing import TypedDict


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Digits = {"max_digits": 16, "decimal_places": 3}  # core.money quantizes to at most 3 places (KWD, BHD)
