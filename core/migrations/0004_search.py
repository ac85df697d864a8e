"""The storefront search document, and the full-text indexes tortoise cannot describe.

SQLite: an external-content FTS5 table with the trigram tokenizer (SQLite >= 3.34), which matches any
substring of three characters or more, kept in sync with `product_search_document` by triggers.
PostgreSQL: pg_trgm (a trusted extension since PostgreSQL 13: the database owner may create it) and a GIN
trigram index serving LIKE '%word%' and, through pg_trgm's word-start padding, LIKE '% ab%' for short words.
(A GIN index on to_tsvector('simple', document) was tried for short words and left out: whenever the planner
scans instead, to_tsvector runs per row, 40-60 ms for 2,000 products against 2-3 ms for the LIKE.)
"""
from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE product_search_fts USING fts5(
        document, content='product_search_document', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER product_search_document_ai AFTER INSERT ON product_search_document BEGIN
        INSERT INTO product_search_fts(rowid, document) VALUES (new.id, new.document);
    END""",
    """CREATE TRIGGER product_search_document_ad AFTER DELETE ON product_search_document BEGIN
        INSERT INTO product_search_fts(product_search_fts, rowid, document) VALUES ('delete', old.id, old.document);
    END""",
    """CREATE TRIGGER product_search_document_au AFTER UPDATE OF document ON product_search_document BEGIN
        INSERT INTO product_search_fts(product_search_fts, rowid, document) VALUES ('delete', old.id, old.document);
        INSERT INTO product_search_fts(rowid, document) VALUES (new.id, new.document);
    END""",
    "INSERT INTO product_search_fts(product_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS product_search_document_au",
    "DROP TRIGGER IF EXISTS product_search_document_ad",
    "DROP TRIGGER IF EXISTS product_search_document_ai",
    "DROP TABLE IF EXISTS product_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX product_search_document_trgm ON product_search_document USING gin (document gin_trgm_ops) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS product_search_document_trgm",
]


def _check_sqlite() -> None:
    import sqlite3

    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise RuntimeError(
            f"Lini's search needs SQLite >= 3.34 (FTS5 trigram tokenizer); this Python has {sqlite3.sqlite_version}"
        )


async def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    dialect = schema_editor.client.capabilities.dialect
    if dialect not in statements:
        raise RuntimeError(f"no search index for the {dialect!r} database")
    if dialect == "sqlite":
        _check_sqlite()
    for statement in statements[dialect]:
        await schema_editor.client.execute_script(statement)


async def create_search_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgres": POSTGRES_FORWARD})


async def drop_search_indexes(apps, schema_editor) -> None:
    await _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgres": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [('lini', '0003_catalog')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ProductSearchDocument',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.OneToOneField('lini.Product', source_field='product_id', db_constraint=True, to_field='id', related_name='search_document', on_delete=OnDelete.CASCADE)),
                ('brand_id', fields.BigIntField(db_index=True)),
                ('name_text', fields.TextField(default='', unique=False)),
                ('sku_text', fields.TextField(default='', unique=False)),
                ('document', fields.TextField(default='', unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'product_search_document', 'app': 'lini', 'pk_attr': 'id', 'table_description': 'What a storefront search matches against, with names and SKUs also kept apart for ranking.'},
            bases=['Model'],
        ),
        ops.RunPython(create_search_indexes, drop_search_indexes),
    ]
