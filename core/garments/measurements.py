"""Checking a set of body measurements against a garment type's schema, in cm or inches.

Values are stored in centimetres with two decimals; an inch value is converted once, here (×2.54, rounded
half-up to 0.01 cm), and the range is checked on the converted value, so the same body gives the same
answer whichever unit the customer typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import DomainError, DomainErrors
from core.garments.models import MeasurementField

UNITS = ("CM", "INCH")
CM_PER_INCH = Decimal("2.54")
CENTI = Decimal("0.01")
# Anything this long is a typo in any unit; it also keeps the arithmetic far from Decimal limits.
MAX_INPUT = Decimal(10_000)


def to_cm(value: Decimal, unit: str) -> Decimal:
    """`value` in `unit` as centimetres, rounded half-up to 0.01."""
    cm = value * CM_PER_INCH if unit == "INCH" else value
    return cm.quantize(CENTI, rounding=ROUND_HALF_UP)


def validate(
    fields: Sequence[MeasurementField], values: Sequence[tuple[str, Decimal]], unit: str = "CM"
) -> list[dict[str, str]]:
    """The measurements as `[{"code", "cm"}]` in the schema's field order, or `DomainErrors`, one per bad field.

    Codes are matched case-insensitively. An optional field left out is simply absent from the result.
    """
    unit = (unit or "CM").strip().upper()
    if unit not in UNITS:
        raise DomainErrors([DomainError("INVALID_UNIT", "The unit is CM or INCH.", "unit")])
    by_code = {field.code: field for field in fields}
    errors: list[DomainError] = []
    given: dict[str, Decimal] = {}
    for raw_code, raw_value in values:
        code = (raw_code or "").strip().upper()
        where = f"measurements.{code or raw_code}"
        field = by_code.get(code)
        if field is None:
            errors.append(DomainError("UNKNOWN_MEASUREMENT", f"{raw_code!r} is not measured for this garment.", where))
            continue
        if code in given:
            errors.append(DomainError("DUPLICATE_MEASUREMENT", f"{code} is given twice.", where))
            continue
        cm = _cm(raw_value, unit)
        if cm is None or not (field.min_cm <= cm <= field.max_cm):
            errors.append(_out_of_range(field, where))
            continue
        given[code] = cm
    reported = {error.field for error in errors}
    for field in fields:
        where = f"measurements.{field.code}"
        if field.required and field.code not in given and where not in reported:
            label = field.labels.get("en") or field.code
            errors.append(DomainError("MEASUREMENT_REQUIRED", f"{label} is needed for this garment.", where))
    if errors:
        raise DomainErrors(errors)
    ordered = sorted(fields, key=lambda f: (f.position, f.id or 0))
    return [{"code": f.code, "cm": str(given[f.code])} for f in ordered if f.code in given]


def _cm(value: object, unit: str) -> Decimal | None:
    if isinstance(value, float | bool):  # floats are refused like everywhere money or sizes cross the API
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number <= 0 or number > MAX_INPUT:
        return None
    return to_cm(number, unit)


def _out_of_range(field: MeasurementField, where: str) -> DomainError:
    label = field.labels.get("en") or field.code
    low, high = _plain(field.min_cm), _plain(field.max_cm)
    return DomainError("MEASUREMENT_OUT_OF_RANGE", f"{label} must be between {low} and {high} cm.", where)


def _plain(value: Decimal) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
