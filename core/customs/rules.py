"""What a customs declaration accepts: each check returns the stored form or records a typed problem.

HS codes are written many ways on labels and invoices ("6204.43", "6204 43", "620443.90"): the six
international digits are kept apart from the national extension, because duty tables are keyed by heading and
subheading (the first four and six digits) while only the exporting country's own form wants the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from core.actors import validation
from core.validation import Problems

HS_TEXT = re.compile(r"^[0-9]{4}(?:[. ]?[0-9]{2})(?:[. ]?[0-9]{2,6})?$")  # ASCII digits: ٦٢ is not a code
# HS chapters run 01-97; chapter 77 is reserved for future use and holds no goods.
RESERVED_CHAPTERS = {"00", "77", "98", "99"}
MAX_DESCRIPTION = 200
MIN_DESCRIPTION = 10
# Customs services refuse these alone ("clothes", "gift"): a description says what the goods are and of what.
VAGUE = {
    "apparel",
    "clothes",
    "clothing",
    "fashion",
    "garment",
    "garments",
    "gift",
    "goods",
    "merchandise",
    "sample",
    "textile",
    "textiles",
}
MAX_MATERIALS = 8
MATERIAL = re.compile(r"^[a-z][a-z \-]{1,39}$")
MAX_NET_WEIGHT = 100_000  # grams: a garment, not a pallet

FIELDS = ("hs_code", "national_code", "description", "origin_country", "composition", "net_weight_grams")
# What the goods are: the HS subheading follows the fibre, and the description names both, so these are inherited
# together, from the nearest level that sets any of them — a product that says "cotton" but inherits the
# category's polyester code and description would declare a contradiction. Origin and net weight stand alone.
CLASSIFICATION = ("hs_code", "national_code", "description", "composition")
# What a line must have, on its own row or inherited, to cross a border (net weight falls back to the variant's
# shipping weight, and the national extension is optional).
REQUIRED_FOR_EXPORT = ("hs_code", "description", "origin_country", "composition")


def hs_code(problems: Problems, text: str, field: str = "hs_code") -> tuple[str, str | None] | None:
    """("620443", "90") from "6204.43.90"; the national extension is None when only six digits are given."""
    cleaned = text.strip()
    if not HS_TEXT.match(cleaned):
        problems.add(
            "INVALID_HS_CODE", "Give the HS code's 6 digits (like 6204.43), optionally with up to 6 more.", field
        )
        return None
    digits = re.sub(r"[^0-9]", "", cleaned)
    if digits[:2] in RESERVED_CHAPTERS:
        problems.add("INVALID_HS_CODE", f"There is no HS chapter {digits[:2]} (chapters run 01-97, not 77).", field)
        return None
    return digits[:6], digits[6:] or None


def description(problems: Problems, text: str, field: str = "description") -> str | None:
    cleaned = " ".join(text.split())
    if not MIN_DESCRIPTION <= len(cleaned) <= MAX_DESCRIPTION:
        problems.add(
            "INVALID_CUSTOMS_DESCRIPTION",
            f"Describe the goods in English in {MIN_DESCRIPTION}-{MAX_DESCRIPTION} characters.",
            field,
        )
        return None
    words = {w.strip(".,;:()").lower() for w in cleaned.split()} - {"", "a", "an", "of", "the", "and", "for"}
    if words <= VAGUE:
        problems.add(
            "CUSTOMS_DESCRIPTION_VAGUE",
            'Say what the goods are and what they are made of, like "women\'s woven dress of polyester".',
            field,
        )
        return None
    return cleaned


def country(problems: Problems, code: str, field: str = "origin_country") -> str | None:
    return problems.collect(validation.country, code, field)


def composition(
    problems: Problems, items: list[Mapping[str, Any]], field: str = "composition"
) -> list[dict[str, str]] | None:
    """Materials with their shares of the weight, in label order; the shares add up to exactly 100."""
    if not items or len(items) > MAX_MATERIALS:
        problems.add("INVALID_COMPOSITION", f"List 1-{MAX_MATERIALS} materials with their percentages.", field)
        return None
    result: list[dict[str, str]] = []
    total = Decimal(0)
    seen: set[str] = set()
    ok = True
    for index, item in enumerate(items):
        material = " ".join(str(item.get("material") or "").split()).lower()
        if not MATERIAL.match(material):
            problems.add(
                "INVALID_COMPOSITION", "Name the material in 2-40 letters, like polyester.", f"{field}.{index}.material"
            )
            ok = False
            continue
        if material in seen:
            problems.add("DUPLICATE", f"{material} is listed twice.", f"{field}.{index}.material")
            ok = False
            continue
        seen.add(material)
        try:
            percent = Decimal(str(item.get("percent")))
        except (InvalidOperation, ValueError):
            percent = Decimal(-1)
        if not percent.is_finite() or not Decimal(0) < percent <= 100 or percent.as_tuple().exponent < -1:  # type: ignore[operator]
            problems.add(
                "INVALID_COMPOSITION",
                "A share is more than 0 and at most 100, with at most one decimal.",
                f"{field}.{index}.percent",
            )
            ok = False
            continue
        total += percent
        result.append({"material": material, "percent": format(percent.normalize(), "f")})
    if ok and total != 100:
        problems.add("INVALID_COMPOSITION", f"The shares add up to {total}%, not 100%.", field)
        return None
    return result if ok else None


def net_weight(problems: Problems, grams: int, field: str = "net_weight_grams") -> int | None:
    if not 1 <= grams <= MAX_NET_WEIGHT:
        problems.add("INVALID_WEIGHT", f"A garment's net weight is 1-{MAX_NET_WEIGHT:,} grams.", field)
        return None
    return grams


def values(problems: Problems, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The columns to write for the given fields; a field given as None is cleared (inherited again)."""
    out: dict[str, Any] = {}
    if "hs_code" in changes:
        if changes["hs_code"] is None:
            out["hs_code"] = None
            out["national_code"] = None
        elif (code := hs_code(problems, str(changes["hs_code"]))) is not None:
            out["hs_code"], out["national_code"] = code
    if "description" in changes:
        out["description"] = None if changes["description"] is None else description(problems, changes["description"])
    if "origin_country" in changes:
        out["origin_country"] = (
            None if changes["origin_country"] is None else country(problems, changes["origin_country"])
        )
    if "composition" in changes:
        given = changes["composition"]
        out["composition"] = None if given is None else composition(problems, list(given))
    if "net_weight_grams" in changes:
        given = changes["net_weight_grams"]
        out["net_weight_grams"] = None if given is None else net_weight(problems, int(given))
    return out
