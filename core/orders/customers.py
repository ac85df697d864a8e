"""A brand's customers: the accounts that placed an order with it, and nobody else.

Brand staff never browse the platform's user table: a customer who never bought from a brand does not exist
for that brand's staff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.functions import Count, Max
from tortoise.queryset import QuerySet

from core.actors.models import Brand
from core.auth.models import User
from core.auth.permissions import Permission
from core.context import Actor
from core.orders.models import Order


@dataclass(frozen=True)
class CustomerSummary:
    orders: int
    last_order_at: datetime | None


def customers_of(brand_id: int) -> QuerySet[User]:
    """Accounts with at least one order at the brand (guests' orders carry only an e-mail, see `orders`)."""
    buyers = Order.filter(brand_id=brand_id, user_id__not_isnull=True).values("user_id")
    return User.filter(id__in=Subquery(buyers))


async def summaries(brand_id: int, user_ids: Sequence[int]) -> dict[int, CustomerSummary]:
    """Order count and latest order per customer, at this brand only: one statement for a page."""
    rows = (
        await Order.filter(brand_id=brand_id, user_id__in=list(user_ids))
        .annotate(count=Count("id"), last=Max("created_at"))
        .group_by("user_id")
        .values("user_id", "count", "last")
    )
    return {row["user_id"]: CustomerSummary(orders=row["count"], last_order_at=row["last"]) for row in rows}


async def visible_customers(
    actor: Actor, brand_slug: str | None, user_ids: Sequence[int]
) -> tuple[dict[int, User], dict[int, CustomerSummary]]:
    """The accounts of `user_ids` that are customers of the brand named (for `node(id:)`: the `Lini-Storefront`
    header's, as `customers` takes by default), with their summaries there; nothing unless the actor may manage
    that brand's orders, which is who may list them. Three statements, however many ids."""
    brand = await Brand.get_or_none(slug=brand_slug.strip().lower()) if brand_slug else None
    if brand is None or not actor.can(brand.id, Permission.MANAGE_ORDERS) or not user_ids:
        return {}, {}
    users = {user.id: user for user in await customers_of(brand.id).filter(id__in=list(user_ids))}
    return users, await summaries(brand.id, list(users))
