"""The parts of core that subscribe to domain events (`core.domain_events`), imported in one place.

A subscriber registers when its module is imported, and no module of core imports one that imports it back, so
something above them all must import the subscribers: whoever builds Lini imports this module once (server.py,
for the app, its commands and the tests that build it). Importing it again changes nothing.
"""

from __future__ import annotations

from core.garments import subscribers as garments

SUBSCRIBERS = (garments,)

__all__ = ["SUBSCRIBERS"]
