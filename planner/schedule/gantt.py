"""A readable terminal Gantt of a schedule (one row per stage, a bar over the weeks)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import TYPE_CHECKING

from planner.scenario import Subdistrict, communities

if TYPE_CHECKING:
    from planner.schedule.solve import ScheduleResult

LABELS = {
    "zh": {
        "status": "状态",
        "stage": "阶段",
        "name": "名称",
        "start": "开始",
        "end": "结束",
        "slack": "松弛",
        "critical": "关键路径",
        "none": "无（每个阶段都有松弛）",
        "warnings": "提示",
        "week": "每格一周",
        "conflict": "冲突",
        "no_plan": "无可行日程",
        "load": "工作组每日负荷（容量 {cap} 个社区/日）",
    },
    "en": {
        "status": "status",
        "stage": "stage",
        "name": "name",
        "start": "start",
        "end": "end",
        "slack": "slack",
        "critical": "critical path",
        "none": "none (every stage has slack)",
        "warnings": "warnings",
        "week": "one column per week",
        "conflict": "conflict",
        "no_plan": "no feasible schedule",
        "load": "work-group load per day (capacity {cap} communities a day)",
    },
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-1]
    return text + " " * (width - _width(text))


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def format_schedule(result: ScheduleResult, lang: str = "zh") -> str:
    """The schedule as text: per community a table with a weekly bar (█ stage, ★ election), slack,
    the critical path and warnings; for an infeasible schedule the explanation."""
    t = LABELS["zh" if lang == "zh" else "en"]
    lines = [f"{result.scenario.id}  {t['status']}: {result.status}"]
    for w in result.warnings:
        lines.append(f"! {t['warnings']}: {w.pick(lang)}")
    if not result.plan:
        lines.append(t["no_plan"])
        if result.explanation:
            lines.append(f"{t['conflict']}: {' + '.join(result.explanation['conflict'])}")
            lines.append(result.explanation["message"])  # Chinese, then English
        return "\n".join(lines)
    for c in communities(result.scenario):
        plan = result.plan.get(c.id)
        if not plan:
            continue
        stages = c.schedule.effective_stages()
        first = _monday(min(s for s, _ in plan.values()))
        last = max(e for _, e in plan.values())
        weeks = (last - first).days // 7 + 1
        lines.append("")
        lines.append(f"== {c.id} {c.name}  ({t['week']}, {first} ..)")
        note = c.by_election_note()  # a by-election: the template's stages for the vacant bodies only
        if note is not None:
            lines.append(note.pick(lang))
        marks = [" "] * weeks
        for w in range(weeks):
            d = first + timedelta(days=7 * w)
            if w == 0 or (d - timedelta(days=7)).month != d.month:
                for k, ch in enumerate(str(d.month)):
                    if w + k < weeks:
                        marks[w + k] = ch
        months = "".join(marks)
        header = (
            f"{_pad(t['stage'], 18)} {_pad(t['name'], 24)} {_pad(t['start'], 10)} {_pad(t['end'], 10)} "
            f"{_pad(t['slack'], 5)} "
        )
        lines.append(header + months)
        for s in stages:
            start, end = plan[s.id]
            cells = []
            for w in range(weeks):
                w0 = first + timedelta(days=7 * w)
                w1 = w0 + timedelta(days=6)
                cells.append(("★" if s.election else "█") if start <= w1 and end >= w0 else "·")
            slack = result.slack.get(c.id, {}).get(s.id)
            lines.append(
                f"{_pad(s.id, 18)} {_pad(s.name, 24)} {start} {end} "
                f"{_pad('-' if slack is None else str(slack), 5)} {''.join(cells)}"
            )
        critical = result.critical_path(c.id)
        lines.append(f"{t['critical']}: {', '.join(critical) if critical else t['none']}")
    if isinstance(result.scenario, Subdistrict):
        lines.append("")
        lines.append(t["load"].format(cap=result.scenario.capacity))
        for day, cids in sorted(work_group_load(result).items()):
            full = "  ■" if len(cids) >= result.scenario.capacity else ""
            lines.append(f"  {day}  {len(cids)}/{result.scenario.capacity}  {', '.join(sorted(cids))}{full}")
    return "\n".join(lines)


def work_group_load(result: ScheduleResult) -> dict[date, set[str]]:
    """T07: the communities holding an election day or a work-group stage on each day (each counted once)."""
    load: dict[date, set[str]] = {}
    for c in communities(result.scenario):
        plan = result.plan.get(c.id, {})
        for s in c.schedule.effective_stages():
            if (s.election or s.work_group) and s.id in plan:
                start, end = plan[s.id]
                for k in range((end - start).days + 1):
                    load.setdefault(start + timedelta(days=k), set()).add(c.id)
    return load
