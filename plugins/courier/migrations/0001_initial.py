from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.courier.models import LabelState
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0006_checkout_orders')]  # the shipment table

    initial = True

    operations = [
        ops.CreateModel(
            name='CourierLabel',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shipment', fields.ForeignKeyField('lini.Shipment', source_field='shipment_id', db_constraint=True, to_field='id', related_name='courier_labels', on_delete=OnDelete.CASCADE)),
                ('active_shipment_id', fields.BigIntField(null=True, unique=True)),
                ('request_key', fields.CharField(default='', max_length=100)),
                ('idempotency_key', fields.CharField(unique=True, max_length=64)),
                ('service', fields.CharField(max_length=64)),
                ('format', fields.CharField(max_length=8)),
                ('state', fields.CharEnumField(default=LabelState.PENDING, description='PENDING: PENDING\nBOOKED: BOOKED\nFAILED: FAILED\nCANCELLED: CANCELLED', enum_type=LabelState, max_length=16)),
                ('courier_order_id', fields.CharField(default='', db_index=True, max_length=100)),
                ('waybill', fields.CharField(default='', max_length=100)),
                ('label_url', fields.CharField(default='', max_length=500)),
                ('error', fields.CharField(default='', max_length=500)),
                ('created_by', fields.CharField(default='', max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'courier_label', 'app': 'courier', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
