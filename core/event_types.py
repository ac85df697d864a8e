"""Every type of event Lini writes to its outbox, in one registry: webhooks subscribe by these names and
docs/webhooks.md's table is generated from it (`python -m core.event_types`), so neither can drift.

A test reads every `emit(...)` of core and the built-in plugins and fails on a type missing here. Plugins that
write events of their own declare them through the `event_types` hook. Only events that belong to a brand
(`brand` in the envelope) reach a brand's webhooks; the others (an account registered, a tailor applying) are
for platform plugins.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

VERSION = 1  # of the envelope and payloads; a change that breaks a receiver adds a version, never edits one


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    object: str  # what the payload describes, as in the docs' payload tables


def _types(object: str, *entries: tuple[str, str]) -> list[EventType]:
    return [EventType(name, description, object) for name, description in entries]


CORE: tuple[EventType, ...] = (
    *_types(
        "order",
        ("ORDER_CREATED", "An order was placed (checkout completed)."),
        ("ORDER_PAID", "The order's total was received."),
        ("ORDER_CHANGED", "The order's lines, addresses or amounts changed."),
        ("ORDER_NOTE_ADDED", "Staff added a note (its text is not in the payload)."),
        ("ORDER_IN_PRODUCTION", "Its made-to-measure garments went into production."),
        ("ORDER_NOT_IN_PRODUCTION", "Production was called off (e.g. the order was cancelled)."),
        ("ORDER_READY_TO_SHIP", "Everything is made and checked; it can be packed."),
        ("ORDER_PARTIALLY_SHIPPED", "Some of its lines were shipped."),
        ("ORDER_SHIPPED", "All of it was shipped."),
        ("ORDER_DELIVERED", "The courier delivered it."),
        ("ORDER_CANCELLED", "It was cancelled; its stock was released."),
        ("ORDER_REFUNDED", "Money was refunded (in Lini or at the gateway)."),
        ("ORDER_REFUND_FAILED", "A refund the gateway was asked for failed."),
        ("ORDER_PAYMENT_DISPUTED", "The buyer disputed a card payment (a chargeback)."),
    ),
    *_types(
        "shipment",
        ("shipment.tracking_updated", "A courier reported a new tracking event of a shipment (once per event)."),
        ("shipment.label_updated", "A shipment's courier label, tracking number or tracking page was set or removed."),
    ),
    *_types(
        "productionJob",
        ("PRODUCTION_STAGE_CHANGED", "A garment moved to another production stage."),
        ("PRODUCTION_QC_REPORTED", "A quality inspection was recorded for a garment."),
    ),
    *_types(
        "product",
        ("product.created", "A product was created."),
        ("product.updated", "A product's fields changed."),
        ("product.deleted", "A product was deleted."),
        ("product.made_to_measure_set", "A product's made-to-measure settings changed."),
        ("product.media_added", "An image was added to a product."),
        ("product.media_deleted", "An image was removed from a product."),
        ("product.media_reordered", "A product's images were reordered."),
        ("product.variant_created", "A variant was added to a product."),
        ("product.variant_updated", "A variant changed (price, SKU, size, colour)."),
        ("product.variant_deleted", "A variant was removed."),
        ("stock.updated", "Stock quantities were set."),
    ),
    *_types(
        "attribute",
        ("attribute.created", "A product attribute was created."),
        ("attribute.updated", "A product attribute changed."),
        ("attribute.deleted", "A product attribute was deleted."),
    ),
    *_types(
        "category",
        ("category.created", "A category was created."),
        ("category.updated", "A category changed."),
        ("category.deleted", "A category was deleted."),
    ),
    *_types(
        "collection",
        ("collection.created", "A collection was created."),
        ("collection.updated", "A collection changed."),
        ("collection.deleted", "A collection was deleted."),
        ("collection.products_added", "Products were added to a collection."),
        ("collection.products_removed", "Products were removed from a collection."),
        ("collection.products_reordered", "A collection's products were reordered."),
    ),
    *_types(
        "voucher",
        ("voucher.created", "A voucher was created."),
        ("voucher.updated", "A voucher changed."),
        ("voucher.deleted", "A voucher was deleted."),
    ),
    *_types(
        "tax",
        ("tax_rate.set", "A tax rate was set."),
        ("tax_rate.deleted", "A tax rate was removed."),
        ("exchange_rate.set", "An exchange rate was set."),
        ("customs_rate.set", "A destination's import duty on an HS heading was set (platform administrators)."),
        ("customs_rate.deleted", "A destination's import duty on an HS heading was removed."),
        ("import_tax.set", "A destination's import tax and de-minimis thresholds were set."),
    ),
    *_types(
        "brand",
        ("brand.applied", "A brand applied to the platform."),
        ("brand.approved", "The platform approved a brand."),
        ("brand.rejected", "The platform rejected a brand's application."),
        ("brand.suspended", "The platform suspended a brand."),
        ("brand.storefront_updated", "A brand's storefront settings changed."),
        ("staff.invited", "Someone was invited to a brand's staff."),
        ("staff.joined", "An invitation was accepted."),
        ("app.created", "An app (API token) was created for the brand."),
        ("app.revoked", "An app's token was revoked."),
    ),
    *_types(
        "webhook",
        ("webhook.created", "A webhook was added (never delivered to webhooks)."),
        ("webhook.updated", "A webhook changed (never delivered to webhooks)."),
        ("webhook.deleted", "A webhook was removed (never delivered to webhooks)."),
        ("webhook.delivery_failed", "A delivery to a webhook was given up on (never delivered to webhooks)."),
    ),
    *_types(
        "supplier",
        ("supplier.applied", "A supplier applied to the platform."),
        ("supplier.approved", "The platform approved a supplier."),
        ("supplier.rejected", "The platform rejected a supplier."),
        ("supplier.suspended", "The platform suspended a supplier."),
        ("fabric.created", "A supplier listed a fabric."),
        ("fabric.updated", "A fabric's fields, price or stock changed."),
        ("fabric.archived", "A fabric was archived."),
    ),
    *_types(
        "tailor",
        ("tailor.applied", "A tailor or workshop applied to the platform."),
        ("tailor.approved", "The platform approved a tailor."),
        ("tailor.rejected", "The platform rejected a tailor."),
        ("tailor.suspended", "The platform suspended a tailor."),
        ("tailor.certification_added", "A tailor added a certificate."),
        ("tailor.certification_verified", "The platform verified a certificate."),
        ("tailor.certification_rejected", "The platform rejected a certificate."),
        ("tailor.certification_pending", "A decided certificate went back to pending review."),
    ),
    *_types(
        "garmentType",
        ("garment_type.created", "A garment type (and its measurement form) was created."),
        ("garment_type.updated", "A garment type changed."),
        ("garment_type.deleted", "A garment type was deleted."),
    ),
    *_types(
        "account",
        ("account.registered", "A shopper signed up."),
        ("account.password_changed", "An account's password changed."),
        ("account.password_reset_requested", "A password reset was asked for."),
        ("address.created", "A shopper saved an address."),
        ("address.updated", "A shopper changed an address."),
        ("address.deleted", "A shopper deleted an address."),
        ("measurement_profile.created", "A shopper saved a measurement profile."),
        ("measurement_profile.updated", "A measurement profile got a new version."),
        ("measurement_profile.deleted", "A measurement profile was deleted."),
    ),
)


def registry(extra: tuple[EventType, ...] | list[EventType] = ()) -> dict[str, EventType]:
    """Core's event types and those plugins declare, by name."""
    return {t.name: t for t in (*CORE, *extra)}


GUIDE = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"
BEGIN, END = "<!-- event types: generated by `python -m core.event_types` -->", "<!-- end of event types -->"


def markdown(types: dict[str, EventType]) -> str:
    """docs/webhooks.md's table of event types."""
    lines = ["| event type | object | what happened |", "| --- | --- | --- |"]
    lines += [f"| `{t.name}` | {t.object} | {t.description} |" for t in types.values()]
    return "\n".join(lines) + "\n"


def guide(text: str, types: dict[str, EventType]) -> str:
    """The guide with its table of event types replaced by the registry's."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{markdown(types)}{END}{tail}"


def with_plugins() -> dict[str, EventType]:
    """Core's types and those of the plugins installed here (what the guide lists)."""
    from core.plugins import load_plugins  # the plugins import this module: loaded only when asked
    from core.settings import load_settings

    return registry(tuple(load_plugins(load_settings(env={}), env={}).collect("event_types")))


if __name__ == "__main__":
    GUIDE.write_text(guide(GUIDE.read_text(encoding="utf-8"), with_plugins()), encoding="utf-8")
    sys.stdout.write(f"wrote {GUIDE}\n")
