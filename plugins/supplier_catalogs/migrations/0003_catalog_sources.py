from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.supplier_catalogs.feed_models import FetchOutcome, PriceStatus
from plugins.supplier_catalogs.models import ImportMode, ImportStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    # Lini's migration that creates Supplier, rather than its latest (as 0001 does).
    dependencies = [('lini', '0002_accounts_and_actors'), ('supplier_catalogs', '0002_purchase_orders')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CatalogImportFile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('catalog_import', fields.ForeignKeyField('supplier_catalogs.CatalogImport', source_field='catalog_import_id', unique=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('data', fields.BinaryField()),
            ],
            options={'table': 'supplier_catalogs_import_file', 'app': 'supplier_catalogs', 'pk_attr': 'id', 'table_description': 'The bytes of a queued import, kept until its job has read them (a worker may run on another machine).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogSource',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=2000)),
                ('file_format', fields.CharField(null=True, max_length=32)),
                ('mode', fields.CharEnumField(description='FULL: FULL\nDELTA: DELTA', enum_type=ImportMode, max_length=8)),
                ('atomic', fields.BooleanField(default=True)),
                ('interval_minutes', fields.IntField()),
                ('active', fields.BooleanField(default=True)),
                ('etag', fields.CharField(default='', max_length=200)),
                ('last_modified', fields.CharField(default='', max_length=100)),
                ('next_fetch_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('last_fetched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_outcome', fields.CharEnumField(null=True, description='IMPORTED: IMPORTED\nNOT_MODIFIED: NOT_MODIFIED\nFAILED: FAILED', enum_type=FetchOutcome, max_length=16)),
                ('created_by', fields.CharField(default='', max_length=100)),
                ('created_by_user_id', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_source', 'app': 'supplier_catalogs', 'pk_attr': 'id', 'table_description': "A feed URL a supplier registered, fetched every `interval_minutes` by the plugin's periodic job."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MaterialHash',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier_id', fields.BigIntField()),
                ('kind', fields.CharField(max_length=8)),
                ('sku', fields.CharField(max_length=64)),
                ('hash', fields.CharField(max_length=32)),
            ],
            options={'table': 'supplier_catalogs_material_hash', 'app': 'supplier_catalogs', 'unique_together': (('supplier_id', 'kind', 'sku'),), 'pk_attr': 'id', 'table_description': 'The hash of the feed row that last wrote a material: the same row again is unchanged without reading it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScheduledPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=8)),
                ('material_id', fields.BigIntField()),
                ('sku', fields.CharField(max_length=64)),
                ('price', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('valid_from', fields.DateField()),
                ('valid_to', fields.DateField(null=True)),
                ('status', fields.CharEnumField(default=PriceStatus.PENDING, description='PENDING: PENDING\nAPPLIED: APPLIED\nSUPERSEDED: SUPERSEDED', enum_type=PriceStatus, max_length=16)),
                ('set_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('applied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_scheduled_price', 'app': 'supplier_catalogs', 'indexes': [Index(fields=['status', 'valid_from'])], 'pk_attr': 'id', 'table_description': 'A price a feed gave with its validity window: pending until `valid_from`, then applied by the periodic'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='CatalogImport',
            name='file_format',
            field=fields.CharField(max_length=32),
        ),
        ops.AlterField(
            model_name='CatalogImport',
            name='finished_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='CatalogImport',
            name='status',
            field=fields.CharEnumField(description='QUEUED: QUEUED\nRUNNING: RUNNING\nSUCCEEDED: SUCCEEDED\nPARTIAL: PARTIAL\nFAILED: FAILED', enum_type=ImportStatus, max_length=16),
        ),
        ops.AddField(
            model_name='CatalogImport',
            name='rows_total',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='CatalogImport',
            name='source',
            field=fields.ForeignKeyField('supplier_catalogs.CatalogSource', source_field='source_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='CatalogImport',
            name='started_by_user_id',
            field=fields.BigIntField(null=True),
        ),
    ]
