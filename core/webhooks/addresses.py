"""Where a webhook may post: an absolute http(s) URL (https in production) whose host resolves only to public
addresses, unless `[webhooks] allow_private_addresses` says otherwise.

Checked when the URL is saved (a clear error for the brand) and again before every post (the name may have been
pointed at 127.0.0.1 since: DNS rebinding), so a brand's webhook can never reach the platform's own network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from core.errors import DomainError
from core.settings import Settings
from core.urls import parse_http_url

MAX_URL = 2000
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def checked_url(url: str, settings: Settings) -> str:
    """A webhook's URL, stripped, if its form is acceptable (resolution is `check_resolves`)."""
    url = checked_url_form(url, credentials_hint="receivers verify the signature")
    if settings.server.environment == "production" and urlsplit(url).scheme != "https":
        raise DomainError("INSECURE_URL", "Webhook URLs must use https.", "url")
    return url


def checked_url_form(url: str, *, credentials_hint: str = "") -> str:
    """Any URL Lini fetches or posts to on someone's behalf, stripped: absolute http(s), of bounded length, with
    no credentials in it (`URL_TOO_LONG`, `INVALID_URL`)."""
    url = url.strip()
    if len(url) > MAX_URL:
        raise DomainError("URL_TOO_LONG", f"Use at most {MAX_URL} characters.", "url")
    # pydantic's HttpUrl, refused too when Python's urlsplit (which check_public_url and aiohttp go by) would
    # read another host: the host the SSRF check resolves is the host that is posted to.
    parsed = parse_http_url(url)
    if parsed is None:
        raise DomainError("INVALID_URL", "Give an absolute http or https URL.", "url")
    if parsed.username or parsed.password:
        hint = f": {credentials_hint}" if credentials_hint else ""
        raise DomainError("INVALID_URL", f"Put no credentials in the URL{hint}.", "url")
    return url


async def check_resolves(url: str, settings: Settings) -> None:
    """Refuse a URL whose host is, or resolves to, a private, loopback, link-local or otherwise reserved address."""
    await check_public_url(url, allow_private=settings.webhooks.allow_private_addresses)


async def check_public_url(
    url: str,
    *,
    allow_private: bool = False,
    allowed_networks: Sequence[IPNetwork] = (),
    field: str = "url",
) -> None:
    """Refuse (`PRIVATE_ADDRESS`, `UNRESOLVABLE_URL`) a URL whose host is, or resolves to, an address that is not
    public: private, loopback, link-local, reserved or multicast. Anything Lini fetches or posts to on someone's
    behalf (webhooks, a supplier's feed URL) is checked here before each request and each redirect it follows,
    so a URL can never reach the platform's own network (`allowed_networks`: the exceptions, e.g. a test's
    loopback server, without opening every private range)."""
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        literal = ipaddress.ip_address(host)
        found = [literal]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise DomainError("UNRESOLVABLE_URL", f"{host} does not resolve to an address.", field) from None
        found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    private = [
        address
        for address in found
        if (not address.is_global or address.is_multicast) and not any(address in net for net in allowed_networks)
    ]
    if private or not found:
        raise DomainError(
            "PRIVATE_ADDRESS",
            f"{host} resolves to an address that is not public ({private[0] if private else '-'}).",
            field,
        )
