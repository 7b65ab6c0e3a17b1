"""Re-planning with the least change from an adopted plan (`planner slate SCENARIO --base PLAN.json`).

SCENARIO.md "Re-planning". The base is a slate the planners adopted (the first slate of `planner slate
--json`, or of an exported plan.json, per community). Events say what happened since (`--event
p07=failed_review|withdrew|not_elected`), each mapped to a scenario edit or an exclusion with its own
wording; the what-if options (locks, excludes, allow-pending) still apply. The new slate is the
lexicographic optimum of, in this order:

1. feasibility (every rule in force; when none is left, the minimal conflict of planner.slate.explain);
2. the fewest people moved out of their posts (a base holder who does not hold every post they held);
3. the fewest posts changed (base holdings lost: a single post that changed hands, a member seat left);
4. the best objective (RULES.md);
5. the fewest candidate-list places lost, then the usual tie-break (solve.tiebreak_terms).

Exact: each level is solved to optimality by CP-SAT on one worker with the options' seed (deterministic),
its optimum then fixed as a constraint for the next level. The counts are recounted solver-free
(planner.check.replan) and the slate re-checked by planner.check like every other plan. The answer lists
what changed and why: each person moved (the event, a rule that bars them, a minimal conflict of rules
that keeping them would break, or more change elsewhere), who took each post, and the list changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.check.replan import count_changes, holdings, list_places
from planner.explain import minimal_conflict
from planner.interrupt import solve as interruptible_solve
from planner.issues import Issue, ScenarioError, issue
from planner.loader import read_file
from planner.plan import Slate, SlateResult
from planner.rules import rule_label
from planner.scenario import (
    BODIES,
    BODY_NAMES,
    POST_NAMES,
    TEAM_BODIES,
    Community,
    PersonId,
    Scenario,
    communities,
)
from planner.slate.explain import explain_infeasible, no_candidates
from planner.slate.model import SlateModel, blocking_rules, build_model, in_force
from planner.slate.solve import Session, SlateOptions, extract, tiebreak_terms, verified
from planner.text import Text

LEVEL_DETERMINISTIC_TIME = 30.0
EVENTS: dict[str, Text] = {
    "failed_review": Text("未通过资格联审", "failed the joint review"),
    "withdrew": Text("本人退出", "withdrew"),
    "not_elected": Text("未当选", "was not elected"),
}
LEVELS = ("people_moved", "posts_changed", "objective", "list_changes")


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Event:
    """What happened to a person since the base plan was adopted."""

    person: PersonId
    kind: str  # a key of EVENTS

    @property
    def text(self) -> Text:
        return EVENTS[self.kind]

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person, "event": self.kind, "zh": self.text.zh, "en": self.text.en}


def parse_event(text: str) -> Event:
    """`ID=failed_review|withdrew|not_elected`; a ValueError in Chinese and English otherwise."""
    pid, sep, kind = text.partition("=")
    pid, kind = pid.strip(), kind.strip()
    if not sep or not pid or kind not in EVENTS:
        raise ValueError(
            f"--event {text}：请写成 编号=事件，事件为 {' | '.join(EVENTS)} / write ID=EVENT with EVENT one "
            f"of {', '.join(EVENTS)} (e.g. --event p07=failed_review)"
        )
    return Event(pid, kind)


def apply_events(
    c: Community, events: list[Event], base: Slate | None
) -> tuple[Community, list[PersonId], list[Text]]:
    """The community after the events, the people they exclude, and what each did (for the audit).

    failed_review: the person's joint review becomes `failed` (S05 bars them); withdrew: excluded, like
    `--exclude`; not_elected: the person no longer stands for the bodies they held or were listed for in
    the base (S15 bars them there; every body when none, or when S15 is switched off: then excluded).
    """
    people = {p.id: p for p in c.people}
    excluded: list[PersonId] = []
    said: list[Text] = []
    for ev in events:
        p = people.get(ev.person)
        if p is None:
            raise ValueError(f"--event: '{ev.person}' 不是{c.id}的人员 / is not a person of {c.id}")
        name = p.display
        if ev.kind == "failed_review":
            people[p.id] = p.model_copy(update={"joint_review": "failed", "joint_reviews": []})
            said.append(Text(f"{name}未通过资格联审（S05）", f"{name} failed the joint review (S05)"))
        elif ev.kind == "withdrew":
            excluded.append(p.id)
            said.append(Text(f"{name}本人退出（排除）", f"{name} withdrew (excluded)"))
        else:
            bodies = set()
            if base is not None:
                bodies = {b for b in BODIES if p.id in base.members(b)}
                bodies |= {b for b in TEAM_BODIES if p.id in base.candidate_lists.get(b, [])}
            standing = [b for b in BODIES if p.stands(b) and b not in bodies] if bodies else []
            if not c.rules.on("S15") or not standing:
                excluded.append(p.id)
                said.append(Text(f"{name}未当选（排除）", f"{name} was not elected (excluded)"))
            else:
                people[p.id] = p.model_copy(update={"stands_for": standing})
                lost_zh = "、".join(BODY_NAMES[b][0] for b in BODIES if b in bodies)
                lost_en = ", ".join(BODY_NAMES[b][1] for b in BODIES if b in bodies)
                said.append(
                    Text(
                        f"{name}未当选，不再参选{lost_zh}（S15）",
                        f"{name} was not elected and no longer stands for the {lost_en} (S15)",
                    )
                )
    changed = c.model_copy(update={"people": [people[p.id] for p in c.people]})
    return changed, excluded, said


# ---------------------------------------------------------------- the base plan


def _bad(source: str, record: str, message: str, message_zh: str, field: str = "") -> Issue:
    return issue(
        source,
        message,
        message_zh,
        record=record,
        field=field,
        hint="give the output of `planner slate --json` or an exported plan.json of this scenario",
        hint_zh="请使用本场景 `planner slate --json` 的输出或导出的 plan.json",
    )


def _first_slates(data: Any, source: str, scenario: Scenario) -> dict[str, tuple[str, Any]]:
    """The first slate of each community in a plan's data, with where it was found."""
    if not isinstance(data, dict):
        raise ScenarioError([_bad(source, "", "a plan is a JSON object", "计划应为 JSON 对象")])
    out: dict[str, tuple[str, Any]] = {}
    if isinstance(data.get("communities"), dict):  # `planner slate --json` of a sub-district
        for cid, entry in data["communities"].items():
            slates = entry.get("slates") if isinstance(entry, dict) else None
            if isinstance(slates, list) and slates:
                out[str(cid)] = (f"communities.{cid}.slates[0]", slates[0])
        return out
    slates = data.get("slates")
    if not isinstance(slates, list):
        raise ScenarioError(
            [_bad(source, "", "the plan has no 'slates' list", "计划中没有 slates 列表", "slates")]
        )
    for i, slate in enumerate(slates):
        if not isinstance(slate, dict):
            raise ScenarioError(
                [_bad(source, f"slates[{i}]", "a slate is a JSON object", "方案应为 JSON 对象")]
            )
        cid = slate.get("community", data.get("scenario"))
        if isinstance(cid, str) and cid not in out:
            out[cid] = (f"slates[{i}]", slate)
    return out


def validate_base(c: Community, data: Any, source: str, record: str) -> Slate:
    """A base slate for `c`: known posts, people of `c`, nobody twice in a body; ScenarioError otherwise."""
    if not isinstance(data, dict) or "posts" not in data:
        raise ScenarioError([_bad(source, record, "a slate needs 'posts'", "方案缺少 posts", "posts")])
    try:
        slate = Slate.from_json(data)
    except Exception as exc:  # pydantic ValidationError: unknown post or body, wrong type
        errors = getattr(exc, "errors", lambda: [])()
        issues = [
            _bad(
                source,
                record,
                f"not a slate: {e.get('msg', '')}",
                f"不是有效的方案：{e.get('msg', '')}",
                ".".join(str(x) for x in e.get("loc", ())),
            )
            for e in errors
        ] or [_bad(source, record, f"not a slate: {exc}", f"不是有效的方案：{exc}")]
        raise ScenarioError(issues) from None
    issues = []
    for body in BODIES:
        seen: set[str] = set()
        for post, pid in slate.holders(body):
            where = f"posts.{body}.{post}"
            if pid not in c.person:
                issues.append(
                    _bad(
                        source,
                        record,
                        f"'{pid}' is not a person of {c.id}",
                        f"“{pid}”不是{c.id}的人员",
                        where,
                    )
                )
            if pid in seen:
                issues.append(
                    _bad(
                        source,
                        record,
                        f"'{pid}' holds two posts of {body}",
                        f"“{pid}”在同一机构任两职",
                        where,
                    )
                )
            seen.add(pid)
    for body, people in slate.candidate_lists.items():
        if body not in TEAM_BODIES:
            issues.append(
                _bad(
                    source,
                    record,
                    f"'{body}' has no candidate list",
                    f"“{body}”没有候选人名单",
                    "candidate_lists",
                )
            )
            continue
        for pid in people:
            if pid not in c.person:
                issues.append(
                    _bad(
                        source,
                        record,
                        f"'{pid}' is not a person of {c.id}",
                        f"“{pid}”不是{c.id}的人员",
                        f"candidate_lists.{body}",
                    )
                )
    if issues:
        raise ScenarioError(issues)
    slate.checks = []
    return slate


def bases_from_data(data: Any, source: str, scenario: Scenario) -> dict[str, Slate]:
    """The base slate of each community the plan covers; a plan of another scenario is bad input."""
    found = _first_slates(data, source, scenario)
    known = {c.id: c for c in communities(scenario)}
    stated = data.get("scenario") if isinstance(data, dict) else None
    allowed = {scenario.id, *known}
    if isinstance(stated, str) and stated not in allowed:
        raise ScenarioError(
            [
                _bad(
                    source,
                    "",
                    f"the plan is of scenario '{stated}', not '{scenario.id}'",
                    f"该计划属于场景“{stated}”，不是“{scenario.id}”",
                    "scenario",
                )
            ]
        )
    out: dict[str, Slate] = {}
    issues: list[Issue] = []
    for cid, (record, slate) in found.items():
        if cid not in known:
            issues.append(
                _bad(
                    source,
                    record,
                    f"community '{cid}' is not in {scenario.id}",
                    f"社区“{cid}”不在{scenario.id}中",
                    "community",
                )
            )
            continue
        try:
            out[cid] = validate_base(known[cid], slate, source, record)
        except ScenarioError as exc:
            issues += exc.issues
    if issues:
        raise ScenarioError(issues)
    if not out:
        raise ScenarioError(
            [_bad(source, "", "the plan holds no slate to adopt", "计划中没有可采用的方案", "slates")]
        )
    return out


def read_bases(path: str, scenario: Scenario) -> dict[str, Slate]:
    """`--base PLAN.json` read with planner.loader's limits and validated (ScenarioError names file and record)."""
    from pathlib import Path

    return bases_from_data(read_file(Path(path)), str(path), scenario)


# ---------------------------------------------------------------- solving levels


def solve_levels(
    session: Session,
    sm: SlateModel,
    levels: list[tuple[cp_model.LinearExprT, bool]],
) -> tuple[str, list[int]]:
    """Lexicographic: each (expression, maximise?) solved in turn, its optimum fixed as a constraint.

    Returns the status (optimal when every level was proved, feasible when a time limit stopped one,
    infeasible / unknown when the first found nothing) and the values; the last solution stays in
    session.last_values and the solver in `session.cache["level_solver"]`.
    """
    model = sm.model
    values: list[int] = []
    proved = True
    for expr, maximise in levels:
        model.clear_objective()
        (model.maximize if maximise else model.minimize)(expr)
        solver = session.solver(deterministic=True, deterministic_time=LEVEL_DETERMINISTIC_TIME)
        status = interruptible_solve(solver, model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not values:
                return ("infeasible" if status == cp_model.INFEASIBLE else "unknown"), []
            break  # pragma: no cover - a later level found nothing in time: keep what the earlier proved
        proved = proved and status == cp_model.OPTIMAL
        value = int(round(solver.value(expr)))
        values.append(value)
        model.add(expr == value)
        model.clear_hints()
        model.proto.solution_hint.vars.extend(range(len(model.proto.variables)))
        model.proto.solution_hint.values.extend(solver.response_proto.solution)
        session.cache["level_solver"] = solver
    return ("optimal" if proved and len(values) == len(levels) else "feasible"), values


def change_levels(sm: SlateModel, base: Slate) -> list[tuple[cp_model.LinearExprT, bool]]:
    """People moved (min), posts changed (min), objective (max), list places lost x W + tie-break (min)."""
    model = sm.model
    moved = []
    by_person: dict[PersonId, list[Any]] = {}
    for pid, body, post in sorted(holdings(base)):
        by_person.setdefault(pid, []).append(sm.x.get((pid, body, post)))
    changed: list[Any] = []
    for pid, held in by_person.items():
        mv = model.new_bool_var(f"moved[{pid}]")
        for v in held:
            if v is None:
                model.add(mv == 1)
                changed.append(1)
            else:
                model.add(mv >= 1 - v)
                changed.append(1 - v)
        moved.append(mv)
    lost = [1 - sm.l[k] if k in sm.l else 1 for k in sorted(list_places(base))]
    tiebreak, scale, _ = tiebreak_terms(sm)
    return [
        (sum(moved), False),
        (sum(changed), False),
        (sm.objective_expr(), True),
        (scale * sum(lost) + tiebreak, False),
    ]


def _build(
    session: Session, extra: Callable[[SlateModel], None] | None = None, enabled: Any = None
) -> SlateModel:
    o = session.options
    return build_model(
        session.c,
        enabled=enabled,
        locks=o.locks,
        excludes=o.excludes,
        allow_pending=o.allow_pending,
        extra=extra,
        distinct=None,
        cache=session.cache,
    )


def _fix(held: list[tuple[PersonId, str, str]]) -> Callable[[SlateModel], None]:
    """A model hook keeping every holding given (an absent variable makes the model infeasible)."""

    def hook(sm: SlateModel) -> None:
        for key in held:
            v = sm.x.get(key)
            sm.model.add(v == 1) if v is not None else sm.model.add_bool_or([])

    return hook


def best_change(session: Session, base: Slate, extra: Callable[[SlateModel], None] | None = None) -> Any:
    """(status, values, slate) of the lexicographic optimum (values as LEVELS, the last without W x)."""
    sm = _build(session, extra)
    status, values = solve_levels(session, sm, change_levels(sm, base))
    if not values:
        return status, values, None
    solver = session.cache["level_solver"]
    slate = extract(sm, solver, session.c)
    return status, values, slate


# ---------------------------------------------------------------- the answer


def _post(body: str, post: str) -> Text:
    return Text(f"{BODY_NAMES[body][0]}{POST_NAMES[post][0]}", f"{BODY_NAMES[body][1]} {POST_NAMES[post][1]}")


def _posts(held: list[tuple[str, str]]) -> Text:
    if not held:
        return Text("无职务", "no post")
    return Text.join((_post(b, q) for b, q in held), "、", ", ")


def _name(c: Community, pid: PersonId | None) -> str:
    if pid is None:
        return "—"
    p = c.person.get(pid)
    return p.display if p else pid


def why_moved(
    session: Session,
    base: Slate,
    pid: PersonId,
    events: dict[PersonId, Event],
    values: list[int],
    user_excludes: list[PersonId],
) -> tuple[dict[str, Any], Text]:
    """Why a base holder left a post: their event, an exclusion, a rule barring them, a minimal conflict of
    rules keeping them would break, or (keeping them possible) the extra change keeping them would cost."""
    c = session.c
    if pid in events:
        ev = events[pid]
        return {"kind": "event", "event": ev.kind}, ev.text
    if pid in user_excludes:
        return {"kind": "excluded"}, Text("已被排除（假设分析设置）", "excluded by your what-if settings")
    held = sorted(h for h in holdings(base) if h[0] == pid)
    p = c.person[pid]
    barred: dict[str, list] = {}
    for _, body, post in held:
        barred.update(blocking_rules(c, p, body, post, session.options.allow_pending))
    if barred:
        rules = sorted(barred)
        reasons = [r for rs in barred.values() for r in rs]
        zh = "；".join(getattr(r, "zh", str(r)) for r in reasons)
        en = "; ".join(getattr(r, "en", str(r)) for r in reasons)
        label = Text(
            "、".join(rule_label(r, "zh") for r in rules), ", ".join(rule_label(r, "en") for r in rules)
        )
        return {"kind": "rule", "rules": rules}, Text(
            f"不再符合{label.zh}：{zh}", f"no longer meets {label.en}: {en}"
        )
    keep = _fix(held)

    def feasible(subset: set[str]) -> bool:
        sm = _build(session, keep, enabled=subset)
        solver = session.solver()
        return interruptible_solve(solver, sm.model) != cp_model.INFEASIBLE

    if not feasible(set(in_force(c))):
        rules = minimal_conflict(in_force(c), feasible)
        label = Text(
            "、".join(rule_label(r, "zh") for r in rules), ", ".join(rule_label(r, "en") for r in rules)
        )
        if not rules:
            return {"kind": "rule", "rules": []}, Text(
                "留任原职与职数、锁定或排除冲突", "keeping them conflicts with the seats, locks or excludes"
            )
        return {"kind": "rule", "rules": rules}, Text(
            f"留任原职将违反{label.zh}", f"keeping them would break {label.en}"
        )
    _, kept, _ = best_change(session, base, keep)
    out = {"kind": "least_change", "if_kept": dict(zip(LEVELS[:3], kept[:3], strict=False))}
    if kept[:3] == values[:3]:
        return out, Text(
            "同样最小的调整之一（按排序规则选定）", "one of equally small changes (chosen by the tie-break)"
        )
    if kept[0] != values[0]:
        zh, en = (
            f"留任原职须调动{kept[0]}人（现为{values[0]}人）",
            f"keeping them would move {kept[0]} people instead of {values[0]}",
        )
    elif kept[1] != values[1]:
        zh = f"留任原职须变动{kept[1]}个职务（现为{values[1]}个）"
        en = f"keeping them would change {kept[1]} posts instead of {values[1]}"
    else:
        zh, en = (
            f"留任原职目标值为{kept[2]}（现为{values[2]}）",
            f"keeping them would score {kept[2]} instead of {values[2]}",
        )
    return out, Text(zh, en)


def change_list(
    session: Session,
    base: Slate,
    new: Slate,
    events: dict[PersonId, Event],
    values: list[int],
    user_excludes: list[PersonId],
) -> list[dict[str, Any]]:
    """What changed from the base, each entry with `zh` and `en`: people moved, posts changed, list changes."""
    c = session.c
    count = count_changes(base, new)
    out: list[dict[str, Any]] = []
    before, after = holdings(base), holdings(new)
    for pid in count.moved:
        lost = [(b, q) for p, b, q in sorted(before - after) if p == pid]
        now = [(b, q) for b, q in new.post_of(pid)]
        reason, why = why_moved(session, base, pid, events, values, user_excludes)
        text = Text(
            f"{_name(c, pid)}离开{_posts(lost).zh}（原因：{why.zh}）；现任：{_posts(now).zh}",
            f"{_name(c, pid)} left {_posts(lost).en} (reason: {why.en}); now: {_posts(now).en}",
        )
        out.append(
            {
                "kind": "moved",
                "person": pid,
                "from": [list(h) for h in lost],
                "to": [list(h) for h in now],
                "reason": {**reason, "zh": why.zh, "en": why.en},
                "zh": text.zh,
                "en": text.en,
            }
        )
    for body in BODIES:
        base_by_post: dict[str, list[PersonId]] = {}
        new_by_post: dict[str, list[PersonId]] = {}
        for post, pid in base.holders(body):
            base_by_post.setdefault(post, []).append(pid)
        for post, pid in new.holders(body):
            new_by_post.setdefault(post, []).append(pid)
        for post in dict.fromkeys([*base_by_post, *new_by_post]):
            was, now_ = base_by_post.get(post, []), new_by_post.get(post, [])
            gone = [p for p in was if p not in now_]
            came = [p for p in now_ if p not in was]
            for i in range(max(len(gone), len(came))):
                a = gone[i] if i < len(gone) else None
                b = came[i] if i < len(came) else None
                text = Text(
                    f"{_post(body, post).zh}：{_name(c, a)} → {_name(c, b)}",
                    f"{_post(body, post).en}: {_name(c, a)} → {_name(c, b)}",
                )
                out.append(
                    {
                        "kind": "post",
                        "body": body,
                        "post": post,
                        "before": a,
                        "after": b,
                        "zh": text.zh,
                        "en": text.en,
                    }
                )
    for body in TEAM_BODIES:
        was = base.candidate_lists.get(body, [])
        now_ = new.candidate_lists.get(body, [])
        added, removed = [p for p in now_ if p not in was], [p for p in was if p not in now_]
        if added or removed:
            text = Text(
                f"{BODY_NAMES[body][0]}候选人名单：增加 {'、'.join(added) or '无'}，移出 {'、'.join(removed) or '无'}",
                f"{BODY_NAMES[body][1]} candidate list: added {', '.join(added) or 'none'}, "
                f"removed {', '.join(removed) or 'none'}",
            )
            out.append(
                {
                    "kind": "list",
                    "body": body,
                    "added": added,
                    "removed": removed,
                    "zh": text.zh,
                    "en": text.en,
                }
            )
    return out


def replan(
    c: Community,
    base: Slate,
    options: SlateOptions | None = None,
    events: list[Event] | None = None,
    *,
    source: str = "",
) -> SlateResult:
    """The least-change slate from `base` after `events` under `options` (module docstring), or the conflict.

    The result's `base` records the source, the adopted slate, the events and the levels; `changes`
    lists what changed and why. `options.top` is ignored: one answer, the lexicographic optimum.
    """
    options = options or SlateOptions()
    events = list(events or [])
    validate_base(c, base.to_json(), source or "<base>", "base")
    changed, excluded, said = apply_events(c, events, base)
    user_excludes = list(options.excludes)
    opts = replace(options, top=1, excludes=list(dict.fromkeys([*options.excludes, *excluded])), why_not=None)
    session = Session(changed, opts)
    result = SlateResult(scenario=c.id, status="unknown", solver=opts.settings())
    result.base = {
        "source": source,
        "community": c.id,
        "slate": base.to_json(),
        "events": [ev.to_json() for ev in events],
        "applied": [t.to_json() for t in said],
    }
    if not changed.people:
        result.status, result.explanation = "infeasible", no_candidates(c)
        return result
    status, values, slate = best_change(session, base)
    result.status = status
    if slate is None:
        if status == "infeasible":
            result.explanation = explain_infeasible(session)
        return result
    slate = verified(changed, slate, values[2], 1, opts.allow_pending)
    count = count_changes(base, slate)
    if (count.people_moved, count.posts_changed) != (values[0], values[1]):
        raise RuntimeError(
            f"checker recount of the change disagrees: {count} vs the solver's {values[:2]}"
        )  # pragma: no cover - a bug
    result.slates.append(slate)
    result.base.update(
        people_moved=count.people_moved,
        posts_changed=count.posts_changed,
        list_changes=count.list_changes,
        objective=slate.objective,
    )
    by_person = {ev.person: ev for ev in events}
    result.changes = change_list(session, base, slate, by_person, values, user_excludes)
    return result


def replan_scenario(
    scenario: Scenario,
    bases: dict[str, Slate],
    options: dict[str, SlateOptions],
    events: list[Event],
    source: str,
) -> dict[str, SlateResult]:
    """Every community: re-planned from its base when the plan has one, solved afresh otherwise."""
    from planner.slate.orchestrate import solve_slates

    out: dict[str, SlateResult] = {}
    for c in communities(scenario):
        mine = [ev for ev in events if ev.person in c.person]
        if c.id in bases:
            out[c.id] = replan(c, bases[c.id], options[c.id], mine, source=source)
        else:
            out[c.id] = solve_slates(c, options[c.id])
    return out


__all__ = [
    "EVENTS",
    "Event",
    "apply_events",
    "bases_from_data",
    "change_list",
    "parse_event",
    "read_bases",
    "replan",
    "replan_scenario",
    "validate_base",
]
