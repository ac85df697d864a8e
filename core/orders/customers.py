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


async def customers_in(
    actor: Actor, wanted: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[User, CustomerSummary]]:
    """(brand id, account id) pairs that are customers of that brand, each with its summary there: a customer is
    an account *as one brand sees it*, so its identity holds both. Only brands whose orders the actor may manage;
    two statements per brand asked for, however many accounts."""
    by_brand: dict[int, list[int]] = {}
    for brand_id, user_id in wanted:
        if actor.can(brand_id, Permission.MANAGE_ORDERS):
            by_brand.setdefault(brand_id, []).append(user_id)
    found: dict[tuple[int, int], tuple[User, CustomerSummary]] = {}
    for brand_id, user_ids in by_brand.items():
        users = {user.id: user for user in await customers_of(brand_id).filter(id__in=user_ids)}
        if not users:
            continue
        seen = await summaries(brand_id, list(users))
        found.update(((brand_id, user_id), (user, seen[user_id])) for user_id, user in users.items())
    return found
