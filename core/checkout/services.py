"""Checkout operations a storefront calls: create, lines, e-mail, addresses, delivery method, voucher.

A checkout is found by its token within the storefront's brand. A signed-in customer's checkout belongs to
them: only they can change it, and it follows them to another device (`active_for_user`). Every change
starts the expiry clock again. Each operation checks everything first and writes in one transaction, so bad
input changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from core.actors import addresses
from core.actors.models import Brand
from core.auth.services import normalize_email
from core.catalog.listing import visible_products
from core.catalog.models import Stock, Variant, VariantPrice
from core.checkout.models import Checkout, CheckoutLine
from core.checkout.pricing import customer_key, price_checkout
from core.context import Actor
from core.customs.export import crosses_border, missing_for_export
from core.errors import DomainError, DomainErrors
from core.garments import lines as garment_lines
from core.garments import products as garment_products
from core.garments import quote as garments
from core.plugins import PluginHost
from core.settings import CheckoutSettings
from core.vouchers import services as vouchers


@dataclass(frozen=True)
class LineInput:
    variant_id: int | None
    quantity: int
    line_id: int | None = None  # updates only: the line itself (the way to reach a made-to-measure line)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _now() -> datetime:
    return datetime.now(UTC)


def _not_found() -> DomainError:
    # A checkout of another brand or another customer reads exactly like one that does not exist.
    return DomainError("NOT_FOUND", "There is no such checkout.", "token")


async def find(actor: Actor, brand: Brand, token: str) -> Checkout | None:
    """The checkout for reading; None when it is unknown, another brand's or another customer's."""
    checkout = await Checkout.get_or_none(token=token, brand_id=brand.id)
    if checkout is None or (checkout.user_id is not None and checkout.user_id != actor.user_id):
        return None
    return checkout


async def active_for_user(actor: Actor, brand: Brand) -> Checkout | None:
    """A signed-in customer's newest unexpired checkout at this brand: the cart on their other device."""
    if actor.user_id is None:
        return None
    return (
        await Checkout.filter(user_id=actor.user_id, brand_id=brand.id, expires_at__gt=_now()).order_by("-id").first()
    )


async def open_for_change(actor: Actor, brand: Brand, token: str) -> Checkout:
    """The checkout for changing: it must exist, be the caller's to change, and not have expired."""
    checkout = await find(actor, brand, token)
    if checkout is None:
        raise _not_found()
    if checkout.expires_at <= _now():
        raise DomainError("CHECKOUT_EXPIRED", "This checkout has expired: start a new one.", "token")
    return checkout


async def create(
    actor: Actor,
    brand: Brand,
    limits: CheckoutSettings,
    *,
    currency: str | None = None,
    email: str | None = None,
    language: str | None = None,
    lines: Sequence[LineInput] = (),
) -> Checkout:
    """A new checkout, or a signed-in customer's existing one at this brand with these lines added."""
    for index, line in enumerate(lines):
        if line.variant_id is None or line.line_id is not None:
            raise DomainError("INVALID_LINE", "Name the variant.", f"lines.{index}.variant_id")
    chosen = currency or brand.default_currency
    enabled = brand.currencies or [brand.default_currency]
    if chosen not in enabled:
        raise DomainError("CURRENCY_NOT_ENABLED", f"This storefront sells in {', '.join(enabled)}.", "currency")
    existing = await active_for_user(actor, brand)
    if existing is not None and existing.currency == chosen:
        if lines:
            await lines_add(actor, brand, existing.token, lines, limits)
            await existing.refresh_from_db()
        return existing
    cleaned_email = _email(email) if email else (actor.email if actor.user_id is not None else "")
    wanted = await _checked_lines(brand, chosen, {}, lines, limits, add=True)
    async with in_transaction():
        checkout = await Checkout.create(
            token=new_token(),
            brand_id=brand.id,
            user_id=actor.user_id,
            email=cleaned_email,
            currency=chosen,
            language=language or brand.default_language,
            expires_at=_now() + timedelta(hours=limits.ttl_hours),
        )
        await CheckoutLine.bulk_create(
            [CheckoutLine(checkout_id=checkout.id, variant_id=v, quantity=q) for v, q in wanted.items()]
        )
    return checkout


async def lines_add(
    actor: Actor, brand: Brand, token: str, lines: Sequence[LineInput], limits: CheckoutSettings
) -> Checkout:
    """Add units; a variant already in the checkout gets the units added to its line."""
    return await _change_lines(actor, brand, token, lines, limits, add=True)


async def lines_update(
    actor: Actor, brand: Brand, token: str, lines: Sequence[LineInput], limits: CheckoutSettings
) -> Checkout:
    """Set quantities; quantity 0 removes the line."""
    return await _change_lines(actor, brand, token, lines, limits, add=False)


async def _change_lines(
    actor: Actor, brand: Brand, token: str, lines: Sequence[LineInput], limits: CheckoutSettings, *, add: bool
) -> Checkout:
    if not lines:
        raise DomainError("REQUIRED", "Give at least one line.", "lines")
    checkout = await open_for_change(actor, brand, token)
    async with in_transaction():
        checkout = await _locked(checkout.id)
        current = await _current(checkout)
        ready_made, custom = await _by_line(checkout, lines, add=add)
        others = await CheckoutLine.filter(checkout_id=checkout.id).exclude(config_key="").count()
        wanted = await _checked_lines(
            brand,
            checkout.currency,
            current,
            [line for _, line in ready_made],
            limits,
            add=add,
            positions=[index for index, _ in ready_made],
            other_lines=others,
        )
        await _custom_quantities(checkout, custom, limits)
        await _write_lines(checkout, current, wanted)
        if add:  # an item added to a parcel already going abroad must be able to go (rolled back otherwise)
            await exportable(brand, checkout, (checkout.shipping_address or {}).get("country"))
        await _touch(checkout, limits)
    return checkout


async def exportable(brand: Brand, checkout: Checkout, country: str | None) -> None:
    """Refuses, with one CUSTOMS_DATA_MISSING per line (`lines.N`, in checkout order), a parcel to `country`
    that crosses a border with a line lacking customs data; a domestic parcel passes (without a statement)."""
    if not crosses_border(brand, country):
        return
    lines = (
        await CheckoutLine.filter(checkout_id=checkout.id)
        .order_by("id")
        .values_list("variant_id", "variant__product__name")
    )
    problems = await missing_for_export(brand, country, [(v, str(name)) for v, name in lines])
    if problems:
        raise DomainErrors(problems) if len(problems) > 1 else problems[0]


async def _by_line(
    checkout: Checkout, lines: Sequence[LineInput], *, add: bool
) -> tuple[list[tuple[int, LineInput]], dict[int, tuple[int, int]]]:
    """Split the input: lines named by variant or by a ready-made line's id (as variant lines), and
    made-to-measure lines by id, {line id: (input index, quantity)}. Each input names one or the other."""
    named = [line.line_id for line in lines if line.line_id is not None]
    found = {row.id: row for row in await CheckoutLine.filter(checkout_id=checkout.id, id__in=named)} if named else {}
    problems: list[DomainError] = []
    ready_made: list[tuple[int, LineInput]] = []
    custom: dict[int, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        at = f"lines.{index}"
        if (line.line_id is None) == (line.variant_id is None) or (add and line.line_id is not None):
            message = "Name the variant." if add else "Name either the line or the variant."
            problems.append(DomainError("INVALID_LINE", message, f"{at}.line_id"))
            continue
        if line.line_id is None:
            ready_made.append((index, line))
            continue
        row = found.get(line.line_id)
        if row is None:
            problems.append(DomainError("NOT_FOUND", "There is no such line in this checkout.", f"{at}.line_id"))
        elif row.config_key:
            if line.line_id in custom:
                problems.append(DomainError("DUPLICATE_LINE", "This line is given twice.", f"{at}.line_id"))
            custom[line.line_id] = (index, line.quantity)
        else:
            ready_made.append((index, LineInput(variant_id=row.variant_id, quantity=line.quantity)))
    if problems:
        raise DomainErrors(problems) if len(problems) > 1 else problems[0]
    return ready_made, custom


async def _custom_quantities(
    checkout: Checkout, custom: Mapping[int, tuple[int, int]], limits: CheckoutSettings
) -> None:
    """Set made-to-measure lines' quantities (0 removes), checked against the limit and the fabric on hand."""
    if not custom:
        return
    for index, quantity in custom.values():
        if not 0 <= quantity <= limits.max_line_quantity:
            raise DomainError(
                "INVALID_QUANTITY", f"Order 0–{limits.max_line_quantity} of one garment.", f"lines.{index}.quantity"
            )
    rows = await CheckoutLine.filter(checkout_id=checkout.id).exclude(config_key="")
    after = [(r.custom_garment or {}, custom[r.id][1] if r.id in custom else r.quantity) for r in rows]
    first = min(index for index, _ in custom.values())
    await garment_lines.check_fabric(garment_lines.fabric_needed(after), f"lines.{first}.quantity")
    for line_id, (_, quantity) in custom.items():
        if quantity == 0:
            await CheckoutLine.filter(id=line_id).delete()
        else:
            await CheckoutLine.filter(id=line_id).update(quantity=quantity)


async def custom_garment_add(
    actor: Actor,
    brand: Brand,
    token: str,
    request: garments.GarmentRequest,
    limits: CheckoutSettings,
    host: PluginHost,
) -> Checkout:
    """Add a configured made-to-measure garment: checked as `customGarmentQuote` checks it, priced in the
    checkout's currency, kept as a snapshot (measurements from the profile version or as typed, options,
    fabric). The same configuration again raises its line's quantity."""
    checkout = await open_for_change(actor, brand, token)
    snapshot = await garments.resolve(actor, brand, request, max_quantity=limits.max_line_quantity)
    context = garments.PriceContext(brand_id=brand.id, currency=checkout.currency, user_id=actor.user_id)
    priced = (await garments.price([(snapshot, request.quantity)], context, host))[0]
    if isinstance(priced, DomainError):
        raise priced
    variant_id = (await garment_products.line_variants([request.product_id])).get(request.product_id)
    if variant_id is None:
        raise DomainError("PRODUCT_NOT_MADE_TO_MEASURE", "This product is not ready to order yet.", "product_id")
    key = garment_lines.config_key(snapshot)
    async with in_transaction():
        checkout = await _locked(checkout.id)
        rows = await CheckoutLine.filter(checkout_id=checkout.id)
        same = next((r for r in rows if r.config_key == key and r.variant_id == variant_id), None)
        quantity = request.quantity + (same.quantity if same else 0)
        if quantity > limits.max_line_quantity:
            raise DomainError(
                "INVALID_QUANTITY", f"Order at most {limits.max_line_quantity} of one garment.", "quantity"
            )
        if same is None and len(rows) >= limits.max_lines:
            raise DomainError("TOO_MANY_LINES", f"A checkout holds at most {limits.max_lines} lines.", "lines")
        after = [(r.custom_garment or {}, r.quantity) for r in rows if r.config_key and r is not same]
        await garment_lines.check_fabric(garment_lines.fabric_needed([*after, (snapshot, quantity)]), "fabric_id")
        if same is not None:
            await CheckoutLine.filter(id=same.id).update(quantity=quantity)
        else:
            await CheckoutLine.create(
                checkout_id=checkout.id,
                variant_id=variant_id,
                quantity=quantity,
                custom_garment=snapshot,
                config_key=key,
            )
        await _touch(checkout, limits)
    return checkout


async def lines_delete(
    actor: Actor, brand: Brand, token: str, line_ids: Sequence[int], limits: CheckoutSettings
) -> Checkout:
    checkout = await open_for_change(actor, brand, token)
    async with in_transaction():
        checkout = await _locked(checkout.id)
        known = set(await CheckoutLine.filter(checkout_id=checkout.id).values_list("id", flat=True))
        missing = [i for i, line_id in enumerate(line_ids) if line_id not in known]
        if missing or not line_ids:
            raise DomainError(
                "NOT_FOUND", "There is no such line in this checkout.", f"line_ids.{missing[0] if missing else 0}"
            )
        await CheckoutLine.filter(checkout_id=checkout.id, id__in=list(line_ids)).delete()
        await _touch(checkout, limits)
    return checkout


async def email_update(actor: Actor, brand: Brand, token: str, email: str, limits: CheckoutSettings) -> Checkout:
    checkout = await open_for_change(actor, brand, token)
    checkout.email = _email(email)
    await _touch(checkout, limits, "email")
    return checkout


async def shipping_address_update(
    actor: Actor, brand: Brand, token: str, values: Mapping[str, Any], limits: CheckoutSettings
) -> Checkout:
    """Set where the parcel goes; the brand must ship there. A delivery method chosen before is re-checked when
    the totals are next priced, and dropped from the totals if it no longer fits."""
    checkout = await open_for_change(actor, brand, token)
    address = addresses.snapshot(values, "shipping_address")
    if brand.ships_to and address["country"] not in brand.ships_to:
        raise DomainError(
            "COUNTRY_NOT_SHIPPED_TO",
            f"This storefront ships to {', '.join(brand.ships_to)} only.",
            "shipping_address.country",
        )
    await exportable(brand, checkout, address["country"])
    checkout.shipping_address = address
    await _touch(checkout, limits, "shipping_address")
    return checkout


async def billing_address_update(
    actor: Actor, brand: Brand, token: str, values: Mapping[str, Any], limits: CheckoutSettings
) -> Checkout:
    checkout = await open_for_change(actor, brand, token)
    checkout.billing_address = addresses.snapshot(values, "billing_address")
    await _touch(checkout, limits, "billing_address")
    return checkout


async def delivery_method_update(
    actor: Actor, brand: Brand, token: str, method_id: str, limits: CheckoutSettings, host: PluginHost
) -> Checkout:
    """Choose one of the methods offered for the current address and parcel."""
    checkout = await open_for_change(actor, brand, token)
    if not checkout.shipping_address:
        raise DomainError("SHIPPING_ADDRESS_REQUIRED", "Set the shipping address first.", "delivery_method_id")
    pricing = await price_checkout(checkout, host, brand=brand)
    if method_id not in {m.id for m in pricing.shipping_methods}:
        raise DomainError(
            "DELIVERY_METHOD_NOT_AVAILABLE",
            "That delivery method is not offered for this address and parcel.",
            "delivery_method_id",
        )
    checkout.delivery_method_id = method_id
    await _touch(checkout, limits, "delivery_method_id")
    return checkout


async def voucher_apply(
    actor: Actor, brand: Brand, token: str, code: str, limits: CheckoutSettings, host: PluginHost
) -> Checkout:
    """Apply a code now if it applies now (an expired, used-up or not-yet-earned code is refused)."""
    checkout = await open_for_change(actor, brand, token)
    pricing = await price_checkout(checkout, host, brand=brand)
    subtotal = pricing.totals.subtotal
    voucher = await vouchers.find_applicable(
        brand.id, code, currency=checkout.currency, subtotal=subtotal, customer_key=customer_key(checkout), now=_now()
    )
    checkout.voucher_id = voucher.id
    await _touch(checkout, limits, "voucher_id")
    return checkout


async def voucher_remove(actor: Actor, brand: Brand, token: str, limits: CheckoutSettings) -> Checkout:
    checkout = await open_for_change(actor, brand, token)
    checkout.voucher_id = None
    await _touch(checkout, limits, "voucher_id")
    return checkout


async def delete_expired(now: datetime | None = None) -> int:
    """Remove checkouts that expired a day ago or more (a day's grace lets a late payment still find its cart)."""
    stale = Checkout.filter(expires_at__lt=(now or _now()) - timedelta(days=1))
    ids = await stale.values_list("id", flat=True)
    if ids:
        await Checkout.filter(id__in=list(ids)).delete()
    return len(ids)


# -- helpers -----------------------------------------------------------------------------------------------


def _email(value: str | None) -> str:
    return normalize_email(value or "", "email")


async def _locked(checkout_id: int) -> Checkout:
    """The checkout row locked for this transaction on PostgreSQL (SQLite has one writer anyway), so two tabs
    adding the same variant at once cannot both insert its line."""
    return await Checkout.select_for_update().get(id=checkout_id)


async def _current(checkout: Checkout) -> dict[int, int]:
    """Ready-made lines' quantities by variant (made-to-measure lines are reached by their line id)."""
    rows = CheckoutLine.filter(checkout_id=checkout.id, config_key="")
    return dict(await rows.values_list("variant_id", "quantity"))


async def _write_lines(checkout: Checkout, current: Mapping[int, int], wanted: Mapping[int, int]) -> None:
    for variant_id, quantity in wanted.items():
        ready_made = CheckoutLine.filter(checkout_id=checkout.id, variant_id=variant_id, config_key="")
        if quantity == 0:
            await ready_made.delete()
        elif variant_id in current:
            await ready_made.update(quantity=quantity)
        else:
            await CheckoutLine.create(checkout_id=checkout.id, variant_id=variant_id, quantity=quantity)


async def _touch(checkout: Checkout, limits: CheckoutSettings, *fields: str) -> None:
    checkout.expires_at = _now() + timedelta(hours=limits.ttl_hours)
    await checkout.save(update_fields=[*fields, "expires_at", "updated_at"])


async def _checked_lines(
    brand: Brand,
    currency: str,
    current: Mapping[int, int],
    lines: Sequence[LineInput],
    limits: CheckoutSettings,
    *,
    add: bool,
    positions: Sequence[int] | None = None,
    other_lines: int = 0,
) -> dict[int, int]:
    """The new quantity per variant the input asks for, once every line is checked (all problems at once).

    A variant must belong to this brand, be part of a product the storefront shows, have a price in the
    checkout's currency and enough stock; quantities are 1..max_line_quantity (0 removes, when updating).
    """
    problems: list[DomainError] = []
    wanted: dict[int, int] = {}
    ids = [line.variant_id for line in lines if line.variant_id is not None]
    owned = dict(await Variant.filter(id__in=ids, brand_id=brand.id).values_list("id", "product_id"))
    shown = dict(await visible_products(brand).filter(id__in=set(owned.values())).values_list("id", "made_to_measure"))
    visible = {variant_id for variant_id, product_id in owned.items() if product_id in shown}
    custom = {variant_id for variant_id in visible if shown[owned[variant_id]]}
    priced = set(await VariantPrice.filter(variant_id__in=ids, currency=currency).values_list("variant_id", flat=True))
    stock = dict(await Stock.filter(variant_id__in=ids).values_list("variant_id", "quantity"))
    for index, line in enumerate(lines):
        at = f"lines.{positions[index] if positions is not None else index}"
        lowest = 1 if add else 0
        if not lowest <= line.quantity <= limits.max_line_quantity:
            problems.append(
                DomainError(
                    "INVALID_QUANTITY", f"Order {lowest}–{limits.max_line_quantity} of one item.", f"{at}.quantity"
                )
            )
            continue
        if line.variant_id is None or line.variant_id not in visible:
            problems.append(DomainError("VARIANT_NOT_AVAILABLE", "This item is not for sale here.", f"{at}.variant_id"))
            continue
        if line.variant_id in custom:
            problems.append(
                DomainError(
                    "MADE_TO_MEASURE_PRODUCT",
                    "This garment is made to measure: configure it with checkoutCustomGarmentAdd.",
                    f"{at}.variant_id",
                )
            )
            continue
        if line.variant_id not in priced:
            problems.append(
                DomainError("VARIANT_NOT_PRICED", f"This item has no price in {currency}.", f"{at}.variant_id")
            )
            continue
        base = wanted.get(line.variant_id, current.get(line.variant_id, 0)) if add else 0
        quantity = base + line.quantity
        if quantity > limits.max_line_quantity:
            problems.append(
                DomainError(
                    "INVALID_QUANTITY", f"Order at most {limits.max_line_quantity} of one item.", f"{at}.quantity"
                )
            )
            continue
        if quantity > stock.get(line.variant_id, 0):
            problems.append(DomainError("INSUFFICIENT_STOCK", "Not enough of this item is in stock.", f"{at}.quantity"))
            continue
        wanted[line.variant_id] = quantity
    if problems:
        raise DomainErrors(problems) if len(problems) > 1 else problems[0]
    if len(set(current) | {v for v, q in wanted.items() if q}) + other_lines > limits.max_lines:
        raise DomainError("TOO_MANY_LINES", f"A checkout holds at most {limits.max_lines} lines.", "lines")
    return wanted
