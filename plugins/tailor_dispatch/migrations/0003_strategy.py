from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('tailor_dispatch', '0002_offers')]

    initial = False

    operations = [
        ops.AddField(
            model_name='DispatchSettings',
            name='strategy',
            field=fields.CharField(default='WEIGHTED', max_length=64),
        ),
    ]
