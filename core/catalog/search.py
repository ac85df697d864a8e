"""Storefront product search: case- and diacritic-insensitive, word-prefix and substring matching, ranked.

Every product has one `ProductSearchDocument` holding its searchable text, normalised in Python (lower case,
diacritics stripped, punctuation trimmed from word edges) so that both backends compare plain lower-case
strings and a word boundary is a space. Matching uses the indexes created by migration `0004_search`:

* SQLite: the FTS5 trigram table `product_search_fts`; a quoted phrase matches any substring of three
  characters or more, and a phrase " ab" (leading space) matches words starting with "ab".
* PostgreSQL: `document LIKE '%word%'` through the GIN trigram index (pg_trgm), and `LIKE '% ab%'` (the
  start of a word) for words shorter than three characters, which the same index serves.

Ranking is the same portable SQL on both: for each query word, the best place it is found (name > SKU >
anything else; exact word > word prefix > substring), summed over the words; ties go to the lower id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from tortoise.transactions import in_transaction

from core.catalog.models import Product, ProductAttributeValue, Variant
from core.catalog.search_models import ProductSearchDocument

# Where a word is found, and how: the score of a word is WHERE * HOW for its best hit. Name hits beat SKU
# hits beat other hits whatever the kind (the lowest name score, 100, is above the highest SKU score, 30).
IN_NAME, IN_SKU, IN_DOCUMENT = 100, 10, 1
EXACT, PREFIX, SUBSTRING = 3, 2, 1
# Trigram indexes need three characters; shorter words match the start of a word instead of any substring.
SUBSTRING_MIN = 3
# A search is at most a few words; more would only grow the statement, never narrow the result usefully.
MAX_WORDS = 16
# Products per reindex batch: keeps the `IN (...)` lists under the 32,766 parameters of PostgreSQL and SQLite.
BATCH = 10_000
# Translation keys holding searchable text (seo_description is left out: keyword stuffing, not content).
PRODUCT_TEXTS = ("name", "description", "seo_title")
# What an upsert of a document overwrites.
DOCUMENT_FIELDS = ("brand_id", "name_text", "sku_text", "document", "updated_at")


def normalise(text: str) -> str:
    """Lower case, without diacritics, control characters or punctuation at word edges, single-spaced.

    Applied to documents and queries alike, so "Café" finds "cafe" and "CERUTY" finds "ceruty". Punctuation
    inside a word is kept ("ahbm-004"), so a SKU typed as printed is a substring of the document.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        " " if unicodedata.category(c).startswith(("C", "Z")) else c for c in decomposed if not unicodedata.combining(c)
    )
    return " ".join(word for word in (_trim(token) for token in kept.casefold().split()) if word)


def _trim(token: str) -> str:
    """The token without leading and trailing non-alphanumeric characters ("(babydoll)," -> "babydoll")."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[start:end]


def _parts(word: str) -> list[str]:
    """The alphanumeric runs of a word with inner punctuation: "ahbm-004" -> ["ahbm", "004"]."""
    return "".join(c if c.isalnum() else " " for c in word).split()


def index_text(texts: Iterable[str]) -> str:
    """Searchable text as stored: distinct normalised words, space-padded so " word " is an exact word.

    A word with inner punctuation is followed by its parts, so "004" is an exact word of SKU "AHBM-004".
    """
    words: dict[str, None] = {}
    for text in texts:
        for word in normalise(text).split():
            words[word] = None
            parts = _parts(word)
            if len(parts) > 1:
                words.update(dict.fromkeys(parts))
    return f" {' '.join(words)} " if words else ""


# -- building documents ------------------------------------------------------------------------------------


@dataclass
class _Texts:
    """The searchable texts of one product, by ranking tier."""

    names: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


async def reindex(product_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these products; documents of products that no longer exist go.

    Four statements per batch of 10,000 products (three reads and one bulk upsert; a fifth, a delete, when
    some of them are gone), in one transaction (a savepoint when the caller already has one).
    """
    ids = sorted({int(i) for i in product_ids})
    if not ids:
        return
    async with in_transaction():
        for start in range(0, len(ids), BATCH):
            await _reindex_batch(ids[start : start + BATCH])


async def _reindex_batch(ids: list[int]) -> None:
    products = await Product.filter(id__in=ids).values("id", "brand_id", *PRODUCT_TEXTS, "translations")
    texts = {row["id"]: _product_texts(row) for row in products}
    for product_id, sku, barcode in await Variant.filter(product_id__in=ids).values_list(
        "product_id", "sku", "barcode"
    ):
        if product_id in texts:
            texts[product_id].skus += [sku, barcode]
    for row in await ProductAttributeValue.filter(product_id__in=ids).values(
        "product_id", "text_value", "number_value", "attribute__unit", "choice__label", "choice__translations"
    ):
        if row["product_id"] in texts:
            texts[row["product_id"]].other += _attribute_texts(row)
    gone = sorted(set(ids) - texts.keys())
    if gone:
        await ProductSearchDocument.filter(product_id__in=gone).delete()
    if products:
        now = datetime.now(UTC)
        documents = [_document(row["id"], row["brand_id"], texts[row["id"]], now) for row in products]
        # An upsert, not delete-then-insert: two transactions reindexing one product cannot collide on the
        # unique product_id. On SQLite the upsert's UPDATE fires the trigger that refreshes the FTS5 row.
        await ProductSearchDocument.bulk_create(documents, on_conflict=["product_id"], update_fields=DOCUMENT_FIELDS)


def _product_texts(row: Mapping[str, Any]) -> _Texts:
    """Names (every language) in the name tier; descriptions and SEO titles (every language) in the rest."""
    texts = _Texts(names=[row["name"]], other=[row["description"], row["seo_title"]])
    for translation in _translations(row["translations"]):
        texts.names.append(translation.get("name", ""))
        texts.other += [translation.get("description", ""), translation.get("seo_title", "")]
    return texts


def _attribute_texts(row: Mapping[str, Any]) -> list[str]:
    """Text values, choice labels in every language, and numbers with their unit both as "110 cm" and
    "110cm", the two ways shoppers type them."""
    texts = [row["text_value"] or "", row["choice__label"] or ""]
    texts += [t.get("label", "") for t in _translations(row["choice__translations"])]
    number = row["number_value"]
    if number is not None:
        shown = _number(Decimal(str(number)))
        unit = row["attribute__unit"] or ""
        texts += [f"{shown} {unit}", f"{shown}{unit}"]
    return texts


def _number(value: Decimal) -> str:
    """110.000 -> "110", 1.500 -> "1.5": how the number is written on a label, not how it is stored."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _translations(value: Any) -> Iterator[Mapping[str, str]]:
    """The per-language dicts of a translations JSON value, skipping anything malformed."""
    if isinstance(value, str):  # a JSON column read through a relation may come back undecoded
        value = orjson.loads(value) if value else {}
    if isinstance(value, Mapping):
        for entry in value.values():
            if isinstance(entry, Mapping):
                yield {k: v for k, v in entry.items() if isinstance(v, str)}


def _document(product_id: int, brand_id: int, texts: _Texts, now: datetime) -> ProductSearchDocument:
    return ProductSearchDocument(
        product_id=product_id,
        brand_id=brand_id,
        name_text=index_text(texts.names),
        sku_text=index_text(texts.skus),
        document=index_text([*texts.names, *texts.skus, *texts.other]),
        updated_at=now,
    )


# -- searching ---------------------------------------------------------------------------------------------


class _Params:
    """Numbered placeholders (SQLite `?N`, PostgreSQL `$N`), one per distinct value, in either dialect."""

    def __init__(self, dialect: str) -> None:
        self.mark = "?" if dialect == "sqlite" else "$"
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.values:  # only patterns repeat
            self.values.append(value)
            return f"{self.mark}{len(self.values)}"
        return f"{self.mark}{self.values.index(value) + 1}"


def _like(text: str) -> str:
    """`text` with LIKE wildcards escaped (the statements say ESCAPE '\\'): "100%" matches only itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def query_words(text: str) -> list[str]:
    """The distinct normalised words of a search, at most MAX_WORDS of them."""
    return list(dict.fromkeys(normalise(text).split()))[:MAX_WORDS]


def _word_score(word: str, p: _Params) -> str:
    """A CASE giving the word's best hit: the first matching branch, name before SKU before the rest."""
    escaped = _like(word)
    kinds = [(EXACT, f"% {escaped} %"), (PREFIX, f"% {escaped}%")]
    if len(word) >= SUBSTRING_MIN:
        kinds.append((SUBSTRING, f"%{escaped}%"))
    branches = [
        f"WHEN {column} LIKE {p(pattern)} ESCAPE '\\' THEN {where * how}"
        for column, where in (("d.name_text", IN_NAME), ("d.sku_text", IN_SKU), ("d.document", IN_DOCUMENT))
        for how, pattern in kinds
    ]
    return f"(CASE {' '.join(branches)} ELSE 0 END)"


def _score(words: Sequence[str], p: _Params) -> str:
    return " + ".join(_word_score(word, p) for word in words)


def _fts_phrase(word: str) -> str:
    """An FTS5 phrase matching the word as a substring, or as a word prefix (" ab") when it is short.

    Everything inside double quotes is literal to FTS5 (`*`, `-`, `OR`, `NEAR`, `:`); quotes are doubled.
    """
    text = word if len(word) >= SUBSTRING_MIN else f" {word}"
    return '"' + text.replace('"', '""') + '"'


def _sqlite_statement(brand_id: int, words: Sequence[str], limit: int) -> tuple[str, list[Any]]:
    """One SELECT: the FTS5 trigram match narrows, the document row ranks. One-letter words (no trigram
    even with the leading space) are a LIKE on the narrowed rows, or on the brand's rows when alone."""
    p = _Params("sqlite")
    score = _score(words, p)
    phrases = [_fts_phrase(w) for w in words if len(w) >= 2]
    where = [f"d.brand_id = {p(brand_id)}"]
    where += [f"d.document LIKE {p(_match_pattern(w))} ESCAPE '\\'" for w in words if len(w) < 2]
    source = "product_search_document d"
    if phrases:
        source = "product_search_fts JOIN product_search_document d ON d.id = product_search_fts.rowid"
        where.insert(0, f"product_search_fts MATCH {p(' '.join(phrases))}")
    sql = (
        f"SELECT d.product_id AS product_id, {score} AS score FROM {source} "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, d.product_id LIMIT {p(limit)}"
    )
    return sql, p.values


def _postgres_statement(brand_id: int, words: Sequence[str], limit: int) -> tuple[str, list[Any]]:
    """One SELECT filtering with LIKE through the GIN trigram index: '%word%' for long words, '% ab%' for
    short ones (pg_trgm pads the start of a word, so even '% a%' yields the trigram "  a")."""
    p = _Params("postgres")
    score = _score(words, p)
    where = [f"d.brand_id = {p(brand_id)}"]
    where += [f"d.document LIKE {p(_match_pattern(w))} ESCAPE '\\'" for w in words]
    sql = (
        f"SELECT d.product_id AS product_id, {score} AS score FROM product_search_document d "
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, d.product_id LIMIT {p(limit)}"
    )
    return sql, p.values


def _match_pattern(word: str) -> str:
    """The LIKE pattern a word must match: anywhere when long enough, else at the start of a word."""
    escaped = _like(word)
    return f"%{escaped}%" if len(word) >= SUBSTRING_MIN else f"% {escaped}%"


def search_statement(dialect: str, brand_id: int, text: str, *, limit: int = 2000) -> tuple[str, list[Any]] | None:
    """The SQL `ranked_matches` runs, and its parameters (None when the text has no word); for EXPLAIN."""
    words = query_words(text)
    if not words or limit <= 0:
        return None
    build = _sqlite_statement if dialect == "sqlite" else _postgres_statement
    return build(brand_id, words, limit)


async def ranked_matches(brand_id: int, text: str, *, limit: int = 2000) -> list[tuple[int, float]]:
    """Ids of the brand's products matching every word of `text`, with their scores, best first.

    One statement. A word matches as a substring (three characters or more) or as the start of a word
    (shorter); case and diacritics never matter; the text is data, never query syntax.
    """
    connection = ProductSearchDocument._meta.db
    statement = search_statement(connection.capabilities.dialect, brand_id, text, limit=limit)
    if statement is None:
        return []
    sql, values = statement
    rows = await connection.execute_query_dict(sql, values)
    return [(int(row["product_id"]), float(row["score"])) for row in rows]
