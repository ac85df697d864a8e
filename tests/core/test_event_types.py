"""The event-type registry is complete and the webhook guide is true: every `emit` of core and the built-in
plugins names a registered type, the guide's table is the registry's, and its verification snippets (Python and
Node) accept Lini's signatures and refuse a tampered body."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from core.event_types import GUIDE, guide, with_plugins
from core.webhooks import signing

ROOT = Path(__file__).resolve().parents[2]


def _emitted() -> list[tuple[str, str]]:
    """(where, type or f-string prefix + '*') of every emit(...) call with a literal first argument."""
    found = []
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("plugins/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name != "emit":
                continue
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((where, first.value))
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                found.append((where, f"{first.values[0].value}*"))
    return found


def test_every_emitted_event_type_is_registered():
    types = with_plugins()
    emitted = _emitted()
    assert len(emitted) > 50, "the scan finds core's emits"

    def known(name: str) -> bool:
        if name.endswith("*"):  # an f-string: some registered type starts with its constant part
            return any(t.startswith(name[:-1]) for t in types)
        return name in types

    missing = [(where, name) for where, name in emitted if not known(name)]
    assert missing == [], f"add these to core/event_types.py (or the plugin's event_types hook): {missing}"


def test_the_guide_lists_the_registry():
    text = GUIDE.read_text(encoding="utf-8")
    assert guide(text, with_plugins()) == text, "run `python -m core.event_types` to regenerate docs/webhooks.md"


def _snippet(language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S).group(1)


def test_the_python_snippet_verifies_a_signature_and_refuses_a_tampered_body():
    namespace: dict = {}
    exec(_snippet("python"), namespace)  # the documented code, as a receiver would paste it
    body = b'{"id": "1", "type": "ORDER_PAID"}'
    header = signing.signature("whsec_test", int(time.time()), body)
    assert namespace["verify"]("whsec_test", header, body)
    assert not namespace["verify"]("whsec_test", header, body.replace(b"PAID", b"PAIX"))
    assert not namespace["verify"]("whsec_other", header, body)
    old = signing.signature("whsec_test", int(time.time()) - 3600, body)
    assert not namespace["verify"]("whsec_test", old, body)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_node_snippet_verifies_a_signature_and_refuses_a_tampered_body():
    body = '{"id": "1", "type": "ORDER_PAID"}'
    header = signing.signature("whsec_test", int(time.time()), body.encode())
    script = _snippet("js") + (
        f"\nconst body = Buffer.from({body!r});\n"
        f"console.log(verify('whsec_test', {header!r}, body), "
        f"verify('whsec_test', {header!r}, Buffer.from({body.replace('PAID', 'PAIX')!r})));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True).stdout
    assert out.split() == ["true", "false"]


@pytest.fixture
def loyalty(use_plugin):
    from types import SimpleNamespace

    from core.plugins import hookimpl
    from lini.plugin import EventType

    declared = [EventType("loyalty.points_added", "Points were added.", "member")]
    use_plugin(SimpleNamespace(event_types=hookimpl(lambda: declared)), name="loyalty")


async def test_hook_event_types(loyalty, gql):
    """A plugin's declared type is listed, and a webhook may listen to it; an undeclared one is refused."""
    from tests.factories import make_brand, make_staff

    listed = (await gql("{ webhookEventTypes { name object } }"))["webhookEventTypes"]
    assert {"name": "loyalty.points_added", "object": "member"} in listed
    brand = await make_brand("sekar")
    staff = {"storefront": "sekar", "token": (await make_staff(brand))[1]}
    create = (
        'mutation($e: [String!]!) { webhookCreate(input: {url: "https://93.184.215.14/x", events: $e}) '
        "{ errors { code } } }"
    )
    assert (await gql(create, {"e": ["loyalty.points_added"]}, **staff))["webhookCreate"]["errors"] == []
    refused = (await gql(create, {"e": ["loyalty.points_removed"]}, **staff))["webhookCreate"]["errors"]
    assert refused == [{"code": "UNKNOWN_EVENT_TYPE"}]
