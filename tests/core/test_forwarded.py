"""Forwarded headers are believed only from trusted proxies, walked from the nearest hop inward."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from core.forwarded import TrustedProxies, client_host, forwarded_hosts, forwarded_scheme

PROXIES = TrustedProxies(["10.0.0.0/8", "192.0.2.7"])


def headers(**values: str) -> Headers:
    return Headers({name.replace("_", "-"): value for name, value in values.items()})


@pytest.mark.parametrize(
    ("peer", "value", "client"),
    [
        # an untrusted peer is the client, whatever it says
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1", "127.0.0.1"),
        # a trusted proxy's header: the nearest untrusted hop, skipping trusted ones and ignoring what is left of it
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),
        ("10.1.2.3", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        ("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.0.2.7, 10.9.9.9", "198.51.100.1"),
        # every hop trusted: the farthest one
        ("10.1.2.3", "10.0.0.1, 10.0.0.2", "10.0.0.1"),
        # no header, or no address in it: the proxy itself
        ("10.1.2.3", "", "10.1.2.3"),
        ("10.1.2.3", "unknown", "10.1.2.3"),
        ("10.1.2.3", "1.2.3.4, not-an-address", "10.1.2.3"),
    ],
)
def test_x_forwarded_for(peer: str, value: str, client: str) -> None:
    assert client_host(peer, headers(x_forwarded_for=value), PROXIES, "x-forwarded-for") == client


def test_forwarded_rfc_7239_with_ports_quotes_and_ipv6() -> None:
    value = 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=192.0.2.7;by=10.0.0.1'
    assert forwarded_hosts(value, "forwarded") == ["6.6.6.6", "2001:db8:cafe::17", "192.0.2.7"]
    assert client_host("10.0.0.5", headers(forwarded=value), PROXIES, "forwarded") == "2001:db8:cafe::17"
    assert forwarded_hosts('for="192.0.2.43:47011"', "forwarded") == ["192.0.2.43"]


def test_only_the_configured_header_is_read() -> None:
    both = headers(x_forwarded_for="198.51.100.1", forwarded="for=6.6.6.6")
    assert client_host("10.0.0.5", both, PROXIES, "x-forwarded-for") == "198.51.100.1"
    assert client_host("10.0.0.5", both, PROXIES, "forwarded") == "6.6.6.6"


def test_trust_everyone_and_ipv4_mapped_peers() -> None:
    assert "203.0.113.1" in TrustedProxies(["*"])
    assert "::ffff:10.0.0.1" in PROXIES
    assert "not-an-address" not in PROXIES
    assert not TrustedProxies([])


def test_scheme_from_the_nearest_proxy() -> None:
    assert forwarded_scheme(headers(x_forwarded_proto="http, https"), "x-forwarded-for") == "https"
    assert forwarded_scheme(headers(forwarded="for=1.2.3.4;proto=https"), "forwarded") == "https"
    assert forwarded_scheme(headers(x_forwarded_proto="gopher"), "x-forwarded-for") is None
