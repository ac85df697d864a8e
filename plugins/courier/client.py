"""The courier aggregator's REST API (README.md, "The API"), over httpx, with Lini's typed errors.

Every call has a timeout; a network failure, a 429 or a 5xx is retried `max_retries` times with exponential
backoff (`backoff_seconds` × 2ⁿ), a booking with the same `Idempotency-Key` each time, so a retry never books
twice. What is still failing after that is COURIER_UNAVAILABLE; a 4xx is the courier's refusal
(COURIER_REFUSED, with its message); a refused API key is COURIER_NOT_CONFIGURED (and logged: the operator
must act). The API key is read from the environment variable `[plugins.courier] api_key_env` names.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from lini.plugin import DomainError

logger = logging.getLogger("lini.plugins.courier")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Keys:
    api_key: str
    webhook_secret: str


def read_keys(config: Any, env: Mapping[str, str] | None = None) -> Keys:
    env = os.environ if env is None else env
    return Keys(
        api_key=env.get(config.api_key_env, "").strip(), webhook_secret=env.get(config.webhook_secret_env, "").strip()
    )


def unavailable(what: str) -> DomainError:
    return DomainError(
        "COURIER_UNAVAILABLE", f"The courier did not answer ({what}): try again (a retry never books twice)."
    )


class CourierApi:
    def __init__(self, config: Any, keys: Keys) -> None:
        self.config = config
        self.keys = keys

    @property
    def configured(self) -> bool:
        return bool(self.config.api_base and self.keys.api_key)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        idempotency_key: str = "",
        wait_seconds: float | None = None,
        retries: int | None = None,
    ) -> httpx.Response:
        """The courier's successful answer, after retries; a DomainError otherwise."""
        if not self.configured:
            raise DomainError("COURIER_NOT_CONFIGURED", "The courier is not set up on this server.")
        headers = {"Authorization": f"Bearer {self.keys.api_key}", "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        attempts = (self.config.max_retries if retries is None else retries) + 1
        wait = httpx.Timeout(wait_seconds or self.config.timeout_seconds)
        failure = "no answer"
        async with httpx.AsyncClient(base_url=self.config.api_base.rstrip("/"), timeout=wait) as http:
            for attempt in range(attempts):
                if attempt:
                    await asyncio.sleep(self.config.backoff_seconds * 2 ** (attempt - 1))
                try:
                    response = await http.request(method, path, json=json, params=params, headers=headers)
                except httpx.TimeoutException:
                    failure = "timed out"
                    continue
                except httpx.TransportError as error:
                    failure = type(error).__name__
                    continue
                if response.status_code in RETRY_STATUSES:
                    failure = f"HTTP {response.status_code}"
                    continue
                if response.status_code in (401, 403):
                    logger.error(
                        "the courier refused the API key in %s: HTTP %s", self.config.api_key_env, response.status_code
                    )
                    raise DomainError("COURIER_NOT_CONFIGURED", "The courier refused this server's API key.")
                if response.status_code >= 400:
                    raise DomainError("COURIER_REFUSED", f"The courier refused: {_message(response)}")
                return response
        logger.warning("courier %s %s failed after %d attempts: %s", method, path, attempts, failure)
        raise unavailable(failure)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message)[:300] if message else f"HTTP {response.status_code}"
