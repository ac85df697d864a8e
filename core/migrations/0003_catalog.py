from tortoise import migrations
from tortoise.migrations import operations as ops
from core.catalog.models import AttributeType
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lini', '0002_accounts_and_actors')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Attribute',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='attributes', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('type', fields.CharEnumField(description='TEXT: TEXT\nCHOICE: CHOICE\nNUMBER: NUMBER\nBOOLEAN: BOOLEAN', enum_type=AttributeType, max_length=16)),
                ('unit', fields.CharField(default='', max_length=16)),
                ('filterable', fields.BooleanField(default=True)),
                ('position', fields.IntField(default=0)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'attribute', 'app': 'lini', 'unique_together': (('brand', 'code'),), 'pk_attr': 'id', 'table_description': 'A typed product property a brand defines: fabric (choice), sleeve length (number, cm), lining (boolean).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AttributeChoice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attribute', fields.ForeignKeyField('lini.Attribute', source_field='attribute_id', db_constraint=True, to_field='id', related_name='choices', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(max_length=64)),
                ('label', fields.CharField(max_length=200)),
                ('position', fields.IntField(default=0)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'attribute_choice', 'app': 'lini', 'unique_together': (('attribute', 'code'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='categories', on_delete=OnDelete.CASCADE)),
                ('parent', fields.ForeignKeyField('lini.Category', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('slug', fields.CharField(max_length=200)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('path', fields.CharField(default='/', max_length=500)),
                ('position', fields.IntField(default=0)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'category', 'app': 'lini', 'unique_together': (('brand', 'slug'),), 'pk_attr': 'id', 'table_description': "A node of a brand's category tree (Gamis > Gamis Syari)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Collection',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='collections', on_delete=OnDelete.CASCADE)),
                ('slug', fields.CharField(max_length=200)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('is_published', fields.BooleanField(default=True)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'collection', 'app': 'lini', 'unique_together': (('brand', 'slug'),), 'pk_attr': 'id', 'table_description': 'A hand-picked, ordered selection (Koleksi Lebaran 2026).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CollectionProduct',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('collection', fields.ForeignKeyField('lini.Collection', source_field='collection_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='collection_entries', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'collection_product', 'app': 'lini', 'unique_together': (('collection', 'product'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductAttributeValue',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='attribute_values', on_delete=OnDelete.CASCADE)),
                ('attribute', fields.ForeignKeyField('lini.Attribute', source_field='attribute_id', db_constraint=True, to_field='id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('choice', fields.ForeignKeyField('lini.AttributeChoice', source_field='choice_id', null=True, db_constraint=True, to_field='id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('text_value', fields.TextField(default='', unique=False)),
                ('number_value', fields.DecimalField(null=True, max_digits=12, decimal_places=3)),
                ('boolean_value', fields.BooleanField(null=True)),
            ],
            options={'table': 'product_attribute_value', 'app': 'lini', 'indexes': [Index(fields=['attribute_id', 'choice_id'])], 'pk_attr': 'id', 'table_description': 'One value of an attribute on a product (several rows for a multi-choice attribute).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductMedia',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='media', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=1000)),
                ('alt', fields.CharField(default='', max_length=250)),
                ('position', fields.IntField(default=0)),
                ('translations', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={'table': 'product_media', 'app': 'lini', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProductPrice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='price_ranges', on_delete=OnDelete.CASCADE)),
                ('currency', fields.CharField(max_length=3)),
                ('min_amount', fields.DecimalField(max_digits=16, decimal_places=3)),
                ('max_amount', fields.DecimalField(max_digits=16, decimal_places=3)),
            ],
            options={'table': 'product_price', 'app': 'lini', 'unique_together': (('product', 'currency'),), 'indexes': [Index(fields=['currency', 'min_amount'])], 'pk_attr': 'id', 'table_description': 'The lowest and highest variant price of a product per currency, kept for sorting and filtering.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Stock',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('variant', fields.OneToOneField('lini.Variant', source_field='variant_id', db_constraint=True, to_field='id', related_name='stock', on_delete=OnDelete.CASCADE)),
                ('quantity', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'stock', 'app': 'lini', 'pk_attr': 'id', 'table_description': 'Units on hand for a variant, changed only by conditional updates so it never goes below zero.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Brand',
            name='default_language',
            field=fields.CharField(default='id', max_length=8),
        ),
        ops.AddField(
            model_name='Brand',
            name='prices_include_tax',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Product',
            name='category',
            field=fields.ForeignKeyField('lini.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='products', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Product',
            name='published_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Product',
            name='seo_description',
            field=fields.CharField(default='', max_length=500),
        ),
        ops.AddField(
            model_name='Product',
            name='seo_title',
            field=fields.CharField(default='', max_length=250),
        ),
        ops.AddField(
            model_name='Product',
            name='size_chart',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='Product',
            name='translations',
            field=fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='Variant',
            name='barcode',
            field=fields.CharField(default='', max_length=64),
        ),
        ops.AddField(
            model_name='VariantPrice',
            name='compare_at_amount',
            field=fields.DecimalField(null=True, max_digits=16, decimal_places=3),
        ),
    ]
