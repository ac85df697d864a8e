"""`TORTOISE_ORM` for tortoise's own command line (`tortoise makemigrations`, pyproject's [tool.tortoise]).

Settings and plugins are loaded only when the command asks for it, so importing this module has no side
effects. The enabled plugins' apps are included, so `tortoise makemigrations <plugin>` writes a plugin's
migrations into its own package. A module of its own: `core.plugins` builds on `core.db`, so `core.db` cannot
load plugins without an import circle.
"""

from __future__ import annotations

from typing import Any

from core.db import tortoise_config
from core.plugins import load_plugins
from core.settings import load_settings


def __getattr__(name: str) -> Any:
    if name == "TORTOISE_ORM":
        settings = load_settings()
        return tortoise_config(settings.database.url, load_plugins(settings).database_apps())
    raise AttributeError(name)
