from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('lini', '0004_search')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Variant',
            index=Index(fields=['product_id', 'position']),
        ),
    ]
