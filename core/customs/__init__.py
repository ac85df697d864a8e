"""Customs data for parcels that cross a border: HS codes, origin, composition, net weight (issue 19)."""
