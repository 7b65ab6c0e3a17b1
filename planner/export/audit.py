"""The audit record every exported file carries: which scenario, which rules, which solver, when.

A plan on paper must be traceable to its inputs: the scenario's SHA-256, the rules and
weights in force, the solver version and settings (seed, workers, time limit) and the
time of export (UTC).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import planner
from planner.export.common import WITHHELD, SlateResults
from planner.plan import ScheduleResult
from planner.rules import RULES
from planner.scenario import Scenario, communities

AUDIT_LABELS: dict[str, str] = {
    "tool": "工具 Tool",
    "planner_version": "版本 Planner version",
    "scenario.id": "情景 Scenario id",
    "scenario.name": "名称 Name",
    "scenario.kind": "类型 Kind",
    "scenario.sha256": "情景哈希 Scenario SHA-256",
    "scenario.communities": "社区 Communities",
    "solver.name": "求解器 Solver",
    "solver.version": "求解器版本 Solver version",
    "exported_at": "导出时间 Exported at (UTC)",
    "options.top": "方案数 Options (top)",
    "options.include_sensitive": "含敏感信息 Include sensitive",
    "options.allow_pending": "待审视为通过 Allow pending",
    "options.rules_edited": "规则或数据已在会话中修改 Edited in the session",
    "options.locks": "锁定 Locks",
    "options.excludes": "排除 Excluded",
}

_OPTION_KEYS = (
    "top",
    "include_sensitive",
    "allow_pending",
    "seed",
    "workers",
    "time_limit",
    "lang",
    "documents",
    "pins",
    "locks",
    "excludes",
    "rules_edited",
)
"""The options an audit records: solver settings and the what-if settings (K, locks, excludes, pins).

`locks`: community id -> {person id: "body.post", a body, or "team"}; `excludes`: community id -> [person id];
`rules_edited`: whether the scenario (its rules or data) was changed in the session after it was loaded.
"""


def _option(options: Any, key: str) -> Any:
    if options is None:
        return None
    if isinstance(options, Mapping):
        return options.get(key)
    return getattr(options, key, None)


def _solver_version() -> str:
    return version("ortools")


def build_audit(
    scenario: Scenario,
    slates: SlateResults,
    schedule: ScheduleResult | None,
    options: Any = None,
    *,
    exported_at: str | None = None,
) -> dict[str, Any]:
    """The audit record: scenario hash, rules and weights in force, solver version and settings, export time.

    `slates`: community id -> SlateResult; `options`: a mapping or an object with top, include_sensitive,
    allow_pending, seed, workers, time_limit. Solver settings are taken from the results' `solver`,
    falling back to `options`; what-if settings (locks, excludes, pins) in `options` are recorded as given.
    `exported_at` fixes the export time (an ISO time, UTC); by default it is now.
    """
    rules: dict[str, Any] = {}
    for c in communities(scenario):
        in_force = [
            rid
            for rid in RULES
            if c.rules.on(rid)
            and not (rid == "S19" and not c.multi_ethnic)
            and not (rid == "T07" and len(communities(scenario)) == 1)
        ]
        settings = c.rules.model_dump(mode="json")
        weights = settings.pop("weights")
        rules[c.id] = {
            "in_force": in_force,
            "disabled": sorted(set(c.rules.disabled)),
            "settings": settings,
            "weights": weights,
            "multi_ethnic": c.multi_ethnic,
            "previous_term": c.previous_term.model_dump(mode="json"),
            "reference_date": c.reference_date.isoformat(),
        }
    fallback = {k: _option(options, k) for k in ("seed", "workers", "time_limit")}
    slate_solver = {cid: (result.solver or fallback) for cid, result in slates.items()}
    schedule_solver = None if schedule is None else (schedule.solver or fallback)
    return {
        "tool": "两委 Planner",
        "planner_version": planner.__version__,
        "scenario": {
            "id": scenario.id,
            "name": scenario.name,
            "kind": scenario.kind,
            "sha256": scenario.sha256(),
            "communities": [c.id for c in communities(scenario)],
        },
        "rules": rules,
        "solver": {
            "name": "OR-Tools CP-SAT",
            "version": _solver_version(),
            "slates": slate_solver,
            "schedule": schedule_solver,
        },
        "status": {
            "slates": {cid: result.status for cid, result in slates.items()},
            "schedule": None if schedule is None else schedule.status,
        },
        "options": {k: _option(options, k) for k in _OPTION_KEYS if _option(options, k) is not None},
        **_replan_audit(slates, bool(_option(options, "include_sensitive"))),
        "exported_at": exported_at or export_time(),
    }


def _replan_audit(slates: SlateResults, sensitive: bool) -> dict[str, Any]:
    """The adopted base plans and the events of a re-plan, and the elected of a second round, per community
    (a joint-review event is recorded as withheld unless sensitive details are asked for)."""
    out: dict[str, Any] = {}
    for cid, result in slates.items():
        if result.base is not None:
            events = [
                f"{e['person']}={e['event'] if sensitive or e['event'] != 'failed_review' else WITHHELD}"
                for e in result.base.get("events", [])
            ]
            out.setdefault("base", {})[cid] = {"source": result.base.get("source", ""), "events": events}
        if result.second_round is not None:
            out.setdefault("second_round", {})[cid] = {
                "source": result.second_round.get("source", ""),
                "elected": "; ".join(
                    f"{body}: {', '.join(pids)}"
                    for body, pids in (result.second_round.get("elected") or {}).items()
                ),
            }
    return out


def export_time() -> str:
    """Now (UTC, whole seconds) as an audit record's `exported_at` (YYYY-MM-DDThh:mm:ssZ)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if (
        isinstance(value, dict)
        and value
        and not prefix.endswith(("settings", "weights", "previous_term"))
        and not prefix.startswith("solver.slates.")
        and prefix != "solver.schedule"
    ):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, list):
        out.append((prefix, ", ".join(map(str, value))))
    elif isinstance(value, dict):
        out.append((prefix, json.dumps(value, ensure_ascii=False, sort_keys=True)))
    else:
        out.append((prefix, "" if value is None else str(value)))


_PATTERN_LABELS: dict[str, str] = {
    "rules.*.in_force": "在用规则 Rules in force",
    "rules.*.disabled": "关闭规则 Rules switched off",
    "rules.*.settings": "规则参数 Rule settings",
    "rules.*.weights": "目标权重 Weights",
    "rules.*.multi_ethnic": "多民族社区 Multi-ethnic",
    "rules.*.previous_term": "上届结构 Previous term",
    "rules.*.reference_date": "参照日 Reference date",
    "solver.slates.*": "班子求解设置 Slate solver settings",
    "solver.schedule": "日程求解设置 Schedule solver settings",
    "status.slates.*": "班子求解状态 Slate status",
    "status.schedule": "日程求解状态 Schedule status",
    "options.seed": "随机种子 Seed",
    "options.workers": "线程 Workers",
    "options.time_limit": "时限（秒） Time limit (s)",
    "options.lang": "语言 Language",
    "options.documents": "文书 Documents",
    "options.pins.*": "固定日期 Pin",
    "options.locks.*": "锁定 Lock",
    "options.excludes.*": "排除 Excluded",
    "base.*.source": "采用方案 Adopted plan",
    "base.*.events": "变动事件 Events",
    "second_round.*.source": "第一轮当选 Elected in round one (file)",
    "second_round.*.elected": "第一轮当选 Elected in round one",
}


def _label(key: str) -> str:
    if key in AUDIT_LABELS:
        return AUDIT_LABELS[key]
    for pattern, label in _PATTERN_LABELS.items():
        head, _, tail = pattern.partition("*")
        if pattern == key or (
            "*" in pattern
            and key.startswith(head)
            and key.endswith(tail)
            and len(key) > len(head) + len(tail)
        ):
            middle = key[len(head) : len(key) - len(tail)] if "*" in pattern else ""
            return f"{label}（{middle.strip('.')}）" if middle else label
    return key


def audit_rows(audit: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(key, label, value) rows of an audit record, flattened for a sheet, a table or a calendar."""
    flat: list[tuple[str, str]] = []
    _flatten("", audit, flat)
    return [(key, _label(key), value) for key, value in flat]


def audit_summary(audit: dict[str, Any]) -> str:
    """One line: scenario hash, solver, export time."""
    scenario = audit.get("scenario") or {}
    solver = audit.get("solver") or {}
    return (
        f"scenario {scenario.get('id')} sha256 {scenario.get('sha256')}; "
        f"{solver.get('name')} {solver.get('version')}; exported {audit.get('exported_at')}"
    )
