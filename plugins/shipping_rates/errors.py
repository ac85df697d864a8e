"""The error codes of shipping zones and rates that core does not have (the `error_codes` hook)."""

ERROR_CODES = {
    "COUNTRIES_REQUIRED": "A shipping zone needs at least one country.",
    "INVALID_DAYS": "The delivery days are out of range, or the fewest are more than the most.",
    "INVALID_POSITION": "A position is 0 or more.",
    "INVALID_PROVINCE": "Not an Indonesian province.",
    "INVALID_WEIGHT_RANGE": "The top of a weight bracket must be above its bottom.",
    "OVERLAPPING_WEIGHTS": "The weight bracket overlaps another rate's in the same currency.",
    "PROVINCES_NEED_INDONESIA": "Provinces narrow a zone's Indonesian part: the zone must include ID.",
    "TOO_MANY_RATES": "The delivery method has as many rates as allowed.",
}
