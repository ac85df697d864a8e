"""The built-in score: each eligible tailor gets six terms in [0, 1], weighted by the brand and averaged.

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

- PRICE: the tailor's own making price for the job's garment type in the brand's default currency
  (`dispatchPriceSet`): among the eligible tailors with a price, the cheapest 1 and the dearest 0, linearly (1
  when they all ask the same); a tailor without a price is a neutral 0.5 and the explanation says "no price set".

score = Σ weightᵢ × termᵢ / Σ weightᵢ (0 when every weight is 0); ties go to the lower tailor id, so the
ranking is stable.

This is the built-in strategy (`WEIGHTED`, through the `dispatch_strategies` hook like any other): every term is
computed for all tailors at once as numpy vectors, and the explanation's words are made from the same vectors only
when staff read them, so `dispatchExplain` and the ranking cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from lini.plugin import DispatchContext, Scores, exponent, weighted_mean
from plugins.tailor_dispatch.models import DispatchSettings

if TYPE_CHECKING:  # numpy is imported by the functions using it: ~40 ms and ~20 MB at start-up
    import numpy as np
    from numpy.typing import NDArray

NAME = "WEIGHTED"
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
    PRICE = "PRICE"


TERMS = tuple(Term)


def smoothed(hits: NDArray[np.int64], out_of: NDArray[np.int64], prior: float) -> NDArray[np.float64]:
    import numpy as np

    return np.asarray((hits + prior * PRIOR_JOBS) / (out_of + PRIOR_JOBS), dtype=np.float64)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def haversine_many(lat: float, lon: float, lats: NDArray[np.float64], lons: NDArray[np.float64]) -> NDArray[np.float64]:
    """`haversine_km` from one point to many (NaN where a coordinate is unknown)."""
    import numpy as np

    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons - lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_KM * np.arcsin(np.sqrt(a)), dtype=np.float64)


def origin_of(settings: DispatchSettings) -> tuple[float, float] | None:
    """The brand's workshop, when both coordinates are set."""
    if settings.origin_latitude is None or settings.origin_longitude is None:
        return None
    return (float(Decimal(settings.origin_latitude)), float(Decimal(settings.origin_longitude)))


@dataclass(frozen=True, slots=True)
class PricedContext(DispatchContext):
    """Core's context plus the tailors' prices for the job (aligned with the roster, NaN where none) and their
    currency. Still a `DispatchContext`, so any installed strategy takes it; the built-in one reads the prices."""

    prices: NDArray[np.float64] | None = None
    currency: str = ""


def price_term(prices: NDArray[np.float64], eligible: NDArray[np.bool_]) -> tuple[NDArray[np.float64], float, float]:
    """1 for the cheapest eligible priced tailor, 0 for the dearest, linear between (clipped for the ineligible);
    0.5 without a price. Also the cheapest and dearest amounts (NaN when no eligible tailor has a price)."""
    import numpy as np

    priced = ~np.isnan(prices)
    among = prices[priced & eligible]
    if len(among) == 0:
        return np.full(len(prices), NEUTRAL), math.nan, math.nan
    low, high = float(among.min()), float(among.max())
    spread = high - low
    if spread > 0:
        scaled = np.clip((high - np.nan_to_num(prices, nan=high)) / spread, 0.0, 1.0)
    else:
        scaled = np.where(np.nan_to_num(prices, nan=high) <= low, 1.0, 0.0)
    return np.where(priced, scaled, NEUTRAL), low, high


@dataclass(frozen=True, slots=True)
class Weighted:
    """The built-in strategy: five terms weighted by the brand (`dispatchSettings`)."""

    name: str = NAME
    description: str = (
        "Quality (QC first pass, remakes), on-time rate, free places, distance from the brand's workshop, "
        "days since the last job and the tailor's price, each weighted by the brand."
    )

    def score(self, context: DispatchContext) -> Scores:
        import numpy as np

        roster, history = context.judged.roster, context.history
        first_pass = smoothed(history.first_pass, history.inspected, PRIOR_FIRST_PASS)
        remakes = smoothed(history.remade, history.jobs, PRIOR_REMAKE)
        on_time = smoothed(history.on_time, history.timed, PRIOR_ON_TIME)
        free = np.maximum(0, roster.capacity - roster.active_jobs)
        capacity = roster.capacity
        load = np.divide(free, capacity, out=np.zeros(len(roster), dtype=np.float64), where=capacity > 0)
        if context.origin is None:
            km = np.full(len(roster), np.nan)
            distance = np.full(len(roster), NEUTRAL)
        else:
            km = haversine_many(*context.origin, roster.latitude, roster.longitude)
            distance = np.where(np.isnan(km), NEUTRAL, 1 / (1 + np.nan_to_num(km) / HALF_KM))
        idle = np.array(
            [
                math.nan if at is None else max(0.0, (context.now - at).total_seconds() / 86400)
                for at in history.last_assigned_at
            ],
            dtype=np.float64,
        )
        rotation = np.where(np.isnan(idle), 1.0, np.minimum(np.nan_to_num(idle), ROTATION_DAYS) / ROTATION_DAYS)
        asked = getattr(context, "prices", None)
        currency = getattr(context, "currency", "")
        if asked is None:
            asked = np.full(len(roster), np.nan)
        price, cheapest, dearest = price_term(asked, context.judged.eligible)
        values = np.vstack([first_pass * (1 - remakes), on_time, load, distance, rotation, price])
        weights = np.array([float(context.weights.get(t.value, 0.0)) for t in TERMS], dtype=np.float64)

        def detail(k: int, i: int) -> str:
            term = TERMS[k]
            if term is Term.QUALITY:
                return (
                    f"{history.first_pass[i]}/{history.inspected[i]} passed QC first time, "
                    f"{history.remade[i]}/{history.jobs[i]} remade for the making (prior of {PRIOR_JOBS} jobs)."
                )
            if term is Term.ON_TIME:
                return f"{history.on_time[i]}/{history.timed[i]} ready on time (prior of {PRIOR_JOBS} jobs)."
            if term is Term.LOAD:
                return f"{free[i]} of {capacity[i]} places free."
            if term is Term.DISTANCE:
                if context.origin is None:
                    return "The brand has no workshop coordinates: neutral."
                if math.isnan(km[i]):
                    return f"{roster.display_names[i]} has no coordinates: neutral."
                return f"{km[i]:.0f} km from the brand's workshop."
            if term is Term.PRICE:
                code = context.judged.job.garment_type_code
                if math.isnan(asked[i]):
                    return f"No price set for {code} in {currency or 'the brand currency'}: neutral."
                places = exponent(currency)
                return (
                    f"{asked[i]:.{places}f} {currency} for {code}; the eligible ask "
                    f"{cheapest:.{places}f} to {dearest:.{places}f}."
                )
            if math.isnan(idle[i]):
                return "Never given a job here yet."
            return f"Last given a job {idle[i]:.1f} days ago."

        return Scores(
            terms=tuple(t.value for t in TERMS),
            values=values,
            weights=weights,
            score=weighted_mean(values, weights),
            detail=detail,
        )


def now() -> datetime:
    return datetime.now(UTC)
