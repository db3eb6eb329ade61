"""One serializer for the protocol's dataclasses (`Limits`, `RunSpec`, `RunResult`, `Job`, `JobResult`, ...).

Pydantic validates and dumps the plain dataclasses by their type hints, so a field is declared once
and never hand-copied into a `to_dict`/`from_dict` pair. The dict form is JSON-safe (it travels through
SAQ as JSON): enums become their values, bytes become base64, unknown keys are ignored on the way in
(an older or newer peer may send more), and missing ones take their defaults.
"""

from __future__ import annotations

import json
from typing import Any, Self, TypeVar

from pydantic import ConfigDict, TypeAdapter

T = TypeVar("T")
CONFIG = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")


_ADAPTERS: dict[type, TypeAdapter] = {}


def adapter(cls: type) -> TypeAdapter:
    """One TypeAdapter per class, built on first use (building one compiles a validator)."""
    found = _ADAPTERS.get(cls)
    if found is None:
        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


def to_data(obj: Any) -> dict[str, Any]:
    """The JSON-safe dict form of a protocol dataclass."""
    return json.loads(adapter(type(obj)).dump_json(obj))


def from_data(cls: type[T], data: dict[str, Any]) -> T:
    """A protocol dataclass from its dict form."""
    return adapter(cls).validate_json(json.dumps(data))


class Serializable:
    """Gives a dataclass `to_dict()` and `from_dict()` through the one serializer."""

    __slots__ = ()
    __pydantic_config__ = CONFIG

    def to_dict(self) -> dict[str, Any]:
        return to_data(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return from_data(cls, data)
