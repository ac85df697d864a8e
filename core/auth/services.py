"""Accounts: registration, sign-in with throttling, token rotation and revocation, passwords, resets."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from email_validator import EmailNotValidError, validate_email
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.actors.models import StaffMember, Supplier, Tailor
from core.auth import throttle, tokens
from core.auth.models import AppToken, PasswordReset, RefreshToken, User
from core.auth.passwords import check_strength, hash_password, verify_password
from core.auth.permissions import Permission
from core.context import Actor, ActorKind, staff_permissions
from core.errors import DomainError
from core.events import emit
from core.settings import AuthSettings, Settings

ACCESS = "access"
REFRESH = "refresh"


@dataclass(frozen=True)
class AuthConfig:
    """What the auth services need from settings, resolved once at start-up."""

    settings: AuthSettings
    key: str

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthConfig:
        return cls(settings=settings.auth, key=tokens.signing_key(settings))

    def hash(self, password: str) -> str:
        return hash_password(
            password, time_cost=self.settings.argon2_time_cost, memory_kib=self.settings.argon2_memory_kib
        )

    def verify(self, stored: str | None, password: str) -> bool:
        return verify_password(
            stored, password, time_cost=self.settings.argon2_time_cost, memory_kib=self.settings.argon2_memory_kib
        )


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    user: User


def normalize_email(email: str, field: str = "email") -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError("INVALID_EMAIL", f"This is not a valid e-mail address: {error}", field) from None


def _now() -> datetime:
    return datetime.now(UTC)


async def register(config: AuthConfig, *, email: str, password: str, full_name: str = "") -> User:
    address = normalize_email(email)
    check_strength(password, email=address, min_length=config.settings.password_min_length)
    if len(full_name) > 200:
        raise DomainError("TOO_LONG", "A name is at most 200 characters.", "full_name")
    if await User.exists(email=address):
        raise DomainError("EMAIL_TAKEN", "An account with this e-mail already exists.", "email")
    password_hash = await asyncio.to_thread(config.hash, password)  # argon2: off the event loop
    try:
        async with in_transaction():
            user = await User.create(email=address, password_hash=password_hash, full_name=full_name.strip())
            await emit("account.registered", {"user_id": user.id, "email": address})
    except IntegrityError:  # a concurrent registration won the race for the unique e-mail
        raise DomainError("EMAIL_TAKEN", "An account with this e-mail already exists.", "email") from None
    return user


async def create_admin(config: AuthConfig, *, email: str, password: str) -> User:
    """Create a platform admin, or promote an existing account (the password is then left unchanged)."""
    address = normalize_email(email)
    user = await User.get_or_none(email=address)
    if user is not None:
        user.is_platform_admin = True
        await user.save(update_fields=["is_platform_admin", "updated_at"])
        return user
    user = await register(config, email=address, password=password)
    await User.filter(id=user.id).update(is_platform_admin=True)
    user.is_platform_admin = True
    return user


# --- signing in ------------------------------------------------------------------------------------------


async def login(config: AuthConfig, *, email: str, password: str, client: str = "") -> TokenPair:
    """Each attempt is counted against the e-mail and the client address before its password is checked (see
    `core.auth.throttle`); a success forgets the e-mail's failures and gives the address its attempt back."""
    address = email.strip().lower()
    claims = await _claim_attempt(config, address, client)
    user = await User.get_or_none(email=address)
    stored = user.password_hash if user else None
    # argon2 takes tens of milliseconds of CPU: off the event loop, so other requests go on meanwhile.
    if not await asyncio.to_thread(config.verify, stored, password) or user is None or not user.is_active:
        raise DomainError("INVALID_CREDENTIALS", "The e-mail or password is not right.", "email")
    await throttle.forget(claims[0].key)
    for attempt in claims[1:]:
        await throttle.give_back(attempt)
    return await _issue_pair(config, user)


async def _claim_attempt(config: AuthConfig, address: str, client: str) -> list[throttle.Claim]:
    now = _now()
    claims = [await throttle.claim(f"email:{address}", throttle.Policy.for_email(config.settings), now)]
    if client:
        try:
            claims.append(await throttle.claim(f"ip:{client}", throttle.Policy.for_address(config.settings), now))
        except DomainError:
            await throttle.give_back(claims[0])  # refused before its password was checked: not a failure
            raise
    return claims


async def _issue_pair(config: AuthConfig, user: User, family: str = "") -> TokenPair:
    family = family or tokens.random_token()[:32]
    access, _ = tokens.issue(
        config.key,
        user_id=user.id,
        kind=ACCESS,
        version=user.token_version,
        lifetime=timedelta(minutes=config.settings.access_token_minutes),
    )
    refresh, claims = tokens.issue(
        config.key,
        user_id=user.id,
        kind=REFRESH,
        version=user.token_version,
        lifetime=timedelta(days=config.settings.refresh_token_days),
        family=family,
    )
    await RefreshToken.create(user_id=user.id, jti=claims.jti, family=family, expires_at=claims.expires_at)
    return TokenPair(access=access, refresh=refresh, user=user)


async def refresh(config: AuthConfig, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent; replaying a spent one revokes its whole family."""
    invalid = DomainError("INVALID_TOKEN", "This refresh token is not valid; sign in again.", "refresh_token")
    try:
        claims = tokens.decode(config.key, refresh_token, kind=REFRESH)
    except tokens.InvalidToken:
        raise invalid from None
    row = await RefreshToken.get_or_none(jti=claims.jti)
    if row is None:
        raise invalid
    spent = await RefreshToken.filter(id=row.id, revoked_at=None).update(revoked_at=_now())
    if not spent:
        await RefreshToken.filter(family=row.family, revoked_at=None).update(revoked_at=_now())
        raise invalid
    user = await User.get_or_none(id=row.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise invalid
    return await _issue_pair(config, user, family=row.family)


async def revoke(config: AuthConfig, refresh_token: str) -> None:
    """Sign out one device: its refresh token family stops working."""
    try:
        claims = tokens.decode(config.key, refresh_token, kind=REFRESH)
    except tokens.InvalidToken:
        raise DomainError("INVALID_TOKEN", "This refresh token is not valid.", "refresh_token") from None
    row = await RefreshToken.get_or_none(jti=claims.jti)
    if row is not None:
        await RefreshToken.filter(family=row.family, revoked_at=None).update(revoked_at=_now())


# --- who is asking ---------------------------------------------------------------------------------------


async def actor_for_token(config: AuthConfig, bearer: str) -> Actor:
    """The actor behind an access token or an app token; raises `tokens.InvalidToken` when it is not valid."""
    if bearer.startswith(APP_TOKEN_PREFIX):
        return await _app_actor(bearer)
    claims = tokens.decode(config.key, bearer, kind=ACCESS)
    user = await User.get_or_none(id=claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise tokens.InvalidToken("The token has been revoked.")
    return await actor_for_user(user)


async def actor_for_user(user: User) -> Actor:
    roles = dict(await StaffMember.filter(user_id=user.id).values_list("brand_id", "role"))
    # tortoise types values_list(flat=True) as tuples; with one field it returns that field's values
    suppliers = cast("list[int]", await Supplier.filter(user_id=user.id).values_list("id", flat=True))
    tailors = cast("list[int]", await Tailor.filter(user_id=user.id).values_list("id", flat=True))
    return Actor(
        kind=ActorKind.USER,
        user_id=user.id,
        email=user.email,
        is_platform_admin=user.is_platform_admin,
        brand_permissions=staff_permissions(roles),
        supplier_ids=frozenset(suppliers),
        tailor_ids=frozenset(tailors),
    )


async def actor_for_user_id(user_id: int) -> Actor | None:
    """The actor a job acts as for the user who asked for it (a queued import, a scheduled fetch), with that
    user's rights as they are when the job runs; None when the account is gone or deactivated."""
    user = await User.get_or_none(id=user_id)
    if user is None or not user.is_active:
        return None
    return await actor_for_user(user)


APP_TOKEN_PREFIX = "lini_app_"


async def _app_actor(token: str) -> Actor:
    app = await AppToken.get_or_none(token_hash=tokens.token_hash(token), revoked_at=None)
    if app is None:
        raise tokens.InvalidToken("The app token is not valid or has been revoked.")
    await AppToken.filter(id=app.id).update(last_used_at=_now())
    permissions = frozenset(Permission(p) for p in app.permissions if p in Permission.__members__)
    return Actor(kind=ActorKind.APP, app_id=app.id, brand_permissions={app.brand_id: permissions})


# --- the account itself ----------------------------------------------------------------------------------


async def update_account(actor: Actor, *, full_name: str | None = None, language: str | None = None) -> User:
    user = await User.get(id=actor.require_user())
    if full_name is not None:
        if len(full_name) > 200:
            raise DomainError("TOO_LONG", "A name is at most 200 characters.", "full_name")
        user.full_name = full_name.strip()
    if language is not None:
        if language not in SUPPORTED_LANGUAGES:
            raise DomainError("INVALID_LANGUAGE", f"Choose one of {', '.join(SUPPORTED_LANGUAGES)}.", "language")
        user.language = language
    await user.save()
    return user


SUPPORTED_LANGUAGES = ("id", "en", "ms", "tr", "ar")


async def change_password(config: AuthConfig, actor: Actor, *, old_password: str, new_password: str) -> TokenPair:
    """Every token issued before stops working; the caller gets a fresh pair to stay signed in."""
    user = await User.get(id=actor.require_user())
    if not config.verify(user.password_hash, old_password):
        raise DomainError("INVALID_PASSWORD", "The current password is not right.", "old_password")
    check_strength(new_password, email=user.email, min_length=config.settings.password_min_length, field="new_password")
    async with in_transaction():
        await _set_password(config, user, new_password)
    return await _issue_pair(config, user)


async def _set_password(config: AuthConfig, user: User, password: str) -> None:
    user.password_hash = config.hash(password)
    user.token_version += 1
    await User.filter(id=user.id).update(password_hash=user.password_hash, token_version=F("token_version") + 1)
    await RefreshToken.filter(user_id=user.id, revoked_at=None).update(revoked_at=_now())
    await emit("account.password_changed", {"user_id": user.id})


async def request_password_reset(config: AuthConfig, *, email: str) -> None:
    """Emits `account.password_reset_requested` with a single-use token; silent for unknown e-mails."""
    user = await User.get_or_none(email=email.strip().lower(), is_active=True)
    if user is None:
        return
    token = tokens.random_token()
    expires = _now() + timedelta(minutes=config.settings.password_reset_minutes)
    async with in_transaction():
        await PasswordReset.create(user_id=user.id, token_hash=tokens.token_hash(token), expires_at=expires)
        await emit(
            "account.password_reset_requested",
            {"user_id": user.id, "email": user.email, "token": token, "expires_at": expires.isoformat()},
        )


async def reset_password(config: AuthConfig, *, token: str, password: str) -> User:
    reset = await PasswordReset.get_or_none(token_hash=tokens.token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at < _now():
        raise DomainError("INVALID_TOKEN", "This reset link is not valid or has expired; ask for a new one.", "token")
    user = await User.get(id=reset.user_id)
    check_strength(password, email=user.email, min_length=config.settings.password_min_length)
    async with in_transaction():
        used = await PasswordReset.filter(id=reset.id, used_at=None).update(used_at=_now())
        if not used:
            raise DomainError("INVALID_TOKEN", "This reset link has already been used.", "token")
        await _set_password(config, user, password)
    return user
