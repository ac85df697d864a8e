from tortoise import migrations
from tortoise.migrations import operations as ops
from core.garments.models import FabricStatus, JobStage, MeasuredBy, OptionKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import UniqueConstraint


class RemoveInlineUniqueTogether(ops.RemoveConstraint):
    """SQLite cannot drop a table constraint, and tortoise writes unique_together inline on SQLite.

    There the table is rebuilt without it (SQLite's documented ALTER TABLE recipe), elsewhere the
    constraint is dropped as usual.
    """

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is None or state_editor.client.capabilities.dialect != "sqlite":
            await super().database_forward(app_label, old_state, new_state, state_editor)
            return
        await state_editor.client.execute_script(
            'CREATE TABLE "checkout_line__new" ('
            '"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            '"quantity" INT NOT NULL, '
            '"created_at" TIMESTAMP NOT NULL, '
            '"checkout_id" BIGINT NOT NULL REFERENCES "checkout" ("id") ON DELETE CASCADE, '
            '"variant_id" BIGINT NOT NULL REFERENCES "variant" ("id") ON DELETE CASCADE)'
        )
        await state_editor.client.execute_script(
            'INSERT INTO "checkout_line__new" ("id", "quantity", "created_at", "checkout_id", "variant_id") '
            'SELECT "id", "quantity", "created_at", "checkout_id", "variant_id" FROM "checkout_line"'
        )
        await state_editor.client.execute_script('DROP TABLE "checkout_line"')
        await state_editor.client.execute_script('ALTER TABLE "checkout_line__new" RENAME TO "checkout_line"')


class Migration(migrations.Migration):
    dependencies = [('lini', '0006_checkout_orders')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExchangeRate',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('base', fields.CharField(max_length=3)),
                ('quote', fields.CharField(max_length=3)),
                ('rate', fields.DecimalField(max_digits=20, decimal_places=8)),
                ('updated_by', fields.CharField(default='', max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'exchange_rate', 'app': 'lini', 'unique_together': (('base', 'quote'),), 'pk_attr': 'id', 'table_description': 'How much one unit of `base` is in `quote`, maintained by platform admins for fabric prices.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Fabric',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('supplier', fields.ForeignKeyField('lini.Supplier', source_field='supplier_id', db_constraint=True, to_field='id', related_name='fabrics', on_delete=OnDelete.CASCADE)),
                ('sku', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('composition', fields.CharField(default='', max_length=200)),
                ('weight_gsm', fields.IntField(null=True)),
                ('width_cm', fields.IntField(null=True)),
                ('colour', fields.CharField(default='', max_length=64)),
                ('pattern', fields.CharField(default='', max_length=64)),
                ('price_per_metre', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('stock_metres', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('min_order_metres', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('lead_time_days', fields.IntField(default=0)),
                ('images', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharEnumField(default=FabricStatus.ACTIVE, description='ACTIVE: ACTIVE\nARCHIVED: ARCHIVED', enum_type=FabricStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'fabric', 'app': 'lini', 'unique_together': (('supplier', 'sku'),), 'pk_attr': 'id', 'table_description': "A supplier's fabric, offered to every brand, whose metres in stock only fall by conditional updates."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FabricPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fabric', fields.ForeignKeyField('lini.Fabric', source_field='fabric_id', db_constraint=True, to_field='id', related_name='price_history', on_delete=OnDelete.CASCADE)),
                ('price_per_metre', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('currency', fields.CharField(max_length=3)),
                ('set_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'fabric_price', 'app': 'lini', 'pk_attr': 'id', 'table_description': 'Every price a fabric has had, newest last.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GarmentType',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', null=True, db_constraint=True, to_field='id', related_name='garment_types', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('names', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'garment_type', 'app': 'lini', 'unique_together': (('brand', 'code'),), 'pk_attr': 'id', 'table_description': 'A kind of garment (GAMIS, SHIRT) and the body measurements it is made from.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MadeToMeasure',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.OneToOneField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='made_to_measure_config', on_delete=OnDelete.CASCADE)),
                ('garment_type', fields.ForeignKeyField('lini.GarmentType', source_field='garment_type_id', db_constraint=True, to_field='id', related_name='products', on_delete=OnDelete.RESTRICT)),
                ('base_prices', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('size_band_field', fields.CharField(default='', max_length=40)),
                ('size_bands', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('production_days', fields.IntField(default=14)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'made_to_measure', 'app': 'lini', 'pk_attr': 'id', 'table_description': 'What makes a catalog product made-to-measure: its garment type, making price, size bands, lead time.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeasurementField',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('garment_type', fields.ForeignKeyField('lini.GarmentType', source_field='garment_type_id', db_constraint=True, to_field='id', related_name='fields', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('labels', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('hints', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('min_cm', fields.DecimalField(max_digits=7, decimal_places=2)),
                ('max_cm', fields.DecimalField(max_digits=7, decimal_places=2)),
                ('required', fields.BooleanField(default=True)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'measurement_field', 'app': 'lini', 'unique_together': (('garment_type', 'code'),), 'pk_attr': 'id', 'table_description': 'One body measurement of a garment type, with the range a tailor accepts, in centimetres.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeasurementProfile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('lini.User', source_field='user_id', db_constraint=True, to_field='id', related_name='measurement_profiles', on_delete=OnDelete.CASCADE)),
                ('garment_type', fields.ForeignKeyField('lini.GarmentType', source_field='garment_type_id', db_constraint=True, to_field='id', related_name='profiles', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
                ('current_version', fields.IntField(default=1)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'measurement_profile', 'app': 'lini', 'indexes': [Index(fields=['user_id', 'garment_type_id'])], 'pk_attr': 'id', 'table_description': "A customer's measurements for one garment type. Edits add versions, and orders keep the version they used."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeasurementProfileVersion',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('profile', fields.ForeignKeyField('lini.MeasurementProfile', source_field='profile_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField()),
                ('values', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('measured_by', fields.CharEnumField(default=MeasuredBy.SELF, description='SELF: SELF\nTAILOR: TAILOR\nSTORE: STORE', enum_type=MeasuredBy, max_length=16)),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'measurement_profile_version', 'app': 'lini', 'unique_together': (('profile', 'version'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OptionGroup',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='option_groups', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('names', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('kind', fields.CharEnumField(default=OptionKind.SINGLE, description='SINGLE: SINGLE\nMULTIPLE: MULTIPLE\nTEXT: TEXT', enum_type=OptionKind, max_length=16)),
                ('required', fields.BooleanField(default=False)),
                ('max_length', fields.IntField(default=0)),
                ('surcharges', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'option_group', 'app': 'lini', 'unique_together': (('product', 'code'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OptionValue',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.ForeignKeyField('lini.OptionGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=40)),
                ('names', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('surcharges', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'option_value', 'app': 'lini', 'unique_together': (('group', 'code'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductFabric',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='allowed_fabrics', on_delete=OnDelete.CASCADE)),
                ('fabric', fields.ForeignKeyField('lini.Fabric', source_field='fabric_id', db_constraint=True, to_field='id', related_name='products', on_delete=OnDelete.CASCADE)),
                ('consumption', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'product_fabric', 'app': 'lini', 'unique_together': (('product', 'fabric'),), 'pk_attr': 'id', 'table_description': 'A fabric a made-to-measure product may be cut from, and the metres it takes per size band.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductionJob',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='production_jobs', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('lini.Order', source_field='order_id', db_constraint=True, to_field='id', related_name='production_jobs', on_delete=OnDelete.CASCADE)),
                ('order_line', fields.ForeignKeyField('lini.OrderLine', source_field='order_line_id', db_constraint=True, to_field='id', related_name='production_jobs', on_delete=OnDelete.CASCADE)),
                ('garment_index', fields.IntField(default=1)),
                ('tailor', fields.ForeignKeyField('lini.Tailor', source_field='tailor_id', null=True, db_constraint=True, to_field='id', related_name='production_jobs', on_delete=OnDelete.SET_NULL)),
                ('stage', fields.CharEnumField(default=JobStage.QUEUED, description='QUEUED: QUEUED\nASSIGNED: ASSIGNED\nACCEPTED: ACCEPTED\nCUTTING: CUTTING\nSEWING: SEWING\nFINISHING: FINISHING\nQUALITY_CHECK: QUALITY_CHECK\nALTERATION: ALTERATION\nREADY: READY\nSHIPPED: SHIPPED\nREMADE: REMADE\nCANCELLED: CANCELLED', enum_type=JobStage, max_length=20)),
                ('garment_type_code', fields.CharField(max_length=40)),
                ('ready_by', fields.DateField(null=True)),
                ('fabric', fields.ForeignKeyField('lini.Fabric', source_field='fabric_id', null=True, db_constraint=True, to_field='id', related_name='production_jobs', on_delete=OnDelete.SET_NULL)),
                ('fabric_metres', fields.DecimalField(default=0, max_digits=12, decimal_places=2)),
                ('remake_of', fields.ForeignKeyField('lini.ProductionJob', source_field='remake_of_id', null=True, db_constraint=True, to_field='id', related_name='remakes', on_delete=OnDelete.SET_NULL)),
                ('remake_cause', fields.CharField(default='', max_length=20)),
                ('assigned_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'production_job', 'app': 'lini', 'indexes': [Index(fields=['brand_id', 'stage']), Index(fields=['tailor_id', 'stage']), Index(fields=['order_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One garment to make for one made-to-measure order line (a line of quantity 2 makes two jobs).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductionStageChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('lini.ProductionJob', source_field='job_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('from_stage', fields.CharField(default='', max_length=20)),
                ('to_stage', fields.CharField(max_length=20)),
                ('actor', fields.CharField(default='', max_length=100)),
                ('actor_role', fields.CharField(default='', max_length=20)),
                ('note', fields.TextField(default='', unique=False)),
                ('internal_note', fields.TextField(default='', unique=False)),
                ('photo_urls', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'production_stage_change', 'app': 'lini', 'pk_attr': 'id', 'table_description': "The job's history: who moved it, when, why, with photos. `internal` rows are hidden from customers."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QcInspection',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.ForeignKeyField('lini.ProductionJob', source_field='job_id', db_constraint=True, to_field='id', related_name='inspections', on_delete=OnDelete.CASCADE)),
                ('passed', fields.BooleanField()),
                ('checklist', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('defects', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('inspector', fields.CharField(default='', max_length=100)),
                ('note', fields.TextField(default='', unique=False)),
                ('photo_urls', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'qc_inspection', 'app': 'lini', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        RemoveInlineUniqueTogether(
            model_name='CheckoutLine',
            name=None,
            fields=['checkout', 'variant'],
        ),
        ops.AddField(
            model_name='CheckoutLine',
            name='config_key',
            field=fields.CharField(default='', max_length=64),
        ),
        ops.AddField(
            model_name='CheckoutLine',
            name='custom_garment',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddConstraint(
            model_name='CheckoutLine',
            constraint=UniqueConstraint(fields=('checkout', 'variant', 'config_key'), name=None),
        ),
        ops.AddField(
            model_name='OrderLine',
            name='custom_garment',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
