"""A small Stripe-compatible HTTP server for tests: the subset of Stripe's API the stripe plugin uses, served by
uvicorn on a loopback port in a thread of its own, so the real SDK talks to it over real HTTP.

It speaks Stripe's wire format: form-encoded bodies with bracketed keys (`metadata[lini_brand]=…`,
`expand[0]=latest_charge`), `Authorization: Bearer sk_…` (or the publishable key plus the intent's client
secret, as Stripe.js confirms), `Stripe-Account` for connected accounts (an object is visible only on its
own account), `Idempotency-Key` (the same key replays the first response; with other parameters it is an
`idempotency_error`), and Stripe's error JSON. State changes queue the events Stripe would send; `signed()`
turns one into a body and a `Stripe-Signature` header made with the SDK's own
`WebhookSignature.generate_signature_header`.

Endpoints: POST/GET /v1/payment_intents[/{id}], POST /v1/payment_intents/{id}/confirm|capture|cancel,
POST /v1/refunds. Test payment methods: pm_card_visa (succeeds), pm_card_chargeDeclined (402 card_error),
pm_card_authenticationRequired (requires_action). `fail()` makes the next matching requests answer an error.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import stripe
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SECRET_KEY = "sk_test_lini_fake_0123456789"
PUBLISHABLE_KEY = "pk_test_lini_fake_0123456789"
WEBHOOK_SECRET = "whsec_lini_fake_0123456789abcdef"
OPEN = {"requires_payment_method", "requires_confirmation", "requires_action"}


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's bracketed form keys back into nested dicts and lists (`a[b][0]=x` → {"a": {"b": ["x"]}})."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            nxt = None if last else parts[index + 1]
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append({} if not nxt or not nxt.isdigit() else [])
                if last:
                    node[position] = value
                else:
                    node = node[position]
                continue
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt is not None and nxt.isdigit() else {})
    return root


@dataclass
class Failure:
    method: str
    path: str  # a regular expression matched against the request path
    status: int
    error: dict[str, Any]
    times: int
    headers: dict[str, str]


class StripeError(Exception):
    def __init__(self, status: int, type: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type, "message": message, **extra}}


class FakeStripe:
    def __init__(self) -> None:
        self.intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.accounts: dict[str, str | None] = {}  # object id -> connected account (None: the platform)
        self.idempotent: dict[tuple[str | None, str], tuple[str, int, dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        self.lock = threading.Lock()
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/payment_intents", self._endpoint(self.create_intent), methods=["POST"]),
                Route("/v1/payment_intents/{id}", self._endpoint(self.retrieve_intent), methods=["GET"]),
                Route("/v1/payment_intents/{id}", self._endpoint(self.update_intent), methods=["POST"]),
                Route("/v1/payment_intents/{id}/confirm", self._endpoint(self.confirm), methods=["POST"]),
                Route("/v1/payment_intents/{id}/capture", self._endpoint(self.capture), methods=["POST"]),
                Route("/v1/payment_intents/{id}/cancel", self._endpoint(self.cancel), methods=["POST"]),
                Route("/v1/refunds", self._endpoint(self.create_refund), methods=["POST"]),
            ]
        )

    # -- serving -------------------------------------------------------------------------------------------

    def start(self) -> FakeStripe:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", http="h11", ws="none"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="fake-stripe", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake Stripe server did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    # -- what tests use ------------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        type: str = "api_error",
        message: str = "Something went wrong.",
        times: int = 1,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        """The next `times` requests matching method and path (a regex) answer this error instead."""
        error = {"type": type, "message": message, **extra}
        with self.lock:
            self.failures.append(Failure(method, path, status, error, times, headers or {}))

    def take_events(self, *types: str) -> list[dict[str, Any]]:
        """The queued events (of these types, if given), oldest first, removed from the queue."""
        with self.lock:
            taken = [e for e in self.events if not types or e["type"] in types]
            self.events = [e for e in self.events if e not in taken]
        return taken

    def dashboard(self, operation: str, params: dict[str, Any], account: str | None = None, **path: str) -> Any:
        """What the brand does in Stripe's dashboard, bypassing Lini: `dashboard("create_refund", {...})`."""
        with self.lock:
            return getattr(self, operation)(params, account, **path)

    def dispute(self, intent_id: str, *, reason: str = "fraudulent") -> dict[str, Any]:
        """The shopper's bank opens a dispute on the intent's charge."""
        with self.lock:
            intent = self.intents[intent_id]
            charge = self.charges[intent["latest_charge"]]
            dispute = {
                "id": _id("dp"),
                "object": "dispute",
                "amount": charge["amount_captured"],
                "currency": charge["currency"],
                "charge": charge["id"],
                "payment_intent": intent_id,
                "reason": reason,
                "status": "needs_response",
                "created": int(time.time()),
            }
            return self._emit("charge.dispute.created", dispute, self.accounts[intent_id])

    @staticmethod
    def signed(
        event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
        return body.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"}

    # -- the HTTP layer ------------------------------------------------------------------------------------

    def _endpoint(self, operation: Any) -> Any:
        async def endpoint(request: Request) -> JSONResponse:
            body = (await request.body()).decode()
            pairs = parse_qsl(body, keep_blank_values=True) + parse_qsl(request.url.query, keep_blank_values=True)
            params = decode_form(pairs)
            account = request.headers.get("stripe-account")
            key = request.headers.get("idempotency-key")
            with self.lock:
                self.requests.append(
                    {"method": request.method, "path": request.url.path, "account": account, "key": key}
                )
                injected = self._injected(request.method, request.url.path)
            if injected is not None:
                return injected
            try:
                self._authenticate(request, params, account)
                if request.method == "POST" and key:
                    return self._idempotent(account, key, request, params, operation)
                with self.lock:
                    result = operation(params, account, **request.path_params)
                return JSONResponse(result, headers={"Request-Id": _id("req")})
            except StripeError as error:
                return JSONResponse(error.body, status_code=error.status, headers={"Request-Id": _id("req")})

        return endpoint

    def _injected(self, method: str, path: str) -> JSONResponse | None:
        for failure in self.failures:
            if failure.times > 0 and failure.method == method and re.fullmatch(failure.path, path):
                failure.times -= 1
                return JSONResponse({"error": failure.error}, status_code=failure.status, headers=failure.headers)
        return None

    def _idempotent(
        self, account: str | None, key: str, request: Request, params: dict[str, Any], operation: Any
    ) -> JSONResponse:
        fingerprint = json.dumps([request.url.path, params], sort_keys=True)
        with self.lock:
            earlier = self.idempotent.get((account, key))
            if earlier is not None:
                if earlier[0] != fingerprint:
                    raise StripeError(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                        "used with.",
                    )
                return JSONResponse(earlier[2], status_code=earlier[1], headers={"Idempotent-Replayed": "true"})
            try:
                result, status = operation(params, account, **request.path_params), 200
            except StripeError as error:
                if error.status >= 500:
                    raise
                result, status = error.body, error.status
            self.idempotent[(account, key)] = (fingerprint, status, result)
        return JSONResponse(result, status_code=status)

    def _authenticate(self, request: Request, params: dict[str, Any], account: str | None) -> None:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or params.pop("key", "")
        params.pop("key", None)
        if given == SECRET_KEY:
            return
        secret = params.get("client_secret")
        intent = self.intents.get(request.path_params.get("id", ""))
        if given == PUBLISHABLE_KEY and intent is not None and secret == intent["client_secret"]:
            return
        raise StripeError(401, "invalid_request_error", "Invalid API Key provided.")

    # -- objects -------------------------------------------------------------------------------------------

    def _emit(self, type: str, obj: dict[str, Any], account: str | None) -> dict[str, Any]:
        event = {
            "id": _id("evt"),
            "object": "event",
            "api_version": stripe.api_version,
            "created": int(time.time()),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": _id("req"), "idempotency_key": None},
            "type": type,
        }
        if account:
            event["account"] = account
        self.events.append(event)
        return event

    def _intent(self, intent_id: str, account: str | None) -> dict[str, Any]:
        if intent_id not in self.intents or self.accounts[intent_id] != account:
            raise StripeError(
                404, "invalid_request_error", f"No such payment_intent: '{intent_id}'", code="resource_missing"
            )
        return self.intents[intent_id]

    def _view(self, intent: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        view = copy.deepcopy(intent)
        expand = params.get("expand") or []
        if "latest_charge" in expand and view["latest_charge"]:
            view["latest_charge"] = copy.deepcopy(self.charges[view["latest_charge"]])
        return view

    def _unexpected_state(self, intent: dict[str, Any], action: str) -> StripeError:
        return StripeError(
            400,
            "invalid_request_error",
            f"You cannot {action} this PaymentIntent because it has a status of {intent['status']}.",
            code="payment_intent_unexpected_state",
        )

    def create_intent(self, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        for required in ("amount", "currency"):
            if required not in params:
                raise StripeError(400, "invalid_request_error", f"Missing required param: {required}.", param=required)
        intent_id = _id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_capturable": 0,
            "amount_received": 0,
            "currency": params["currency"],
            "status": "requires_payment_method",
            "capture_method": params.get("capture_method", "automatic_async"),
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "automatic_payment_methods": {
                "enabled": params.get("automatic_payment_methods", {}).get("enabled") == "true"
            },
            "metadata": params.get("metadata", {}),
            "description": params.get("description"),
            "statement_descriptor_suffix": params.get("statement_descriptor_suffix"),
            "latest_charge": None,
            "last_payment_error": None,
            "payment_method": None,
            "cancellation_reason": None,
            "created": int(time.time()),
            "livemode": False,
        }
        self.intents[intent_id] = intent
        self.accounts[intent_id] = account
        self._emit("payment_intent.created", intent, account)
        return copy.deepcopy(intent)

    def retrieve_intent(self, params: dict[str, Any], account: str | None, id: str) -> dict[str, Any]:
        return self._view(self._intent(id, account), params)

    def update_intent(self, params: dict[str, Any], account: str | None, id: str) -> dict[str, Any]:
        intent = self._intent(id, account)
        if intent["status"] not in OPEN:
            raise self._unexpected_state(intent, "update")
        if "amount" in params:
            intent["amount"] = int(params["amount"])
        return copy.deepcopy(intent)

    def confirm(self, params: dict[str, Any], account: str | None, id: str) -> dict[str, Any]:
        intent = self._intent(id, account)
        if intent["status"] not in OPEN:
            raise self._unexpected_state(intent, "confirm")
        method = params.get("payment_method", "pm_card_visa")
        intent["payment_method"] = method
        if method == "pm_card_chargeDeclined":
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
            }
            self._emit("payment_intent.payment_failed", intent, account)
            raise StripeError(
                402,
                "card_error",
                "Your card was declined.",
                code="card_declined",
                decline_code="generic_decline",
                payment_intent=copy.deepcopy(intent),
            )
        if method == "pm_card_authenticationRequired":
            intent["status"] = "requires_action"
            return copy.deepcopy(intent)
        intent["last_payment_error"] = None
        charge = {
            "id": _id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": 0,
            "amount_refunded": 0,
            "currency": intent["currency"],
            "payment_intent": id,
            "captured": False,
            "refunded": False,
            "status": "succeeded",
            "metadata": {},
        }
        self.charges[charge["id"]] = charge
        intent["latest_charge"] = charge["id"]
        if intent["capture_method"] == "manual":
            intent["status"] = "requires_capture"
            intent["amount_capturable"] = intent["amount"]
            self._emit("payment_intent.amount_capturable_updated", intent, account)
        else:
            self._captured(intent, charge, intent["amount"], account)
        return copy.deepcopy(intent)

    def _captured(self, intent: dict[str, Any], charge: dict[str, Any], amount: int, account: str | None) -> None:
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
        charge.update(amount_captured=amount, captured=True)
        self._emit("payment_intent.succeeded", intent, account)

    def capture(self, params: dict[str, Any], account: str | None, id: str) -> dict[str, Any]:
        intent = self._intent(id, account)
        if intent["status"] != "requires_capture":
            raise self._unexpected_state(intent, "capture")
        amount = int(params.get("amount_to_capture", intent["amount_capturable"]))
        if amount > intent["amount_capturable"]:
            raise StripeError(400, "invalid_request_error", "Amount to capture is too large.", code="amount_too_large")
        self._captured(intent, self.charges[intent["latest_charge"]], amount, account)
        return copy.deepcopy(intent)

    def cancel(self, params: dict[str, Any], account: str | None, id: str) -> dict[str, Any]:
        intent = self._intent(id, account)
        if intent["status"] not in OPEN | {"requires_capture", "processing"}:
            raise self._unexpected_state(intent, "cancel")
        intent.update(
            status="canceled", amount_capturable=0, cancellation_reason=params.get("cancellation_reason", "abandoned")
        )
        self._emit("payment_intent.canceled", intent, account)
        return copy.deepcopy(intent)

    def create_refund(self, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        intent = self._intent(params.get("payment_intent", ""), account)
        if intent["status"] != "succeeded":
            raise StripeError(
                400,
                "invalid_request_error",
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
            )
        charge = self.charges[intent["latest_charge"]]
        left = charge["amount_captured"] - charge["amount_refunded"]
        if left <= 0:
            raise StripeError(
                400, "invalid_request_error", "Charge has already been refunded.", code="charge_already_refunded"
            )
        amount = int(params.get("amount", left))
        if not 0 < amount <= left:
            raise StripeError(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large",
                param="amount",
            )
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount_captured"]
        self._emit("charge.refunded", charge, account)
        return copy.deepcopy(refund)


async def confirm_as_stripe_js(
    fake: FakeStripe, client_secret: str, payment_method: str = "pm_card_visa", account: str | None = None
) -> httpx.Response:
    """What Stripe.js does in the shopper's browser: confirm with the publishable key and the client secret."""
    intent_id = client_secret.split("_secret_")[0]
    headers = {"Authorization": f"Bearer {PUBLISHABLE_KEY}"}
    if account:
        headers["Stripe-Account"] = account
    async with httpx.AsyncClient(base_url=fake.url) as http:
        return await http.post(
            f"/v1/payment_intents/{intent_id}/confirm",
            data={"payment_method": payment_method, "client_secret": client_secret},
            headers=headers,
        )


__all__ = ["PUBLISHABLE_KEY", "SECRET_KEY", "WEBHOOK_SECRET", "FakeStripe", "confirm_as_stripe_js"]
