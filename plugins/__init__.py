"""Lini's built-in plugins. Each is registered through the `lini.plugins` entry-point group, like any other."""
