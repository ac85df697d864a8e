"""Data: the built-in garment types and their measurement schemas (core/garments/catalogue.py).

Idempotent: a type that already exists as a built-in (an administrator may have added it through the API
first) is left as it is. Reversing removes only built-ins no product or profile uses.
"""

from tortoise import migrations
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations import operations as ops

from core.garments.catalogue import BUILT_IN


async def insert_builtins(apps, schema_editor) -> None:
    garment_type = apps.get_model("lini", "GarmentType")
    measurement_field = apps.get_model("lini", "MeasurementField")
    client = schema_editor.client
    _forget_cached_statements(client, garment_type, measurement_field)
    existing = set(await garment_type.filter(brand_id=None).using_db(client).values_list("code", flat=True))
    for spec in BUILT_IN:
        if spec.code in existing:
            continue
        row = await garment_type.create(brand_id=None, code=spec.code, names=dict(spec.names), using_db=client)
        await measurement_field.bulk_create(
            [
                measurement_field(
                    garment_type_id=row.id,
                    code=field.code,
                    labels=dict(field.labels),
                    hints=dict(field.hints),
                    min_cm=field.min_cm,
                    max_cm=field.max_cm,
                    required=field.required,
                    position=position,
                )
                for position, field in enumerate(spec.fields)
            ],
            using_db=client,
        )


async def remove_unused_builtins(apps, schema_editor) -> None:
    garment_type = apps.get_model("lini", "GarmentType")
    made_to_measure = apps.get_model("lini", "MadeToMeasure")
    profile = apps.get_model("lini", "MeasurementProfile")
    client = schema_editor.client
    _forget_cached_statements(client, garment_type)
    codes = [spec.code for spec in BUILT_IN]
    for row in await garment_type.filter(brand_id=None, code__in=codes).using_db(client):
        used = (
            await made_to_measure.filter(garment_type_id=row.id).using_db(client).exists()
            or await profile.filter(garment_type_id=row.id).using_db(client).exists()
        )
        if not used:
            await garment_type.filter(id=row.id).using_db(client).delete()


def _forget_cached_statements(client, *models) -> None:
    """Tortoise caches INSERT statements per connection name, not per dialect: a process that migrated a
    SQLite database before this one (the test suite does) would otherwise send `?` placeholders here."""
    for model in models:
        EXECUTOR_CACHE.pop((client.connection_name, model._meta.schema, model._meta.db_table), None)


class Migration(migrations.Migration):
    dependencies = [("lini", "0007_made_to_measure")]

    initial = False

    operations = [ops.RunPython(insert_builtins, remove_unused_builtins)]
