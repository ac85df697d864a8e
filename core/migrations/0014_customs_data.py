from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lini', '0013_media_thumbnails')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomsData',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='customs_data', on_delete=OnDelete.CASCADE)),
                ('category', fields.OneToOneField('lini.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='customs', on_delete=OnDelete.CASCADE)),
                ('product', fields.OneToOneField('lini.Product', source_field='product_id', null=True, db_constraint=True, to_field='id', related_name='customs', on_delete=OnDelete.CASCADE)),
                ('variant', fields.OneToOneField('lini.Variant', source_field='variant_id', null=True, db_constraint=True, to_field='id', related_name='customs', on_delete=OnDelete.CASCADE)),
                ('hs_code', fields.CharField(null=True, max_length=6)),
                ('national_code', fields.CharField(null=True, max_length=6)),
                ('description', fields.CharField(null=True, max_length=200)),
                ('origin_country', fields.CharField(null=True, max_length=2)),
                ('composition', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('net_weight_grams', fields.IntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'customs_data', 'app': 'lini', 'indexes': [Index(fields=['brand_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Brand',
            name='ships_from',
            field=fields.CharField(default='ID', max_length=2),
        ),
    ]
