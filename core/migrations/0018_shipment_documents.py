from tortoise import migrations
from tortoise.migrations import operations as ops
from core.customs.models import ShipmentDocumentKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('lini', '0017_ddp')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShipmentDocument',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('shipment', fields.ForeignKeyField('lini.Shipment', source_field='shipment_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='COMMERCIAL_INVOICE: COMMERCIAL_INVOICE\nPACKING_LIST: PACKING_LIST', enum_type=ShipmentDocumentKind, max_length=24)),
                ('storage_key', fields.CharField(max_length=500)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'shipment_document', 'app': 'lini', 'unique_together': (('shipment', 'kind'),), 'pk_attr': 'id', 'table_description': 'A customs paper of a shipment abroad: one row per kind, pointing at the PDF the media storage keeps.'},
            bases=['Model'],
        ),
    ]
