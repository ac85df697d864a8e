"""The one dispatcher of the outbox: hands each event's deliveries to their subscribers after the commit.

Safe with many processes: a subscriber's rows are delivered by one dispatcher at a time, the one holding its
lease (`EventSubscriber`, taken with `SELECT … FOR UPDATE SKIP LOCKED` and a conditional update, so two
processes never take it together), in event order. A dispatcher that dies mid-delivery loses its lease when it
runs out and another one delivers the rows it had not marked: delivery is at least once, and a subscriber that
must not act twice keys on the event's `id`.

Subscribers fail alone. A hook's delivery ("order_event") calls each plugin's implementation in turn; a plugin
that fails gets a row of its own ("order_event:stripe") retried with exponential backoff and jitter, while the
others go on. A later event of the same object for that plugin waits behind the failed one (order per object),
and after `MAX_ATTEMPTS` the row is FAILED: the dead letter, kept with its last error.

Called right after a service's commit (`after_commit`) and periodically by the job queue (`dispatch`), which
retries what is due and picks up what a crash left. In a server (`[events] deliver_hooks = "background"`) the
commit only wakes the process's `Background` dispatcher, which hands plugins what is due a few milliseconds
later, after the answer, in one pass for the commits of many requests (a pass costs about as many statements
as one event did on the request path: eleven); elsewhere (commands, workers' jobs, the tests' "request") the
commit's own caller delivers before it returns, so plugins have heard when the request answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from core.actors.models import Brand
from core.event_subscriptions import HANDLER
from core.events import DeliveryStatus, Event, EventDelivery, EventSubscriber, emit
from core.hookspecs import EventEnvelope
from core.jobs.runtime import running_with
from core.plugins import PluginHost
from core.settings import Settings
from core.webhooks import delivery
from core.webhooks.models import SUBSCRIBER, Webhook, webhook_id_of

logger = logging.getLogger("lini.outbox")

MAX_ATTEMPTS = 12  # 5 s doubling to the 1 h cap: about seven hours of retries before the dead letter
FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 100
WEBHOOKS_AT_ONCE = 16  # receivers posted to at once by one dispatcher
POSTS_AT_ONCE = 8  # events posted at once to one receiver, each of another object (an object's stay in order)
ERROR_KEPT = 2000  # characters of the last error kept on a row

HOLDER = f"{socket.gethostname()}:{os.getpid()}"
# The subscribers whose delivery runs in this context: a plugin's hook that changes an order (a gateway capturing
# on ORDER_SHIPPED) commits and calls `after_commit` from inside that delivery, which must not wait for itself.
_delivering: ContextVar[frozenset[str]] = ContextVar("lini_outbox_delivering", default=frozenset())
# Within one process, a request's pass waits for the sweep's (rather than skipping the subscriber as it does for
# another process's lease): the event its commit wrote is then delivered when the request answers.
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = weakref.WeakKeyDictionary()


def _now() -> datetime:
    return datetime.now(UTC)


def retry_delay(attempts: int) -> timedelta:
    """How long a subscriber rests after its `attempts`-th failure: doubling from 5 s to 1 h, with half of it
    jittered so the retries of many rows (a receiver that was down) do not arrive together."""
    base = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
    return base * (0.5 + random.random() / 2)


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest_age_seconds: float | None  # of the oldest delivery due and not yet made


async def backlog() -> Backlog:
    """What is waiting for delivery, for /health and operators."""
    due = EventDelivery.filter(status=DeliveryStatus.PENDING)
    pending = await due.count()
    oldest = await due.annotate(first=Min("created_at")).first().values_list("first", flat=True) if pending else None
    age = (_now() - oldest).total_seconds() if isinstance(oldest, datetime) else None
    return Backlog(pending=pending, oldest_age_seconds=age)


async def after_commit(host: PluginHost | None, *, limit: int = BATCH) -> int:
    """Deliver to plugins what a commit just made due; returns how many deliveries were made. With a
    `Background` dispatcher running in this process (a server), it is woken and this returns 0 at once: the
    request answers without waiting for plugins. Webhooks are left to the workers: a request never waits on a
    brand's receiver."""
    if host is None:
        return 0
    background = _background.get(asyncio.get_running_loop())
    if background is not None and background.host is host:
        background.wake()
        return 0
    return await dispatch(host, limit=limit, webhooks=False)


GATHER_SECONDS = 0.02  # a woken background dispatcher waits this long for more commits to deliver in one pass
LEFT_SECONDS = 0.25  # when a subscriber was leased elsewhere, how soon the background dispatcher tries it again
STOP_SECONDS = 10.0  # how long a stopping server's last pass may take (what it leaves, the sweep delivers)

_background: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Background] = weakref.WeakKeyDictionary()


class Background:
    """A server process's dispatcher of plugins' deliveries: `after_commit` wakes it, and it delivers what is
    due for the hooks after a short gathering pause (`GATHER_SECONDS`), so a busy server makes one pass (one
    lease, one read of the rows, one write marking them) for the commits of many requests instead of one per
    request. A subscriber leased by another process is tried again `LEFT_SECONDS` later, until that one lets go;
    a failed pass is logged and left to the next wake or the job queue's sweep."""

    def __init__(self, host: PluginHost) -> None:
        self.host = host
        self.passes = 0
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()  # ends the gathering pause at once: the last pass runs without it

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            if not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopped.wait(), GATHER_SECONDS)
            self._wake.clear()
            left = False
            try:
                self.passes += 1
                left = (await _pass(self.host, BATCH, webhooks=False, hooks=True)).left
            except Exception:
                logger.exception("delivering committed events to plugins failed; the next pass tries again")
            if self._stopping and not self._wake.is_set():
                return  # the last pass ran after the last commit's wake (stop() wakes it too)
            if left and not self._stopping:  # the other process may have read the rows before they were due
                asyncio.get_running_loop().call_later(LEFT_SECONDS, self.wake)

    @property
    def _stopping(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()


@contextlib.asynccontextmanager
async def delivering_in_background(host: PluginHost) -> AsyncIterator[Background]:
    """While the block runs, this process's commits are delivered to plugins by a `Background` dispatcher; at
    its end, a last pass delivers what the last requests committed."""
    loop = asyncio.get_running_loop()
    background = Background(host)
    task = asyncio.create_task(background.run(), name="lini-outbox-background")
    _background[loop] = background
    try:
        yield background
    finally:
        if _background.get(loop) is background:
            del _background[loop]
        background.stop()
        try:
            await asyncio.wait_for(task, STOP_SECONDS)
        except TimeoutError:
            logger.warning(
                "the last delivery pass took over %g s; the job queue's sweep delivers the rest",
                STOP_SECONDS,
            )


async def dispatch(host: PluginHost | None, *, limit: int = BATCH, webhooks: bool = True, hooks: bool = True) -> int:
    """Deliver every due delivery of every subscriber whose lease this process can take; returns how many were
    made. Subscribers another process is delivering are left to it. Plugins' hooks are called one subscriber
    after another, one event at a time; webhooks are posted to several receivers at once
    (`WEBHOOKS_AT_ONCE`), and to each receiver several events at once as long as no two are of one object."""
    if host is None:
        return 0
    return (await _pass(host, limit, webhooks=webhooks, hooks=hooks)).delivered


@dataclass(frozen=True)
class _Pass:
    delivered: int
    left: bool  # a subscriber with due rows was leased by another process (or this one's sweep)


async def _pass(host: PluginHost, limit: int, *, webhooks: bool, hooks: bool) -> _Pass:
    due = EventDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=_now())
    if not webhooks:
        due = due.exclude(subscriber__startswith=SUBSCRIBER)
    if not hooks:
        due = due.filter(subscriber__startswith=SUBSCRIBER)
    found = sorted({str(name) for name in await due.distinct().values_list("subscriber", flat=True)})
    found = [name for name in found if name not in _delivering.get()]
    lease = lease_length(host.settings)
    delivered, left = 0, False
    for subscriber in (name for name in found if webhook_id_of(name) is None):
        made = await _deliver_subscriber(host, subscriber, limit, lease)
        left = left or made is None
        delivered += made or 0
    receivers = [name for name in found if webhook_id_of(name) is not None]
    if receivers:
        delivered += await _post_to_receivers(host, receivers, limit, lease)
    return _Pass(delivered, left)


def lease_length(settings: Settings) -> timedelta:
    """`[jobs] delivery_lease_seconds`, but never shorter than one webhook post may take."""
    seconds = max(settings.jobs.delivery_lease_seconds, settings.webhooks.timeout_seconds + 1)
    return timedelta(seconds=seconds)


async def _deliver_subscriber(host: PluginHost, subscriber: str, limit: int, lease: timedelta) -> int | None:
    """The deliveries made to one hook or plugin; None when another process holds its lease."""
    lock = _locks.setdefault(asyncio.get_running_loop(), {}).setdefault(subscriber, asyncio.Lock())
    async with lock:
        if not await _lease([subscriber], lease):
            return None
        entered = _delivering.set(_delivering.get() | {subscriber})
        try:
            return await _deliver_rows(host, subscriber, limit, lease)
        finally:
            _delivering.reset(entered)
            await _release(subscriber)


async def _post_to_receivers(host: PluginHost, names: list[str], limit: int, lease: timedelta) -> int:
    """Lease the receivers together, read their webhooks and brands together, and post to them concurrently;
    each is released as soon as its own pass ends."""
    leased = await _lease(names, lease)
    released: set[str] = set()
    try:
        receivers = await _receivers(leased)
        gate = asyncio.Semaphore(WEBHOOKS_AT_ONCE)

        async def one(name: str) -> int:
            async with gate:
                try:
                    return await _deliver_rows(host, name, limit, lease, receivers[name])
                finally:
                    released.add(name)
                    await _release(name)

        outcomes = await asyncio.gather(*(one(name) for name in leased), return_exceptions=True)
    finally:
        if rest := [name for name in leased if name not in released]:
            await EventSubscriber.filter(name__in=rest, leased_by=HOLDER).update(leased_until=None, leased_by="")
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if errors:
        raise errors[0]  # the others' deliveries are recorded; the sweep's retry logs this one
    return sum(outcome for outcome in outcomes if isinstance(outcome, int))


async def _lease(names: list[str], lease: timedelta) -> list[str]:
    """Take the leases of those subscribers that nobody holds (or whose holder's lease ran out), all in one
    transaction: `SELECT … FOR UPDATE SKIP LOCKED`, so two dispatchers never take one subscriber together and
    neither waits for the other. Returns the names taken."""
    known = set(await EventSubscriber.filter(name__in=names).values_list("name", flat=True))
    if missing := [name for name in names if name not in known]:
        await EventSubscriber.bulk_create([EventSubscriber(name=name) for name in missing], ignore_conflicts=True)
    now = _now()
    async with in_transaction():
        # model rows, not values_list(): tortoise drops FOR UPDATE from a values query
        locked = await EventSubscriber.filter(
            Q(leased_until=None) | Q(leased_until__lt=now), name__in=names
        ).select_for_update(skip_locked=True)
        free = [row.name for row in locked]
        if free:
            await EventSubscriber.filter(name__in=free).update(leased_until=now + lease, leased_by=HOLDER)
    return sorted(free)


async def _renew(subscriber: str, lease: timedelta) -> None:
    await EventSubscriber.filter(name=subscriber, leased_by=HOLDER).update(leased_until=_now() + lease)


async def _release(subscriber: str) -> None:
    await EventSubscriber.filter(name=subscriber, leased_by=HOLDER).update(leased_until=None, leased_by="")


async def _deliver_rows(
    host: PluginHost, subscriber: str, limit: int, lease: timedelta, receiver: _Receiver | None = None
) -> int:
    """One pass over the subscriber's due rows in event order, skipping those that wait behind a retry. A
    receiver gets its rows in waves of up to `POSTS_AT_ONCE`; a wave ends before a second row of one object,
    which is posted only once the first has its answer (so each object's events arrive in order)."""
    delivered = 0
    after = 0
    waiting = await _waiting_keys(subscriber)
    renewed = time.monotonic()
    wave_size = POSTS_AT_ONCE if receiver is not None else 1
    while delivered < limit:
        rows = (
            await EventDelivery.filter(
                subscriber=subscriber, status=DeliveryStatus.PENDING, next_attempt_at__lte=_now(), id__gt=after
            )
            .order_by("id")
            .limit(limit)
            .select_related("event")
        )
        if not rows:
            break
        after = rows[-1].id
        pending = list(rows)
        batch = None if receiver is not None else await _HookBatch.read(host, subscriber, pending)
        try:
            while pending:
                wave, pending = _next_wave(pending, waiting, wave_size)
                if receiver is not None:
                    results = await asyncio.gather(*(_post(host, row, receiver) for row in wave))
                else:
                    assert batch is not None
                    results = [await _deliver(host, row, batch) for row in wave]
                for row, done in zip(wave, results, strict=True):
                    if done:
                        delivered += 1
                    elif row.object_key:
                        waiting.setdefault(row.object_key, row.id)
                if time.monotonic() - renewed > lease.total_seconds() / 4:
                    await _renew(subscriber, lease)
                    renewed = time.monotonic()
        finally:
            if batch is not None:
                await batch.mark()
        if len(rows) < limit:
            break  # all that was due: no second read to find nothing
    return delivered


@dataclass
class _HookBatch:
    """One read of a hook's rows, delivered one after another: which plugins still wait on an earlier event of
    each object (read once for the lot, then kept up to date as rows are handed on), and the rows delivered,
    marked DELIVERED in one statement when the batch ends (a crash before it redelivers them: at least once)."""

    behind: dict[str, set[str]]  # object_key -> plugins with an earlier pending row of it
    done: list[int]

    @classmethod
    async def read(cls, host: PluginHost, subscriber: str, rows: list[EventDelivery]) -> _HookBatch:
        hook, _, plugin = subscriber.partition(":")
        keys = {row.object_key for row in rows if row.object_key}
        behind: dict[str, set[str]] = {}
        if keys and not plugin:
            names = [f"{hook}:{name}" for name in host.implementers(hook)]
            found = await EventDelivery.filter(
                subscriber__in=names, object_key__in=sorted(keys), status=DeliveryStatus.PENDING
            ).values_list("subscriber", "object_key")
            for name, key in found:
                behind.setdefault(str(key), set()).add(str(name).partition(":")[2])
        return cls(behind, [])

    async def mark(self) -> None:
        if self.done:
            await EventDelivery.filter(id__in=self.done, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.DELIVERED, delivered_at=_now(), attempts=F("attempts") + 1
            )
            self.done = []


def _next_wave(
    rows: list[EventDelivery], waiting: dict[str, int], size: int
) -> tuple[list[EventDelivery], list[EventDelivery]]:
    """The next rows that may go out together, and those left for later waves. A row behind a retried one of
    its object is dropped from this pass (the retry goes first, in a later pass)."""
    wave: list[EventDelivery] = []
    keys: set[str] = set()
    for index, row in enumerate(rows):
        first_waiting = waiting.get(row.object_key) if row.object_key else None
        if first_waiting is not None and first_waiting < row.id:
            continue
        if len(wave) == size or (row.object_key and row.object_key in keys):
            return wave, rows[index:]
        wave.append(row)
        if row.object_key:
            keys.add(row.object_key)
    return wave, []


@dataclass(frozen=True)
class _Receiver:
    """A webhook subscriber's webhook and brand slug, read once per pass rather than once per delivery."""

    webhook: Webhook | None  # None: deleted since its rows were written
    brand: str | None


async def _receivers(names: list[str]) -> dict[str, _Receiver]:
    """The webhooks and brand slugs of these subscribers, in two statements however many there are."""
    ids = {name: webhook_id_of(name) for name in names}
    webhooks = {webhook.id: webhook for webhook in await Webhook.filter(id__in=[i for i in ids.values() if i])}
    brand_ids = {webhook.brand_id for webhook in webhooks.values()}
    slugs = dict(await Brand.filter(id__in=brand_ids).values_list("id", "slug")) if brand_ids else {}
    found = {}
    for name, webhook_id in ids.items():
        webhook = webhooks.get(webhook_id) if webhook_id is not None else None
        found[name] = _Receiver(
            webhook, str(slugs[webhook.brand_id]) if webhook and webhook.brand_id in slugs else None
        )
    return found


async def _waiting_keys(subscriber: str) -> dict[str, int]:
    """The objects whose earliest pending row is resting before a retry, with that row's id."""
    rows = (
        await EventDelivery.filter(subscriber=subscriber, status=DeliveryStatus.PENDING, next_attempt_at__gt=_now())
        .exclude(object_key="")
        .group_by("object_key")
        .annotate(first=Min("id"))
        .values_list("object_key", "first")
    )
    return {str(key): int(first) for key, first in rows}


async def _deliver(host: PluginHost, row: EventDelivery, batch: _HookBatch) -> bool:
    """Deliver one row; True when it is done (delivered, or handed on to per-plugin rows). A plugin's handler
    reaches the delivering process's host through `task_host()`, as a job does: deliveries run in servers,
    workers and command-line runs (`seed-demo`) alike, and not all of them ran the plugins' `startup`."""
    with running_with(host):
        return await _deliver_one(host, row, batch)


async def _deliver_one(host: PluginHost, row: EventDelivery, batch: _HookBatch) -> bool:
    event: Event = row.event
    hook, _, plugin = row.subscriber.partition(":")
    payload = (  # a tailor event's payload has no type of its own
        envelope(event) if hook == HANDLER else {"type": event.type, **event.payload, "id": event.id}
    )
    if plugin:
        if plugin not in host.implementers(hook):
            await _failed(row, f"plugin {plugin!r} is not loaded (or no longer implements {hook})", final=True)
            return False
        try:
            await host.call_one(hook, plugin, event=payload)
        except Exception as error:
            logger.exception("%s of plugin %s for event %s (%s) failed", hook, plugin, event.id, event.type)
            await _failed(row, _describe(error))
            return False
        batch.done.append(row.id)
        return True
    # a hook: each plugin on its own; one that fails (or has an earlier event of this object waiting) gets a row
    behind = batch.behind.get(row.object_key, set()) if row.object_key else set()
    for name in host.implementers(hook):
        if name in behind:
            await _hand_on(row, f"{hook}:{name}", "")
            continue
        try:
            await host.call_one(hook, name, event=payload)
        except Exception as error:
            logger.exception(
                "%s of plugin %s for event %s (%s) failed; retried alone", hook, name, event.id, event.type
            )
            await _hand_on(row, f"{hook}:{name}", _describe(error))
            if row.object_key:  # its later events of this object wait behind this one
                batch.behind.setdefault(row.object_key, set()).add(name)
    batch.done.append(row.id)
    return True


async def _post(host: PluginHost, row: EventDelivery, receiver: _Receiver) -> bool:
    webhook = receiver.webhook
    if webhook is None or not webhook.is_active:
        await _failed(row, "the webhook was deleted or switched off", final=True)
        return False
    try:
        answer = await delivery.post(webhook, row.event, host.settings, brand=receiver.brand)
    except delivery.DeliveryFailed as failure:
        final = await _failed(row, str(failure), answer=failure.answer)
        if final:
            await emit(
                "webhook.delivery_failed",
                {"webhook_id": webhook.id, "delivery_id": row.id, "event_id": row.event_id, "error": str(failure)},
                brand_id=webhook.brand_id,
            )
        return False
    await _delivered(row, answer=answer)
    return True


def envelope(event: Event) -> EventEnvelope:
    """What `handle_event` receives of an event."""
    created = event.created_at.astimezone(UTC).isoformat()
    return {"id": event.id, "type": event.type, "brandId": event.brand_id, "createdAt": created, "data": event.payload}


def _answer_fields(answer: delivery.Answer | None) -> dict[str, object]:
    if answer is None:
        return {}
    return {"response_status": answer.status, "response_body": answer.body, "duration_ms": answer.duration_ms}


async def _hand_on(row: EventDelivery, subscriber: str, error: str) -> None:
    """A plugin's own row for this event: retried after a rest when it failed, at once when it only waits."""
    attempts = 1 if error else 0
    await EventDelivery.get_or_create(
        event_id=row.event_id,
        subscriber=subscriber,
        defaults={
            "object_key": row.object_key,
            "attempts": attempts,
            "last_error": error[:ERROR_KEPT],
            "next_attempt_at": _now() + (retry_delay(attempts) if error else timedelta(0)),
        },
    )


async def _delivered(row: EventDelivery, *, answer: delivery.Answer | None = None) -> None:
    await EventDelivery.filter(id=row.id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.DELIVERED, delivered_at=_now(), attempts=row.attempts + 1, **_answer_fields(answer)
    )


async def _failed(
    row: EventDelivery, error: str, *, final: bool = False, answer: delivery.Answer | None = None
) -> bool:
    """Record a failed attempt (and the receiver's answer); True when it was the last (the dead letter now)."""
    attempts = row.attempts + 1
    kept = {"attempts": attempts, "last_error": error[:ERROR_KEPT], **_answer_fields(answer)}
    if final or attempts >= MAX_ATTEMPTS:
        logger.error("delivery %s of event %s to %s failed for good: %s", row.id, row.event_id, row.subscriber, error)
        await EventDelivery.filter(id=row.id).update(status=DeliveryStatus.FAILED, **kept)
        return True
    await EventDelivery.filter(id=row.id).update(next_attempt_at=_now() + retry_delay(attempts), **kept)
    return False


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Pruned:
    deliveries: int
    events: int


async def prune(settings: Settings, *, now: datetime | None = None) -> Pruned:
    """Delete deliveries made more than `[events] keep_delivered_days` ago, and events older than `keep_days`
    none of whose deliveries is pending or failed (their delivered rows go with them)."""
    now = now or _now()
    deliveries = await EventDelivery.filter(
        status=DeliveryStatus.DELIVERED, delivered_at__lt=now - timedelta(days=settings.events.keep_delivered_days)
    ).delete()
    open_rows = EventDelivery.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]).values("event_id")
    old = Event.filter(created_at__lt=now - timedelta(days=settings.events.keep_days))
    events = await old.filter(id__not_in=Subquery(open_rows)).delete()
    return Pruned(deliveries, events)


async def dead_letters(*, limit: int = 100) -> list[EventDelivery]:
    """The deliveries given up on, newest first, each with its event: what `server.py events --failed` lists."""
    return await (
        EventDelivery.filter(status=DeliveryStatus.FAILED).order_by("-id").limit(limit).prefetch_related("event")
    )


async def redeliver(delivery_ids: Iterable[int], *, only_failed: bool = True) -> int:
    """Put deliveries back to be tried again at once, their attempts counted afresh (the dead letters, or with
    `only_failed=False` a delivered one a receiver lost too); returns how many."""
    rows = EventDelivery.filter(id__in=list(delivery_ids))
    if only_failed:
        rows = rows.filter(status=DeliveryStatus.FAILED)
    return await rows.update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=_now(), last_error="")
