"""Permissions and the roles that bundle them. Checks live in core services, not only in resolvers."""

from __future__ import annotations

from enum import StrEnum

from core.actors.models import StaffRole


class Permission(StrEnum):
    MANAGE_PRODUCTS = "MANAGE_PRODUCTS"
    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_STOREFRONT = "MANAGE_STOREFRONT"
    MANAGE_STAFF = "MANAGE_STAFF"
    MANAGE_APPS = "MANAGE_APPS"


ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.OWNER: frozenset(Permission),
    StaffRole.MANAGER: frozenset(
        {Permission.MANAGE_PRODUCTS, Permission.MANAGE_ORDERS, Permission.MANAGE_STOREFRONT, Permission.MANAGE_STAFF}
    ),
    StaffRole.STAFF: frozenset({Permission.MANAGE_PRODUCTS, Permission.MANAGE_ORDERS}),
}
