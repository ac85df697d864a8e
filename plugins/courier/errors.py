"""The error codes of courier bookings that core does not have (the `error_codes` hook)."""

ERROR_CODES = {
    "COURIER_UNAVAILABLE": "The courier could not be reached or did not answer in time; nothing was bought: try "
    "again (a retry never buys a second label).",
    "COURIER_REFUSED": "The courier refused the request (its reason is in the message); nothing was bought.",
    "COURIER_NOT_CONFIGURED": "The courier is not set up on this server or for this brand.",
    "COURIER_LABEL_EXISTS": "The shipment has a courier label already: cancel it first to buy another.",
    "COURIER_NO_LABEL": "The shipment has no courier label to cancel.",
    "COURIER_SIGNATURE_INVALID": "A courier webhook whose signature does not match was refused.",
}
