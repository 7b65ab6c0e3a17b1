"""`planner verify SCENARIO PLAN.json`: re-check a saved plan with the solver-free checker.

A plan is the JSON of SCENARIO.md: the output of `planner slate --json` ({"scenario", "status",
"slates": [...]}), an export's plan.json (slates, possibly keyed by community, and a "schedule" holding
the JSON of `planner schedule --json`), the schedule JSON alone, or one slate object ({"posts": ...}).
Bad shapes raise `PlanError` naming the field (the CLI exits 2); broken rules are a report, not an error.
So does a plan made for another scenario: one whose "scenario" (or the audit's scenario id) names
another scenario, or whose audit records another SHA-256 than the scenario's (the file has changed).
Plan files are read by planner.loader with its limits (at most 10 MB, nesting at most 40 deep).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from planner.check.schedule import check_schedule
from planner.check.slate import check_slate, slate_objective
from planner.issues import ScenarioError
from planner.loader import MAX_DEPTH, read_file
from planner.plan import RuleCheck, Slate
from planner.rules import RULES
from planner.scenario import BODIES, Community, Scenario, communities

OBJECTIVE = "objective"
OBJECTIVE_NAMES = ("目标值", "objective")
OTHER_NAMES = {OBJECTIVE: OBJECTIVE_NAMES, "stages": ("阶段工期", "stages"), "pin": ("固定日期", "pins")}
MAX_PLAN_DEPTH = MAX_DEPTH  # 40: nesting of lists and objects; plans nest about 8 deep
FIRST_YEAR, LAST_YEAR = 1900, 2200  # stage dates outside these years are a broken plan
MAX_STAGE_DAYS = 3660


class PlanError(ValueError):
    """A plan file whose shape is wrong; the message names the field (exit 2, never a traceback)."""


class StageTimes(BaseModel):
    """One scheduled stage: {"id", "start", "end"} (extra keys such as slack_days are kept)."""

    model_config = ConfigDict(extra="allow")
    id: str
    start: date
    end: date


class CommunitySchedule(BaseModel):
    model_config = ConfigDict(extra="allow")
    stages: list[StageTimes]


@dataclass
class SlateVerdict:
    """The checker's verdict on one slate of the plan: S01-S19 plus the recomputed objective."""

    community: str
    index: int
    rank: int | None
    checks: list[RuleCheck]
    objective_stated: int | None
    objective_computed: int

    @property
    def objective_ok(self) -> bool:
        return self.objective_stated is None or self.objective_stated == self.objective_computed

    @property
    def ok(self) -> bool:
        return all(ch.ok for ch in self.checks)

    def broken(self) -> list[str]:
        return [ch.rule for ch in self.checks if not ch.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "community": self.community,
            "index": self.index,
            "rank": self.rank,
            "ok": self.ok,
            "broken": self.broken(),
            "objective": {
                "stated": self.objective_stated,
                "computed": self.objective_computed,
                "ok": self.objective_ok,
            },
            "checks": [ch.model_dump() for ch in self.checks],
        }


@dataclass
class VerifyReport:
    """Everything `planner verify` found: per-slate verdicts, schedule checks, notes."""

    scenario: str
    slates: list[SlateVerdict] = field(default_factory=list)
    schedule: list[RuleCheck] | None = None
    schedule_checked: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def checked_anything(self) -> bool:
        return bool(self.slates) or self.schedule_checked

    @property
    def ok(self) -> bool:
        """Every slate and the schedule meet every rule in force; a plan with nothing to check is not ok."""
        return (
            self.checked_anything
            and all(v.ok for v in self.slates)
            and all(ch.ok for ch in (self.schedule or []))
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "ok": self.ok,
            "slates": [v.to_json() for v in self.slates],
            "schedule": None
            if self.schedule is None and not self.schedule_checked
            else {
                "checked": self.schedule_checked,
                "ok": all(ch.ok for ch in (self.schedule or [])),
                "checks": [ch.model_dump() for ch in (self.schedule or [])],
            },
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------- reading the plan


def _where(prefix: str, loc: tuple[Any, ...]) -> str:
    """('posts', 'party_committee', 'member') under 'slates[0]' -> 'slates[0].posts.party_committee.member'."""
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "plan"


def _validation_error(prefix: str, exc: ValidationError) -> PlanError:
    err = exc.errors()[0]
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    got = err.get("input")
    shown = f" (got {got!r})" if got is not None and not isinstance(got, (dict, list)) else ""
    return PlanError(f"field '{_where(prefix, tuple(err['loc']))}': {err['msg']}{shown}{more}")


def parse_slate(raw: Any, where: str) -> Slate:
    """Validate one slate object (SCENARIO.md shape), raising PlanError naming the field."""
    if not isinstance(raw, dict):
        raise PlanError(f"field '{where}': a slate must be an object with 'posts'")
    if "posts" not in raw:
        raise PlanError(f"field '{where}.posts': missing (a slate needs its posts)")
    try:
        return Slate.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(where, exc) from None


def _community(scenario: Scenario, cid: Any, where: str, notes: list[str]) -> Community:
    """The community a slate belongs to: named by id, or the only one."""
    comms = communities(scenario)
    by_id = {c.id: c for c in comms}
    if isinstance(cid, str) and cid in by_id:
        return by_id[cid]
    if len(comms) == 1:
        if cid is not None and cid != scenario.id:
            raise PlanError(
                f"field '{where}': 计划属于场景 {_shown(cid)}，而不是 {comms[0].id} / the plan is for "
                f"scenario {_shown(cid)}, not {comms[0].id}"
            )
        return comms[0]
    if cid is None or cid == scenario.id:
        raise PlanError(f"field '{where}': name the community of each slate (one of {', '.join(by_id)})")
    raise PlanError(
        f"field '{where}': {_shown(cid)} is not a community of the scenario (use one of {', '.join(by_id)})"
    )


def _shown(value: Any) -> str:
    """A value of the plan for a message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_people(c: Community, slate: Slate, where: str) -> None:
    """List keys are bodies. (A person id the scenario lacks is not bad input: S01 reports it, exit 1.)"""
    prefix = f"{where}." if where else ""
    for body in slate.candidate_lists:
        if body not in BODIES:
            raise PlanError(
                f"field '{prefix}candidate_lists.{body}': 不是机构名 / not a body (use one of "
                f"{', '.join(BODIES)})"
            )


def _collect_slates(
    scenario: Scenario, node: Any, where: str, cid: Any, notes: list[str], keyed: bool = False
) -> list[tuple[Community, str, Slate]]:
    """(community, field path, slate) for every slate under `node` (a list, a slate result or a per-community map).

    `keyed`: `cid` comes from a per-community map key, which wins over ids written inside.
    """
    if isinstance(node, list):
        out = []
        for i, raw in enumerate(node):
            path = f"{where}[{i}]"
            own = raw.get("community", cid) if isinstance(raw, dict) and not keyed else cid
            slate = parse_slate(raw, path)
            c = _community(scenario, own, path, notes)
            _check_people(c, slate, path)
            out.append((c, path, slate))
        return out
    if isinstance(node, dict):
        if "posts" in node:
            own = cid if keyed else node.get("community", cid)
            slate = parse_slate(node, where)
            c = _community(scenario, own, where, notes)
            _check_people(c, slate, where)
            return [(c, where, slate)]
        if "slates" in node:
            own = cid if keyed else node.get("scenario", node.get("community", cid))
            return _collect_slates(scenario, node["slates"], f"{where}.slates", own, notes, keyed)
        out = []
        for key, value in node.items():
            path = f"{where}.{key}"
            _community(scenario, key, path, notes)
            out.extend(_collect_slates(scenario, value, path, key, notes, keyed=True))
        return out
    raise PlanError(f"field '{where}': must be a list of slates (got {type(node).__name__})")


def _schedule_communities(scenario: Scenario, node: Any, where: str) -> dict[str, Any]:
    """The {cid: {"stages": [...]}} map of a schedule JSON, shape-checked."""
    if not isinstance(node, dict):
        raise PlanError(f"field '{where}': must be the JSON of `planner schedule --json`")
    comms = node.get("communities")
    if not isinstance(comms, dict):
        raise PlanError(f"field '{where}.communities': must map community ids to {{\"stages\": [...]}}")
    known = {c.id for c in communities(scenario)}
    for cid, entry in comms.items():
        path = f"{where}.communities.{cid}"
        if cid not in known:
            raise PlanError(
                f"field '{path}': '{cid}' is not a community of the scenario "
                f"(use one of {', '.join(sorted(known))})"
            )
        try:
            CommunitySchedule.model_validate(entry)
        except ValidationError as exc:
            raise _validation_error(path, exc) from None
        for i, row in enumerate(entry["stages"]):
            days = [_stage_day(row[key], f"{path}.stages[{i}].{key}") for key in ("start", "end")]
            if abs((days[1] - days[0]).days) > MAX_STAGE_DAYS:
                raise PlanError(
                    f"field '{path}.stages[{i}]': 阶段跨度超过{MAX_STAGE_DAYS}天 / the stage spans more "
                    f"than {MAX_STAGE_DAYS} days"
                )
    return comms


def _stage_day(value: Any, where: str) -> date:
    """A stage date as the schedule JSON writes it: a 'YYYY-MM-DD' string within FIRST_YEAR..LAST_YEAR."""
    day = None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PlanError(
            f"field '{where}': 须为{FIRST_YEAR}至{LAST_YEAR}年间的日期 YYYY-MM-DD / must be a date "
            f"YYYY-MM-DD between {FIRST_YEAR} and {LAST_YEAR} (got {_shown(value)})"
        )
    return day


def _check_origin(scenario: Scenario, plan: dict[str, Any]) -> None:
    """The plan was made for this scenario: its "scenario" id and the audit's id and SHA-256 agree."""
    own = {scenario.id: scenario, **{c.id: c for c in communities(scenario)}}

    def named(value: Any, where: str) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise PlanError(
                f"field '{where}': 须为场景编号（文本） / must be a scenario id (text), got {_shown(value)}"
            )
        if value not in own:
            raise PlanError(
                f"field '{where}': 计划属于场景 {_shown(value)}，而不是 {scenario.id} / the plan is for "
                f"scenario {_shown(value)}, not {scenario.id}"
            )
        return own[value]

    named(plan.get("scenario"), "scenario")
    audit = plan.get("audit")
    if audit is None:
        return
    if not isinstance(audit, dict):
        raise PlanError(
            f"field 'audit': 须为审计记录对象 / must be the audit record (an object), got {_shown(audit)}"
        )
    record = audit.get("scenario")
    if record is None:
        return
    if not isinstance(record, dict):
        raise PlanError(f"field 'audit.scenario': 须为对象 / must be an object, got {_shown(record)}")
    made_for = named(record.get("id"), "audit.scenario.id") or scenario
    sha = record.get("sha256")
    if sha is None:
        return
    if not isinstance(sha, str):
        raise PlanError(f"field 'audit.scenario.sha256': 须为文本 / must be text, got {_shown(sha)}")
    if sha.lower() != made_for.sha256():
        raise PlanError(
            f"field 'audit.scenario.sha256': 计划是按另一版本的场景文件生成的（{_shown(sha)}，当前为 "
            f"{made_for.sha256()}），请重新导出 / the plan was made from another version of the "
            f"scenario (sha256 {_shown(sha)}, the scenario now has {made_for.sha256()}); export it again"
        )


def plan_depth(value: Any, limit: int = MAX_PLAN_DEPTH) -> int:
    """How deeply lists and objects nest in `value` (a scalar: 0), counted without recursion up to limit + 1."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            if depth > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def verify_plan(scenario: Scenario, plan: Any, *, allow_pending: bool = False) -> VerifyReport:
    """Re-check every slate (S01-S19, objective) and the schedule (T01-T10) of a saved plan."""
    if not isinstance(plan, dict):
        raise PlanError(
            "the plan must be a JSON object (the output of `planner slate --json`, an export's "
            "plan.json, or one slate with 'posts')"
        )
    if plan_depth(plan) > MAX_PLAN_DEPTH:
        raise PlanError(
            f"计划嵌套超过{MAX_PLAN_DEPTH}层 / the plan nests deeper than {MAX_PLAN_DEPTH} levels"
        )
    _check_origin(scenario, plan)
    report = VerifyReport(scenario=scenario.id)
    found = False
    slates: list[tuple[Community, str, Slate]] = []
    results = plan.get("communities")
    if "posts" in plan:
        found = True
        slates = _collect_slates(
            scenario, plan, "", plan.get("community", plan.get("scenario")), report.notes
        )
    elif "slates" in plan:
        found = True
        slates = _collect_slates(scenario, plan["slates"], "slates", plan.get("scenario"), report.notes)
    elif isinstance(plan.get("slate"), dict):
        found = True
        slates = _collect_slates(scenario, plan["slate"], "slate", plan.get("scenario"), report.notes)
    elif (
        isinstance(results, dict)
        and results
        and all(isinstance(v, dict) and "slates" in v and "stages" not in v for v in results.values())
    ):
        found = True  # `planner slate --json` of a sub-district: {"communities": {cid: slate result}}
        slates = _collect_slates(scenario, results, "communities", None, report.notes, keyed=True)
    for index, (c, _, slate) in enumerate(slates):
        checks = check_slate(c, slate, allow_pending=allow_pending)
        computed = slate_objective(c, slate)
        checks.append(_objective_check(slate.objective, computed))
        stated = {ch.rule: ch.ok for ch in slate.checks}
        differ = [ch.rule for ch in checks if ch.rule in stated and stated[ch.rule] != ch.ok]
        if differ:
            report.notes.append(
                f"方案{slate.rank or index + 1}自带的检查结果与复核不一致：{', '.join(differ)} / slate "
                f"{slate.rank or index + 1}'s own checks disagree with the re-check: {', '.join(differ)}"
            )
        report.slates.append(
            SlateVerdict(
                community=c.id,
                index=index,
                rank=slate.rank,
                checks=checks,
                objective_stated=slate.objective,
                objective_computed=computed,
            )
        )
    schedule_node, schedule_where = None, ""
    if plan.get("schedule") is not None:
        schedule_node, schedule_where = plan["schedule"], "schedule"
    elif "communities" in plan and not found:
        schedule_node, schedule_where = plan, ""
    if schedule_node is not None:
        found = True
        comms = _schedule_communities(scenario, schedule_node, schedule_where or "plan")
        _check_schedule(scenario, comms, report)
    if not found:
        raise PlanError("the plan has no 'slates', 'posts' or 'schedule' field: nothing to verify")
    if not report.checked_anything:
        status = plan.get("status")
        report.notes.append(
            f"计划中没有方案可复核（status: {status}） / the plan holds no slate to check (status: {status})"
        )
    return report


def _objective_check(stated: int | None, computed: int) -> RuleCheck:
    """The recomputed objective against the one the plan states (a mismatch is a violation)."""
    if stated is None:
        return RuleCheck(
            rule=OBJECTIVE,
            ok=True,
            detail=f"计算值{computed}（计划未注明） / computed {computed} (the plan states none)",
        )
    if stated == computed:
        return RuleCheck(
            rule=OBJECTIVE,
            ok=True,
            detail=f"计算值{computed}，与计划一致 / computed {computed}, as the plan states",
        )
    return RuleCheck(
        rule=OBJECTIVE,
        ok=False,
        detail=f"计划注明{stated}，重新计算为{computed} / the plan states {stated}, recomputed {computed}",
    )


def _check_schedule(scenario: Scenario, comms: dict[str, Any], report: VerifyReport) -> None:
    report.schedule = list(check_schedule(scenario, comms))
    report.schedule_checked = True


# ---------------------------------------------------------------- terminal


def rule_names(rule_id: str) -> tuple[str, str]:
    if rule_id in OTHER_NAMES:
        return OTHER_NAMES[rule_id]
    rule = RULES.get(rule_id)
    return (rule.zh, rule.en) if rule else (rule_id, rule_id)


def format_check(check: RuleCheck) -> str:
    """'✓ S08 年轻干部 young member — 1名35周岁以下…' (one line per rule)."""
    zh, en = rule_names(check.rule)
    mark = "✓" if check.ok else "✗"
    return f"  {mark} {check.rule} {zh} {en} — {check.detail}"


def format_verify(report: VerifyReport, lang: str = "zh") -> str:
    """The verify report for the terminal: per slate and for the schedule, one line per rule."""
    zh = lang == "zh"
    lines = [f"复核方案 Verify plan: {report.scenario}" if zh else f"Verify plan 复核方案: {report.scenario}"]
    for v in report.slates:
        verdict = "✓ 通过 passed" if v.ok else f"✗ 未通过 failed: {', '.join(v.broken())}"
        name = (
            f"方案{v.rank if v.rank is not None else v.index + 1}"
            if zh
            else f"Slate {v.rank if v.rank is not None else v.index + 1}"
        )
        lines.append(f"{name} ({v.community}) — {verdict}")
        lines.extend(format_check(ch) for ch in v.checks)
    if report.schedule_checked:
        bad = [ch.rule for ch in report.schedule or [] if not ch.ok]
        verdict = "✓ 通过 passed" if not bad else f"✗ 未通过 failed: {', '.join(dict.fromkeys(bad))}"
        lines.append(("日程 Schedule" if zh else "Schedule 日程") + f" — {verdict}")
        lines.extend(format_check(ch) for ch in report.schedule or [])
    for note in report.notes:
        lines.append(f"注 Note: {note}" if zh else f"Note 注: {note}")
    if report.ok:
        lines.append(
            "结论：方案符合全部在用规则 / verdict: the plan meets every rule in force"
            if zh
            else "Verdict: the plan meets every rule in force / 结论：方案符合全部在用规则"
        )
    else:
        lines.append(
            "结论：方案不符合规则，见 ✗ 行 / verdict: the plan breaks rules, see the ✗ lines"
            if zh
            else "Verdict: the plan breaks rules, see the ✗ lines / 结论：方案不符合规则，见 ✗ 行"
        )
    return "\n".join(lines)


def load_plan(path: str | Path) -> Any:
    """Read a plan file with planner.loader's limits (a regular file of at most 10 MB, nesting at most 40 deep,
    JSON without NaN or duplicate keys); a file that cannot be read raises PlanError in Chinese and English."""
    try:
        return read_file(Path(path))
    except ScenarioError as exc:
        reasons = "; ".join(f"{i.message_zh or i.message} / {i.message}" for i in exc.issues)
        raise PlanError(f"{path}: 无法读取计划 / cannot read the plan: {reasons}") from None
