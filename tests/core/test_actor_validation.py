"""The actor input checks on their own: countries, phone numbers, URLs, text, SKKNI codes, certificate dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.actors import certificates, tailors, validation
from core.actors.models import Certification, CertificationStatus
from core.errors import DomainError, DomainErrors
from core.validation import Problems


@contextmanager
def fails(code: str, field: str) -> Iterator[None]:
    """The block must raise a DomainError with this code and field."""
    with pytest.raises(DomainError) as raised:
        yield
    assert (raised.value.code, raised.value.field) == (code, field)


@pytest.mark.parametrize(("given", "expected"), [("ID", "ID"), (" my ", "MY"), ("sa", "SA"), ("TR", "TR")])
def test_country_accepts_iso_alpha_2_codes(given, expected):
    assert validation.country(given) == expected


@pytest.mark.parametrize("given", ["", "XX", "IDN", "Indonesia", "I", None, "1D"])
def test_country_refuses_anything_else(given):
    with fails("INVALID_COUNTRY", "country"):
        validation.country(given)


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("0812-3456-7890", "ID", "+6281234567890"),
        ("+62 812 3456 7890", "ID", "+6281234567890"),
        ("+62 812 3456 7890", "MY", "+6281234567890"),  # an international number ignores the region
        ("(022) 4231234", "ID", "+62224231234"),
        ("012-345 6789", "MY", "+60123456789"),
        ("050 123 4567", "SA", "+966501234567"),
    ],
)
def test_phone_keeps_what_was_typed_and_adds_e164(raw, region, e164):
    assert validation.phone(raw, region) == (raw.strip(), e164)


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("0812", "ID"),
        ("12345", "ID"),
        ("bukan nomor", "ID"),
        ("0812-3456-7890", None),
        ("+62 0", "ID"),
        ("9" * 41, "ID"),
    ],
)
def test_phone_refuses_numbers_that_cannot_be_dialled(raw, region):
    with fails("INVALID_PHONE", "contact_phone"):
        validation.phone(raw, region, "contact_phone")


def test_an_empty_phone_is_allowed_unless_required():
    assert validation.phone("  ", "ID") == ("", "")
    with fails("REQUIRED", "phone"):
        validation.phone("", "ID", required=True)


@pytest.mark.parametrize("url", ["https://files.example.id/cert.pdf", "http://lsp.or.id/verify?no=1", ""])
def test_http_url_accepts_http_and_https(url):
    assert validation.http_url(url, "document_url") == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example.id/a", "https://", "files.example.id/cert.pdf", "https://a b.id",
     "http://[::1", "data:text/html,x", "https://x.id/" + "a" * 500],
)  # fmt: skip
def test_http_url_refuses_other_schemes_and_malformed_urls(url):
    with fails("INVALID_URL", "document_url"):
        validation.http_url(url, "document_url")


def test_text_trims_and_checks_length():
    assert validation.text("  Konveksi  ", "display_name", max_length=20) == "Konveksi"
    assert validation.text(None, "province", max_length=5, required=False) == ""
    with fails("REQUIRED", "display_name"):
        validation.text("   ", "display_name", max_length=20)
    with fails("TOO_LONG", "city"):
        validation.text("x" * 101, "city", max_length=100)


def test_problems_reports_every_bad_field_together():
    problems = Problems()
    assert problems.collect(validation.country, "ID") == "ID"
    assert problems.collect(validation.country, "XX") is None
    problems.add("INVALID_CAPACITY", "no", "capacity")
    assert problems.has("country") and not problems.has("phone")
    with pytest.raises(DomainErrors) as raised:
        problems.raise_any()
    assert [(e.code, e.field) for e in raised.value.errors] == [
        ("INVALID_COUNTRY", "country"),
        ("INVALID_CAPACITY", "capacity"),
    ]
    single = Problems()
    single.add("REQUIRED", "no", "city")
    with fails("REQUIRED", "city"):
        single.raise_any()
    Problems().raise_any()  # nothing to report


@pytest.mark.parametrize("code", ["GAR.CM02.003.01", "TIK.JP02.001.01", "C.141100.001.01", "M.702090.001.1"])
def test_competency_unit_codes_follow_the_skkni_pattern(code):
    assert tailors.COMPETENCY_UNIT.match(code)


@pytest.mark.parametrize(
    "code", ["GAR.CM02.3.01", "GAR-CM02-003-01", "gar.cm02.003.01", "GARM.CM02.003.01", "GAR.CM02.003"]
)
def test_other_codes_are_not_unit_codes(code):
    assert not tailors.COMPETENCY_UNIT.match(code)


def test_coordinates_are_bounded_and_rounded_to_the_column():
    assert tailors._coordinate(Decimal("-6.9174641"), "latitude", 90) == Decimal("-6.917464")
    assert tailors._coordinate(None, "latitude", 90) is None
    for value in (Decimal("90.0000001"), Decimal("NaN"), Decimal("Infinity")):
        with fails("INVALID_LATITUDE", "latitude"):
            tailors._coordinate(value, "latitude", 90)


def test_a_certificate_is_valid_only_verified_and_until_its_last_day():
    today = date(2026, 3, 1)
    certificate = Certification(
        status=CertificationStatus.VERIFIED, issued_on=today - timedelta(days=10), valid_until=today
    )
    assert certificates.is_valid(certificate, today)
    assert certificates.holds_valid([certificate], today)
    assert not certificates.is_valid(certificate, today + timedelta(days=1))
    certificate.status = CertificationStatus.PENDING
    assert not certificates.is_valid(certificate, today)
    assert not certificates.holds_valid([certificate], today)
