from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0011_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='JobRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('task_name', fields.CharField(max_length=200)),
                ('args', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('scheduled_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('queue_name', fields.CharField(default='default', max_length=100)),
                ('priority', fields.IntField(default=0)),
                ('lock', fields.CharField(null=True, max_length=200)),
                ('queueing_lock', fields.CharField(null=True, db_index=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'job_request', 'app': 'lini', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
