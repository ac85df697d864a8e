"""Tailor dispatch: the right certified tailor for each production job, ranked by each brand's weights.

Core decides who may make a job (`lini.plugin.candidates`: approval, the certificate rule judged on the job's
ready-by date, garment type, capacity, region, lead time); this plugin scores those who may, with the weights
a brand keeps in `dispatchSettings`, and shows staff why in `dispatchExplain(jobId)`. A job ready for dispatch
is offered to its best candidate for a limited time (`myOffers`, `dispatchOfferAccept`, `dispatchOfferDecline`),
passed on when declined or expired, and a backlog is offered at once by `dispatchBatch`.
"""

from __future__ import annotations

from plugins.tailor_dispatch.plugin import (
    dispatch_strategies,
    error_codes,
    event_types,
    job_blueprints,
    order_event,
    production_event,
    schema_extensions,
    seed_demo,
    startup,
    tailor_event,
)

MODELS = "plugins.tailor_dispatch.models"
MIGRATIONS = "plugins.tailor_dispatch.migrations"

__all__ = [
    "MIGRATIONS",
    "MODELS",
    "dispatch_strategies",
    "error_codes",
    "event_types",
    "job_blueprints",
    "order_event",
    "production_event",
    "schema_extensions",
    "seed_demo",
    "startup",
    "tailor_event",
]
