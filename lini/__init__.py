"""Lini's public import names: `lini.plugin` is what a plugin may use."""
