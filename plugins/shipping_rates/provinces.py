"""Indonesian provinces as addresses write them: "DKI Jakarta", "Prov. Jawa Barat", "jawa barat", "ID-JB".

Zones store pycountry's canonical names; addresses are free text, so both sides are reduced to the ISO 3166-2
code before they are compared. pycountry's list follows ISO (including the 2022 Papuan provinces).
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

INDONESIA = "ID"
# Words addresses put before a province's name that ISO's names do not have.
PREFIXES = re.compile(r"^(provinsi|prov\.?|propinsi|daerah khusus ibukota|daerah khusus|dki|daerah istimewa|di)\s+")
# Everyday names ISO spells differently (and pycountry's own misspelling of Pegunungan).
ALIASES = {
    "jakarta": "ID-JK",
    "jakarta raya": "ID-JK",
    "yogyakarta": "ID-YO",
    "jogja": "ID-YO",
    "jogjakarta": "ID-YO",
    "papua pegunungan": "ID-PE",
    "bangka belitung": "ID-BB",
    "kep. bangka belitung": "ID-BB",
    "kep. riau": "ID-KR",
    "sumatra utara": "ID-SU",
    "sumatra barat": "ID-SB",
    "sumatra selatan": "ID-SS",
}


@cache
def _provinces() -> dict[str, str]:
    """Canonical name by ISO code: the provinces, the capital district and the special region (not the
    "geographical units" such as Jawa, which group provinces)."""
    return {s.code: s.name for s in pycountry.subdivisions.get(country_code=INDONESIA) if s.type != "Geographical unit"}


@cache
def _by_name() -> dict[str, str]:
    return {_plain(name): code for code, name in _provinces().items()} | ALIASES


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def province_code(text: str) -> str | None:
    """The ISO 3166-2 code of an Indonesian province written any common way; None when it is not one."""
    raw = " ".join(text.strip().split())
    if raw.upper() in _provinces():
        return raw.upper()
    if f"ID-{raw.upper()}" in _provinces():
        return f"ID-{raw.upper()}"
    return _by_name().get(PREFIXES.sub("", _plain(raw)))


def canonical_province(text: str) -> str | None:
    """pycountry's name of the province (`"jawa barat"` → `"Jawa Barat"`), None when it is not one."""
    code = province_code(text)
    return _provinces()[code] if code else None
