"""Signed access and refresh tokens (JWT, HS256) and opaque random tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from core.settings import Settings, SettingsError

ISSUER = "lini"
ALGORITHM = "HS256"
DEVELOPMENT_KEY = "lini-development-key-not-secret-do-not-use-in-production"
logger = logging.getLogger("lini.auth")


class InvalidToken(Exception):
    """Expired, tampered, wrongly signed, revoked or of the wrong kind."""


def signing_key(settings: Settings, env: Mapping[str, str] | None = None) -> str:
    """The key from the environment variable `[auth] signing_key_env` names; placeholders refused in production."""
    env = os.environ if env is None else env
    name = settings.auth.signing_key_env
    key = env.get(name, "")
    if key and len(key) >= 32 and key != DEVELOPMENT_KEY:
        return key
    if settings.server.environment == "production":
        problem = "is not set" if not key else "is too short (32+ characters)" if len(key) < 32 else "is a placeholder"
        raise SettingsError(f"[auth] signing_key_env: the environment variable {name} {problem}")
    if key:
        logger.warning("%s is weak; acceptable only outside production", name)
        return key
    return DEVELOPMENT_KEY


@dataclass(frozen=True)
class Claims:
    user_id: int
    kind: str
    version: int
    jti: str
    family: str
    expires_at: datetime


def issue(
    key: str, *, user_id: int, kind: str, version: int, lifetime: timedelta, family: str = ""
) -> tuple[str, Claims]:
    now = datetime.now(UTC)
    claims = Claims(user_id, kind, version, uuid.uuid4().hex, family, now + lifetime)
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "sub": str(user_id),
        "typ": kind,
        "ver": version,
        "jti": claims.jti,
        "iat": now,
        "exp": claims.expires_at,
    }
    if family:
        payload["fam"] = family
    return jwt.encode(payload, key, algorithm=ALGORITHM), claims


def decode(key: str, token: str, *, kind: str) -> Claims:
    try:
        payload = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub", "typ", "jti"]}
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("The token has expired.") from None
    except jwt.PyJWTError:
        raise InvalidToken("The token is not valid.") from None
    if payload.get("typ") != kind or not str(payload.get("sub", "")).isdigit():
        raise InvalidToken("The token is not valid.")
    return Claims(
        user_id=int(payload["sub"]),
        kind=kind,
        version=int(payload.get("ver", 0)),
        jti=str(payload["jti"]),
        family=str(payload.get("fam", "")),
        expires_at=datetime.fromtimestamp(payload["exp"], UTC),
    )


def random_token(prefix: str = "") -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
