"""Brands' webhooks: their apps hear of the brand's events over HTTPS, signed, at least once, in order per object.

A webhook is a subscriber of the outbox (`core.outbox`): each event of its brand and of a type it listens to gets
a delivery row in the event's own transaction, and the dispatcher posts it (`delivery`), retrying with backoff
until the dead letter. URLs are checked against private and loopback addresses (`addresses`) when they are
saved and again when they are posted to, since a name can be pointed elsewhere in between.
"""
