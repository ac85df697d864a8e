"""B2B browsing: every approved supplier's materials — core's fabrics and this plugin's trims — in one list.

The two live in two tables, so a page is read from each with the same keyset condition and merged: each
query asks for one more row than the page, the merge keeps the page, and the cursor holds the merged order's
key (sort value, kind, id). A page costs two statements whatever its size (plus one for the exchange rates,
and two more only when `totalCount` is asked), and pages stay stable under inserts.

Prices are shown in the buyer's currency through the platform's exchange rates (`exchange_factors`, one
query); sorting by price converts in SQL with the same factors (a CASE on the currency), so the order is the
buyer's. A material whose currency has no rate into the buyer's keeps its supplier's price, has no buyer price,
sorts after every converted one and is left out of a price filter (which is in the buyer's currency).
Relevance ranks a name starting with the search first, then a name containing it, then the SKU or
composition; within a rank, materials in stock come first.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Any

import orjson
from tortoise.expressions import Case, CombinedExpression, Connector, F, Q, When
from tortoise.queryset import QuerySet

from lini.plugin import (
    Actor,
    DomainError,
    Fabric,
    Money,
    PageRequest,
    PermissionDenied,
    Supplier,
    Tailor,
    exchange_factors,
    fabric_catalogue,
    is_currency,
    quantize,
)
from plugins.supplier_catalogs.models import Trim, TrimStatus, TrimType
from plugins.supplier_catalogs.order_models import MaterialKind

MAX_SEARCH = 200
# The currency of a buyer without a brand (a tailor, a supplier) who names none: the platform's home market's.
# Core has no platform currency; a tailor's or workshop's own currency would be the better default once it has.
PLATFORM_CURRENCY = "IDR"
UNCONVERTED = Decimal(10) ** 15  # added to prices without a rate: after every converted one (prices < 10^13)
KIND_RANK = {MaterialKind.FABRIC: 0, MaterialKind.TRIM: 1}


class SortField(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE = "PRICE"
    LEAD_TIME = "LEAD_TIME"


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each table keeps what a material has."""

    kind: MaterialKind
    price: str
    stock: str
    min_order: str


FABRIC = Columns(MaterialKind.FABRIC, "price_per_metre", "stock_metres", "min_order_metres")
TRIM = Columns(MaterialKind.TRIM, "price", "stock", "min_order")


@dataclass(frozen=True, slots=True)
class MaterialQuery:
    search: str | None = None
    kind: MaterialKind | None = None
    trim_type: TrimType | None = None
    composition: str | None = None
    weight_min: int | None = None
    weight_max: int | None = None
    width_min: int | None = None
    width_max: int | None = None
    colour: str | None = None
    price_min: Decimal | None = None  # in the buyer's currency
    price_max: Decimal | None = None
    in_stock: bool | None = None
    lead_time_max: int | None = None
    supplier_id: int | None = None
    country: str | None = None
    sort: SortField = SortField.RELEVANCE
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Material:
    """A fabric or a trim as a buyer sees it."""

    kind: MaterialKind
    row: Fabric | Trim
    supplier: Supplier
    price: Money
    buyer_price: Money | None
    stock: Decimal
    min_order: Decimal
    unit: str  # METRE or PIECE


@dataclass(slots=True)
class MaterialPage:
    items: list[Material]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    fabric_count: QuerySet[Fabric] | None = None
    trim_count: QuerySet[Trim] | None = None
    currency: str = ""

    async def count(self) -> int:
        total = 0
        for queryset in (self.fabric_count, self.trim_count):
            if queryset is not None:
                total += await queryset.count()
        return total


async def check_browser(actor: Actor) -> None:
    """Brand staff (and platform administrators), approved tailors and workshops, approved suppliers."""
    if actor.brand_permissions or actor.is_platform_admin:
        return
    if actor.tailor_ids and await Tailor.filter(id__in=list(actor.tailor_ids), status="APPROVED").exists():
        return
    if actor.supplier_ids and await Supplier.filter(id__in=list(actor.supplier_ids), status="APPROVED").exists():
        return
    raise PermissionDenied("Only approved brands, tailors and suppliers browse the materials.", authenticated=True)


def buyer_currency(actor: Actor, brands: dict[int, str], requested: str | None, default: str) -> str:
    """The currency asked for, else the default currency of the caller's brand (the first, by id)."""
    if requested:
        code = requested.strip().upper()
        if not is_currency(code):
            raise DomainError("INVALID_CURRENCY", f"{requested!r} is not an ISO 4217 currency code.", "currency")
        return code
    for brand_id in sorted(actor.brand_permissions):
        if brand_id in brands:
            return brands[brand_id]
    return default


async def browse(
    query: MaterialQuery, request: PageRequest, *, currency: str, default_size: int, max_size: int
) -> MaterialPage:
    size, backwards = request.validated(default_size=default_size, max_size=max_size)
    factors = {code: _short(f) for code, f in (await exchange_factors(currency)).items()}
    given = request.before if backwards else request.after
    cursor = _decode(given, query, "before" if backwards else "after") if given else None
    tables: list[tuple[Columns, QuerySet[Any]]] = []
    fabrics = _fabrics(query, factors)
    trims = _trims(query, factors)
    page = MaterialPage(items=[], cursors=[], has_next_page=False, has_previous_page=False)
    page.currency = currency
    if fabrics is not None:
        tables.append((FABRIC, fabrics))
        page.fabric_count = fabrics
    if trims is not None:
        tables.append((TRIM, trims))
        page.trim_count = trims
    found: list[tuple[Any, int, int, Any, Columns]] = []
    for columns, queryset in tables:
        ranked = queryset.annotate(sort_key=_sort_key(query, columns, factors))
        if cursor is not None:
            beyond = _before if backwards else _after
            ranked = ranked.filter(beyond(columns, cursor, _dialect(queryset)))
        order = ("-sort_key", "-id") if backwards else ("sort_key", "id")
        rows = await ranked.select_related("supplier").order_by(*order).limit(size + 1)
        found.extend((row.sort_key, KIND_RANK[columns.kind], row.id, row, columns) for row in rows)
    found.sort(key=lambda item: (item[0], item[1], item[2]), reverse=backwards)
    more = len(found) > size
    kept = found[:size]
    if backwards:  # read from the end, shown in the list's order
        kept.reverse()
        page.has_previous_page, page.has_next_page = more, cursor is not None
    else:
        page.has_next_page, page.has_previous_page = more, cursor is not None
    for sort_key, rank, row_id, row, columns in kept:
        page.items.append(_material(row, columns, factors, currency))
        page.cursors.append(_encode(query, sort_key, rank, row_id))
    return page


def _fabrics(query: MaterialQuery, factors: dict[str, Decimal]) -> QuerySet[Fabric] | None:
    if query.kind == MaterialKind.TRIM or query.trim_type is not None:
        return None
    queryset = _filtered(fabric_catalogue(), query, FABRIC, factors)
    if query.weight_min is not None:
        queryset = queryset.filter(weight_gsm__gte=query.weight_min)
    if query.weight_max is not None:
        queryset = queryset.filter(weight_gsm__lte=query.weight_max)
    return queryset


def _trims(query: MaterialQuery, factors: dict[str, Decimal]) -> QuerySet[Trim] | None:
    if query.kind == MaterialKind.FABRIC or query.weight_min is not None or query.weight_max is not None:
        return None  # trims have no weight: a weight range asks for fabrics
    queryset = _filtered(Trim.filter(status=TrimStatus.ACTIVE, supplier__status="APPROVED"), query, TRIM, factors)
    if query.trim_type is not None:
        queryset = queryset.filter(trim_type=query.trim_type)
    return queryset


def _filtered(
    queryset: QuerySet[Any], query: MaterialQuery, columns: Columns, factors: dict[str, Decimal]
) -> QuerySet[Any]:
    text = _search(query)
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(sku__icontains=text) | Q(composition__icontains=text))
    if query.composition:
        queryset = queryset.filter(composition__icontains=query.composition.strip()[:MAX_SEARCH])
    if query.colour:
        queryset = queryset.filter(colour__iexact=query.colour.strip())
    if query.width_min is not None:
        queryset = queryset.filter(width_cm__gte=query.width_min)
    if query.width_max is not None:
        queryset = queryset.filter(width_cm__lte=query.width_max)
    if query.in_stock is True:
        queryset = queryset.filter(**{f"{columns.stock}__gt": 0})
    elif query.in_stock is False:
        queryset = queryset.filter(**{f"{columns.stock}__lte": 0})
    if query.lead_time_max is not None:
        queryset = queryset.filter(lead_time_days__lte=query.lead_time_max)
    if query.supplier_id is not None:
        queryset = queryset.filter(supplier_id=query.supplier_id)
    if query.country:
        queryset = queryset.filter(supplier__country=query.country.strip().upper())
    if query.price_min is not None or query.price_max is not None:
        queryset = queryset.filter(_price_range(columns, factors, query.price_min, query.price_max))
    return queryset


def _price_range(columns: Columns, factors: dict[str, Decimal], low: Decimal | None, high: Decimal | None) -> Q:
    """The buyer's range turned into each convertible currency's own bounds; other currencies are left out."""
    either: list[Q] = []
    with localcontext() as context:
        context.prec = 50
        for code, factor in factors.items():
            bounds: dict[str, Any] = {"currency": code}
            if low is not None:
                bounds[f"{columns.price}__gte"] = low / factor
            if high is not None:
                bounds[f"{columns.price}__lte"] = high / factor
            either.append(Q(**bounds))
    combined = either[0]
    for condition in either[1:]:
        combined |= condition
    return combined


def _sort_key(query: MaterialQuery, columns: Columns, factors: dict[str, Decimal]) -> Any:
    sign = Decimal(-1) if query.descending else Decimal(1)
    if query.sort == SortField.PRICE:
        price = F(columns.price)
        cases = [When(currency=code, then=price * (factor * sign)) for code, factor in factors.items()]
        # (price × sign) + UNCONVERTED: tortoise's operators do not chain on a combined expression.
        return Case(*cases, default=CombinedExpression(price * sign, Connector.add, UNCONVERTED))
    if query.sort == SortField.LEAD_TIME:
        return F("lead_time_days") * (-1 if query.descending else 1)
    text = _search(query)
    positive: dict[str, Any] = {f"{columns.stock}__gt": 0}
    in_stock = Q(**positive)
    if not text:
        return Case(When(in_stock, then=_constant(0)), default=_constant(1))
    tiers = [Q(name__istartswith=text), Q(name__icontains=text), Q(sku__icontains=text)]
    whens: list[When] = []
    for tier, condition in enumerate(tiers):
        whens.append(When(condition & in_stock, then=_constant(2 * tier)))
        whens.append(When(condition, then=_constant(2 * tier + 1)))
    whens.append(When(in_stock, then=_constant(2 * len(tiers))))
    return Case(*whens, default=_constant(2 * len(tiers) + 1))


def _constant(number: int) -> CombinedExpression:
    """A whole number PostgreSQL types as one: a bare parameter in a CASE branch would be taken for text."""
    return CombinedExpression(F("lead_time_days") * 0, Connector.add, number)


def _after(columns: Columns, cursor: tuple[Any, int, int], dialect: str) -> Q:
    """Rows after the cursor in the merged order (sort value, kind, id), for one table's kind."""
    value, cursor_rank, cursor_id = cursor
    bound = float(value) if dialect == "sqlite" and isinstance(value, Decimal) else value  # see _encode
    rank = KIND_RANK[columns.kind]
    if rank < cursor_rank:
        return Q(sort_key__gt=bound)
    if rank > cursor_rank:
        return Q(sort_key__gte=bound)
    return Q(sort_key__gt=bound) | Q(sort_key=bound, id__gt=cursor_id)


def _before(columns: Columns, cursor: tuple[Any, int, int], dialect: str) -> Q:
    """Rows before the cursor in the merged order: `_after` mirrored, for `last`/`before`."""
    value, cursor_rank, cursor_id = cursor
    bound = float(value) if dialect == "sqlite" and isinstance(value, Decimal) else value  # see _encode
    rank = KIND_RANK[columns.kind]
    if rank > cursor_rank:
        return Q(sort_key__lt=bound)
    if rank < cursor_rank:
        return Q(sort_key__lte=bound)
    return Q(sort_key__lt=bound) | Q(sort_key=bound, id__lt=cursor_id)


def _dialect(queryset: QuerySet[Any]) -> str:
    return str(queryset.model._meta.db.capabilities.dialect)


def _search(query: MaterialQuery) -> str:
    text = (query.search or "").strip()
    if len(text) > MAX_SEARCH:
        raise DomainError("INVALID_FILTER", f"A search is at most {MAX_SEARCH} characters.", "filter.search")
    return text


def _short(factor: Decimal) -> Decimal:
    """A factor with 20 significant digits: exact enough for any price, short enough for SQL."""
    with localcontext() as context:
        context.prec = 20
        return +factor


def _material(row: Any, columns: Columns, factors: dict[str, Decimal], currency: str) -> Material:
    amount = Decimal(getattr(row, columns.price))
    factor = factors.get(row.currency)
    return Material(
        kind=columns.kind,
        row=row,
        supplier=row.supplier,
        price=Money(quantize(amount, row.currency), row.currency),
        buyer_price=Money(quantize(amount * factor, currency), currency) if factor is not None else None,
        stock=Decimal(getattr(row, columns.stock)),
        min_order=Decimal(getattr(row, columns.min_order)),
        unit="METRE" if columns.kind == MaterialKind.FABRIC else str(row.unit),
    )


# --- cursors: the sort value, the kind's rank and the id of the last material seen, for this ordering -------


def _ordering(query: MaterialQuery) -> str:
    return f"materials:{query.sort}:{'desc' if query.descending else 'asc'}:{_search(query)}"


def _encode(query: MaterialQuery, value: Any, rank: int, row_id: int) -> str:
    """A sort value is kept as text: PostgreSQL's exact numeric, or SQLite's float read back as the same float."""
    raw = orjson.dumps([_ordering(query), str(value), rank, row_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, query: MaterialQuery, field: str = "after") -> tuple[Any, int, int]:
    try:
        payload = orjson.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (ValueError, TypeError):
        payload = None
    valid = (
        isinstance(payload, list)
        and len(payload) == 4
        and payload[0] == _ordering(query)
        and isinstance(payload[1], str)
        and payload[2] in KIND_RANK.values()
        and isinstance(payload[3], int)
    )
    if not valid:
        raise DomainError("INVALID_CURSOR", "This cursor does not belong to this list or ordering.", field)
    assert isinstance(payload, list)
    try:
        number = Decimal(payload[1])
    except ArithmeticError:
        raise DomainError("INVALID_CURSOR", "This cursor is malformed.", field) from None
    if not number.is_finite():
        raise DomainError("INVALID_CURSOR", "This cursor is malformed.", field)
    value: Any = int(number) if query.sort != SortField.PRICE else number
    return value, int(payload[2]), int(payload[3])


def material_of(fabric: Fabric, factors: dict[str, Decimal], currency: str) -> Material:
    """A fabric (its supplier loaded) as a buyer sees it, priced with `exchange_factors(currency)`."""
    return _material(fabric, FABRIC, factors, currency)
