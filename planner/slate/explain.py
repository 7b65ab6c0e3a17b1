"""Why no slate exists: a minimal conflict of rule ids, said in Chinese and English with the people involved.

SCENARIO.md "Precise meanings": S01, locks and excludes always hold; with S01 and the conflict's
rules on and every other rule off no slate exists; switching off any one more rule of the conflict
makes one exist. CP-SAT's assumption core (`sufficient_assumptions_for_infeasibility`) is the start;
planner.explain.minimal_conflict shrinks it by re-solving. Then the smallest changes that make a
slate possible are tried in order: (a) switch off one rule of the conflict, (b) an S06 waiver (age,
education) for a named person, (c) a lowered quota (min_women, min_young).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model

from planner import eligibility, interrupt
from planner.explain import minimal_conflict
from planner.kinship import close_relative_pairs
from planner.rules import rule_label
from planner.scenario import (
    BODY_NAMES,
    POST_NAMES,
    TEAM_BODIES,
    Community,
    Person,
    PersonId,
    education_at_least,
)
from planner.slate.model import (
    PC,
    RC,
    SC,
    blocking_rules,
    college,
    exact,
    list_size,
    rc_party_min,
    seats,
    woman,
    young,
)

if TYPE_CHECKING:
    from planner.slate.solve import Session, SlateResult

MAX_NAMED = 8
# The assumption-core solve is only a head start for the deletion loop (whose solves, with the rules
# fixed, presolve away most conflicts): it gets a short budget, after which the loop starts from every rule.
CORE_SECONDS = 1.0
CORE_DETERMINISTIC_TIME = 1.0


def _ids(pids: Iterable[PersonId]) -> str:
    pids = list(pids)
    more = len(pids) - MAX_NAMED
    return ", ".join(pids[:MAX_NAMED]) + (f" (+{more})" if more > 0 else "") if pids else "-"


def _pct(share: Any) -> str:
    value = share * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):.1f}%"


def explanation(conflict: list[str], lines_zh: list[str], lines_en: list[str], people: Iterable[PersonId],
                suggestions: list[dict[str, Any]]) -> dict[str, Any]:
    """The explanation dict of SlateResult (SCENARIO.md: conflict + message, plus the parts)."""
    zh, en = "\n".join(lines_zh), "\n".join(lines_en)
    return {"conflict": conflict, "message": f"{zh}\n{en}", "message_zh": zh, "message_en": en,
            "people": list(dict.fromkeys(people)), "suggestions": suggestions}


def no_candidates(c: Community) -> dict[str, Any]:
    """SCENARIO.md "No people": the slate command says there are no candidates."""
    return explanation([], [f"{c.name or c.id}没有候选人，无法提出班子方案。"],
                       [f"{c.id} has no candidates: no slate can be proposed."], [], [])


class Describer:
    """Words for each rule of a conflict, naming the people it involves."""

    def __init__(self, session: Session, conflict: list[str], locks: dict[PersonId, str | None]):
        self.s = session
        self.c = session.c
        self.conflict = conflict
        self.locks = locks
        excluded = set(session.options.excludes)
        self.people = [p for p in self.c.people if p.id not in excluded]
        self.involved: list[PersonId] = []

    def blocks(self, p: Person, body: str, post: str | None = None) -> dict[str, list]:
        """Reasons of the conflict's person rules barring p from a body (or post)."""
        found = blocking_rules(self.c, p, body, post, self.s.options.allow_pending)
        return {r: v for r, v in found.items() if r in self.conflict}

    def team_blocks(self, p: Person, bodies: Iterable[str] = TEAM_BODIES) -> list[tuple[str, Any]]:
        """(rule, reason) pairs when p is barred from every body given; [] when p can serve somewhere."""
        out: list[tuple[str, Any]] = []
        for body in bodies:
            b = self.blocks(p, body)
            if not b:
                return []
            for rule, reasons in b.items():
                for r in reasons:
                    if (rule, r) not in out:
                        out.append((rule, r))
        return out

    def who(self, people: list[Person], bodies: Iterable[str] = TEAM_BODIES) -> tuple[str, str]:
        """'p07（S04 D12 …）, p09' in zh and en: each person with what bars them (conflict rules only)."""
        bodies = list(bodies)
        zh, en = [], []
        for p in people[:MAX_NAMED]:
            self.involved.append(p.id)
            blocked = self.team_blocks(p, bodies)
            if blocked:
                zh.append(f"{p.id}（" + "；".join(f"{rule} {r.code + ' ' if r.code != rule else ''}{r.zh}"
                                               for rule, r in blocked) + "）")
                en.append(f"{p.id} (" + "; ".join(f"{rule} {r.code + ' ' if r.code != rule else ''}{r.en}"
                                                 for rule, r in blocked) + ")")
            else:
                zh.append(p.id)
                en.append(p.id)
        more = len(people) - MAX_NAMED
        if more > 0:
            zh.append(f"等{len(people)}人")
            en.append(f"and {more} more")
        return "，".join(zh) or "无", ", ".join(en) or "none"

    def quota(self, rule: str, k: int, what_zh: str, what_en: str, qualifying: list[Person],
              bodies: Iterable[str] = TEAM_BODIES, scope_zh: str = "班子", scope_en: str = "the team") -> tuple[str,
                                                                                                            str]:
        if not qualifying:
            return (f"{scope_zh}至少需{k}名{what_zh}，但没有{what_zh}候选人",
                    f"{scope_en} needs at least {k} {what_en}, but there is no such candidate")
        zh, en = self.who(qualifying, bodies)
        only_zh = "唯一的" if len(qualifying) == 1 else ""
        only_en = "the only one: " if len(qualifying) == 1 else ""
        return (f"{scope_zh}至少需{k}名{what_zh}；{only_zh}{what_zh}候选人：{zh}",
                f"{scope_en} needs at least {k} {what_en}; {only_en}{en}")

    def person_rule(self, rule: str, bodies: Iterable[str] = TEAM_BODIES + (SC,), post: str | None = None) -> tuple[
            str, str]:
        barred: list[tuple[Person, list]] = []
        for p in self.people:
            reasons = []
            for body in bodies:
                for r in self.blocks(p, body, post).get(rule, []):
                    if r not in reasons:
                        reasons.append(r)
            if reasons:
                barred.append((p, reasons))
        self.involved += [p.id for p, _ in barred[:MAX_NAMED]]
        zh = "，".join(f"{p.id}（{'；'.join((r.code + ' ' if r.code != rule else '') + r.zh for r in rs)}）"
                      for p, rs in barred[:MAX_NAMED])
        en = ", ".join(f"{p.id} ({'; '.join((r.code + ' ' if r.code != rule else '') + r.en for r in rs)})"
                       for p, rs in barred[:MAX_NAMED])
        if len(barred) > MAX_NAMED:
            zh += f" 等{len(barred)}人"
            en += f" and {len(barred) - MAX_NAMED} more"
        return zh or "无人", en or "nobody"

    def line(self, rule: str) -> tuple[str, str]:
        """One rule of the conflict in words (zh, en)."""
        label_zh, label_en = rule_label(rule, "zh"), rule_label(rule, "en")
        zh, en = getattr(self, f"_{rule}")()
        return f"- {label_zh}：{zh}", f"- {label_en}: {en}"

    def _S02(self) -> tuple[str, str]:
        able = [p for p in self.people if not self.blocks(p, PC, "secretary") and not self.blocks(p, RC)]
        zh, en = self.who(able)
        return (f"书记须兼任居委会主任；可兼任者：{zh}",
                f"the secretary must also be the residents' committee director; who could hold both: {en}")

    def _S03(self) -> tuple[str, str]:
        members = [p for p in self.people if p.party_member]
        zh, en = self.who(members, [PC])
        n = seats(self.c, PC)
        return (f"党组织委员会{n}席均须为党员；党员候选人{len(members)}人：{zh}",
                f"all {n} Party committee seats need Party members; {len(members)} Party members: {en}")

    def _S04(self) -> tuple[str, str]:
        zh, en = self.person_rule("S04")
        return f"有不得确定为候选人情形者不能任职：{zh}", f"disqualified people cannot serve: {en}"

    def _S05(self) -> tuple[str, str]:
        zh, en = self.person_rule("S05")
        return f"资格联审未通过者不能任职：{zh}", f"people without a passed joint review cannot serve: {en}"

    def _S06(self) -> tuple[str, str]:
        zh, en = self.person_rule("S06", [PC], "secretary")
        return f"书记人选须符合任职条件，不符合者：{zh}", f"the secretary must meet the conditions; failing: {en}"

    def _S07(self) -> tuple[str, str]:
        ids = {p.id for p in self.people}
        pairs = [pr for pr in close_relative_pairs(self.c) if pr.a in ids and pr.b in ids][:MAX_NAMED]
        self.involved += [x for pr in pairs for x in (pr.a, pr.b)]
        zh = "；".join(pr.proof_zh for pr in pairs) or "无"
        en = "; ".join(pr.proof_en for pr in pairs) or "none"
        return f"近亲属不得同时任职：{zh}", f"close relatives cannot serve together: {en}"

    def _S08(self) -> tuple[str, str]:
        r = self.c.rules
        return self.quota("S08", r.min_young, f"{r.young_max_age}周岁以下的年轻干部",
                          f"member(s) aged <= {r.young_max_age}", [p for p in self.people if young(self.c, p)])

    def _S09(self) -> tuple[str, str]:
        k = self.c.rules.min_women
        return self.quota("S09", k, "女性", "woman" if k == 1 else "women",
                          [p for p in self.people if woman(self.c, p)])

    def _S10(self) -> tuple[str, str]:
        prev = exact(self.c.previous_term.college_share or 0)
        coll = [p for p in self.people if college(self.c, p)]
        zh, en = self.who(coll)
        return (f"班子大专以上学历比例须高于上届{_pct(prev)}；大专以上候选人{len(coll)}人：{zh}",
                f"the team's college share must exceed the previous {_pct(prev)}; {len(coll)} college candidates: {en}")

    def _S11(self) -> tuple[str, str]:
        need, n = rc_party_min(self.c), seats(self.c, RC)
        members = [p for p in self.people if p.party_member]
        zh, en = self.who(members, [RC])
        return (f"居委会{n}席中党员至少{need}人；党员候选人：{zh}",
                f"the residents' committee ({n} seats) needs at least {need} Party members; Party members: {en}")

    def _S12(self) -> tuple[str, str]:
        return ("居委会副主任须同时进入党组织委员会", "the deputy director must also sit on the Party committee")

    def _S13(self) -> tuple[str, str]:
        return ("监委会主任须由纪检委员担任", "the supervisory director must be the discipline inspector")

    def _S14(self) -> tuple[str, str]:
        return ("居委会成员不得兼任监委会成员", "no residents' committee member may sit on the supervisory committee")

    def _S15(self) -> tuple[str, str]:
        counts = {b: sum(1 for p in self.people if p.stands(b)) for b in (PC, RC, SC)}
        zh = "，".join(f"参选{BODY_NAMES[b][0]}{n}人" for b, n in counts.items())
        en = ", ".join(f"{n} stand for the {BODY_NAMES[b][1]}" for b, n in counts.items())
        return f"只能在本人参选的机构任职：{zh}", f"people serve only where they stand: {en}"

    def _S16(self) -> tuple[str, str]:
        zh, en = self.person_rule("S16")
        return f"任职者须年满18周岁且为登记选民：{zh}", f"holders must be adult resident voters: {en}"

    def _S17(self) -> tuple[str, str]:
        pc, rc = list_size(self.c, PC), list_size(self.c, RC)
        able = {b: sum(1 for p in self.people if not self.blocks(p, b)) for b in TEAM_BODIES}
        return (f"差额：党组织名单至少{pc}人（可列入{able[PC]}人），居委会名单至少{rc}人（可列入{able[RC]}人）",
                (f"differential lists: the Party list needs {pc} (eligible {able[PC]}), "
                 f"the residents' list {rc} (eligible {able[RC]})"))

    def _S18(self) -> tuple[str, str]:
        return ("差额稳健：无论名单中谁落选，当选班子仍须满足S08-S11",
                "robust lists: whoever on the lists loses, the elected team must still meet S08-S11")

    def _S19(self) -> tuple[str, str]:
        return self.quota("S19", 1, "少数民族成员", "ethnic minority member(s)",
                          [p for p in self.people if p.is_minority], [RC], "居委会", "the residents' committee")


def _changed(c: Community, **rule_values: Any) -> Community:
    c2 = c.model_copy(deep=True)
    for key, value in rule_values.items():
        setattr(c2.rules, key, value)
    return c2


Locks = dict[PersonId, str | None]


def feasible_any(session: Session, enabled: Iterable[str], alternatives: list[Locks], *,
                 c: Community | None = None) -> bool:
    """Whether a slate exists under some one of the lock alternatives (unknown counts as feasible)."""
    enabled = list(enabled)
    return any(session.feasible(enabled, c=c, locks=locks) for locks in alternatives)


def suggestions(session: Session, conflict: list[str], locks: Locks | list[Locks]) -> list[dict[str, Any]]:
    """Smallest changes that make a slate possible, in order: (a) one rule off, (b) an S06 waiver, (c) a quota.

    `locks` may be a list of alternatives (why-not: the person in the team, or on the supervisory
    committee): a change counts when a slate exists under one of them.
    """
    from planner.slate.solve import in_force

    c = session.c
    alternatives = locks if isinstance(locks, list) else [locks]
    rules = in_force(c)
    out: list[dict[str, Any]] = []
    for rule in conflict:  # (a)
        if feasible_any(session, [r for r in rules if r != rule], alternatives):
            out.append({"change": {"rules.disabled": [rule]}, "zh": f"关闭{rule_label(rule, 'zh')}",
                        "en": f"switch off {rule_label(rule, 'en')}"})
    if "S06" in conflict:  # (b)
        for p in c.people:
            if p.id in session.options.excludes or not eligibility.reasons_S06(c, p):
                continue
            if c.party_years(p) is None or c.party_years(p) < c.rules.secretary_min_party_years:
                continue  # Party standing cannot be waived
            needed = []
            incumbent = eligibility.is_incumbent_secretary(p)
            if not incumbent and c.age(p) > c.rules.secretary_max_age and "age" not in p.waivers:
                needed.append("age")
            if not incumbent and not education_at_least(p.education, c.rules.secretary_min_education) \
                    and "education" not in p.waivers:
                needed.append("education")
            c2 = c.model_copy(deep=True)
            target = next(q for q in c2.people if q.id == p.id)
            target.waivers = [*target.waivers, *needed]
            if needed and feasible_any(session, rules, alternatives, c=c2):
                zh_kind = "、".join({"age": "年龄", "education": "学历"}[k] for k in needed)
                out.append({"change": {f"people.{p.id}.waivers": needed},
                            "zh": f"批准{p.id}的书记任职{zh_kind}放宽",
                            "en": f"approve a {' and '.join(needed)} waiver for {p.id} as secretary"})
    for rule, key, zh_name, en_name in (("S09", "min_women", "女性最低人数", "minimum women"),  # (c)
                                        ("S08", "min_young", "年轻干部最低人数", "minimum young members")):
        if rule not in conflict:
            continue
        current = getattr(c.rules, key)
        for k in range(current - 1, -1, -1):
            if feasible_any(session, rules, alternatives, c=_changed(c, **{key: k})):
                out.append({"change": {f"rules.{key}": k}, "zh": f"将{zh_name}由{current}降为{k}",
                            "en": f"lower the {en_name} from {current} to {k}"})
                break
    return out


def core_by_assumptions(session: Session, candidates: list[str], locks: dict[PersonId, str | None]) -> list[str]:
    """CP-SAT's sufficient assumptions for infeasibility: a start for the deletion loop (not minimal)."""
    sm = session.build(enabled=candidates, assumptions=True, locks=locks, objective=False)
    sm.model.add_assumptions([sm.enable[r] for r in candidates])
    solver = session.solver(deterministic=True, deterministic_time=CORE_DETERMINISTIC_TIME)
    solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, CORE_SECONDS)
    if interrupt.solve(solver, sm.model) != cp_model.INFEASIBLE:  # not proved in time: the loop starts from all
        return candidates
    core = set(solver.sufficient_assumptions_for_infeasibility())
    found = [r for r in candidates if sm.enable[r].index in core]
    return found if not session.feasible(found, locks=locks) else candidates


def explain_infeasible(session: Session, locks: Locks | None = None, subject: PersonId | None = None,
                       alternatives: list[Locks] | None = None) -> dict[str, Any]:
    """A minimal conflict (SCENARIO.md) with words, people and suggestions; locks default to the options'.

    `alternatives` (why-not) are lock sets of which any one would do: the conflict is then a minimal
    set of rules under which no slate exists for any of them (dropping one rule makes one exist for some).
    """
    from planner.slate.solve import in_force

    c = session.c
    locks = dict(session.options.locks if locks is None else locks)
    alts = [dict(a) for a in alternatives] if alternatives else [locks]
    candidates = in_force(c)
    head_zh = f"{subject}无法在任何符合要求的班子方案中任职。" if subject else "无法组成符合全部规则的班子。"
    head_en = f"{subject} cannot hold a post in any valid slate." if subject else "No slate meets all the rules."
    if not feasible_any(session, [], alts):
        need = sum(seats(c, b) for b in (PC, RC, SC))
        n = len([p for p in c.people if p.id not in session.options.excludes])
        people = [subject] if subject else []
        shown = locks if len(alts) == 1 else " / ".join(str(a) for a in alts)
        zh = (f"即使关闭全部可关闭的规则，职数、锁定和排除也无法同时满足"
              f"（三个机构共{need}席，可用候选人{n}人；锁定：{shown or '无'}）。")
        en = (f"Even with every rule that can be switched off off, the seats, locks and excludes cannot all hold "
              f"({need} seats in the three bodies, {n} candidates available; locks: {shown or 'none'}).")
        return explanation([], [head_zh, zh], [head_en, en], people, [])
    found: set[str] = set()
    for a in alts:  # each alternative's core; together no alternative has a slate
        found.update(core_by_assumptions(session, candidates, a))
    start = [r for r in candidates if r in found]
    if feasible_any(session, start, alts):  # pragma: no cover - each core is proved infeasible
        start = candidates
    conflict = minimal_conflict(start, lambda subset: feasible_any(session, subset, alts))
    describer = Describer(session, conflict, alts[0])
    if subject:
        describer.involved.append(subject)
    lines_zh, lines_en = [head_zh + "以下规则不能同时满足："], [head_en + " These rules cannot hold together:"]
    for rule in conflict:
        zh, en = describer.line(rule)
        lines_zh.append(zh)
        lines_en.append(en)
    sugg = suggestions(session, conflict, alts)
    if sugg:
        lines_zh.append("可行的调整：" + "；".join(s["zh"] for s in sugg))
        lines_en.append("Changes that would allow a slate: " + "; ".join(s["en"] for s in sugg))
    return explanation(conflict, lines_zh, lines_en, describer.involved, sugg)


WHY_NOT_PLACES: tuple[str | None, ...] = (None, SC)
"""--why-not: ID holds any post, i.e. a post in the 两委 team (lock None) or on the supervisory committee."""


def why_not(session: Session, result: SlateResult, pid: PersonId) -> dict[str, Any]:
    """`--why-not ID`: the best slate in which ID holds any post (supervisory committee included) and its cost,
    or a minimal conflict of rules under which no slate gives them any post.

    SCENARIO.md "Locks and why-not". "Any post" is the union of two lock alternatives, ID in the team and ID on
    the supervisory committee, so its best objective is the better of the two bests: the answer depends only
    on objectives, never on which of several equal slates the solver reported (a person left out of slate 1
    only by the tie-break is answered "a best slate includes them, at no cost"). A lock the user already put
    on ID is kept as it is.
    """
    from planner.slate.solve import slate_json, verified

    c = session.c
    if pid not in c.person:
        raise ValueError(f"--why-not: unknown person '{pid}'")
    out: dict[str, Any] = {"person": pid, "possible": None, "in_best": False, "in_a_best": False, "cost": None,
                           "slate": None, "explanation": None}
    if result.slates and result.slates[0].post_of(pid):
        best = result.slates[0]
        posts_zh = "、".join(f"{BODY_NAMES[b][0]}{POST_NAMES[post][0]}" for b, post in best.post_of(pid))
        out.update(possible=True, in_best=True, in_a_best=True, cost=0, slate=1, objective=best.objective,
                   message_zh=f"{pid}已在最佳方案中（{posts_zh}）。",
                   message_en=f"{pid} is already in the best slate ({', '.join(f'{b}.{p}' for b, p in best.post_of(pid))}).")
        return out
    if pid in session.options.locks:
        alternatives = [dict(session.options.locks)]
    else:
        alternatives = [{**session.options.locks, pid: where} for where in WHY_NOT_PLACES]
    optimum = result.slates[0].objective if result.slates else None
    found: Any = None
    statuses = []
    for locks in alternatives:
        solved = session.optimize(session.build(locks=locks))
        statuses.append(solved.status)
        if solved.slate is None or solved.objective is None:
            continue
        if found is None or solved.objective > found.objective:
            found = solved
        if optimum is not None and solved.objective >= optimum:
            break  # nothing can beat the optimum
    if found is not None:
        slate = verified(c, found.slate, found.objective, 1, session.options.allow_pending)
        cost = None if optimum is None else optimum - found.objective
        posts = slate.post_of(pid)
        posts_zh = "、".join(f"{BODY_NAMES[b][0]}{POST_NAMES[post][0]}" for b, post in posts)
        posts_en = ", ".join(f"{b}.{p}" for b, p in posts)
        out.update(possible=True, cost=cost, objective=found.objective, slate=slate_json(slate),
                   in_a_best=cost == 0)
        if cost == 0:
            out.update(message_zh=f"另一个同样最佳的方案（目标值{found.objective}）包含{pid}（{posts_zh}），没有代价。",
                       message_en=(f"A best slate (objective {found.objective}, the same as the optimum) includes "
                                   f"{pid} ({posts_en}) at no cost."))
        else:
            out.update(message_zh=f"含{pid}（{posts_zh}）的最佳方案目标值为{found.objective}" +
                       (f"，比最佳方案低{cost}。" if cost is not None else "。"),
                       message_en=f"The best slate with {pid} ({posts_en}) scores {found.objective}" +
                       (f", {cost} below the best slate." if cost is not None else "."))
        return out
    if all(st == "infeasible" for st in statuses):
        exp = explain_infeasible(session, locks=alternatives[0], subject=pid, alternatives=alternatives)
        out.update(possible=False, explanation=exp, message_zh=exp["message_zh"], message_en=exp["message_en"])
        return out
    out.update(message_zh=f"在时限内未能确定{pid}能否入选。", message_en=f"Could not decide in time whether {pid} can serve.")
    return out
