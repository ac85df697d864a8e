"""A small courier aggregator for tests, speaking the API shape of plugins/courier/README.md, served by uvicorn on
a loopback port in a thread of its own, so the plugin talks to it over real HTTP (timeouts included).

It books parcels (the same `Idempotency-Key` replays the first answer, as the README promises), serves their
labels as PDF or ZPL, keeps their tracking history, cancels them until they are picked up, and signs webhook
deliveries as the aggregator would (`signed`). `fail()` makes the next matching requests answer an error;
`stall()` makes them answer only after a delay (after doing their work, as a courier whose answer is lost does).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from plugins.courier.tracking import sign

API_KEY = "ck_test_lini_fake_0123456789"
WEBHOOK_SECRET = "cwhsec_lini_fake_0123456789abcdef"
PDF = b"%PDF-1.4\n% a fake A6 label\n%%EOF\n"
ZPL = b"^XA^FO50,50^ADN,36,20^FDFAKE LABEL^FS^XZ"
RATES = [
    {
        "service_code": "jne_reg",
        "service_name": "JNE Reguler",
        "carrier": "JNE",
        "price": "19000",
        "min_days": 2,
        "max_days": 3,
    },
    {
        "service_code": "sicepat_best",
        "service_name": "SiCepat BEST",
        "carrier": "SiCepat",
        "price": "27000",
        "min_days": 1,
        "max_days": 1,
    },
]


@dataclass
class Rule:
    method: str
    path: str  # a regular expression matched against the whole path
    times: int
    status: int = 503
    delay: float = 0.0  # stall: answer (after doing the work) only after this many seconds


class FakeCourier:
    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[str, tuple[str, int, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.rules: list[Rule] = []
        self.lock = threading.Lock()
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/rates", self._endpoint(self.rates), methods=["POST"]),
                Route("/v1/orders", self._endpoint(self.book), methods=["POST"]),
                Route("/v1/orders/{id}/label", self._endpoint(self.label), methods=["GET"]),
                Route("/v1/orders/{id}/tracking", self._endpoint(self.tracking), methods=["GET"]),
                Route("/v1/orders/{id}", self._endpoint(self.cancel), methods=["DELETE"]),
            ]
        )

    # -- serving -------------------------------------------------------------------------------------------

    def start(self) -> FakeCourier:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", http="h11", ws="none"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-courier", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake courier did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    # -- what tests use ------------------------------------------------------------------------------------

    def fail(self, method: str, path: str, status: int = 503, *, times: int = 1) -> None:
        with self.lock:
            self.rules.append(Rule(method, path, times, status=status))

    def stall(self, method: str, path: str, seconds: float, *, times: int = 1) -> None:
        with self.lock:
            self.rules.append(Rule(method, path, times, delay=seconds))

    def recover(self) -> None:
        """Every failure and stall still pending is called off."""
        with self.lock:
            self.rules = []

    def calls(self, method: str, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and re.fullmatch(path, r["path"])]

    def booked(self) -> list[dict[str, Any]]:
        return [o for o in self.orders.values() if o["status"] != "cancelled"]

    def scan(self, order_id: str, status: str, occurred_at: str, location: str = "", event_id: str = "") -> dict:
        """The courier scans the parcel: a tracking event in its history (returned, to deliver as a webhook)."""
        with self.lock:
            order = self.orders[order_id]
            event = {
                "id": event_id or f"ev-{order_id}-{len(order['events']) + 1}",
                "status": status,
                "occurred_at": occurred_at,
                "location": location,
                "description": f"{status.replace('_', ' ').capitalize()} {location}".strip(),
            }
            order["events"].append(event)
            if status != "cancelled":
                order["status"] = status
            return event

    @staticmethod
    def signed(payload: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
        body = json.dumps(payload).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {"X-Courier-Timestamp": stamp, "X-Courier-Signature": sign(secret, stamp, body)}
        return body, {**headers, "Content-Type": "application/json"}

    # -- the HTTP layer ------------------------------------------------------------------------------------

    def _endpoint(self, operation: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            raw = await request.body()
            body = json.loads(raw) if raw else {}
            key = request.headers.get("idempotency-key", "")
            with self.lock:
                self.requests.append(
                    {
                        "method": request.method,
                        "path": request.url.path,
                        "key": key,
                        "body": body,
                        "query": dict(request.query_params),
                    }
                )
                rule = self._rule(request.method, request.url.path)
            if rule is not None and not rule.delay:
                return JSONResponse({"error": {"message": "Service unavailable."}}, status_code=rule.status)
            if request.headers.get("authorization") != f"Bearer {API_KEY}":
                return JSONResponse({"error": {"message": "Bad API key."}}, status_code=401)
            with self.lock:
                if key and key in self.idempotent:
                    fingerprint, status, result = self.idempotent[key]
                    if fingerprint != json.dumps(body, sort_keys=True):
                        status, result = 400, {"error": {"message": "Idempotency key reused with other params."}}
                else:
                    status, result = operation(body, dict(request.query_params), **request.path_params)
                    if key and status < 500:
                        self.idempotent[key] = (json.dumps(body, sort_keys=True), status, result)
            if rule is not None:
                await asyncio.sleep(rule.delay)  # the work is done; the answer comes too late
            if isinstance(result, bytes):
                return Response(result, status_code=status, media_type="application/octet-stream")
            return JSONResponse(result, status_code=status)

        return endpoint

    def _rule(self, method: str, path: str) -> Rule | None:
        for rule in self.rules:
            if rule.times > 0 and rule.method == method and re.fullmatch(rule.path, path):
                rule.times -= 1
                return rule
        return None

    # -- the API -------------------------------------------------------------------------------------------

    def rates(self, body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        if body.get("currency") != "IDR" or body["destination"].get("country") != "ID":
            return 200, {"rates": []}
        heavy = body["weight_grams"] > 1000
        return 200, {
            "rates": [{**r, "price": str(int(r["price"]) * (2 if heavy else 1)), "currency": "IDR"} for r in RATES]
        }

    def book(self, body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        if body.get("service_code") not in {r["service_code"] for r in RATES}:
            return 422, {"error": {"message": f"Unknown service {body.get('service_code')!r}."}}
        number = len(self.orders) + 1
        order_id = f"ord_{number:04d}"
        order = {
            "id": order_id,
            "status": "booked",
            "waybill": f"JNE{number:010d}",
            "carrier": "JNE" if body["service_code"].startswith("jne") else "SiCepat",
            "tracking_url": f"https://track.example.id/{order_id}",
            "label_format": body["label_format"],
            "request": body,
            "events": [],
        }
        self.orders[order_id] = order
        return 201, {k: order[k] for k in ("id", "status", "waybill", "carrier", "tracking_url")}

    def label(self, body: dict[str, Any], query: dict[str, str], id: str) -> tuple[int, Any]:
        order = self.orders.get(id)
        if order is None or order["status"] == "cancelled":
            return 404, {"error": {"message": "No such order."}}
        return 200, PDF if query.get("format", "PDF") == "PDF" else ZPL

    def tracking(self, body: dict[str, Any], query: dict[str, str], id: str) -> tuple[int, Any]:
        order = self.orders.get(id)
        if order is None:
            return 404, {"error": {"message": "No such order."}}
        return 200, {"id": id, "waybill": order["waybill"], "status": order["status"], "events": order["events"]}

    def cancel(self, body: dict[str, Any], query: dict[str, str], id: str) -> tuple[int, Any]:
        order = self.orders.get(id)
        if order is None:
            return 404, {"error": {"message": "No such order."}}
        if order["status"] not in {"booked", "cancelled"}:
            return 409, {"error": {"message": "The parcel was picked up: it cannot be cancelled."}}
        order["status"] = "cancelled"
        return 200, {"id": id, "status": "cancelled"}
