from tortoise import migrations
from tortoise.migrations import operations as ops
from plugins.stripe.models import EventState
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='StripeEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.CharField(unique=True, max_length=255)),
                ('type', fields.CharField(max_length=100)),
                ('intent_id', fields.CharField(default='', db_index=True, max_length=255)),
                ('account', fields.CharField(default='', max_length=255)),
                ('livemode', fields.BooleanField(default=False)),
                ('created', fields.BigIntField(default=0)),
                ('state', fields.CharEnumField(default=EventState.PROCESSING, description='PROCESSING: PROCESSING\nDONE: DONE', enum_type=EventState, max_length=16)),
                ('outcome', fields.CharField(default='', max_length=64)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('processed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stripe_event', 'app': 'stripe', 'pk_attr': 'id', 'table_description': 'One Stripe event (evt_...), with what Lini did about it.'},
            bases=['Model'],
        ),
    ]
