"""Tailor dispatch: the right certified tailor for each production job, ranked by each brand's weights.

Core decides who may make a job (`lini.plugin.candidates`: approval, the certificate rule judged on the job's
ready-by date, garment type, capacity, region, lead time); this plugin scores those who may, with the weights
a brand keeps in `dispatchSettings`, and shows staff why in `dispatchExplain(jobId)`.
"""

from __future__ import annotations

from plugins.tailor_dispatch.plugin import schema_extensions

MODELS = "plugins.tailor_dispatch.models"
MIGRATIONS = "plugins.tailor_dispatch.migrations"

__all__ = ["MIGRATIONS", "MODELS", "schema_extensions"]
