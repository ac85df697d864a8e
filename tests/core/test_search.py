"""Storefront search (core.catalog.search): what matches, in which order, safely, and at a constant SQL cost.

The `app` fixture connects the ORM to a migrated database, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from starlette.applications import Starlette

from core.actors.models import Brand
from core.catalog import search
from core.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeType,
    Product,
    ProductAttributeValue,
    Variant,
)
from core.catalog.search_models import ProductSearchDocument
from tests.conftest import SQLCounter
from tests.factories import make_brand, make_catalog


async def product(brand: Brand, name: str, *, skus: tuple[str, ...] = (), **fields: object) -> Product:
    """A product with exactly these SKUs (the factory's generated ones would match short words)."""
    created = await Product.create(brand=brand, name=name, slug=f"p-{name.lower().replace(' ', '-')}", **fields)
    for position, sku in enumerate(skus):
        await Variant.create(brand=brand, product=created, sku=sku, position=position)
    return created


async def found(brand: Brand, text: str) -> list[str]:
    """Names of the matching products, best first."""
    ids = [product_id for product_id, _ in await search.ranked_matches(brand.id, text)]
    names = dict(await Product.filter(id__in=ids).values_list("id", "name"))
    return [names[i] for i in ids]


@pytest.fixture
async def sekar(app: Starlette) -> Brand:
    """A brand with an Indonesian catalog, English translations, a colour attribute and SKUs, indexed."""
    brand = await make_brand("sekar")
    colour = await Attribute.create(brand=brand, code="warna", name="Warna", type=AttributeType.CHOICE)
    black = await AttributeChoice.create(
        attribute=colour, code="hitam", label="Hitam", translations={"en": {"label": "Black"}}
    )
    length = await Attribute.create(brand=brand, code="panjang", name="Panjang", type=AttributeType.NUMBER, unit="cm")
    gamis = await product(brand, "Gamis Ceruty Aisyah", description="Potongan babydoll, bahan adem.", skus=("GCA-01",))
    abaya = await product(
        brand,
        "Abaya Madinah",
        description="Bordir tangan.",
        skus=("AHBM-004",),
        translations={"en": {"name": "Black Abaya Madinah", "description": "Hand embroidery."}},
    )
    await product(brand, "Khimar Café Syari", description="Dua lapis.", skus=("KCS-7",))
    await ProductAttributeValue.create(product=abaya, attribute=colour, choice=black)
    await ProductAttributeValue.create(product=gamis, attribute=length, number_value=Decimal("140.000"))
    await search.reindex(await Product.filter(brand=brand).values_list("id", flat=True))
    return brand


def test_normalise_lowercases_strips_diacritics_and_edge_punctuation() -> None:
    assert search.normalise("  Café  CERUTY, (Babydoll)! ") == "cafe ceruty babydoll"
    assert search.normalise("AHBM-004") == "ahbm-004"
    assert search.normalise("Ḩijāb\u00a0İpek\x00") == "hijab ipek"
    assert search.normalise("\"*-%_'") == ""


def test_index_text_pads_words_and_adds_the_parts_of_punctuated_words() -> None:
    assert search.index_text(["Gamis Gamis", "AHBM-004"]) == " gamis ahbm-004 ahbm 004 "
    assert search.index_text(["", "!!"]) == ""


async def test_indonesian_and_english_words_match_names_descriptions_and_attributes(sekar: Brand) -> None:
    assert await found(sekar, "gamis") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "Ceruty") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "babydoll") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "hitam") == ["Abaya Madinah"]  # a colour choice label
    assert await found(sekar, "black abaya") == ["Abaya Madinah"]  # the English translation and choice label
    assert await found(sekar, "embroidery") == ["Abaya Madinah"]
    assert await found(sekar, "140cm") == ["Gamis Ceruty Aisyah"]  # a number with its unit
    assert await found(sekar, "140 cm") == ["Gamis Ceruty Aisyah"]


async def test_partial_words_match_as_prefix_or_substring(sekar: Brand) -> None:
    assert await found(sekar, "cerut") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "ydol") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "madin") == ["Abaya Madinah"]
    assert await found(sekar, "ga") == ["Gamis Ceruty Aisyah"]  # short words: the start of a word
    assert await found(sekar, "k") == ["Khimar Café Syari"]
    assert await found(sekar, "am") == []  # ... not any substring: "gamis" does not start with it


async def test_sku_search(sekar: Brand) -> None:
    assert await found(sekar, "AHBM-004") == ["Abaya Madinah"]
    assert await found(sekar, "ahbm") == ["Abaya Madinah"]
    assert await found(sekar, "004") == ["Abaya Madinah"]
    assert await found(sekar, "hbm-00") == ["Abaya Madinah"]


async def test_diacritics_and_case_never_matter(sekar: Brand) -> None:
    assert await found(sekar, "cafe") == ["Khimar Café Syari"]
    assert await found(sekar, "CAFÉ") == ["Khimar Café Syari"]
    assert await found(sekar, "SYARÍ") == ["Khimar Café Syari"]


async def test_every_word_must_match(sekar: Brand) -> None:
    assert await found(sekar, "abaya bordir") == ["Abaya Madinah"]
    assert await found(sekar, "abaya ceruty") == []
    assert await found(sekar, "gamis 140") == ["Gamis Ceruty Aisyah"]


async def test_another_brands_products_are_never_returned(sekar: Brand) -> None:
    koko = await make_brand("koko")
    other = await product(koko, "Gamis Ceruty Koko", description="babydoll", skus=("AHBM-004",))
    await search.reindex([other.id])
    assert await found(sekar, "gamis") == ["Gamis Ceruty Aisyah"]
    assert await found(sekar, "AHBM-004") == ["Abaya Madinah"]
    assert await found(koko, "gamis") == ["Gamis Ceruty Koko"]
    assert await found(koko, "aisyah") == []


async def test_name_hits_rank_before_sku_hits_before_other_hits(app: Starlette) -> None:
    brand = await make_brand("sekar")
    described = await product(brand, "Khimar Polos", description="warna hitam")
    by_sku = await product(brand, "Tunik Polos", skus=("HITAM-01",))
    prefix = await product(brand, "Gamis Hitamku")
    substring = await product(brand, "Gamis Kehitaman")
    exact = await product(brand, "Abaya Hitam")
    exact_too = await product(brand, "Abaya Hitam Dua")
    await search.reindex([described.id, by_sku.id, prefix.id, substring.id, exact.id, exact_too.id])
    ranked = await search.ranked_matches(brand.id, "hitam")
    assert [product_id for product_id, _ in ranked] == [
        exact.id,
        exact_too.id,  # a tie, broken by id
        prefix.id,
        substring.id,
        by_sku.id,
        described.id,
    ]
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True) and scores[0] == scores[1] > scores[2]


async def test_limit_keeps_the_best(sekar: Brand) -> None:
    assert len(await search.ranked_matches(sekar.id, "a", limit=2)) == 2
    assert await search.ranked_matches(sekar.id, "a", limit=0) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"gamis"', ["Gamis Ceruty Aisyah"]),
        ("gamis*", ["Gamis Ceruty Aisyah"]),
        ("-gamis", ["Gamis Ceruty Aisyah"]),
        ("gamis OR abaya", []),  # OR is a word to match, not an operator
        ("NEAR(gamis abaya)", []),
        ("gamis NOT", []),
        ("ga%s", []),  # % and _ are literal, not LIKE wildcards
        ("gam_s", []),
        ("ab'aya", []),
        ("ahbm-004'; DROP TABLE product; --", []),
        ("\" * OR - ' % _ \\", []),
        ("", []),
        ("   ", []),
    ],
)
async def test_special_characters_are_literal_text(sekar: Brand, text: str, expected: list[str]) -> None:
    assert await found(sekar, text) == expected
    assert await Product.filter(brand=sekar).count() == 3


async def test_reindex_after_a_rename_replaces_the_old_document(sekar: Brand) -> None:
    gamis = await Product.get(brand=sekar, name="Gamis Ceruty Aisyah")
    await Product.filter(id=gamis.id).update(name="Tunik Linen Zahra")
    await search.reindex([gamis.id])
    assert await found(sekar, "aisyah") == []
    assert await found(sekar, "zahra") == ["Tunik Linen Zahra"]
    assert await ProductSearchDocument.filter(product_id=gamis.id).count() == 1


async def test_a_deleted_product_disappears(sekar: Brand) -> None:
    abaya = await Product.get(brand=sekar, name="Abaya Madinah")
    await abaya.delete()
    await search.reindex([abaya.id])
    assert await found(sekar, "abaya") == []
    assert await ProductSearchDocument.filter(product_id=abaya.id).count() == 0


async def test_reindex_works_inside_a_callers_transaction(sekar: Brand) -> None:
    from tortoise.transactions import in_transaction

    khimar = await Product.get(brand=sekar, name="Khimar Café Syari")
    async with in_transaction():
        await Product.filter(id=khimar.id).update(name="Khimar Instan")
        await search.reindex([khimar.id])
        assert await found(sekar, "instan") == ["Khimar Instan"]
    assert await found(sekar, "instan") == ["Khimar Instan"]


async def test_statement_count_does_not_grow_with_the_catalog(app: Starlette, sql_counter: SQLCounter) -> None:
    small, large = await make_brand("kecil"), await make_brand("besar")
    few = await make_catalog(small, 20)
    many = await make_catalog(large, 2000)
    costs = {}
    for brand, products in ((small, few), (large, many)):
        with sql_counter.counting() as indexing:
            await search.reindex([p.id for p in products])
        with sql_counter.counting() as searching:
            started = time.perf_counter()
            ranked = await search.ranked_matches(brand.id, "gamis m")
            elapsed = time.perf_counter() - started
        assert len(ranked) == len(products)
        costs[brand.slug] = (len(indexing), len(searching), elapsed)
    assert costs["kecil"][:2] == costs["besar"][:2] == (4, 1)
    assert costs["besar"][2] < 2.0, costs


async def test_the_full_text_index_is_used(app: Starlette) -> None:
    brand = await make_brand("besar")
    await make_catalog(brand, 2000)
    await search.reindex(await Product.filter(brand=brand).values_list("id", flat=True))
    connection = ProductSearchDocument._meta.db
    dialect = connection.capabilities.dialect
    if dialect == "postgres":
        await connection.execute_script("ANALYZE product_search_document")
    for text, index in (("gamis 0042", "trgm"), ("42", "trgm")):
        statement = search.search_statement(dialect, brand.id, text)
        assert statement is not None
        sql, values = statement
        if dialect == "sqlite":
            plan = " | ".join(
                row["detail"] for row in await connection.execute_query_dict(f"EXPLAIN QUERY PLAN {sql}", values)
            )
            assert "product_search_fts VIRTUAL TABLE" in plan, plan
        else:
            rows = await connection.execute_query_dict(f"EXPLAIN {sql}", values)
            plan = " | ".join(row["QUERY PLAN"] for row in rows)
            assert f"product_search_document_{index}" in plan, plan


@pytest.mark.sqlite_only
async def test_the_fts5_table_follows_upserts_and_cascading_deletes(sekar: Brand) -> None:
    """FTS5 'integrity-check' with rank 1 compares the index with the content table row by row."""
    connection = ProductSearchDocument._meta.db
    gamis = await Product.get(brand=sekar, name="Gamis Ceruty Aisyah")
    await Product.filter(id=gamis.id).update(name="Gamis Sifon")
    await search.reindex([gamis.id])
    await Product.filter(name="Abaya Madinah").delete()  # no reindex: the document goes by cascade
    check = "INSERT INTO product_search_fts(product_search_fts, rank) VALUES ('integrity-check', 1)"
    await connection.execute_query(check)
    assert await found(sekar, "sifon") == ["Gamis Sifon"]
    assert await found(sekar, "abaya") == []
    assert await ProductSearchDocument.filter(brand_id=sekar.id).count() == 2
