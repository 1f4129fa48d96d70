"""The demo province's types, and the reader of its data file ``demo_province.toml``.

The data (tỉnh Nghệ An: units, officials, the plan's groups, tasks, pilot models and
indicators) lives in the TOML file shipped next to this module; what it depicts and where it
comes from is said at its top. The reader turns it into the frozen dataclasses below and
refuses anything it does not expect, so a typo in the file stops the demo with the section,
the entry and the key named instead of leaving a field out quietly.
"""

from __future__ import annotations

import tomllib
import types
import typing
from dataclasses import dataclass, fields
from functools import cache
from importlib.resources import files
from typing import Any

DATA_FILE = "demo_province.toml"


@dataclass(frozen=True)
class UnitSeed:
    code: str  # short ASCII code, e.g. "CA", "SYT", "X-DIENCHAU"
    name: str  # full Vietnamese name, e.g. "Sở Y tế", "UBND xã Diễn Châu"
    kind: str  # "standing" | "leadership" | "department" | "commune"
    parent: str | None  # code of the parent unit; the UBND tỉnh unit has None


@dataclass(frozen=True)
class OfficialSeed:
    name: str  # họ, tên đệm, tên
    role: str  # "focal" | "head" | "standing" | "leader" | "admin"
    unit: str  # unit code
    title: str  # chức vụ


@dataclass(frozen=True)
class TaskSeed:
    code: str  # "NV-01.03" for tasks, "MH-07" for pilot models
    group: str  # task group code
    title: str
    kind: str  # "task" | "pilot_model"
    deliverable: str  # sản phẩm: concrete and measurable
    lead: str  # lead unit code (đơn vị chủ trì)
    support: tuple[str, ...]  # cooperating unit codes (đơn vị phối hợp)
    deadline_days: int  # relative to the day the demo is loaded; negative = in the past
    status: str  # "not_started" | "in_progress" | "done" | "maintained"
    progress: int  # 0..100, consistent with status


@dataclass(frozen=True)
class GroupSeed:
    code: str
    title: str


@dataclass(frozen=True)
class IndicatorSeed:
    code: str
    title: str
    kind: str  # "ratio" | "count" | "yes_no"
    unit: str  # responsible unit code
    target: float  # ratio targets in percent, e.g. 70.0; yes_no targets 1.0
    direction: str  # ">=" or "<="


@dataclass(frozen=True)
class PlanSeed:
    code: str  # e.g. "87/KH-UBND"
    title: str


@dataclass(frozen=True)
class Province:
    """Everything the demo loads, in the file's order (ids follow it)."""

    plan: PlanSeed
    units: tuple[UnitSeed, ...]
    officials: tuple[OfficialSeed, ...]
    groups: tuple[GroupSeed, ...]
    tasks: tuple[TaskSeed, ...]
    indicators: tuple[IndicatorSeed, ...]


class DemoDataError(ValueError):
    """The data file is not what the reader expects; the message says where."""


# Each list in the file and the dataclass its entries become.
_LISTS: dict[str, type] = {
    "units": UnitSeed,
    "officials": OfficialSeed,
    "groups": GroupSeed,
    "tasks": TaskSeed,
    "indicators": IndicatorSeed,
}
_TYPE_WORDS = {str: "a string", int: "a whole number", float: "a number"}


@cache
def province() -> Province:
    """The demo province from the packaged data file, read once."""
    text = files("bot").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse(text, DATA_FILE)


def parse(text: str, source: str = DATA_FILE) -> Province:
    """The province described by TOML text; raise DemoDataError naming any bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{source}: not valid TOML: {error}") from None
    _refuse_unknown(data, {"plan", *_LISTS}, source)
    plan = _entry(PlanSeed, _required(data, "plan", source), f"{source}: plan")
    lists = {
        key: _entries(cls, _required(data, key, source), key, source) for key, cls in _LISTS.items()
    }
    return Province(plan=plan, **lists)


def _required(data: dict[str, Any], key: str, where: str) -> Any:
    """A key the reader needs, or a DemoDataError saying it is missing."""
    if key not in data:
        raise DemoDataError(f'{where}: missing key "{key}"')
    return data[key]


def _refuse_unknown(data: dict[str, Any], known: set[str], where: str) -> None:
    """Stop at the first key the reader does not know, naming the ones it does."""
    for key in data:
        if key not in known:
            expected = ", ".join(sorted(known))
            raise DemoDataError(f'{where}: unknown key "{key}" (expected: {expected})')


def _entries(cls: type, value: Any, key: str, source: str) -> tuple[Any, ...]:
    """The entries of one list, each checked against its dataclass."""
    if not isinstance(value, list):
        raise DemoDataError(f'{source}: "{key}" must be a list of tables')
    return tuple(_entry(cls, item, _place(source, key, n, item)) for n, item in enumerate(value))


def _place(source: str, key: str, index: int, item: Any) -> str:
    """Where an entry is, for an error: its list, its position from 1, its code or name."""
    where = f"{source}: {key} #{index + 1}"
    for label in ("code", "name"):
        if isinstance(item, dict) and isinstance(item.get(label), str):
            return f'{where} ({label} "{item[label]}")'
    return where


def _entry(cls: type, item: Any, where: str) -> Any:
    """One dataclass from one table: every field present (optional ones may be left out)."""
    if not isinstance(item, dict):
        raise DemoDataError(f"{where}: must be a table")
    hints = typing.get_type_hints(cls)
    _refuse_unknown(item, set(hints), where)
    values = {}
    for field in fields(cls):
        hint = hints[field.name]
        if field.name in item:
            values[field.name] = _value(item[field.name], hint, f'{where}, key "{field.name}"')
        elif _optional(hint):
            values[field.name] = None
        else:
            raise DemoDataError(f'{where}: missing key "{field.name}"')
    return cls(**values)


def _optional(hint: Any) -> bool:
    """Whether a field may be None, that is, left out of the file."""
    return isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)


def _value(value: Any, hint: Any, where: str) -> Any:
    """A TOML value as the field's type: str, int, float (an integer is accepted), tuple[str]."""
    if _optional(hint):
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DemoDataError(f"{where}: must be a list of strings")
        return tuple(value)
    # bool is an int to Python; in the file true/false is never a number.
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, hint) or isinstance(value, bool):
        raise DemoDataError(f"{where}: must be {_TYPE_WORDS[hint]}, not {value!r}")
    return value
