"""Password hashing (argon2id) and the strength rules a new password must meet."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import DomainError

# The passwords tried first in every credential-stuffing list, plus local favourites.
COMMON = {
    "password", "password1", "password123", "passw0rd", "qwerty", "qwertyuiop", "1234567890", "12345678",
    "123456789", "abc12345", "iloveyou", "admin123", "welcome1", "letmein123", "bismillah", "bismillah123",
    "indonesia", "indonesia1", "jakarta123", "sayang123", "rahasia123", "katasandi", "11111111", "00000000",
}  # fmt: skip


@lru_cache(maxsize=4)
def hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def check_strength(password: str, *, email: str = "", min_length: int = 10, field: str = "password") -> None:
    if len(password) < min_length:
        raise DomainError("PASSWORD_TOO_SHORT", f"Use at least {min_length} characters.", field)
    if len(password) > 256:
        raise DomainError("PASSWORD_TOO_LONG", "Use at most 256 characters.", field)
    lowered = password.lower()
    if lowered in COMMON or lowered.isdigit() or len(set(lowered)) < 4:
        raise DomainError("PASSWORD_TOO_COMMON", "This password is too easy to guess.", field)
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in lowered:
        raise DomainError("PASSWORD_TOO_SIMILAR", "The password must not contain your e-mail address.", field)


def hash_password(password: str, *, time_cost: int, memory_kib: int) -> str:
    return hasher(time_cost, memory_kib).hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return hasher(time_cost, memory_kib).hash("no such account")


def verify_password(stored_hash: str | None, password: str, *, time_cost: int, memory_kib: int) -> bool:
    """Always does the full argon2 work, even for an unknown account, so timing does not reveal which exist."""
    try:
        matched = hasher(time_cost, memory_kib).verify(stored_hash or _dummy_hash(time_cost, memory_kib), password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None
