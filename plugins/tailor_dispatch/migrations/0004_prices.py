from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lini', '0015_production_outcomes'), ('tailor_dispatch', '0003_strategy')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DispatchPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tailor', fields.ForeignKeyField('lini.Tailor', source_field='tailor_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('garment_type_code', fields.CharField(max_length=40)),
                ('currency', fields.CharField(max_length=3)),
                ('amount', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tailor_dispatch_price', 'app': 'tailor_dispatch', 'unique_together': (('tailor_id', 'garment_type_code', 'currency'),), 'indexes': [Index(fields=['garment_type_code', 'currency'])], 'pk_attr': 'id', 'table_description': 'What a tailor asks for making one garment of a type, in one currency (set by the tailor itself).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='DispatchSettings',
            name='price_weight',
            field=fields.DecimalField(default=1, max_digits=6, decimal_places=2),
        ),
    ]
