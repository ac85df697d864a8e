"""Taxes per destination country from each brand's settings (Indonesia's PPN first)."""
