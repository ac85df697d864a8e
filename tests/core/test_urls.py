"""`core.urls.parse_http_url`: pydantic's HttpUrl, and one host for every reader of the URL."""

from __future__ import annotations

import pytest

from core.urls import parse_http_url


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.sekar.id/a.jpg",
        "http://127.0.0.1:8080/hook",
        "https://bücher.de/x",
        "http://[::1]:9/x",
        "https://A.ID/B",
    ],
)
def test_absolute_http_urls_parse(url: str) -> None:
    assert parse_http_url(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://",
        "not a url",
        "javascript:alert(1)",
        "ftp://x.id/a",
        "data:text/html,hi",
        "http://[::1",
        "https://x.id:99999/",
        "https://x.id/a b",
        "http://127.0.0.1\\@example.com/",  # 127.0.0.1 to a browser, example.com to urlsplit
        "http://0x7f.1/",  # 127.0.0.1 to a browser, "0x7f.1" to urlsplit
        "https://" + "a" * 2100 + ".id/",
    ],
)
def test_other_urls_do_not(url: str) -> None:
    assert parse_http_url(url) is None
