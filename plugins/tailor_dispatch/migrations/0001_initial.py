from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    # Lini's migration that creates Brand, rather than its latest: a later core migration may be renumbered
    # or regenerated without breaking this one.
    dependencies = [('lini', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='DispatchSettings',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.OneToOneField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('quality_weight', fields.DecimalField(default=3, max_digits=6, decimal_places=2)),
                ('on_time_weight', fields.DecimalField(default=2, max_digits=6, decimal_places=2)),
                ('load_weight', fields.DecimalField(default=1, max_digits=6, decimal_places=2)),
                ('distance_weight', fields.DecimalField(default=1, max_digits=6, decimal_places=2)),
                ('rotation_weight', fields.DecimalField(default=1, max_digits=6, decimal_places=2)),
                ('history_jobs', fields.IntField(default=20)),
                ('origin_latitude', fields.DecimalField(null=True, max_digits=9, decimal_places=6)),
                ('origin_longitude', fields.DecimalField(null=True, max_digits=9, decimal_places=6)),
                ('updated_by', fields.CharField(default='', max_length=100)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'tailor_dispatch_settings', 'app': 'tailor_dispatch', 'pk_attr': 'id', 'table_description': "A brand's weights for ranking tailors, the history length they are judged on, and its workshop's location."},
            bases=['Model'],
        ),
    ]
