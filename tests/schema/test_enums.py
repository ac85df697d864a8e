"""`described_enum`: a core enum's GraphQL values each carry a description, and a member left out fails."""

from __future__ import annotations

from enum import StrEnum

import pytest
import strawberry

from schema.enums import described_enum


class Size(StrEnum):
    S = "S"
    M = "M"


class Fit(StrEnum):
    SLIM = "SLIM"
    LOOSE = "LOOSE"


SizeEnum = described_enum(Size, name="TestSize", description="A size.", values={"S": "Small.", "M": "Medium."})


@strawberry.type
class Query:
    size: SizeEnum = Size.S  # type: ignore[valid-type]


def test_described_enum_puts_a_description_on_every_value():
    sdl = strawberry.Schema(query=Query).as_str()
    assert '"""A size."""\nenum TestSize {\n  """Small."""\n  S\n\n  """Medium."""\n  M\n}' in sdl


def test_described_enum_refuses_an_undescribed_or_unknown_member():
    with pytest.raises(ValueError, match="describe exactly"):
        described_enum(Fit, name="TestFit", description="A fit.", values={"SLIM": "Close to the body."})
    with pytest.raises(ValueError, match="describe exactly"):
        described_enum(Fit, name="TestFit", description="A fit.", values={"SLIM": "a", "LOOSE": "b", "BOXY": "c"})
