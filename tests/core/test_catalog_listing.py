"""The unfiltered storefront list (one hand-written statement) answers what tortoise's queryset answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.catalog import listing
from core.catalog.models import Category, Product, ProductStatus
from core.catalog.rows import ProductRow
from core.errors import DomainError
from core.pagination import Page, PageRequest, paginate
from tests.factories import make_brand, make_product

# What a row of either path must agree on (the timestamps through the model's conversion).
FIELDS = (
    "id",
    "slug",
    "name",
    "description",
    "seo_title",
    "seo_description",
    "made_to_measure",
    "size_chart",
    "translations",
    "category_id",
    "category",
    "created_at",
    "published_at",
)


@pytest.fixture(autouse=True)
def _orm(app):
    """The `app` fixture connects the ORM to a migrated database (SQLite and PostgreSQL)."""


async def _catalog():
    brand = await make_brand("sekar")
    other = await make_brand("lain")
    gamis = await Category.create(
        brand=brand, slug="gamis", name="Gamis", path="/1/", translations={"en": {"name": "Robes"}}
    )
    past = datetime.now(UTC) - timedelta(days=1)
    for name in ("Gamis B", "Abaya", "Gamis B", "Tunik", "Khimar", "Abaya"):  # equal names: ordered by id
        await make_product(brand, name, category=gamis if name != "Tunik" else None, customs=False)
    await make_product(
        brand,
        "Outer",
        customs=False,
        published_at=past,
        size_chart=[{"size": "M", "measurements": [{"code": "LD", "value": "104"}]}],
        translations={"en": {"name": "Outerwear"}},
        seo_title="Outer linen",
    )
    await make_product(brand, "Later", customs=False, published_at=datetime.now(UTC) + timedelta(days=3))
    await make_product(brand, "Draft", customs=False, status=ProductStatus.DRAFT)
    await make_product(other, "Abaya lain", customs=False)
    return brand


async def _generic(brand, query: listing.ProductQuery, request: PageRequest) -> Page[ProductRow]:
    """The same page the way every filtered list is read: tortoise's queryset, models, `paginate`."""
    page = await paginate(
        listing.visible_products(brand).select_related("category"),
        request,
        order=listing._order(query),
        key=listing._key(query),
        default_size=20,
        max_size=100,
    )
    return Page(
        [ProductRow.from_model(p) for p in page.items],
        page.cursors,
        page.has_next_page,
        page.has_previous_page,
        page.count,
    )


def _summary(page: Page[ProductRow]) -> tuple:
    rows = [tuple(getattr(row, name) for name in FIELDS) for row in page.items]
    return rows, page.cursors, page.has_next_page, page.has_previous_page


@pytest.mark.parametrize("sort", [listing.ProductSort.NAME, listing.ProductSort.CREATED])
@pytest.mark.parametrize("descending", [False, True])
async def test_every_page_forwards_and_backwards_is_the_generic_one(sort, descending):
    brand = await _catalog()
    query = listing.ProductQuery(sort=sort, descending=descending)
    assert not query.filtered
    seen = []
    request = PageRequest(first=2)
    while True:  # forwards to the end, then backwards from each page's start
        fast = await listing.list_products(brand, query, request, default_size=20, max_size=100)
        assert _summary(fast) == _summary(await _generic(brand, query, request))
        assert await fast.count() == 7
        seen += [row.name for row in fast.items]
        back = PageRequest(last=2, before=fast.cursors[0])
        assert _summary(await listing.list_products(brand, query, back, default_size=20, max_size=100)) == _summary(
            await _generic(brand, query, back)
        )
        between = PageRequest(first=5, after=fast.cursors[0], before=fast.cursors[-1])
        assert _summary(await listing.list_products(brand, query, between, default_size=20, max_size=100)) == (
            _summary(await _generic(brand, query, between))
        )
        if not fast.has_next_page:
            break
        request = PageRequest(first=2, after=fast.cursors[-1])
    assert len(seen) == 7 and "Later" not in seen and "Draft" not in seen and "Abaya lain" not in seen
    if sort == listing.ProductSort.NAME:
        assert seen == sorted(seen, reverse=descending)
    for request in (PageRequest(first=0), PageRequest(last=0, before=fast.cursors[0]), PageRequest(last=3)):
        fast = await listing.list_products(brand, query, request, default_size=20, max_size=100)
        assert _summary(fast) == _summary(await _generic(brand, query, request))


async def test_a_row_carries_what_the_model_does():
    brand = await _catalog()
    page = await listing.list_products(
        brand, listing.ProductQuery(), PageRequest(first=20), default_size=20, max_size=100
    )
    outer = next(row for row in page.items if row.name == "Outer")
    model = await Product.get(id=outer.id)
    assert outer.size_chart == model.size_chart and outer.translations == {"en": {"name": "Outerwear"}}
    assert outer.created_at == model.created_at and outer.published_at == model.published_at
    assert outer.seo_title == "Outer linen" and outer.category is None
    gamis = next(row for row in page.items if row.name == "Gamis B")
    assert gamis.category is not None and gamis.category.translations == {"en": {"name": "Robes"}}


async def test_a_cursor_of_another_order_is_refused_by_the_unfiltered_list_too():
    brand = await _catalog()
    by_name = await listing.list_products(
        brand, listing.ProductQuery(), PageRequest(first=2), default_size=20, max_size=100
    )
    created = listing.ProductQuery(sort=listing.ProductSort.CREATED)
    with pytest.raises(DomainError) as caught:
        await listing.list_products(
            brand, created, PageRequest(first=2, after=by_name.cursors[-1]), default_size=20, max_size=100
        )
    assert caught.value.code == "INVALID_CURSOR"
