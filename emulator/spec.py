"""The Bot API spec (api.json) and the checks every request is put through.

The spec is third-party data kept outside the project (see README); it is read, never
copied. Requests arrive either form-encoded (every value a string, objects and arrays
as JSON text) or as a JSON body (native values); both are checked against the declared
types, nested objects field by field.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC_PATH = PROJECT_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
SPEC_ENV = "TELEGRAM_API_SPEC"

_ARRAY = "Array of "
_INT_TEXT = re.compile(r"-?\d+")
_BOOL_TEXT = {"true", "false", "1", "0"}
_CONST = re.compile(r"(?:must be|always) \W?(\w+)")
_DISCRIMINATORS = ("type", "status", "source")


class SpecMissingError(RuntimeError):
    """The spec file is required (CI) but absent."""


@dataclass(frozen=True)
class Field:
    """One parameter of a method or field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class TypeDef:
    """An object type: its fields, or the subtypes it is a union of."""

    name: str
    fields: dict[str, Field]
    subtypes: tuple[str, ...]
    # The constant value of the first "type"/"status" field, e.g. "creator" or "article".
    tag: tuple[str, str] | None


def _fields(raw: Sequence[Mapping[str, Any]]) -> dict[str, Field]:
    return {f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"])) for f in raw}


def _tag(fields: dict[str, Field], raw: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    if not raw or raw[0]["name"] not in _DISCRIMINATORS:
        return None
    found = _CONST.findall(raw[0]["description"])
    return (raw[0]["name"], found[0]) if found else None


class ApiSpec:
    """Methods and types of one Bot API version, with request/object checks."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = data.get("version", "?")
        self.methods: dict[str, dict[str, Field]] = {
            name: _fields(m.get("fields", [])) for name, m in data["methods"].items()
        }
        self.returns: dict[str, tuple[str, ...]] = {
            name: tuple(m.get("returns", [])) for name, m in data["methods"].items()
        }
        self.types: dict[str, TypeDef] = {}
        for name, t in data["types"].items():
            raw = t.get("fields", [])
            fields = _fields(raw)
            self.types[name] = TypeDef(
                name, fields, tuple(t.get("subtypes", [])), _tag(fields, raw)
            )
        self._by_lower = {name.lower(): name for name in self.methods}

    def canonical_method(self, name: str) -> str | None:
        """The spec's spelling of a method name (Telegram matches them case-insensitively)."""
        return self._by_lower.get(name.lower())

    def check_request(
        self, method: str, params: Mapping[str, Any], uploads: Sequence[str]
    ) -> list[str]:
        """Problems with one request: missing/unknown parameters and ill-typed values."""
        fields = self.methods[method]
        problems = [
            f'parameter "{f.name}" is required'
            for f in fields.values()
            if f.required and f.name not in params and f.name not in uploads
        ]
        for name, value in params.items():
            field = fields.get(name)
            if field is None:
                problems.append(f'unknown parameter "{name}" (not in {self.version})')
            else:
                problems += self._check_param(name, value, field.types)
        for part in uploads:
            if part not in fields and not _is_referenced(part, params):
                problems.append(f'unknown file part "{part}" (no parameter or attach:// uses it)')
        return problems

    def check_result(self, method: str, result: Any) -> list[str]:
        """Problems with a result the emulator is about to return (an emulator self-check)."""
        return self._check_union(result, self.returns[method], "result")

    def check_object(self, value: Any, type_name: str, path: str = "") -> list[str]:
        """Problems with a JSON value that should be a `type_name` object."""
        return self._check_value(value, type_name, path or type_name)

    def _check_param(self, name: str, value: Any, types: tuple[str, ...]) -> list[str]:
        if not isinstance(value, str):  # a JSON body carries native values
            return self._check_union(value, types, name)
        best: list[str] | None = None
        for type_name in types:
            problems = self._check_text(value, type_name, name)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        return best or []

    def _check_text(self, text: str, type_name: str, path: str) -> list[str]:
        """Check a form-encoded value, which is JSON text for objects and arrays."""
        if type_name == "String":
            return []
        if type_name == "Integer":
            return [] if _INT_TEXT.fullmatch(text) else [f'"{path}" must be an Integer']
        if type_name == "Boolean":
            return [] if text.lower() in _BOOL_TEXT else [f'"{path}" must be a Boolean']
        if type_name == "Float":
            return [] if _is_float(text) else [f'"{path}" must be a Float']
        if type_name == "InputFile":
            return [f'"{path}" must be an uploaded file']
        try:
            decoded = json.loads(text)
        except ValueError:
            return [f'can\'t parse "{path}" as JSON ({type_name} expected)']
        return self._check_value(decoded, type_name, path)

    def _check_union(self, value: Any, types: Sequence[str], path: str) -> list[str]:
        best: list[str] | None = None
        for type_name in types:
            problems = self._check_value(value, type_name, path)
            if not problems:
                return []
            if best is None or len(problems) < len(best):
                best = problems
        return best or []

    def _check_value(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith(_ARRAY):
            if not isinstance(value, list):
                return [f"{path} must be an array"]
            item_type = type_name.removeprefix(_ARRAY)
            problems: list[str] = []
            for i, item in enumerate(value):
                problems += self._check_value(item, item_type, f"{path}[{i}]")
            return problems
        primitive = _PRIMITIVES.get(type_name)
        if primitive is not None:
            return [] if primitive(value) else [f"{path} must be {type_name}"]
        if type_name not in self.types:
            return [f"{path}: unknown type {type_name} in spec"]
        return self._check_typed_object(value, self.types[type_name], path)

    def _check_typed_object(self, value: Any, typedef: TypeDef, path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path} must be a {typedef.name} object"]
        if typedef.subtypes:
            return self._check_union(value, self._candidates(value, typedef), path)
        problems = [
            f"{path}.{f.name} is required in {typedef.name}"
            for f in typedef.fields.values()
            if f.required and f.name not in value
        ]
        for key, item in value.items():
            field = typedef.fields.get(key)
            if field is None:
                problems.append(f"{path}.{key} is not a field of {typedef.name}")
            else:
                problems += self._check_union(item, field.types, f"{path}.{key}")
        return problems

    def _candidates(self, value: dict[str, Any], typedef: TypeDef) -> list[str]:
        """Subtypes worth trying: those whose tag (type/status) matches the value's."""
        tagged = []
        for sub in typedef.subtypes:
            sub_def = self.types.get(sub)
            tag = sub_def.tag if sub_def else None
            if tag is None or value.get(tag[0]) == tag[1]:
                tagged.append(sub)
        return tagged or list(typedef.subtypes)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_referenced(part: str, params: Mapping[str, Any]) -> bool:
    return any(f"attach://{part}" in str(v) for v in params.values())


_PRIMITIVES = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
    "InputFile": lambda v: isinstance(v, str) and v.startswith("attach://"),
}

_missing_announced = False


def spec_path_from_env(explicit: str | Path | None = None) -> Path:
    """Where the spec is: an explicit path, else $TELEGRAM_API_SPEC, else the shared copy."""
    if explicit is not None:
        return Path(explicit)
    return Path(os.environ.get(SPEC_ENV) or DEFAULT_SPEC_PATH)


def load_spec(
    explicit: str | Path | None = None, *, required: bool | None = None
) -> ApiSpec | None:
    """Load the spec; None (checks off, said once) when absent, an error when `required`
    (by default: when CI=true; the sandbox never requires it)."""
    path = spec_path_from_env(explicit)
    if path.is_file():
        return _load_cached(path.resolve())
    if required is None:
        required = os.environ.get("CI") == "true"
    if required:
        raise SpecMissingError(
            f"Bot API spec not found at {path}; the emulator needs it in CI. "
            f"Set {SPEC_ENV} to the path of telegram-bot-api-spec's api.json."
        )
    _announce_missing(path)
    return None


def spec_was_missing() -> bool:
    """Whether some emulator in this process ran without spec checks."""
    return _missing_announced


def _announce_missing(path: Path) -> None:
    # Once per process: pytest turns warnings into errors here, so a plain stderr line.
    global _missing_announced
    if not _missing_announced:
        _missing_announced = True
        print(
            f"Bot API emulator: spec not found at {path}; running WITHOUT spec checks "
            f"(set {SPEC_ENV} to enable them).",
            file=sys.stderr,
        )


@cache
def _load_cached(path: Path) -> ApiSpec:
    with path.open(encoding="utf-8") as fh:
        return ApiSpec(json.load(fh))
