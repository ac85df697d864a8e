from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from plugins.supplier_catalogs.order_models import MaterialKind, OrderOrigin, Party, SupplierOrderStatus
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    # Lini's migration that creates Fabric (the latest table these reference), rather than its latest: a later
    # core migration may be renumbered or regenerated without breaking this one.
    dependencies = [('lini', '0007_made_to_measure'), ('supplier_catalogs', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SupplierOrder',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('tailor', fields.ForeignKeyField('lini.Tailor', source_field='tailor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('placed_by', fields.CharField(default='', max_length=100)),
                ('status', fields.CharEnumField(default=SupplierOrderStatus.SUBMITTED, description='SUBMITTED: SUBMITTED\nPROPOSED: PROPOSED\nCONFIRMED: CONFIRMED\nREJECTED: REJECTED\nDECLINED: DECLINED\nCANCELLED: CANCELLED\nSHIPPED: SHIPPED\nRECEIVED: RECEIVED\nDISPUTED: DISPUTED', enum_type=SupplierOrderStatus, max_length=16)),
                ('origin', fields.CharEnumField(default=OrderOrigin.MANUAL, description='MANUAL: MANUAL\nSHORTFALL: SHORTFALL', enum_type=OrderOrigin, max_length=16)),
                ('currency', fields.CharField(max_length=3)),
                ('total', fields.DecimalField(default=0, max_digits=16, decimal_places=3)),
                ('buyer_currency', fields.CharField(max_length=3)),
                ('buyer_rate', fields.DecimalField(null=True, max_digits=20, decimal_places=8)),
                ('delivery_address', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('note', fields.TextField(default='', unique=False)),
                ('reason', fields.TextField(default='', unique=False)),
                ('carrier', fields.CharField(default='', max_length=100)),
                ('tracking_number', fields.CharField(default='', max_length=100)),
                ('tracking_url', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_order', 'app': 'supplier_catalogs', 'indexes': [Index(fields=['supplier_id', 'id']), Index(fields=['brand_id', 'id']), Index(fields=['tailor_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A purchase order from one buyer, a brand or a tailor, to one supplier.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SupplierOrderChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('supplier_catalogs.SupplierOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('from_status', fields.CharField(default='', max_length=16)),
                ('to_status', fields.CharField(max_length=16)),
                ('actor', fields.CharField(default='', max_length=100)),
                ('party', fields.CharEnumField(description='BUYER: BUYER\nSUPPLIER: SUPPLIER\nSYSTEM: SYSTEM', enum_type=Party, max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'supplier_catalogs_order_change', 'app': 'supplier_catalogs', 'indexes': [Index(fields=['order_id', 'id'])], 'pk_attr': 'id', 'table_description': "The order's history: every status it passed through, who moved it and why, oldest first."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SupplierOrderLine',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('order', fields.ForeignKeyField('supplier_catalogs.SupplierOrder', source_field='order_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
                ('kind', fields.CharEnumField(description='FABRIC: FABRIC\nTRIM: TRIM', enum_type=MaterialKind, max_length=8)),
                ('fabric', fields.ForeignKeyField('lini.Fabric', source_field='fabric_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('trim', fields.ForeignKeyField('supplier_catalogs.Trim', source_field='trim_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('sku', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('unit', fields.CharField(max_length=8)),
                ('unit_price', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('requested_quantity', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('quantity', fields.DecimalField(max_digits=12, decimal_places=2)),
                ('proposed_quantity', fields.DecimalField(null=True, max_digits=12, decimal_places=2)),
                ('reserved_quantity', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('total', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('dispute_reason', fields.TextField(default='', unique=False)),
                ('disputed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'supplier_catalogs_order_line', 'app': 'supplier_catalogs', 'indexes': [Index(fields=['order_id', 'position'])], 'pk_attr': 'id', 'table_description': 'One material of an order, its price and unit copied when placed: a fabric or a trim.'},
            bases=['Model'],
        ),
    ]
