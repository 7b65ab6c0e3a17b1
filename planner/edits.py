"""Scenario edits: a suggested change of an explanation applied to a scenario (docs/INTERFACES.md).

A change maps dotted keys into the scenario's data to values: `{"rules.disabled": ["S09"]}` (a list
value adds to the list already there, without duplicates), `{"people.p07.waivers": ["age"]}` (a
record of a list is addressed by its id), `{"rules.min_women": 0}` (any other value sets the key).
The result is validated by `parse_scenario` like any scenario: a bad edit raises ScenarioError and
the scenario given is never changed.
"""

from __future__ import annotations

from typing import Any

from planner.issues import issue
from planner.scenario import Scenario, ScenarioError, parse_scenario

Change = dict[str, Any]


def _bad(path: str, message: str, message_zh: str) -> ScenarioError:
    return ScenarioError(
        [
            issue(
                "<change>",
                message,
                message_zh,
                field=path,
                hint="use a dotted key such as rules.disabled or people.p07.waivers",
                hint_zh="请使用 rules.disabled、people.p07.waivers 这样的点分路径",
            )
        ]
    )


def _step(node: Any, part: str, path: str) -> Any:
    """The child `part` of a mapping, or the record with id `part` of a list."""
    if isinstance(node, dict):
        return node.setdefault(part, {})
    if isinstance(node, list):
        found = next((x for x in node if isinstance(x, dict) and x.get("id") == part), None)
        if found is None:
            raise _bad(path, f"no record with id '{part}' for {path}", f"{path} 中没有编号为 {part} 的记录")
        return found
    raise _bad(path, f"{path} does not lead into the scenario's data", f"{path} 不是场景数据中的路径")


def set_key(data: dict[str, Any], path: str, value: Any) -> None:
    """Apply one dotted key to plain scenario data in place (a list value extends the list there)."""
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise _bad(path, f"'{path}' is not a dotted key", f"“{path}”不是点分路径")
    node: Any = data
    for part in parts[:-1]:
        node = _step(node, part, path)
    if not isinstance(node, dict):
        raise _bad(path, f"{path} does not name a field", f"{path} 不是字段")
    last = parts[-1]
    current = node.get(last)
    if isinstance(value, list) and isinstance(current, list):
        node[last] = current + [v for v in value if v not in current]
    else:
        node[last] = value


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data (dates as text), ready to edit and validate again."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["kind"] = scenario.kind
    return data


def apply_change(scenario: Scenario, change: Change, *, source: str = "<change>") -> Scenario:
    """The scenario with `change` applied, validated again; raises ScenarioError for a bad edit."""
    if not isinstance(change, dict) or not change:
        raise _bad(
            "", "a change is a non-empty mapping of dotted keys to values", "修改应为非空的点分路径映射"
        )
    data = scenario_data(scenario)
    for path, value in change.items():
        set_key(data, str(path), value)
    return parse_scenario(data, source=source)
