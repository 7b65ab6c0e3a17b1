"""plan.json: the slates and schedule in the JSON of SCENARIO.md, with the audit record.

Shape (what `planner verify SCENARIO plan.json` reads):
`{"scenario", "kind", "audit", "slate_status", "slates": [slate, ...], "explanation", "schedule": {...}}`.
Each slate carries a "community" key; for a sub-district "slates" holds the slates of every
community and "slate_status"/"explanation" are dicts keyed by community id. A re-plan adds "base" and
"changes" (for a sub-district "replanned": {community: {"base", "changes"}}), a second round "second_round".
"""

from __future__ import annotations

import json
from typing import Any

from planner.export.common import PlanData, joint_review_rows, redact
from planner.plan import by_election_json
from planner.scenario import Subdistrict


def plan_dict(data: PlanData) -> dict[str, Any]:
    """The plan as a JSON-ready dict (sensitive details withheld unless data.include_sensitive)."""
    slates: list[dict[str, Any]] = []
    status: dict[str, Any] = {}
    explanation: dict[str, Any] = {}
    why_not: dict[str, Any] = {}
    replanned: dict[str, Any] = {}
    second: dict[str, Any] = {}
    for c in data.communities:
        result = data.slate_result(c.id)
        status[c.id] = result.status
        explanation[c.id] = result.explanation
        if result.why_not is not None:
            why_not[c.id] = result.why_not
        if result.base is not None:
            replanned[c.id] = {"base": result.base, "changes": list(result.changes or [])}
        if result.second_round is not None:
            second[c.id] = result.second_round
        for slate in result.slates:
            slates.append({"community": c.id, **slate.to_json()})
    subdistrict = isinstance(data.scenario, Subdistrict)
    only = data.communities[0].id if data.communities and not subdistrict else None
    schedule = data.schedule.to_json() if data.schedule is not None else None
    if schedule is not None and not data.include_sensitive:
        schedule = redact(schedule)
    plan: dict[str, Any] = {
        "scenario": data.scenario.id,
        "kind": data.scenario.kind,
        "audit": data.audit,
        "slate_status": status if subdistrict or only is None else status.get(only),
        "slates": slates,
        "explanation": explanation if subdistrict or only is None else explanation.get(only),
        "schedule": schedule,
    }
    reviews = {c.id: rows for c in data.communities if (rows := joint_review_rows(c))}
    if reviews and data.include_sensitive:  # 资格联审 per department, like the status: sensitive
        plan["joint_reviews"] = reviews if subdistrict or only is None else reviews.get(only)
    if why_not:
        plan["why_not"] = why_not if subdistrict or only is None else why_not.get(only)
    if replanned:  # re-planning (SCENARIO.md "Re-planning"): the adopted base and what changed from it
        if subdistrict or only is None:
            plan["replanned"] = replanned
        else:
            plan.update(replanned[only])
    if second:  # 另行选举 (SCENARIO.md "Second round")
        plan["second_round"] = second if subdistrict or only is None else second.get(only)
    by = {c.id: facts for c in data.communities if (facts := by_election_json(c)) is not None}
    if by:  # 补选: the vacant posts and the sitting members
        plan["by_election"] = by if subdistrict or only is None else by.get(only)
    return plan


def json_bytes(data: PlanData) -> bytes:
    return (json.dumps(plan_dict(data), ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
