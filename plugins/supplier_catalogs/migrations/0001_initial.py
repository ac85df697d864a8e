from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from plugins.supplier_catalogs.models import ImportMode, ImportStatus, TrimStatus, TrimType, TrimUnit
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    # Lini's migration that creates Supplier, rather than its latest: a later core migration may be renumbered
    # or regenerated without breaking this one.
    dependencies = [('lini', '0002_accounts_and_actors')]

    initial = True

    operations = [
        ops.CreateModel(
            name='CatalogImport',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('filename', fields.CharField(default='', max_length=255)),
                ('file_format', fields.CharField(max_length=8)),
                ('mode', fields.CharEnumField(description='FULL: FULL\nDELTA: DELTA', enum_type=ImportMode, max_length=8)),
                ('atomic', fields.BooleanField(default=True)),
                ('status', fields.CharEnumField(description='SUCCEEDED: SUCCEEDED\nPARTIAL: PARTIAL\nFAILED: FAILED', enum_type=ImportStatus, max_length=16)),
                ('rows_read', fields.IntField(default=0)),
                ('created', fields.IntField(default=0)),
                ('updated', fields.IntField(default=0)),
                ('unchanged', fields.IntField(default=0)),
                ('archived', fields.IntField(default=0)),
                ('rejected', fields.IntField(default=0)),
                ('warnings', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('started_by', fields.CharField(default='', max_length=100)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_import', 'app': 'supplier_catalogs', 'pk_attr': 'id', 'table_description': "One import of a feed into a supplier's catalog: what was asked, what came of it, how long it took."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogImportError',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('catalog_import', fields.ForeignKeyField('supplier_catalogs.CatalogImport', source_field='catalog_import_id', db_constraint=True, to_field='id', related_name='errors', on_delete=OnDelete.CASCADE)),
                ('row', fields.IntField()),
                ('column', fields.CharField(null=True, max_length=64)),
                ('code', fields.CharField(max_length=64)),
                ('message', fields.CharField(max_length=500)),
            ],
            options={'table': 'supplier_catalogs_import_error', 'app': 'supplier_catalogs', 'pk_attr': 'id', 'table_description': 'A rejected row of an import (row 0: the file as a whole), with the column at fault and why.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Trim',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('sku', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('trim_type', fields.CharEnumField(description='BUTTON: BUTTON\nZIP: ZIP\nLACE: LACE\nINTERLINING: INTERLINING\nTHREAD: THREAD', enum_type=TrimType, max_length=16)),
                ('unit', fields.CharEnumField(default=TrimUnit.PIECE, description='PIECE: PIECE\nMETRE: METRE', enum_type=TrimUnit, max_length=8)),
                ('composition', fields.CharField(default='', max_length=200)),
                ('colour', fields.CharField(default='', max_length=64)),
                ('pattern', fields.CharField(default='', max_length=64)),
                ('width_cm', fields.IntField(null=True)),
                ('price', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('stock', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('min_order', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('lead_time_days', fields.IntField(default=0)),
                ('images', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharEnumField(default=TrimStatus.ACTIVE, description='ACTIVE: ACTIVE\nARCHIVED: ARCHIVED', enum_type=TrimStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_trim', 'app': 'supplier_catalogs', 'unique_together': (('supplier', 'sku'),), 'pk_attr': 'id', 'table_description': "A supplier's trim, sold per piece or per metre, upserted by (supplier, sku) from its feeds."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TrimPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('trim', fields.ForeignKeyField('supplier_catalogs.Trim', source_field='trim_id', db_constraint=True, to_field='id', related_name='prices', on_delete=OnDelete.CASCADE)),
                ('price', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('valid_from', fields.DateField(null=True)),
                ('valid_to', fields.DateField(null=True)),
                ('set_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'supplier_catalogs_trim_price', 'app': 'supplier_catalogs', 'pk_attr': 'id', 'table_description': 'Every price a trim has had, newest last, with the validity window its feed gave.'},
            bases=['Model'],
        ),
    ]
