"""Accounts and credentials: users, refresh tokens, password resets, login throttling, app tokens."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class User(Model):
    """A person who signs in: a shopper, a brand's staff, a supplier, a tailor or a platform admin."""

    id = fields.BigIntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    password_hash = fields.CharField(max_length=200)
    full_name = fields.CharField(max_length=200, default="")
    is_active = fields.BooleanField(default=True)
    is_platform_admin = fields.BooleanField(default=False)
    # Bumped on password change: every token carrying an older version stops working.
    token_version = fields.IntField(default=1)
    language = fields.CharField(max_length=8, default="id")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "user"


class RefreshToken(Model):
    """One refresh token of a rotation family."""

    # Rotation revokes a token when it is used. Presenting a revoked one again revokes its whole family: a
    # stolen token replayed after its owner refreshed is detected rather than honoured.

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "lini.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    jti = fields.CharField(max_length=64, unique=True)
    family = fields.CharField(max_length=64, db_index=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "refresh_token"


class PasswordReset(Model):
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "lini.User", related_name="password_resets", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "password_reset"


class LoginThrottle(Model):
    """Failed sign-ins per key (`email:<address>` or `ip:<address>`), for slowing down and locking."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=300, unique=True)
    failures = fields.IntField(default=0)
    last_failure_at = fields.DatetimeField(null=True)
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "login_throttle"


class AppToken(Model):
    """An integration's API token for one brand: shown once, stored as a SHA-256 hash, revocable."""

    id = fields.BigIntField(primary_key=True)
    brand: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "lini.Brand", related_name="apps", on_delete=fields.CASCADE
    )
    brand_id: int
    name = fields.CharField(max_length=100)
    token_hash = fields.CharField(max_length=64, unique=True)
    token_prefix = fields.CharField(max_length=16)
    permissions: fields.Field[list[str]] = fields.JSONField(default=list)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "lini.User", related_name="apps_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "app_token"
