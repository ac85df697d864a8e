from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0012_job_requests')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ProductMedia',
            name='thumbnails',
            field=fields.JSONField(null=True, default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
