"""Sign-in throttling: failed attempts per e-mail and per client address slow down, then lock, further tries.

An attempt is *claimed* before its password is checked, by a compare-and-set on the key's row: the update
only lands when the row still holds the count that was read and no lock, so two concurrent attempts can never
both be the tenth. Checking first and counting after the password check (the old way) let 40 concurrent wrong
passwords all through, since each read the count before any had written it. A single conditional UPDATE is
atomic on SQLite and PostgreSQL alike, and needs no row lock (a silent no-op on SQLite).

A successful sign-in clears its e-mail's count and gives back its claim on the address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from core.auth.models import LoginThrottle
from core.errors import DomainError
from core.settings import AuthSettings

# Compare-and-set rounds before giving up: every round lets at least one contender through, and at most
# `lock_after` claims land before the key locks, so only a storm of concurrent attempts gets this far.
MAX_ROUNDS = 50


@dataclass(frozen=True)
class Policy:
    """When a key's failures start to slow tries down (doubling waits), and when they lock it."""

    slowdown_after: int
    lock_after: int
    lock: timedelta

    @classmethod
    def for_email(cls, settings: AuthSettings) -> Policy:
        return cls(
            settings.login_slowdown_after, settings.login_lock_after, timedelta(minutes=settings.login_lock_minutes)
        )

    @classmethod
    def for_address(cls, settings: AuthSettings) -> Policy:
        return cls(
            settings.login_ip_slowdown_after,
            settings.login_ip_lock_after,
            timedelta(minutes=settings.login_lock_minutes),
        )


@dataclass(frozen=True)
class Claim:
    """One counted attempt on one key; `locked` says whether it was the attempt that locked the key."""

    key: str
    locked: bool


async def claim(key: str, policy: Policy, now: datetime) -> Claim:
    """Count one attempt on `key`, or raise `LOGIN_LOCKED` / `LOGIN_THROTTLED` when it must not be tried."""
    for _ in range(MAX_ROUNDS):
        row = await LoginThrottle.get_or_none(key=key)
        if row is None:
            locked = policy.lock_after <= 1
            try:
                await LoginThrottle.create(
                    key=key, failures=1, last_failure_at=now, locked_until=now + policy.lock if locked else None
                )
            except IntegrityError:  # another attempt created it first: read it and go round again
                continue
            return Claim(key, locked)
        failures = _live_failures(row, policy, now)
        _refuse_if_limited(row, failures, policy, now)
        locked = failures + 1 >= policy.lock_after
        landed = await LoginThrottle.filter(
            Q(locked_until=None) | Q(locked_until__lte=now), id=row.id, failures=row.failures
        ).update(failures=failures + 1, last_failure_at=now, locked_until=now + policy.lock if locked else None)
        if landed:
            return Claim(key, locked)
    raise DomainError("LOGIN_THROTTLED", "Too many sign-ins at once. Wait a few seconds and try again.", "email")


def _live_failures(row: LoginThrottle, policy: Policy, now: datetime) -> int:
    """A lock that has ended starts the count over, and failures further apart than a lock lasts are forgotten:
    a password mistyped last month costs nothing."""
    if row.locked_until:
        return row.failures if row.locked_until > now else 0
    if row.last_failure_at is None or now - row.last_failure_at >= policy.lock:
        return 0
    return row.failures


def _refuse_if_limited(row: LoginThrottle, failures: int, policy: Policy, now: datetime) -> None:
    if row.locked_until and row.locked_until > now:
        minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
        raise DomainError("LOGIN_LOCKED", f"Too many failed sign-ins. Try again in {minutes} minutes.", "email")
    over = failures - policy.slowdown_after
    if over >= 0 and row.last_failure_at:
        ready = row.last_failure_at + timedelta(seconds=2 ** min(over, 20))
        if now < ready:
            seconds = int((ready - now).total_seconds()) + 1
            raise DomainError(
                "LOGIN_THROTTLED", f"Too many failed sign-ins. Wait {seconds} seconds and try again.", "email"
            )


async def give_back(attempt: Claim) -> None:
    """Un-count an attempt that turned out not to be a failure (or was refused by another key's limit)."""
    changes: dict[str, object] = {"failures": F("failures") - 1}
    if attempt.locked:
        changes["locked_until"] = None
    await LoginThrottle.filter(key=attempt.key, failures__gt=0).update(**changes)


async def forget(key: str) -> None:
    """A successful sign-in: the e-mail's failures no longer count."""
    await LoginThrottle.filter(key=key).delete()
