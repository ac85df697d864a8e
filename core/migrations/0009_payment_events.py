from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0008_builtin_garment_types')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PaymentEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('gateway', fields.CharField(max_length=50)),
                ('event_id', fields.CharField(max_length=255)),
                ('payment', fields.ForeignKeyField('lini.Payment', source_field='payment_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharField(max_length=50)),
                ('outcome', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'payment_event', 'app': 'lini', 'unique_together': (('gateway', 'event_id'),), 'pk_attr': 'id', 'table_description': "A gateway's event that changed a payment, by the gateway's own event id: applied once, however often it"},
            bases=['Model'],
        ),
    ]
