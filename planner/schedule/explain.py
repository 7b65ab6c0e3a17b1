"""Why no schedule exists: a minimal conflict of rule ids (T01-T10) and pins, said in Chinese and English.

Each rule id in force and each pin key has an enabling literal; CP-SAT's assumption core is
the start, `planner.explain.minimal_conflict` shrinks it (SCENARIO.md "JSON of planner schedule").
Stage durations always hold; they are never blamed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ortools.sat.python import cp_model

from planner import interrupt
from planner.explain import minimal_conflict
from planner.legal import FLOORS, PUBLICITY_MIN_DAYS
from planner.rules import RULES
from planner.scenario import Scenario
from planner.schedule.model import ScheduleModel
from planner.schedule.stages import Pin, first_bad_election_day, precedence_entries


class _Oracle:
    """Feasibility and bounds with exactly a given set of rules and pins switched on."""

    def __init__(self, sm: ScheduleModel, seed: int, workers: int, time_limit: float) -> None:
        self.sm, self.seed, self.workers, self.time_limit = sm, seed, workers, time_limit

    def _solve(self, on: set[str], workers: int | None = None) -> tuple[int, cp_model.CpSolver]:
        m = self.sm.model
        m.clear_assumptions()
        # Rules and pins not in `on` are switched off, not left free: a free T04 literal could still
        # count working days, while a scenario with T04 disabled counts calendar days (SCENARIO.md
        # minimality is "with only the conflict's rules on").
        lits = self.sm.literals
        m.add_assumptions([lits[k] for k in sorted(on) if k in lits]
                         + [~lits[k] for k in sorted(lits) if k not in on])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.time_limit
        solver.parameters.random_seed = self.seed
        solver.parameters.num_workers = workers or self.workers
        # The relaxable model has wide domains; probing and symmetry detection cost seconds here.
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        return interrupt.solve(solver, m), solver

    def feasible(self, on: set[str]) -> bool:
        """True unless proven infeasible (an unknown answer keeps the member, so the conflict stays valid)."""
        self.sm.model.clear_objective()
        status, _ = self._solve(on)
        return status != cp_model.INFEASIBLE

    def core(self, on: set[str]) -> list[str] | None:
        self.sm.model.clear_objective()
        status, solver = self._solve(on, workers=1)
        if status != cp_model.INFEASIBLE:
            return None
        names = {self.sm.literals[k].index: k for k in on if k in self.sm.literals}
        return [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]

    def bound(self, on: set[str], expr: Any, maximise: bool) -> int | None:
        m = self.sm.model
        if maximise:
            m.maximize(expr)
        else:
            m.minimize(expr)
        status, solver = self._solve(on)
        m.clear_objective()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return round(solver.objective_value)
        return None


def _stage_text(sm: ScheduleModel, cid: str, sid: str) -> tuple[str, str]:
    stage = next(s for s in sm.stages[cid] if s.id == sid)
    label = f"{cid}/{sid}" if sm.is_subdistrict else sid
    return (f"{label}（{stage.name}）" if stage.name else label), label


def _rules_text(rules: list[str], lang: str) -> str:
    if not rules:
        return "阶段工期" if lang == "zh" else "the stage durations"
    return ("、" if lang == "zh" else ", ").join(rules)


def _pin_lines(sm: ScheduleModel, oracle: _Oracle, conflict: list[str], pin: Pin) -> tuple[str, str]:
    others = set(conflict) - {pin.key}
    rules = [k for k in conflict if k in RULES]
    v = sm.vars[(pin.community, pin.stage)]
    zh_name, en_name = _stage_text(sm, pin.community, pin.stage)
    lo = oracle.bound(others, v.start, maximise=False)
    hi = oracle.bound(others, v.start, maximise=True)
    head_zh = f"钉住 {zh_name}={pin.day}"
    head_en = f"pinning {en_name} to {pin.day}"
    if pin.source == "concentrated":
        head_zh = f"集中选举日 {pin.day}（{zh_name}）"
        head_en = f"the concentrated election day {pin.day} ({en_name})"
    under_zh, under_en = _rules_text(rules, "zh"), _rules_text(rules, "en")
    if lo is None or hi is None:
        return (f"{head_zh} 与 {under_zh} 冲突。", f"{head_en} conflicts with {under_en}.")
    target = sm.index(pin.day)
    if target < lo:
        zh = f"{head_zh}，但在 {under_zh} 下它最早只能在 {sm.date(lo)} 开始"
        en = f"{head_en}, but under {under_en} it can start no earlier than {sm.date(lo)}"
        reasons_zh, reasons_en = [], []
        community = next(c for c in sm.comms if c.id == pin.community)
        for rule, pred, succ, gap in precedence_entries(community):
            if succ != pin.stage or rule not in conflict:
                continue
            p = sm.vars[(pin.community, pred)]
            earliest = oracle.bound(others, p.end, maximise=False)
            if earliest is not None and earliest + gap > target:
                pz, pe = _stage_text(sm, pin.community, pred)
                reasons_zh.append(f"{pz} 最早 {sm.date(earliest)} 结束，{rule} 要求其后间隔 {gap} 天"
                                  f"（距钉住日期不足{gap}天）")
                reasons_en.append(f"{pe} ends {sm.date(earliest)} at the earliest and {rule} needs "
                                  f"{gap} day(s) after it (fewer than {gap} days before the pinned date)")
        if reasons_zh:
            zh += "：" + "；".join(reasons_zh)
            en += ": " + "; ".join(reasons_en)
        return zh + "。", en + "."
    if target > hi:
        return (f"{head_zh}，但在 {under_zh} 下它最晚只能在 {sm.date(hi)} 开始。",
                f"{head_en}, but under {under_en} it can start no later than {sm.date(hi)}.")
    why_zh, why_en = _day_reason(sm, conflict, pin)
    return (f"{head_zh}：在 {under_zh} 下这一天不行（{why_zh}）。",
            f"{head_en}: under {under_en} that day is not possible ({why_en}).")


def _day_reason(sm: ScheduleModel, conflict: list[str], pin: Pin) -> tuple[str, str]:
    """Why a pinned day itself is not allowed: the calendar (T04) or a blackout date (T08)."""
    community = next(c for c in sm.comms if c.id == pin.community)
    stage = next(s for s in sm.stages[pin.community] if s.id == pin.stage)
    calendar = sm.calendars[pin.community]
    allowed = community.schedule.allowed_election_days
    day = pin.day
    if "T04" in conflict and stage.election and allowed != "any":
        if stage.unit == "working":
            end = calendar.working_end(day, stage.duration, warn=False)
        else:
            end = day + timedelta(days=stage.duration - 1)
        bad = first_bad_election_day(allowed, lambda d: calendar.is_workday(d, warn=False), day, end)
        where_zh = "" if bad == day else f"（该选举阶段 {day}..{end} 的每一天都须是允许的日子）"
        where_en = "" if bad == day else f" (every day of the election stage, {day}..{end}, must be allowed)"
        if bad is not None and allowed == "weekends":
            return (f"{bad} 是工作日，选举日只能安排在法定休息日{where_zh}",
                    f"{bad} is a working day and election days must fall on official rest days{where_en}")
        if bad is not None:
            return (f"{bad} 是休息日，选举日只能安排在工作日{where_zh}",
                    f"{bad} is a rest day and election days must fall on working days{where_en}")
    if "T04" in conflict and stage.unit == "working" and not calendar.is_workday(day):
        return (f"{day} 不是工作日，按工作日计的阶段须在工作日开始",
                f"{day} is not a working day, and a stage in working days starts on one")
    if "T08" in conflict:
        blackout = sorted(community.schedule.blackout)
        return (f"与禁选日冲突：{', '.join(map(str, blackout))}", f"it meets a blackout date: {', '.join(map(str, blackout))}")
    return ("与其他阶段或规则冲突", "a clash with another stage or rule")


def _rule_lines(sm: ScheduleModel, oracle: _Oracle, conflict: list[str]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    rules = set(conflict)
    for c in sm.comms:
        if "T06" in rules:
            for sid, day in c.schedule.effective_deadlines().items():
                if (c.id, sid) not in sm.vars:
                    continue
                earliest = oracle.bound(rules - {"T06"}, sm.vars[(c.id, sid)].end, maximise=False)
                if earliest is not None and earliest > sm.index(day):
                    zh, en = _stage_text(sm, c.id, sid)
                    rest = sorted(rules - {"T06"})
                    lines.append(((f"T06：{zh} 须在 {day} 前完成，但在 {_rules_text(rest, 'zh')} 下最早 "
                                  f"{sm.date(earliest)} 才能结束。"),
                                  (f"T06: {en} must be done by {day}, but under {_rules_text(rest, 'en')} it "
                                  f"cannot end before {sm.date(earliest)}.")))
        if "T03" in rules:
            for s in sm.stages[c.id]:
                if s.publicity and s.unit == "calendar" and s.duration < PUBLICITY_MIN_DAYS:
                    zh, en = _stage_text(sm, c.id, s.id)
                    lines.append((f"T03：{zh} 只有 {s.duration} 天，少于公示期 {PUBLICITY_MIN_DAYS} 日。",
                                  (f"T03: {en} lasts {s.duration} days, fewer than the "
                                  f"{PUBLICITY_MIN_DAYS}-day publicity.")))
        if "T08" in rules and c.schedule.blackout:
            days = "、".join(str(d) for d in sorted(c.schedule.blackout))
            lines.append((f"T08：禁选日 {days} 不得安排任何阶段。",
                          f"T08: no stage may cover the blackout date(s) {days.replace('、', ', ')}."))
        if "T04" in rules and c.schedule.allowed_election_days != "any":
            kind = {"weekends": ("休息日", "official rest days"),
                    "workdays": ("工作日", "official working days")}[c.schedule.allowed_election_days]
            lines.append((f"T04：选举阶段的每一天都只能在{kind[0]}。",
                          f"T04: every day of an election stage falls on {kind[1]} only."))
        for rule in ("T02", "T05", "T09", "T10"):
            if rule not in rules:
                continue
            entries = [(p, s, g) for r, p, s, g in precedence_entries(c) if r == rule]
            if rule == "T02" and len(entries) > 6:
                lines.append(("T02：各阶段按程序顺序进行（前一阶段结束后才开始）。",
                              "T02: each stage starts after the stages it follows have ended."))
                continue
            for p, s, g in entries:
                pz, pe = _stage_text(sm, c.id, p)
                sz, se = _stage_text(sm, c.id, s)
                law = FLOORS.get(rule)
                lines.append((f"{rule}：{sz} 须在 {pz} 结束 {g} 天后开始" + (f"（{law.what_zh}）。" if law else "。"),
                              f"{rule}: {se} starts at least {g} day(s) after {pe} ends"
                              + (f" ({law.what_en})." if law else ".")))
        if "T01" in rules:
            windows = sorted({s.window for s in sm.stages[c.id] if s.window})
            text = "；".join(f"{a}..{b}" for a, b in windows[:6])
            lines.append((f"T01：各阶段须在时间窗口内（{text}）。",
                          f"T01: every stage stays inside its window ({text.replace('；', '; ')})."))
    if "T07" in rules and sm.is_subdistrict:
        group = sm.group_stages()
        cap = getattr(sm.scenario, "capacity", None)
        lines.append((f"T07：工作组每天最多指导 {cap} 个社区，共有 {len(group)} 个选举/工作组阶段。",
                      (f"T07: the work group serves at most {cap} communities a day; there are "
                      f"{len(group)} election or work-group stages.")))
    return list(dict.fromkeys(lines))


def explain_schedule(scenario: Scenario, pins: list[Pin], *, seed: int = 0, workers: int = 2,
                     time_limit: float = 10.0) -> dict[str, Any]:
    """A minimal conflict of rule ids and pins with a bilingual message naming stages and dates.

    Minimal as in SCENARIO.md: with only the conflict's rules and pins on, no schedule exists;
    dropping any one of them makes one exist.
    """
    sm = ScheduleModel(scenario, pins, relaxable=True)
    per_solve = max(1.0, min(5.0, time_limit / 10))
    oracle = _Oracle(sm, seed, workers, per_solve)
    candidates = sm.candidates()
    everything = set(candidates)
    core = oracle.core(everything)
    if core is None:
        zh = "在所有规则与钉住日期下无可行日程，但放宽后的模型无法复现（可能超时）。"
        en = "No schedule meets every rule and pin, but the relaxed model could not reproduce it (time limit?)."
        return {"conflict": candidates, "message": f"{zh}\n{en}", "message_zh": zh, "message_en": en}
    start = [k for k in candidates if k in set(core)]
    if oracle.feasible(set(start)):
        start = candidates
    conflict = minimal_conflict(start, oracle.feasible)
    pin_by_key: dict[str, Pin] = {}
    for p in pins:
        pin_by_key.setdefault(p.key, p)
    lines: list[tuple[str, str]] = []
    for key in conflict:
        if key in pin_by_key:
            lines.append(_pin_lines(sm, oracle, conflict, pin_by_key[key]))
    if not lines or any(k in ("T03", "T06", "T07") for k in conflict):
        lines.extend(_rule_lines(sm, oracle, conflict))
    labels_zh = " + ".join(conflict) or "阶段工期"
    labels_en = " + ".join(conflict) or "stage durations"
    zh = f"无法排出日程（{labels_zh}）：" + "".join(z for z, _ in lines[:8])
    en = f"No schedule ({labels_en}): " + " ".join(e for _, e in lines[:8])
    return {"conflict": conflict, "message": f"{zh}\n{en}", "message_zh": zh, "message_en": en}


__all__ = ["explain_schedule"]
