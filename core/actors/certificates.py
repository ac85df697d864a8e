"""The certificate rule, decided here alone: a certificate counts while the platform has VERIFIED it and it is
valid until the day it is judged on or later (UTC), and a tailor is certified while it holds one such.

It is needed both in Python (one certificate already loaded, e.g. `Certification.isValid`) and in SQL (filtering
a list of tailors, checking a tailor before a job is given), so both forms are written side by side from the
same two conditions: change one, change the module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Literal

from tortoise.queryset import QuerySet, ValuesQuery

from core.actors.models import Certification, CertificationStatus

COUNTING_STATUS = CertificationStatus.VERIFIED


def today() -> date:
    """The date certificates are judged against (UTC, like every stored time)."""
    return datetime.now(UTC).date()


def is_valid(certification: Certification, on: date | None = None) -> bool:
    """Whether this certificate counts on `on` (today by default)."""
    return certification.status == COUNTING_STATUS and certification.valid_until >= (on or today())


def holds_valid(certifications: Iterable[Certification], on: date | None = None) -> bool:
    """Whether any of a tailor's certificates counts on `on` (today by default)."""
    return any(is_valid(row, on) for row in certifications)


def valid_certificates(on: date | None = None) -> QuerySet[Certification]:
    """The certificates that count on `on` (today by default), as SQL."""
    return Certification.filter(status=COUNTING_STATUS, valid_until__gte=on or today())


def certified_tailor_ids(on: date | None = None) -> ValuesQuery[Literal[False]]:
    """The ids of tailors holding a certificate that counts, for a subquery (`id__in=Subquery(...)`)."""
    return valid_certificates(on).values("tailor_id")


async def is_certified(tailor_id: int, on: date | None = None) -> bool:
    """Whether the tailor holds a certificate that counts, in one query."""
    return await valid_certificates(on).filter(tailor_id=tailor_id).exists()
