from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0010_event_deliveries')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Webhook',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name='webhooks', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(default='', max_length=100)),
                ('url', fields.CharField(max_length=2000)),
                ('events', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('secret', fields.CharField(max_length=200)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'webhook', 'app': 'lini', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='EventDelivery',
            name='duration_ms',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='EventDelivery',
            name='response_body',
            field=fields.TextField(default='', unique=False),
        ),
        ops.AddField(
            model_name='EventDelivery',
            name='response_status',
            field=fields.IntField(null=True),
        ),
    ]
