from tortoise import migrations
from tortoise.migrations import operations as ops
from core.actors.models import BrandStatus
from core.catalog.models import ProductStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Brand',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('status', fields.CharEnumField(default=BrandStatus.APPLIED, description='APPLIED: APPLIED\nAPPROVED: APPROVED\nREJECTED: REJECTED\nSUSPENDED: SUSPENDED', enum_type=BrandStatus, max_length=16)),
                ('description', fields.TextField(default='', unique=False)),
                ('logo_url', fields.CharField(default='', max_length=500)),
                ('primary_color', fields.CharField(default='#1f2937', max_length=9)),
                ('default_currency', fields.CharField(default='IDR', max_length=3)),
                ('currencies', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('languages', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('ships_to', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'brand', 'app': 'lini', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BrandDomain',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='domains', on_delete=OnDelete.CASCADE)),
                ('host', fields.CharField(unique=True, max_length=253)),
            ],
            options={'table': 'brand_domain', 'app': 'lini', 'pk_attr': 'id', 'table_description': "A host name that selects a brand's storefront without the `Lini-Storefront` header."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Product',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='products', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(max_length=200)),
                ('name', fields.CharField(max_length=250)),
                ('description', fields.TextField(default='', unique=False)),
                ('made_to_measure', fields.BooleanField(default=False)),
                ('status', fields.CharEnumField(default=ProductStatus.DRAFT, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED', enum_type=ProductStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'product', 'app': 'lini', 'unique_together': (('brand', 'slug'),), 'indexes': [Index(fields=['brand_id', 'status', 'name'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Variant',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='variants', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='variants', on_delete=OnDelete.CASCADE)),
                ('sku', fields.CharField(max_length=64)),
                ('size', fields.CharField(default='', max_length=32)),
                ('colour', fields.CharField(default='', max_length=64)),
                ('weight_grams', fields.IntField(default=0)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'variant', 'app': 'lini', 'unique_together': (('brand', 'sku'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VariantPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('variant', fields.ForeignKeyField('lini.Variant', source_field='variant_id', db_constraint=True, to_field='id', related_name='prices', on_delete=OnDelete.CASCADE)),
                ('currency', fields.CharField(max_length=3)),
                ('amount', fields.DecimalField(max_digits=16, decimal_places=3)),
            ],
            options={'table': 'variant_price', 'app': 'lini', 'unique_together': (('variant', 'currency'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
