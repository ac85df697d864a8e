"""The reference storefront (storefront/, a Vite + Preact app on the public GraphQL API) served by Lini itself at
`/shop/<brand slug>/`: its built files from storefront/dist, and for every other path below a brand its
index.html, so the app's own routes (`p/<product>`, `cart`, `order/<n>`) survive a reload. One build serves every
brand: the page gets `<base href="/shop/<brand>/">` and the app reads the brand from the URL, sending it as the
`Lini-Storefront` header. Not built (`make storefront`): 404 saying so."""

from __future__ import annotations

import html
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from schema.view import http_error_response

DIST = Path(__file__).resolve().parents[1] / "storefront" / "dist"
MOUNT = "/shop"
# A brand slug as brands are given them (lowercase letters, digits and dashes)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
# Vite names built assets by their content hash: they never change under the same name
_IMMUTABLE = "public, max-age=31536000, immutable"


async def shop(request: Request) -> Response:
    slug = request.path_params["slug"]
    rest = request.path_params.get("rest", "")
    if not _SLUG.match(slug):
        return http_error_response(404, "No storefront by that name.")
    index = DIST / "index.html"
    if not index.is_file():
        return http_error_response(404, "The storefront is not built: run `make storefront`.")
    if rest.startswith("assets/"):
        try:
            asset = (DIST / rest).resolve()
            found = asset.is_relative_to(DIST.resolve() / "assets") and asset.is_file()
        except (ValueError, OSError):  # a NUL byte, a name too long: no such file either
            found = False
        if found:
            return FileResponse(asset, headers={"Cache-Control": _IMMUTABLE})
        return http_error_response(404, "No such file.")
    base = f'<base href="{html.escape(f"{MOUNT}/{slug}/")}" />'
    page = index.read_text(encoding="utf-8").replace("<head>", f"<head>\n    {base}", 1)
    # the page is tiny and names the current build's assets: always revalidated
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


async def to_slash(request: Request) -> Response:
    """`/shop/<brand>` without its slash: relative asset URLs need the directory form. Only a well-formed slug
    goes into `Location` (a CR/LF or non-Latin-1 character there would fail the response)."""
    slug = request.path_params["slug"]
    if not _SLUG.match(slug):
        return http_error_response(404, "No storefront by that name.")
    return Response(status_code=308, headers={"Location": f"{MOUNT}/{slug}/"})


ROUTES = [
    Route(MOUNT + "/{slug}", to_slash, methods=["GET", "HEAD"]),
    Route(MOUNT + "/{slug}/{rest:path}", shop, methods=["GET", "HEAD"]),
]
