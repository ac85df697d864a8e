"""Shipping through providers contributed by plugins; core only asks them for rates."""
