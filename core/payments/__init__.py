"""Payments through gateway providers contributed by plugins (bank transfer, Stripe, ...)."""
