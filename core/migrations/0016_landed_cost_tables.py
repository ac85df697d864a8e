from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0015_production_outcomes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomsDuty',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('country', fields.CharField(max_length=2)),
                ('hs_prefix', fields.CharField(max_length=6)),
                ('rate', fields.DecimalField(max_digits=7, decimal_places=3)),
                ('updated_by', fields.CharField(default='', max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'customs_duty', 'app': 'lini', 'unique_together': (('country', 'hs_prefix'),), 'pk_attr': 'id', 'table_description': "A destination's import duty on an HS heading (4 digits) or subheading (6): the longest prefix applies."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ImportTax',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('country', fields.CharField(unique=True, max_length=2)),
                ('name', fields.CharField(max_length=40)),
                ('rate', fields.DecimalField(max_digits=7, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('duty_free_up_to', fields.DecimalField(default=0, max_digits=16, decimal_places=3)),
                ('tax_free_up_to', fields.DecimalField(default=0, max_digits=16, decimal_places=3)),
                ('tax_includes_duty', fields.BooleanField(default=True)),
                ('updated_by', fields.CharField(default='', max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'import_tax', 'app': 'lini', 'pk_attr': 'id', 'table_description': "A destination's import VAT/GST/sales tax and its de-minimis thresholds, in the destination's currency."},
            bases=['Model'],
        ),
    ]
