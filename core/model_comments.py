"""Tortoise reads `#:` comments above model fields as their descriptions: for every model class it builds
(`ModelMeta.__new__` → `_get_comments`), it asks `inspect.getsource`, which re-parses the class's whole module
each time. Lini's models have no such comments, and the classes tortoise renders while migrating are built by
the thousand, so this was ~0.4 s of every start and most of a fresh `migrate`'s parsing (cProfile).

`install()` puts a check in front: a class whose module file holds no `#:` at all has no comment to find, so
the answer (`{}`) is the same without parsing; any other class is read by tortoise's own function.
"""

from __future__ import annotations

import linecache
import sys
from typing import Any

from tortoise import models

_tortoise_get_comments = models._get_comments


def _get_comments(cls: type[Any]) -> dict[str, str]:
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        lines = linecache.getlines(path)
        if lines and not any("#:" in line for line in lines):
            return {}
    return _tortoise_get_comments(cls)


def install() -> None:
    models._get_comments = _get_comments
