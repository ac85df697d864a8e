"""Per-subscriber deliveries of outbox events, and the subscribers' leases (core.outbox).

The events an earlier version left undelivered (event.delivered_at IS NULL) get a delivery row for their hook,
so upgrading loses none of them; event.delivered_at is no longer written.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from core.events import DeliveryStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lini', '0009_payment_events')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EventDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('lini.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('subscriber', fields.CharField(max_length=200)),
                ('object_key', fields.CharField(default='', max_length=100)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED', enum_type=DeliveryStatus, max_length=20)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'event_delivery', 'app': 'lini', 'unique_together': (('event', 'subscriber'),), 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['subscriber', 'status', 'id'])], 'pk_attr': 'id', 'table_description': 'One event for one subscriber: a hook ("order_event"), one plugin\'s implementation of it'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventSubscriber',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=200)),
                ('leased_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('leased_by', fields.CharField(default='', max_length=100)),
            ],
            options={'table': 'event_subscriber', 'app': 'lini', 'pk_attr': 'id', 'table_description': "A subscriber's lease: the one dispatcher, of all processes, that delivers its rows until `leased_until`."},
            bases=['Model'],
        ),
        ops.RunSQL(
            "INSERT INTO event_delivery "
            "(event_id, subscriber, object_key, status, attempts, next_attempt_at, last_error, created_at) "
            "SELECT id, CASE WHEN substr(type, 1, 6) = 'ORDER_' THEN 'order_event' ELSE 'production_event' END, "
            "'', 'PENDING', 0, created_at, '', created_at FROM event WHERE delivered_at IS NULL "
            "AND (substr(type, 1, 6) = 'ORDER_' OR substr(type, 1, 11) = 'PRODUCTION_')",
            reverse_sql="DELETE FROM event_delivery",
        ),
    ]
