"""Discount codes per brand, with usage limits counted safely under concurrency."""
