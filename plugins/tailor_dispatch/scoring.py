"""The built-in score: each eligible tailor gets five terms in [0, 1], weighted by the brand and averaged.

- QUALITY: QC first-pass rate × (1 − remake rate) over the tailor's last N finished jobs. A new tailor has few
  jobs, so each rate starts from a prior worth PRIOR_JOBS jobs (first-pass 0.8, remakes 0.05) that its own
  record outweighs as it grows: a newcomer is neither top nor bottom of the list.
- ON_TIME: the share of finished jobs that were READY by their ready-by date, with the same kind of prior (0.8).
- LOAD: the share of the tailor's places still free.
- DISTANCE: 1 / (1 + km / HALF_KM), km by haversine from the brand's workshop (`originLatitude/Longitude` in
  `dispatchSettings`) to the tailor: 1 next door, 0.5 at 500 km (Jakarta–Bandung ≈ 0.8, Jakarta–Kuala
  Lumpur ≈ 0.3). Without coordinates on either side the term is a neutral 0.5, as if 500 km away, and the
  explanation says so: a tailor is neither favoured nor punished much for what Lini does not know.
- ROTATION: days since the tailor was last given a job, up to ROTATION_DAYS (never: 1), so idle and new
  tailors get work.

score = Σ weightᵢ × termᵢ / Σ weightᵢ (0 when every weight is 0); ties go to the lower tailor id, so the
ranking is stable. No price term yet: Lini keeps no tailor price to compare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from lini.plugin import Candidate, Tailor, TrackRecord
from plugins.tailor_dispatch.models import DispatchSettings
from plugins.tailor_dispatch.weights import Weights

PRIOR_JOBS = 5
PRIOR_FIRST_PASS = 0.8
PRIOR_REMAKE = 0.05
PRIOR_ON_TIME = 0.8
ROTATION_DAYS = 30
NEUTRAL = 0.5
HALF_KM = 500.0  # the distance scored like an unknown one
EARTH_KM = 6371.0


class Term(StrEnum):
    QUALITY = "QUALITY"
    ON_TIME = "ON_TIME"
    LOAD = "LOAD"
    DISTANCE = "DISTANCE"
    ROTATION = "ROTATION"


@dataclass(frozen=True, slots=True)
class TermValue:
    term: Term
    value: float
    weight: float
    detail: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: Candidate
    terms: list[TermValue]
    score: float


def smoothed(hits: int, out_of: int, prior: float) -> float:
    return (hits + prior * PRIOR_JOBS) / (out_of + PRIOR_JOBS)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def origin_of(settings: DispatchSettings) -> tuple[Decimal, Decimal] | None:
    """The brand's workshop, when both coordinates are set."""
    if settings.origin_latitude is None or settings.origin_longitude is None:
        return None
    return (settings.origin_latitude, settings.origin_longitude)


def _distance(tailor: Tailor, origin: tuple[Decimal, Decimal] | None) -> tuple[float, str]:
    if origin is None:
        return NEUTRAL, "The brand has no workshop coordinates: neutral."
    if tailor.latitude is None or tailor.longitude is None:
        return NEUTRAL, f"{tailor.display_name} has no coordinates: neutral."
    km = haversine_km(float(origin[0]), float(origin[1]), float(tailor.latitude), float(tailor.longitude))
    return 1 / (1 + km / HALF_KM), f"{km:.0f} km from the brand's workshop."


def terms(
    candidate: Candidate,
    record: TrackRecord,
    weights: Weights,
    *,
    origin: tuple[Decimal, Decimal] | None,
    now: datetime | None = None,
) -> list[TermValue]:
    tailor = candidate.tailor
    first_pass = smoothed(record.first_pass, record.inspected, PRIOR_FIRST_PASS)
    remakes = smoothed(record.remade, record.jobs, PRIOR_REMAKE)
    on_time = smoothed(record.on_time, record.timed, PRIOR_ON_TIME)
    free = max(0, tailor.capacity - candidate.active_jobs)
    load = free / tailor.capacity if tailor.capacity > 0 else 0.0
    distance, where = _distance(tailor, origin)
    if record.last_assigned_at is None:
        rotation, idle = 1.0, "Never given a job here yet."
    else:
        days = max(0.0, ((now or datetime.now(UTC)) - record.last_assigned_at).total_seconds() / 86400)
        rotation, idle = min(days, ROTATION_DAYS) / ROTATION_DAYS, f"Last given a job {days:.1f} days ago."
    return [
        TermValue(
            Term.QUALITY,
            first_pass * (1 - remakes),
            weights.quality,
            f"{record.first_pass}/{record.inspected} passed QC first time, {record.remade}/{record.jobs} remade "
            f"for the making (prior of {PRIOR_JOBS} jobs).",
        ),
        TermValue(
            Term.ON_TIME,
            on_time,
            weights.on_time,
            f"{record.on_time}/{record.timed} ready on time (prior of {PRIOR_JOBS} jobs).",
        ),
        TermValue(Term.LOAD, load, weights.load, f"{free} of {tailor.capacity} places free."),
        TermValue(Term.DISTANCE, distance, weights.distance, where),
        TermValue(Term.ROTATION, rotation, weights.rotation, idle),
    ]


def score(values: list[TermValue]) -> float:
    total = sum(v.weight for v in values)
    return sum(v.contribution for v in values) / total if total > 0 else 0.0


def rank(scored: list[Scored]) -> list[Scored]:
    """Best first; equal scores by tailor id."""
    return sorted(scored, key=lambda s: (-s.score, s.candidate.tailor.id))
