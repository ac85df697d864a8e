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
from core.errors import DomainError, DomainErrors
from core.plugins import PluginHost
from core.settings import CheckoutSettings
from core.vouchers import services as vouchers


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int


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
        wanted = await _checked_lines(brand, checkout.currency, current, lines, limits, add=add)
        await _write_lines(checkout, current, wanted)
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
    return dict(await CheckoutLine.filter(checkout_id=checkout.id).values_list("variant_id", "quantity"))


async def _write_lines(checkout: Checkout, current: Mapping[int, int], wanted: Mapping[int, int]) -> None:
    for variant_id, quantity in wanted.items():
        if quantity == 0:
            await CheckoutLine.filter(checkout_id=checkout.id, variant_id=variant_id).delete()
        elif variant_id in current:
            await CheckoutLine.filter(checkout_id=checkout.id, variant_id=variant_id).update(quantity=quantity)
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
) -> dict[int, int]:
    """The new quantity per variant the input asks for, once every line is checked (all problems at once).

    A variant must belong to this brand, be part of a product the storefront shows, have a price in the
    checkout's currency and enough stock; quantities are 1..max_line_quantity (0 removes, when updating).
    """
    problems: list[DomainError] = []
    wanted: dict[int, int] = {}
    ids = [line.variant_id for line in lines]
    owned = dict(await Variant.filter(id__in=ids, brand_id=brand.id).values_list("id", "product_id"))
    shown = set(await visible_products(brand).filter(id__in=set(owned.values())).values_list("id", flat=True))
    visible = {variant_id for variant_id, product_id in owned.items() if product_id in shown}
    priced = set(await VariantPrice.filter(variant_id__in=ids, currency=currency).values_list("variant_id", flat=True))
    stock = dict(await Stock.filter(variant_id__in=ids).values_list("variant_id", "quantity"))
    for index, line in enumerate(lines):
        at = f"lines.{index}"
        lowest = 1 if add else 0
        if not lowest <= line.quantity <= limits.max_line_quantity:
            problems.append(
                DomainError(
                    "INVALID_QUANTITY", f"Order {lowest}–{limits.max_line_quantity} of one item.", f"{at}.quantity"
                )
            )
            continue
        if line.variant_id not in visible:
            problems.append(DomainError("VARIANT_NOT_AVAILABLE", "This item is not for sale here.", f"{at}.variant_id"))
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
    if len(set(current) | {v for v, q in wanted.items() if q}) > limits.max_lines:
        raise DomainError("TOO_MANY_LINES", f"A checkout holds at most {limits.max_lines} lines.", "lines")
    return wanted
