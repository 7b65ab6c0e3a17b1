"""Why no schedule exists: a minimal conflict of rule ids (T01-T10) and pins, said in Chinese and English.

Each rule id in force and each pin key has an enabling literal; CP-SAT's assumption core is
the start, `planner.explain.minimal_conflict` shrinks it (SCENARIO.md "JSON of planner schedule").
Stage durations always hold; they are never blamed. Each rule's describer is registered with
`@rule("T04", "describe")`, takes `(sm, oracle, rules in the conflict)` and returns `Text` sentences
naming the stages and dates involved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from ortools.sat.python import cp_model

from planner import interrupt
from planner.explain import minimal_conflict
from planner.legal import FLOORS, PUBLICITY_MIN_DAYS
from planner.registry import implementation, rule
from planner.rules import RULES
from planner.scenario import Scenario, Subdistrict
from planner.schedule.lattice import feasible_decomposed
from planner.schedule.model import ScheduleModel
from planner.text import Text
from planner.timeline.stages import Pin, first_bad_election_day, precedence_entries


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
        m.add_assumptions(
            [lits[k] for k in sorted(on) if k in lits] + [~lits[k] for k in sorted(lits) if k not in on]
        )
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


def feasible_pin_range(
    scenario: Scenario, pins: list[Pin], key: str, *, seed: int = 0, workers: int = 2, time_limit: float = 5.0
) -> tuple[date | None, date | None] | None:
    """The earliest and latest start a pin `key` could take: its stage (every community it names, on one
    day) with every rule in force and every other pin on, the pin itself removed. Each bound is a day some
    full schedule starts that stage on (a feasible pin); (None, None) when no day works (proven), None
    when the solver found neither in time."""
    sm = ScheduleModel(scenario, pins, skip=frozenset({key}))
    targets = [sm.vars[(p.community, p.stage)].start for p in pins if p.key == key]
    if not targets:
        return None
    first = targets[0]
    for other in targets[1:]:
        sm.model.add(other == first)  # a pin for every community: one day for all of them
    bounds: list[date | None] = []
    for maximise in (False, True):
        if maximise:
            sm.model.maximize(first)
        else:
            sm.model.minimize(first)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        status = interrupt.solve(solver, sm.model)
        if status == cp_model.INFEASIBLE:
            return None, None
        ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        bounds.append(sm.date(int(solver.value(first))) if ok else None)
    if bounds == [None, None]:
        return None
    return bounds[0], bounds[1]


def _stage_text(sm: ScheduleModel, cid: str, sid: str) -> Text:
    """A stage as named in messages: its label with its Chinese name in Chinese, the label in English."""
    stage = next(s for s in sm.stages[cid] if s.id == sid)
    label = f"{cid}/{sid}" if sm.is_subdistrict else sid
    return Text((f"{label}（{stage.name}）" if stage.name else label), label)


def _rules_text(rules: list[str]) -> Text:
    if not rules:
        return Text("阶段工期", "the stage durations")
    return Text("、".join(rules), ", ".join(rules))


def _range_text(span: tuple[date | None, date | None] | None, together: int = 1) -> Text:
    """The pinned stage's true earliest and latest feasible start (every other rule and pin in force);
    `together`: how many communities the pin puts on one day."""
    if span is None:  # not found within the time limit: nothing said
        return Text.same("")
    earliest, latest = span
    if earliest is None and latest is None:
        if together > 1:
            return Text(
                f"在其余全部规则与钉住日期下，没有哪一天能让这 {together} 个社区的这一阶段同时进行。",
                f" With every other rule and pin in force, no single day works for this stage in all "
                f"{together} communities.",
            )
        return Text(
            "在其余全部规则与钉住日期下，这一阶段没有可行的日期。",
            " With every other rule and pin in force, no day works for this stage.",
        )
    if earliest is None or latest is None:
        day = earliest or latest
        return Text(
            f"在其余全部规则与钉住日期下，{day} 是可行的日期。",
            f" With every other rule and pin in force, {day} is a feasible day.",
        )
    if earliest == latest:
        return Text(
            f"在其余全部规则与钉住日期下，唯一可行的日期是 {earliest}。",
            f" With every other rule and pin in force, the only feasible day is {earliest}.",
        )
    return Text(
        f"在其余全部规则与钉住日期下，最早可行的日期是 {earliest}，最晚是 {latest}。",
        f" With every other rule and pin in force, the earliest feasible day is {earliest} "
        f"and the latest {latest}.",
    )


def _pin_lines(
    sm: ScheduleModel,
    oracle: _Oracle,
    conflict: list[str],
    pin: Pin,
    span: tuple[date | None, date | None] | None = None,
    together: int = 1,
) -> Text:
    others = set(conflict) - {pin.key}
    rules = [k for k in conflict if k in RULES]
    v = sm.vars[(pin.community, pin.stage)]
    name = _stage_text(sm, pin.community, pin.stage)
    lo = oracle.bound(others, v.start, maximise=False)
    hi = oracle.bound(others, v.start, maximise=True)
    head = Text(f"钉住 {name.zh}={pin.day}", f"pinning {name.en} to {pin.day}")
    if together > 1:  # one pin for every community: say so, not only the first community's stage
        stage = next(s for s in sm.stages[pin.community] if s.id == pin.stage)
        label = Text(f"{pin.stage}（{stage.name}）" if stage.name else pin.stage, pin.stage)
        head = Text(
            f"把全部 {together} 个社区的 {label.zh} 钉住在 {pin.day}",
            f"pinning {label.en} of all {together} communities to {pin.day}",
        )
    if pin.source == "concentrated":
        head = Text(
            f"集中选举日 {pin.day}（{name.zh}）", f"the concentrated election day {pin.day} ({name.en})"
        )
    under = _rules_text(rules)
    if lo is None or hi is None:
        return Text(f"{head.zh} 与 {under.zh} 冲突。", f"{head.en} conflicts with {under.en}.") + _range_text(
            span, together
        )
    target = sm.index(pin.day)
    if target < lo:
        text = head + Text(
            f"，但在 {under.zh} 下它不能早于 {sm.date(lo)} 开始",
            f", but under {under.en} it cannot start before {sm.date(lo)}",
        )
        reasons: list[Text] = []
        community = sm.community(pin.community)
        for rule_id, pred, succ, gap in precedence_entries(community):
            if succ != pin.stage or rule_id not in conflict:
                continue
            p = sm.vars[(pin.community, pred)]
            earliest = oracle.bound(others, p.end, maximise=False)
            if earliest is not None and earliest + gap > target:
                pred_name = _stage_text(sm, pin.community, pred)
                reasons.append(
                    Text(
                        f"{pred_name.zh} 最早 {sm.date(earliest)} 结束，{rule_id} 要求其后间隔 {gap} 天"
                        f"（距钉住日期不足{gap}天）",
                        f"{pred_name.en} ends {sm.date(earliest)} at the earliest and {rule_id} needs "
                        f"{gap} day(s) after it (fewer than {gap} days before the pinned date)",
                    )
                )
        if reasons:
            text = text + Text("：", ": ") + Text.join(reasons)
        return text + Text("。", ".") + _range_text(span, together)
    if target > hi:
        return (
            head
            + Text(
                f"，但在 {under.zh} 下它不能晚于 {sm.date(hi)} 开始。",
                f", but under {under.en} it cannot start after {sm.date(hi)}.",
            )
            + _range_text(span, together)
        )
    why = _day_reason(sm, conflict, pin)
    cap = sm.scenario.capacity if isinstance(sm.scenario, Subdistrict) else None
    if "T07" in conflict and cap is not None and together > cap:
        why = Text(
            f"工作组每天最多指导 {cap} 个社区，这一天却有 {together} 个",
            f"the work group serves at most {cap} communities a day, and this day has {together}",
        )
    return (
        head
        + Text(
            f"：在 {under.zh} 下这一天不行（{why.zh}）。",
            f": under {under.en} that day is not possible ({why.en}).",
        )
        + _range_text(span, together)
    )


def _day_reason(sm: ScheduleModel, conflict: list[str], pin: Pin) -> Text:
    """Why a pinned day itself is not allowed: the calendar (T04) or a blackout date (T08)."""
    community = sm.community(pin.community)
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
        where = (
            Text.same("")
            if bad == day
            else Text(
                f"（该选举阶段 {day}..{end} 的每一天都须是允许的日子）",
                f" (every day of the election stage, {day}..{end}, must be allowed)",
            )
        )
        if bad is not None and allowed == "weekends":
            return Text(
                f"{bad} 是工作日，选举日只能安排在法定休息日{where.zh}",
                f"{bad} is a working day and election days must fall on official rest days{where.en}",
            )
        if bad is not None:
            return Text(
                f"{bad} 是休息日，选举日只能安排在工作日{where.zh}",
                f"{bad} is a rest day and election days must fall on working days{where.en}",
            )
    if "T04" in conflict and stage.unit == "working" and not calendar.is_workday(day):
        return Text(
            f"{day} 不是工作日，按工作日计的阶段须在工作日开始",
            f"{day} is not a working day, and a stage in working days starts on one",
        )
    if "T08" in conflict:
        blackout = ", ".join(map(str, sorted(community.schedule.blackout)))
        return Text(f"与禁选日冲突：{blackout}", f"it meets a blackout date: {blackout}")
    return Text("与其他阶段或规则冲突", "a clash with another stage or rule")


# ---------------------------------------------------------------- describers, one per rule
# Each takes (sm, oracle, rules in the conflict) and returns the sentences naming the stages and dates.


@rule("T01", "describe")
def T01_window(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T01 时间窗口: the windows the stages must stay in."""
    lines = []
    for c in sm.comms:
        windows = sorted({s.window for s in sm.stages[c.id] if s.window})
        zh = "；".join(f"{a}..{b}" for a, b in windows[:6])
        en = "; ".join(f"{a}..{b}" for a, b in windows[:6])
        lines.append(
            Text(f"T01：各阶段须在时间窗口内（{zh}）。", f"T01: every stage stays inside its window ({en}).")
        )
    return lines


def _precedence_lines(sm: ScheduleModel, rule_id: str) -> list[Text]:
    """T02/T05/T09/T10: each binding precedence of `rule_id`, with its statutory floor (planner.legal)."""
    lines = []
    law = FLOORS.get(rule_id)
    for c in sm.comms:
        entries = [(p, s, g) for r, p, s, g in precedence_entries(c) if r == rule_id]
        if rule_id == "T02" and len(entries) > 6:
            lines.append(
                Text(
                    "T02：各阶段按程序顺序进行（前一阶段结束后才开始）。",
                    "T02: each stage starts after the stages it follows have ended.",
                )
            )
            continue
        for p, s, g in entries:
            pred, succ = _stage_text(sm, c.id, p), _stage_text(sm, c.id, s)
            lines.append(
                Text(
                    f"{rule_id}：{succ.zh} 须在 {pred.zh} 结束 {g} 天后开始"
                    + (f"（{law.what_zh}）。" if law else "。"),
                    f"{rule_id}: {succ.en} starts at least {g} day(s) after {pred.en} ends"
                    + (f" ({law.what_en})." if law else "."),
                )
            )
    return lines


@rule("T02", "describe")
def T02_precedence(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T02 程序顺序: which stage follows which, and the gap."""
    return _precedence_lines(sm, "T02")


@rule("T03", "describe")
def T03_publicity(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T03 公示: publicity stages shorter than PUBLICITY_MIN_DAYS (planner.legal)."""
    lines = []
    for c in sm.comms:
        for s in sm.stages[c.id]:
            if s.publicity and s.unit == "calendar" and s.duration < PUBLICITY_MIN_DAYS:
                name = _stage_text(sm, c.id, s.id)
                lines.append(
                    Text(
                        f"T03：{name.zh} 只有 {s.duration} 天，少于公示期 {PUBLICITY_MIN_DAYS} 日。",
                        f"T03: {name.en} lasts {s.duration} days, fewer than the "
                        f"{PUBLICITY_MIN_DAYS}-day publicity.",
                    )
                )
    return lines


@rule("T04", "describe")
def T04_calendar(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T04 工作日: the days an election stage may fall on (allowed_election_days)."""
    lines = []
    for c in sm.comms:
        allowed = c.schedule.allowed_election_days
        if allowed == "any":
            continue
        kind = {
            "weekends": Text("休息日", "official rest days"),
            "workdays": Text("工作日", "official working days"),
        }
        lines.append(
            Text(
                f"T04：选举阶段的每一天都只能在{kind[allowed].zh}。",
                f"T04: every day of an election stage falls on {kind[allowed].en} only.",
            )
        )
    return lines


@rule("T05", "describe")
def T05_party_first(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T05 先党组织后居委会: the Party election before the residents' election."""
    return _precedence_lines(sm, "T05")


@rule("T06", "describe")
def T06_deadline(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T06 完成时限: each deadline that the other rules in the conflict push a stage past."""
    lines = []
    rest = sorted(rules - {"T06"})
    under = _rules_text(rest)
    for c in sm.comms:
        for sid, day in c.schedule.effective_deadlines().items():
            if (c.id, sid) not in sm.vars:
                continue
            earliest = oracle.bound(rules - {"T06"}, sm.vars[(c.id, sid)].end, maximise=False)
            if earliest is not None and earliest > sm.index(day):
                name = _stage_text(sm, c.id, sid)
                lines.append(
                    Text(
                        f"T06：{name.zh} 须在 {day} 前完成，但在 {under.zh} 下最早 {sm.date(earliest)} 才能结束。",
                        f"T06: {name.en} must be done by {day}, but under {under.en} it "
                        f"cannot end before {sm.date(earliest)}.",
                    )
                )
    return lines


@rule("T07", "describe")
def T07_capacity(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T07 工作组: the work group's daily capacity and how many stages need it."""
    if not isinstance(sm.scenario, Subdistrict):
        return []
    cap, group = sm.scenario.capacity, len(sm.group_stages())
    return [
        Text(
            f"T07：工作组每天最多指导 {cap} 个社区，共有 {group} 个选举/工作组阶段。",
            f"T07: the work group serves at most {cap} communities a day; there are "
            f"{group} election or work-group stages.",
        )
    ]


@rule("T08", "describe")
def T08_blackout(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T08 禁选日: the blackout dates no stage may cover."""
    lines = []
    for c in sm.comms:
        if c.schedule.blackout:
            days = sorted(c.schedule.blackout)
            lines.append(
                Text(
                    f"T08：禁选日 {'、'.join(map(str, days))} 不得安排任何阶段。",
                    f"T08: no stage may cover the blackout date(s) {', '.join(map(str, days))}.",
                )
            )
    return lines


@rule("T09", "describe")
def T09_voter_list_notice(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T09 选民名单公布: the voter list and election day, at least the statutory 20 days apart."""
    return _precedence_lines(sm, "T09")


@rule("T10", "describe")
def T10_candidate_notice(sm: ScheduleModel, oracle: _Oracle, rules: set[str]) -> list[Text]:
    """T10 候选人公布: the final candidates and election day, at least the statutory 5 days apart."""
    return _precedence_lines(sm, "T10")


# The most telling sentences first: the message shows at most 8 of them.
_DESCRIBE_ORDER = ("T06", "T03", "T08", "T04", "T02", "T05", "T09", "T10", "T01", "T07")


def _rule_lines(sm: ScheduleModel, oracle: _Oracle, conflict: list[str]) -> list[Text]:
    """The registered describers of the conflict's rules, most telling first, duplicates dropped."""
    rules = set(conflict)
    lines: list[Text] = []
    for rule_id in _DESCRIBE_ORDER:
        describe = implementation(rule_id, "describe")
        if rule_id in rules and describe is not None:
            lines.extend(describe(sm, oracle, rules))
    return list(dict.fromkeys(lines))


def explain_schedule(
    scenario: Scenario, pins: list[Pin], *, seed: int = 0, workers: int = 2, time_limit: float = 10.0
) -> dict[str, Any]:
    """A minimal conflict of rule ids and pins with a bilingual message naming stages and dates.

    Minimal as in SCENARIO.md: with only the conflict's rules and pins on, no schedule exists;
    dropping any one of them makes one exist.
    """
    sm = ScheduleModel(scenario, pins, relaxable=True)
    per_solve = max(1.0, min(5.0, time_limit / 10))
    oracle = _Oracle(sm, seed, workers, per_solve)
    candidates = sm.candidates()
    everything = set(candidates)
    exact = exact_oracle(scenario, pins, candidates, seed)
    if exact(everything) is False:  # the decomposition decides subsets exactly: deletion from all

        def feasible(on: set[str]) -> bool:
            answer = exact(on)
            return oracle.feasible(on) if answer is None else answer

        conflict = settled_conflict(candidates, feasible)
        return _describe(scenario, pins, sm, oracle, conflict, seed, workers, time_limit)
    core = oracle.core(everything)
    if core is None:
        return _explanation(
            candidates,
            Text(
                "在所有规则与钉住日期下无可行日程，但放宽后的模型无法复现（可能超时）。",
                "No schedule meets every rule and pin, but the relaxed model could not "
                "reproduce it (time limit?).",
            ),
        )
    start = [k for k in candidates if k in set(core)]
    if oracle.feasible(set(start)):
        start = candidates
    conflict = minimal_conflict(start, oracle.feasible)
    return _describe(scenario, pins, sm, oracle, conflict, seed, workers, time_limit)


def settled_conflict(candidates: list[str], feasible: Callable[[set[str]], bool]) -> list[str]:
    """`minimal_conflict` repeated until no member can be dropped. Switching T04 off is not a pure
    relaxation (a working stage then counts calendar days and can break T03), so one deletion pass may
    keep a member whose removal only later becomes possible; at the fixpoint dropping any one member
    of the conflict makes a schedule exist."""
    conflict = minimal_conflict(candidates, feasible)
    while True:
        again = minimal_conflict(conflict, feasible)
        if again == conflict:
            return conflict
        conflict = again


def exact_oracle(
    scenario: Scenario, pins: list[Pin], candidates: list[str], seed: int = 0
) -> Callable[[set[str]], bool | None]:
    """feasible(on): whether a schedule exists with only the rules and pins in `on` switched on (the
    others off, as in the relaxable model: T04 off counts calendar days), decided exactly by the
    decomposition (planner/schedule/lattice.py); None when it does not apply or was not proven."""

    def solver_for(seconds: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = 1
        return solver

    def feasible(on: set[str]) -> bool | None:
        off = frozenset(k for k in candidates if k not in on)
        return feasible_decomposed(ScheduleModel(scenario, pins, skip=off, domains_only=True), solver_for)

    return feasible


def _describe(
    scenario: Scenario,
    pins: list[Pin],
    sm: ScheduleModel,
    oracle: _Oracle,
    conflict: list[str],
    seed: int,
    workers: int,
    time_limit: float,
) -> dict[str, Any]:
    """The explanation of a minimal conflict: the pins' lines and feasible ranges, the rules' lines."""
    pin_by_key: dict[str, Pin] = {}
    for p in pins:
        pin_by_key.setdefault(p.key, p)
    lines: list[Text] = []
    spans: dict[str, tuple[date | None, date | None] | None] = {}
    for key in conflict:
        if key in pin_by_key:
            spans[key] = feasible_pin_range(
                scenario, pins, key, seed=seed, workers=workers, time_limit=max(1.0, min(5.0, time_limit / 4))
            )
            together = sum(p.key == key for p in pins)
            lines.append(_pin_lines(sm, oracle, conflict, pin_by_key[key], spans[key], together))
    if not lines or any(k in ("T03", "T06", "T07") for k in conflict):
        lines.extend(_rule_lines(sm, oracle, conflict))
    labels_zh = " + ".join(conflict) or "阶段工期"
    labels_en = " + ".join(conflict) or "stage durations"
    shown = lines[:8]
    explanation = _explanation(
        conflict,
        Text(
            f"无法排出日程（{labels_zh}）：" + "".join(t.zh for t in shown),
            f"No schedule ({labels_en}): " + " ".join(t.en for t in shown),
        ),
    )
    # The pins' true feasible range (every other rule and pin on), a date to apply per pin key.
    found = {k: span for k, span in spans.items() if span is not None}
    explanation["earliest"] = {k: a.isoformat() for k, (a, _b) in found.items() if a is not None}
    explanation["latest"] = {k: b.isoformat() for k, (_a, b) in found.items() if b is not None}
    return explanation


def _explanation(conflict: list[str], text: Text) -> dict[str, Any]:
    """The JSON explanation: `message` in both languages (one line each), `message_zh`, `message_en`."""
    return {
        "conflict": conflict,
        "message": f"{text.zh}\n{text.en}",
        "message_zh": text.zh,
        "message_en": text.en,
    }


__all__ = ["explain_schedule", "feasible_pin_range"]
