"""The error codes of tailor dispatch that core does not have (the `error_codes` hook)."""

ERROR_CODES = {
    "INVALID_COORDINATE": "Give both the latitude and the longitude, or neither.",
    "INVALID_HISTORY": "The number of past jobs tailors are judged on is out of range.",
    "INVALID_MAX_MISSES": "The number of missed offers before staff are told is out of range.",
    "INVALID_OFFER_MINUTES": "The time an offer stays open is out of range.",
    "OFFER_CLOSED": "The offer was already accepted, declined, withdrawn or expired.",
    "OFFER_EXPIRED": "The offer expired before it was accepted.",
    "UNKNOWN_STRATEGY": "No installed dispatch strategy has this name (see `dispatchStrategies`).",
    "TAILOR_REQUIRED": "The account has several tailor profiles: name the one meant.",
    "TOO_MANY_PRICES": "A tailor profile has as many making prices as it may keep.",
    "TOO_MANY_JOBS": "More production jobs in one batch than allowed.",
}
