from tortoise import migrations
from tortoise.migrations import operations as ops
from core.actors.models import Incoterm
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0016_landed_cost_tables')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Brand',
            name='incoterm',
            field=fields.CharEnumField(default=Incoterm.DAP, description='DAP: DAP\nDDP: DDP', enum_type=Incoterm, max_length=3),
        ),
        ops.AddField(
            model_name='Order',
            name='duties_amount',
            field=fields.DecimalField(default=0, max_digits=16, decimal_places=3),
        ),
        ops.AddField(
            model_name='Order',
            name='landed_cost',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
    ]
