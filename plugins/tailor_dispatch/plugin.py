"""The hooks: the dispatch settings and explanation API."""

from __future__ import annotations

from lini.plugin import PluginHost, SchemaExtension, hookimpl
from plugins.tailor_dispatch.schema import DispatchMutation, DispatchQuery

NAME = "tailor_dispatch"


@hookimpl
def schema_extensions(host: PluginHost) -> list[SchemaExtension]:
    return [SchemaExtension(query=DispatchQuery, mutation=DispatchMutation)]
