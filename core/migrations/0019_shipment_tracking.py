from tortoise import migrations
from tortoise.migrations import operations as ops
from core.orders.models import ShipmentStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0018_shipment_documents')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShipmentEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shipment', fields.ForeignKeyField('lini.Shipment', source_field='shipment_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='PENDING: PENDING\nLABEL_CREATED: LABEL_CREATED\nPICKED_UP: PICKED_UP\nIN_TRANSIT: IN_TRANSIT\nAT_CUSTOMS: AT_CUSTOMS\nOUT_FOR_DELIVERY: OUT_FOR_DELIVERY\nDELIVERED: DELIVERED\nFAILED_ATTEMPT: FAILED_ATTEMPT\nRETURNED: RETURNED\nCANCELLED: CANCELLED', enum_type=ShipmentStatus, max_length=20)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('location', fields.CharField(default='', max_length=200)),
                ('description', fields.CharField(default='', max_length=500)),
                ('source', fields.CharField(max_length=64)),
                ('external_id', fields.CharField(max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'shipment_event', 'app': 'lini', 'unique_together': (('shipment', 'external_id'),), 'pk_attr': 'id', 'table_description': 'What a courier said about a parcel, once per (shipment, external_id): a courier repeating an event or'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Shipment',
            name='label_format',
            field=fields.CharField(default='', max_length=8),
        ),
        ops.AddField(
            model_name='Shipment',
            name='label_url',
            field=fields.CharField(default='', max_length=500),
        ),
        ops.AddField(
            model_name='Shipment',
            name='status',
            field=fields.CharEnumField(default=ShipmentStatus.PENDING, description='PENDING: PENDING\nLABEL_CREATED: LABEL_CREATED\nPICKED_UP: PICKED_UP\nIN_TRANSIT: IN_TRANSIT\nAT_CUSTOMS: AT_CUSTOMS\nOUT_FOR_DELIVERY: OUT_FOR_DELIVERY\nDELIVERED: DELIVERED\nFAILED_ATTEMPT: FAILED_ATTEMPT\nRETURNED: RETURNED\nCANCELLED: CANCELLED', enum_type=ShipmentStatus, max_length=20),
        ),
        ops.AddField(
            model_name='Shipment',
            name='status_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Shipment',
            name='tracking_url',
            field=fields.CharField(default='', max_length=500),
        ),
    ]
