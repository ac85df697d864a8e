"""Who the client really is behind reverse proxies: `X-Forwarded-For` or `Forwarded`, believed only from
the proxies named in `[server] trusted_proxies`.

The header is walked from its right end, where the nearest proxy wrote the address it saw; every address that
is itself a trusted proxy is skipped, and the first one that is not is the client. Anything left of it was
written by the client and could say anything. This is what uvicorn's `--forwarded-allow-ips` does, except
that loopback is not trusted unless named: a process on the same machine is not necessarily a proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Literal

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
HeaderKind = Literal["x-forwarded-for", "forwarded"]


class TrustedProxies:
    """A set of addresses and networks; `"*"` trusts every peer."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = list(entries)
        self.everyone = "*" in entries
        self.networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*"
        )

    def __bool__(self) -> bool:
        return self.everyone or bool(self.networks)

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        address = _address(host)
        return address is not None and any(address in network for network in self.networks)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def forwarded_hosts(value: str, kind: HeaderKind) -> list[str]:
    """The addresses a header lists, nearest client first (as written): `for=` values of `Forwarded`."""
    if kind == "x-forwarded-for":
        return [part.strip() for part in value.split(",") if part.strip()]
    hosts = []
    for element in value.split(","):
        for pair in element.split(";"):
            name, _, raw = pair.strip().partition("=")
            if name.strip().lower() == "for":
                hosts.append(_strip_port(raw.strip().strip('"')))
    return hosts


def _strip_port(node: str) -> str:
    """`[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.43:47011` → `192.0.2.43` (RFC 7239 node syntax)."""
    if node.startswith("["):
        return node[1 : node.find("]")] if "]" in node else node
    if node.count(":") == 1:
        return node.split(":", 1)[0]
    return node


def client_host(peer: str, headers: Headers, trusted: TrustedProxies, kind: HeaderKind) -> str:
    """The client's address: the peer's own unless the peer is a trusted proxy that forwarded one."""
    if peer not in trusted:
        return peer
    values = headers.getlist(kind)
    hosts = forwarded_hosts(",".join(values), kind) if values else []
    for host in reversed(hosts):
        if host not in trusted:
            # "unknown", an obfuscated name or garbage: no address to key limits on, so the proxy stays the client
            return host if _address(host) is not None else peer
    return hosts[0] if hosts and _address(hosts[0]) is not None else peer


def forwarded_scheme(headers: Headers, kind: HeaderKind) -> str | None:
    """The scheme the client used, as the nearest proxy reports it (`X-Forwarded-Proto` or `proto=`)."""
    if kind == "x-forwarded-for":
        value = headers.get("x-forwarded-proto", "")
        proto = value.split(",")[-1].strip().lower()
    else:
        protos = [
            raw.strip().strip('"').lower()
            for element in ",".join(headers.getlist("forwarded")).split(",")
            for name, _, raw in (pair.strip().partition("=") for pair in element.split(";"))
            if name.strip().lower() == "proto"
        ]
        proto = protos[-1] if protos else ""
    return proto if proto in ("http", "https") else None


class ProxyHeadersMiddleware:
    """Rewrites the ASGI scope's `client` (and `scheme`) from the forwarded headers of trusted proxies, so that
    `request.client.host` is the real client everywhere after it: limits, throttling and logs."""

    def __init__(self, app: ASGIApp, *, trusted: Iterable[str], header: HeaderKind = "x-forwarded-for") -> None:
        self.app = app
        self.trusted = TrustedProxies(trusted)
        self.header: HeaderKind = header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted and scope.get("client"):
            peer = scope["client"][0]
            if peer in self.trusted:
                headers = Headers(scope=scope)
                host = client_host(peer, headers, self.trusted, self.header)
                scheme = forwarded_scheme(headers, self.header)
                scope = dict(scope)
                if host != peer:
                    scope["client"] = (host, 0)
                if scheme:
                    websocket = scope["type"] == "websocket"
                    scope["scheme"] = {"http": "ws", "https": "wss"}[scheme] if websocket else scheme
        await self.app(scope, receive, send)
