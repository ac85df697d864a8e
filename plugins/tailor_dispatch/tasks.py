"""The plugin's job: an offer's expiry, deferred in the offer's own transaction for the moment it runs out.

Idempotent: run early, late or twice, it expires (and passes on) only an offer still open and due.
"""

from __future__ import annotations

from lini.plugin import Blueprint
from plugins.tailor_dispatch import offers

blueprint = Blueprint()


@blueprint.task(name="expire_offer")
async def expire_offer(offer_id: int) -> bool:
    """Expire the offer if it is still open and due, and offer its job to the next candidate."""
    return await offers.expire(offer_id)
