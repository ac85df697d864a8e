from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    # Lini's migration that creates Brand, rather than its latest: a later core migration may be renumbered
    # or regenerated without breaking this one.
    dependencies = [('lini', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='ShippingZone',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('countries', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('provinces', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'shipping_rates_zone', 'app': 'shipping_rates', 'pk_attr': 'id', 'table_description': 'Where a brand ships: countries (ISO 3166-1 alpha-2), optionally narrowed to Indonesian provinces.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShippingMethod',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('zone', fields.ForeignKeyField('shipping_rates.ShippingZone', source_field='zone_id', db_constraint=True, to_field='id', related_name='methods', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('carrier', fields.CharField(default='', max_length=50)),
                ('min_days', fields.IntField(null=True)),
                ('max_days', fields.IntField(null=True)),
                ('active', fields.BooleanField(default=True)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'shipping_rates_method', 'app': 'shipping_rates', 'pk_attr': 'id', 'table_description': 'One service offered in a zone (JNE REG, Pos Laju), with its delivery-time estimate in days.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShippingFreeThreshold',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('method', fields.ForeignKeyField('shipping_rates.ShippingMethod', source_field='method_id', db_constraint=True, to_field='id', related_name='free_thresholds', on_delete=OnDelete.CASCADE)),
                ('currency', fields.CharField(max_length=3)),
                ('amount', fields.DecimalField(max_digits=16, decimal_places=3)),
            ],
            options={'table': 'shipping_rates_free_threshold', 'app': 'shipping_rates', 'unique_together': (('method', 'currency'),), 'pk_attr': 'id', 'table_description': 'An order subtotal, in one currency, from which the method costs nothing.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShippingMethodRate',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('method', fields.ForeignKeyField('shipping_rates.ShippingMethod', source_field='method_id', db_constraint=True, to_field='id', related_name='rates', on_delete=OnDelete.CASCADE)),
                ('currency', fields.CharField(max_length=3)),
                ('min_weight_grams', fields.IntField(default=0)),
                ('max_weight_grams', fields.IntField(null=True)),
                ('price', fields.DecimalField(max_digits=16, decimal_places=3)),
            ],
            options={'table': 'shipping_rates_rate', 'app': 'shipping_rates', 'indexes': [Index(fields=['method_id', 'currency'])], 'pk_attr': 'id', 'table_description': 'The price of a method in one currency for parcels from `min_weight_grams` to `max_weight_grams`'},
            bases=['Model'],
        ),
    ]
