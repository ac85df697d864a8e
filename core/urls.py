"""Parsing the http(s) URLs people give Lini (images, documents, webhooks, feeds) with pydantic's `HttpUrl`.

`HttpUrl` parses by the WHATWG URL standard, as browsers do: scheme http or https, a host, a port in range, at
most 2083 characters. Lini then reads URLs with Python's `urlsplit` as well (the SSRF check, aiohttp), and the
two disagree on some spellings ("http://127.0.0.1\\@example.com/" is 127.0.0.1 to one and example.com to the
other; "http://0x7f.1/" is 127.0.0.1 to a browser): such a URL is refused, so every reader sees the same host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import HttpUrl, TypeAdapter, ValidationError

_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def parse_http_url(url: str) -> HttpUrl | None:
    """The parsed URL, or None when it is not an absolute http(s) URL with a host that all readers agree on."""
    if not url or any(c.isspace() for c in url) or "\\" in url:
        return None
    try:
        parsed = _HTTP_URL.validate_python(url)
        host = urlsplit(url).hostname or ""
    except (ValidationError, ValueError):
        return None
    try:
        expected = host.encode("idna").decode("ascii").lower() if not host.startswith("[") else host
    except UnicodeError:
        return None
    seen = (parsed.host or "").strip("[]").lower()
    return parsed if seen and seen == expected.strip("[]") else None
