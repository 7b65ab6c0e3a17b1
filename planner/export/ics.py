"""schedule.ics: one all-day event per stage per community, for any calendar application.

DTSTART/DTEND are dates (DTEND exclusive, RFC 5545), UIDs are stable across exports
(scenario, community, stage), so re-importing updates events instead of duplicating them.
The audit record rides along as X- properties on the calendar and in every description.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from planner.export.audit import audit_summary
from planner.export.common import PlanData, stage_notes

PRODID = "-//liangwei-planner//两委 Planner//ZH"


def stage_uid(scenario_id: str, community_id: str, stage_id: str) -> str:
    return f"{scenario_id}.{community_id}.{stage_id}@liangwei-planner"


def _stamp(audit: dict[str, Any]) -> datetime:
    text = str(audit.get("exported_at") or "")
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC).replace(microsecond=0)


def calendar(data: PlanData) -> Calendar:
    audit = data.audit
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    kind = "补选" if data.communities and all(c.by_election for c in data.communities) else "换届"
    cal.add("x-wr-calname", f"{data.title_name}“两委”{kind}工作日程")
    cal.add("x-planner-scenario", data.scenario.id)
    cal.add("x-planner-scenario-sha256", (audit.get("scenario") or {}).get("sha256", ""))
    cal.add("x-planner-exported-at", str(audit.get("exported_at", "")))
    solver = audit.get("solver") or {}
    cal.add("x-planner-solver", f"{solver.get('name', '')} {solver.get('version', '')}".strip())
    cal.add(
        "x-planner-solver-settings",
        json.dumps(solver.get("schedule") or {}, ensure_ascii=False, sort_keys=True),
    )
    cal.add("x-planner-audit", json.dumps(audit, ensure_ascii=False, sort_keys=True, default=str))
    stamp = _stamp(audit)
    summary = audit_summary(audit)
    for c in data.communities:
        critical = set(data.critical_path(c.id))
        for row in data.schedule_stages(c.id):
            d, start, end, slack = row.stage, row.start, row.end, row.slack
            name = d.name or d.id
            window = f"{d.window[0]}..{d.window[1]}" if d.window else "—"
            lines = [
                f"阶段 Stage: {d.id}",
                f"日期 Dates: {start}..{end}",
                f"窗口 Window: {window}",
                f"机动 Slack: {'—' if slack is None else slack} 天"
                + ("（关键路径 critical）" if d.id in critical else ""),
                "规则 Rules:",
                *(f"  {n}" for n in stage_notes(c, d, data.scenario)),
                f"审计 Audit: {summary}",
            ]
            event = Event()
            event.add("uid", stage_uid(data.scenario.id, c.id, d.id))
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", end + timedelta(days=1))
            note = c.by_election_note()  # 补选: say so, with the vacant posts
            if note is not None:
                lines.insert(0, f"补选 By-election: {note.zh}")
            event.add("summary", f"{c.name or c.id} · {name}")
            event.add("description", "\n".join(lines))
            kinds = ["两委补选"] if c.by_election else ["两委换届"]
            event.add("categories", kinds + (["选举日"] if d.election else []))
            event.add("transp", "TRANSPARENT")
            event.add("x-planner-stage", d.id)
            event.add("x-planner-community", c.id)
            event.add("x-planner-scenario-sha256", (audit.get("scenario") or {}).get("sha256", ""))
            if slack is not None:
                event.add("x-planner-slack-days", str(slack))
            cal.add_component(event)
    return cal


def calendar_bytes(data: PlanData) -> bytes:
    return calendar(data).to_ical()
