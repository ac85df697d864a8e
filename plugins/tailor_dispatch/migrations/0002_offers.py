from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.tailor_dispatch.models import OfferStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    # Lini's migration that creates ProductionJob (Brand and Tailor come before it), not its latest (see 0001).
    dependencies = [('lini', '0007_made_to_measure'), ('tailor_dispatch', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DispatchOffer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('brand', fields.ForeignKeyField('lini.Brand', source_field='brand_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('job', fields.ForeignKeyField('lini.ProductionJob', source_field='job_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('tailor', fields.ForeignKeyField('lini.Tailor', source_field='tailor_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('open_job_id', fields.BigIntField(null=True, unique=True)),
                ('status', fields.CharEnumField(default=OfferStatus.OPEN, description='OPEN: OPEN\nACCEPTED: ACCEPTED\nDECLINED: DECLINED\nEXPIRED: EXPIRED\nWITHDRAWN: WITHDRAWN', enum_type=OfferStatus, max_length=16)),
                ('score', fields.FloatField(default=0)),
                ('attempt', fields.IntField(default=1)),
                ('offered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'tailor_dispatch_offer', 'app': 'tailor_dispatch', 'indexes': [Index(fields=['tailor_id', 'status']), Index(fields=['job_id', 'status']), Index(fields=['status', 'expires_at'])], 'pk_attr': 'id', 'table_description': 'A time-limited offer of one queued job to one tailor, exclusive while it is open.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='DispatchSettings',
            options={'table': 'tailor_dispatch_settings', 'app': 'tailor_dispatch', 'pk_attr': 'id', 'table_description': "A brand's dispatch weights, history length, workshop location and offer rules."},
        ),
        ops.AddField(
            model_name='DispatchSettings',
            name='max_misses',
            field=fields.IntField(default=3),
        ),
        ops.AddField(
            model_name='DispatchSettings',
            name='offer_minutes',
            field=fields.IntField(default=120),
        ),
    ]
