"""The certificate rule's two forms (Python for a loaded certificate, SQL for lists and checks) agree."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.applications import Starlette

from core.actors import certificates
from core.actors.models import Certification, CertificationStatus, Tailor, TailorKind
from tests.factories import make_user

DAY = date(2026, 3, 1)


async def test_python_and_sql_agree_on_status_and_the_last_valid_day(app: Starlette) -> None:
    # given one tailor per kind of certificate: verified until DAY, verified until the day before, pending
    held: dict[int, Certification] = {}
    for number, status, until in (
        ("A", CertificationStatus.VERIFIED, DAY),
        ("B", CertificationStatus.VERIFIED, DAY - timedelta(days=1)),
        ("C", CertificationStatus.PENDING, DAY + timedelta(days=100)),
        ("D", CertificationStatus.REJECTED, DAY + timedelta(days=100)),
    ):
        tailor = await Tailor.create(
            user=await make_user(), kind=TailorKind.INDIVIDUAL, display_name=number, city="Solo"
        )
        held[tailor.id] = await Certification.create(
            tailor=tailor,
            scheme="SKKNI Menjahit Pakaian",
            certificate_number=number,
            lsp="LSP Garmen",
            issued_on=until - timedelta(days=3 * 365),
            valid_until=until,
            status=status,
        )
    # when each form judges them on DAY, then both name the same tailor
    by_python = {tailor_id for tailor_id, row in held.items() if certificates.is_valid(row, DAY)}
    by_sql = set(await certificates.valid_certificates(DAY).values_list("tailor_id", flat=True))
    assert by_python == by_sql == {next(iter(held))}
    assert [await certificates.is_certified(tailor_id, DAY) for tailor_id in held] == [True, False, False, False]
