"""Lini's catalog-page benchmark: GraphQL over ASGI against a hand-written SQL + orjson floor.

Run it with `make bench` or `python -m bench --help`; see bench/README.md.
"""
