"""Data: the how-to-measure hints of the built-in garment types in Arabic (core/garments/catalogue.py has them for
fresh databases through 0008), so an Arabic storefront's measurement form explains each measurement in Arabic.

Frozen here rather than read from the catalogue, so a later change there cannot change what this step did. A hint
an administrator already wrote in Arabic is kept; reversing removes only the hints that are still these.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

ARABIC = {
    "LINGKAR_BADAN": "حول أعرض جزء من الصدر، تحت الإبطين، والشريط مستوٍ وغير مشدود.",
    "LINGKAR_PINGGANG": "حول الخصر الطبيعي، أضيق جزء فوق السرّة مباشرة.",
    "LINGKAR_PANGGUL": "حول أعرض جزء من الوركين والمقعدة، والقدمان متلاصقتان.",
    "LINGKAR_LEHER": "حول قاعدة الرقبة مع إصبع واحد تحت الشريط.",
    "LEBAR_BAHU": "من طرف أحد الكتفين إلى الآخر، مرورًا بخلف الرقبة.",
    "PANJANG_LENGAN": "من طرف الكتف إلى الرسغ (أو إلى نهاية الكم المطلوبة)، والذراع مرتخية.",
    "LINGKAR_LENGAN": "حول أعرض جزء من أعلى الذراع، نحو 3 سم تحت الإبط.",
    "LINGKAR_PERGELANGAN": "حول الرسغ، فوق عظمة الرسغ مباشرة.",
    "PANJANG_BAJU": "من أعلى نقطة في الكتف بجانب الرقبة نزولًا مستقيمًا إلى الطول المطلوب.",
    "PANJANG_PUNGGUNG": "من العظمة البارزة خلف الرقبة نزولًا مستقيمًا إلى خط الخصر.",
    "TINGGI_DADA": "من نقطة الكتف بجانب الرقبة نزولًا إلى قمة الصدر.",
    "JARAK_DADA": "مستقيمًا من قمة أحد الثديين إلى الأخرى.",
    "LINGKAR_PESAK": "من الخصر الأمامي نزولًا بين الساقين ثم صعودًا إلى الخصر الخلفي.",
    "LINGKAR_PAHA": "حول أعرض جزء من الفخذ، تحت منطقة ما بين الساقين مباشرة.",
    "LINGKAR_LUTUT": "حول الركبة، والساق مستقيمة.",
    "LINGKAR_KAKI": "فتحة الذيل المطلوبة، وتؤخذ عادة من بنطال مناسب المقاس.",
    "PANJANG_CELANA": "من جانب الخصر نزولًا مستقيمًا إلى الكاحل أو الطول المطلوب.",
    "LINGKAR_WAJAH": "حول الوجه من الجبهة مرورًا بالوجنتين وتحت الذقن، حيث تكون فتحة الوجه.",
    "PANJANG_ATASAN": "من أعلى الرأس نزولًا مستقيمًا إلى حيث ينتهي الغطاء (عادة أطراف الأصابع).",
    "PANJANG_ROK": "من الخصر نزولًا مستقيمًا إلى الكاحل أو الأرض.",
}


async def add_arabic_hints(apps, schema_editor) -> None:
    await _rewrite(apps, schema_editor, _added)


async def remove_arabic_hints(apps, schema_editor) -> None:
    await _rewrite(apps, schema_editor, _removed)


def _added(code: str, hints: dict[str, str]) -> dict[str, str] | None:
    if code not in ARABIC or hints.get("ar"):
        return None
    return {**hints, "ar": ARABIC[code]}


def _removed(code: str, hints: dict[str, str]) -> dict[str, str] | None:
    if code not in ARABIC or hints.get("ar") != ARABIC[code]:
        return None
    return {lang: text for lang, text in hints.items() if lang != "ar"}


async def _rewrite(apps, schema_editor, change) -> None:
    garment_type = apps.get_model("lini", "GarmentType")
    measurement_field = apps.get_model("lini", "MeasurementField")
    client = schema_editor.client
    built_in = await garment_type.filter(brand_id=None).using_db(client).values_list("id", flat=True)
    rows = await (
        measurement_field.filter(garment_type_id__in=list(built_in)).using_db(client).values_list("id", "code", "hints")
    )
    for row_id, code, hints in rows:
        changed = change(code, dict(hints or {}))
        if changed is not None:
            await measurement_field.filter(id=row_id).using_db(client).update(hints=changed)


class Migration(migrations.Migration):
    dependencies = [("lini", "0019_shipment_tracking")]

    initial = False

    operations = [ops.RunPython(add_arabic_hints, remove_arabic_hints)]
