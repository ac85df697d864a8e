"""The error codes of supplier feeds and purchase orders that core does not have (the `error_codes` hook)."""

ERROR_CODES = {
    "ALREADY_DISPUTED": "The purchase order line is already disputed.",
    "BELOW_MINIMUM_ORDER": "The quantity is below the supplier's minimum order for the material.",
    "BUYER_REQUIRED": "The caller works for several brands: name the one the order is for.",
    "BUYER_SUSPENDED": "The buyer's account is not approved or is suspended.",
    "INVALID_INTERVAL": "A feed's fetch interval in minutes is out of range.",
    "INVALID_LINES": "A purchase order has too few or too many lines.",
    "INVALID_NOTE": "The note is too long.",
    "INVALID_PROPOSAL": "A partial proposal must offer less than was ordered, and more than nothing.",
    "INVALID_TRACKING": "A tracking URL starts with https://.",
    "MATERIAL_ARCHIVED": "The supplier no longer offers the material.",
    "MATERIAL_NOT_FOUND": "No such material.",
    "MATERIAL_OF_ANOTHER_SUPPLIER": "The material belongs to another supplier: order it from them.",
    "MIXED_CURRENCIES": "The supplier prices these materials in different currencies: order them separately.",
    "NO_SHORTFALL": "None of the supplier's fabrics is short for the brand's orders.",
    "REASON_REQUIRED": "Say why.",
    "ROWS_REJECTED": "An atomic import had rejected rows, so nothing was imported (see its rejected rows).",
    "SUPPLIER_NOT_FOUND": "No approved supplier has this ID.",
    "SUPPLIER_SUSPENDED": "The supplier's account is suspended: it cannot sell now.",
    "TOO_MANY_SOURCES": "The supplier has as many feed URLs as allowed.",
    "UNKNOWN_FORMAT": "Not a feed format any enabled plugin reads.",
}
