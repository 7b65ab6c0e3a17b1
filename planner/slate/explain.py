"""Why no slate exists: a minimal conflict of rule ids, said in Chinese and English with the people involved.

SCENARIO.md "Precise meanings": S01, locks and excludes always hold; with S01 and the conflict's
rules on and every other rule off no slate exists; switching off any one more rule of the conflict
makes one exist. CP-SAT's assumption core (`sufficient_assumptions_for_infeasibility`) is the start;
planner.explain.minimal_conflict shrinks it by re-solving. Then the smallest changes that make a
slate possible are tried in order: (a) switch off one rule of the conflict, (b) an S06 waiver (age,
education) for a named person, (c) a lowered quota (min_women, min_young).

Each rule's sentence is its registered describer (`@rule("S07", "describe")` on `S07_recusal(ctx) -> Text`),
naming the people involved; messages, suggestions and lines are `Text(zh, en)`. This module never imports
planner.slate.solve: it works on any session with the `Solving` interface (planner.slate.orchestrate
passes a solve.Session).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ortools.sat.python import cp_model

from planner import eligibility, interrupt
from planner.explain import minimal_conflict
from planner.kinship import close_relative_pairs
from planner.registry import implementation, not_applicable, rule
from planner.rules import SOFT_RULES, rule_label
from planner.scenario import (
    BODY_NAMES,
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
    SlateModel,
    blocking_rules,
    college,
    exact,
    in_force,
    list_size,
    rc_party_min,
    seats,
    woman,
    young,
)
from planner.text import Text

MAX_NAMED = 8
THE_TEAM = Text("班子", "the team")
# The assumption-core solve is only a head start for the deletion loop (whose solves, with the rules
# fixed, presolve away most conflicts): it gets a short budget, after which the loop starts from every rule.
CORE_SECONDS = 1.0
CORE_DETERMINISTIC_TIME = 1.0


def _pct(share: Any) -> str:
    value = share * 100
    return f"{value.numerator}%" if value.denominator == 1 else f"{float(value):.1f}%"


def explanation(
    conflict: list[str], lines: list[Text], people: Iterable[PersonId], suggestions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The explanation dict of SlateResult (SCENARIO.md: conflict + message, plus the parts).

    `message` is every Chinese line, then every English line, as it has always been; `message_zh` and
    `message_en` carry one language each.
    """
    text = Text.join(lines, "\n", "\n")
    return {
        "conflict": conflict,
        "message": f"{text.zh}\n{text.en}",
        "message_zh": text.zh,
        "message_en": text.en,
        "people": list(dict.fromkeys(people)),
        "suggestions": suggestions,
    }


def no_candidates(c: Community) -> dict[str, Any]:
    """SCENARIO.md "No people": the slate command says there are no candidates."""
    return explanation(
        [],
        [
            Text(
                f"{c.name or c.id}没有候选人，无法提出班子方案。",
                f"{c.id} has no candidates: no slate can be proposed.",
            )
        ],
        [],
        [],
    )


class Solving(Protocol):
    """What the explanations need of a solving session (planner.slate.solve.Session)."""

    c: Community
    options: Any

    def build(
        self,
        *,
        c: Community | None = None,
        enabled: Iterable[str] | None = None,
        assumptions: bool = False,
        locks: dict[PersonId, str | None] | None = None,
        distinct: int | None = 1,
        objective: bool = True,
    ) -> SlateModel: ...

    def feasible(
        self,
        enabled: Iterable[str],
        *,
        c: Community | None = None,
        locks: dict[PersonId, str | None] | None = None,
    ) -> bool: ...

    def solver(
        self, workers: int | None = None, deterministic: bool = False, deterministic_time: float = ...
    ) -> cp_model.CpSolver: ...


class Conflict:
    """What a describer needs: the community, the conflict's rules, and the people it names (`involved`)."""

    def __init__(self, session: Solving, conflict: list[str], locks: dict[PersonId, str | None]):
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
            for rule_id, reasons in b.items():
                for r in reasons:
                    if (rule_id, r) not in out:
                        out.append((rule_id, r))
        return out

    def who(self, people: list[Person], bodies: Iterable[str] = TEAM_BODIES) -> Text:
        """'p07（S04 D12 …）, p09': each person with what bars them (conflict rules only)."""
        bodies = list(bodies)
        zh, en = [], []
        for p in people[:MAX_NAMED]:
            self.involved.append(p.id)
            blocked = self.team_blocks(p, bodies)
            if blocked:
                zh.append(
                    f"{p.id}（"
                    + "；".join(f"{rid} {r.code + ' ' if r.code != rid else ''}{r.zh}" for rid, r in blocked)
                    + "）"
                )
                en.append(
                    f"{p.id} ("
                    + "; ".join(f"{rid} {r.code + ' ' if r.code != rid else ''}{r.en}" for rid, r in blocked)
                    + ")"
                )
            else:
                zh.append(p.id)
                en.append(p.id)
        more = len(people) - MAX_NAMED
        if more > 0:
            zh.append(f"等{len(people)}人")
            en.append(f"and {more} more")
        return Text("，".join(zh) or "无", ", ".join(en) or "none")

    def quota(
        self,
        k: int,
        what_zh: str,
        what_en: str,
        qualifying: list[Person],
        bodies: Iterable[str] = TEAM_BODIES,
        scope: Text = THE_TEAM,
    ) -> Text:
        if not qualifying:
            return Text(
                f"{scope.zh}至少需{k}名{what_zh}，但没有{what_zh}候选人",
                f"{scope.en} needs at least {k} {what_en}, but there is no such candidate",
            )
        names = self.who(qualifying, bodies)
        only_zh = "唯一的" if len(qualifying) == 1 else ""
        only_en = "the only one: " if len(qualifying) == 1 else ""
        return Text(
            f"{scope.zh}至少需{k}名{what_zh}；{only_zh}{what_zh}候选人：{names.zh}",
            f"{scope.en} needs at least {k} {what_en}; {only_en}{names.en}",
        )

    def person_rule(
        self, rule_id: str, bodies: Iterable[str] = (*TEAM_BODIES, SC), post: str | None = None
    ) -> Text:
        """The people a person rule bars (from any of `bodies`, or from `post`), each with the reasons."""
        barred: list[tuple[Person, list]] = []
        for p in self.people:
            reasons = []
            for body in bodies:
                for r in self.blocks(p, body, post).get(rule_id, []):
                    if r not in reasons:
                        reasons.append(r)
            if reasons:
                barred.append((p, reasons))
        self.involved += [p.id for p, _ in barred[:MAX_NAMED]]
        zh = "，".join(
            f"{p.id}（{'；'.join((r.code + ' ' if r.code != rule_id else '') + r.zh for r in rs)}）"
            for p, rs in barred[:MAX_NAMED]
        )
        en = ", ".join(
            f"{p.id} ({'; '.join((r.code + ' ' if r.code != rule_id else '') + r.en for r in rs)})"
            for p, rs in barred[:MAX_NAMED]
        )
        if len(barred) > MAX_NAMED:
            zh += f" 等{len(barred)}人"
            en += f" and {len(barred) - MAX_NAMED} more"
        return Text(zh or "无人", en or "nobody")


def line(ctx: Conflict, rule_id: str) -> Text:
    """One rule of the conflict in words: its label and its registered describer's sentence."""
    said = implementation(rule_id, "describe")(ctx)
    return Text(f"- {rule_label(rule_id, 'zh')}：{said.zh}", f"- {rule_label(rule_id, 'en')}: {said.en}")


# ---------------------------------------------------------------- describers, one per rule


not_applicable("S01", "describe", "S01 (seats, locks, excludes) always holds: it is never part of a conflict")
for _soft in SOFT_RULES:
    not_applicable(_soft, "describe", "a soft rule (objective term) never makes a slate impossible")


@rule("S02", "describe")
def S02_one_shoulder(ctx: Conflict) -> Text:
    able = [p for p in ctx.people if not ctx.blocks(p, PC, "secretary") and not ctx.blocks(p, RC)]
    names = ctx.who(able)
    return Text(
        f"书记须兼任居委会主任；可兼任者：{names.zh}",
        f"the secretary must also be the residents' committee director; who could hold both: {names.en}",
    )


@rule("S03", "describe")
def S03_party_only(ctx: Conflict) -> Text:
    members = [p for p in ctx.people if p.party_member]
    names = ctx.who(members, [PC])
    n = seats(ctx.c, PC)
    return Text(
        f"党组织委员会{n}席均须为党员；党员候选人{len(members)}人：{names.zh}",
        f"all {n} Party committee seats need Party members; {len(members)} Party members: {names.en}",
    )


@rule("S04", "describe")
def S04_eligible(ctx: Conflict) -> Text:
    names = ctx.person_rule("S04")
    return Text(
        f"有不得确定为候选人情形者不能任职：{names.zh}", f"disqualified people cannot serve: {names.en}"
    )


@rule("S05", "describe")
def S05_joint_review(ctx: Conflict) -> Text:
    names = ctx.person_rule("S05")
    return Text(
        f"资格联审未通过者不能任职：{names.zh}",
        f"people without a passed joint review cannot serve: {names.en}",
    )


@rule("S06", "describe")
def S06_secretary_terms(ctx: Conflict) -> Text:
    names = ctx.person_rule("S06", [PC], "secretary")
    return Text(
        f"书记人选须符合任职条件，不符合者：{names.zh}",
        f"the secretary must meet the conditions; failing: {names.en}",
    )


@rule("S07", "describe")
def S07_recusal(ctx: Conflict) -> Text:
    present = {p.id for p in ctx.people}
    pairs = [pr for pr in close_relative_pairs(ctx.c) if pr.a in present and pr.b in present][:MAX_NAMED]
    ctx.involved += [x for pr in pairs for x in (pr.a, pr.b)]
    zh = "；".join(pr.proof_zh for pr in pairs) or "无"
    en = "; ".join(pr.proof_en for pr in pairs) or "none"
    return Text(f"近亲属不得同时任职：{zh}", f"close relatives cannot serve together: {en}")


@rule("S08", "describe")
def S08_young(ctx: Conflict) -> Text:
    r = ctx.c.rules
    return ctx.quota(
        r.min_young,
        f"{r.young_max_age}周岁以下的年轻干部",
        f"member(s) aged <= {r.young_max_age}",
        [p for p in ctx.people if young(ctx.c, p)],
    )


@rule("S09", "describe")
def S09_women(ctx: Conflict) -> Text:
    k = ctx.c.rules.min_women
    return ctx.quota(k, "女性", "woman" if k == 1 else "women", [p for p in ctx.people if woman(ctx.c, p)])


@rule("S10", "describe")
def S10_college_share(ctx: Conflict) -> Text:
    prev = exact(ctx.c.previous_term.college_share or 0)
    coll = [p for p in ctx.people if college(ctx.c, p)]
    names = ctx.who(coll)
    return Text(
        f"班子大专以上学历比例须高于上届{_pct(prev)}；大专以上候选人{len(coll)}人：{names.zh}",
        f"the team's college share must exceed the previous {_pct(prev)}; {len(coll)} college candidates: "
        f"{names.en}",
    )


@rule("S11", "describe")
def S11_rc_party_share(ctx: Conflict) -> Text:
    need, n = rc_party_min(ctx.c), seats(ctx.c, RC)
    members = [p for p in ctx.people if p.party_member]
    names = ctx.who(members, [RC])
    return Text(
        f"居委会{n}席中党员至少{need}人；党员候选人：{names.zh}",
        f"the residents' committee ({n} seats) needs at least {need} Party members; Party members: {names.en}",
    )


@rule("S12", "describe")
def S12_deputy_director_cross(ctx: Conflict) -> Text:
    return Text(
        "居委会副主任须同时进入党组织委员会", "the deputy director must also sit on the Party committee"
    )


@rule("S13", "describe")
def S13_supervisory_director(ctx: Conflict) -> Text:
    return Text("监委会主任须由纪检委员担任", "the supervisory director must be the discipline inspector")


@rule("S14", "describe")
def S14_supervisory_separation(ctx: Conflict) -> Text:
    return Text(
        "居委会成员不得兼任监委会成员", "no residents' committee member may sit on the supervisory committee"
    )


@rule("S15", "describe")
def S15_willing(ctx: Conflict) -> Text:
    counts = {b: sum(1 for p in ctx.people if p.stands(b)) for b in (PC, RC, SC)}
    zh = "，".join(f"参选{BODY_NAMES[b][0]}{n}人" for b, n in counts.items())
    en = ", ".join(f"{n} stand for the {BODY_NAMES[b][1]}" for b, n in counts.items())
    return Text(f"只能在本人参选的机构任职：{zh}", f"people serve only where they stand: {en}")


@rule("S16", "describe")
def S16_adult_resident(ctx: Conflict) -> Text:
    names = ctx.person_rule("S16")
    return Text(
        f"任职者须年满18周岁且为登记选民：{names.zh}", f"holders must be adult resident voters: {names.en}"
    )


@rule("S17", "describe")
def S17_differential(ctx: Conflict) -> Text:
    pc, rc = list_size(ctx.c, PC), list_size(ctx.c, RC)
    able = {b: sum(1 for p in ctx.people if not ctx.blocks(p, b)) for b in TEAM_BODIES}
    return Text(
        f"差额：党组织名单至少{pc}人（可列入{able[PC]}人），居委会名单至少{rc}人（可列入{able[RC]}人）",
        f"differential lists: the Party list needs {pc} (eligible {able[PC]}), "
        f"the residents' list {rc} (eligible {able[RC]})",
    )


@rule("S18", "describe")
def S18_robust_list(ctx: Conflict) -> Text:
    return Text(
        "差额稳健：无论名单中谁落选，当选班子仍须满足S08-S11，不得有两名近亲属可能同时当选（S07），"
        "监委会成员不得列入居委会名单（S14）",
        "robust lists: whoever on the lists loses, the elected team must still meet S08-S11, no two close "
        "relatives may both be elected (S07) and no supervisory member may be on the residents' list (S14)",
    )


@rule("S19", "describe")
def S19_minority(ctx: Conflict) -> Text:
    return ctx.quota(
        1,
        "少数民族成员",
        "ethnic minority member(s)",
        [p for p in ctx.people if p.is_minority],
        [RC],
        Text("居委会", "the residents' committee"),
    )


def _changed(c: Community, **rule_values: Any) -> Community:
    c2 = c.model_copy(deep=True)
    for key, value in rule_values.items():
        setattr(c2.rules, key, value)
    return c2


Locks = dict[PersonId, str | None]


def feasible_any(
    session: Solving, enabled: Iterable[str], alternatives: list[Locks], *, c: Community | None = None
) -> bool:
    """Whether a slate exists under some one of the lock alternatives (unknown counts as feasible)."""
    enabled = list(enabled)
    return any(session.feasible(enabled, c=c, locks=locks) for locks in alternatives)


def suggestion(change: dict[str, Any], text: Text) -> dict[str, Any]:
    """One suggested change in the JSON of an explanation: the change and its words ("zh", "en")."""
    return {"change": change, **text.to_json()}


def suggestions(session: Solving, conflict: list[str], locks: Locks | list[Locks]) -> list[dict[str, Any]]:
    """Smallest changes that make a slate possible, rule-keeping ones first: (a) a lower quota, naming
    the people who could meet it, (b) an S06 waiver, then (c) one rule off.

    `locks` may be a list of alternatives (why-not: the person in the team, or on the supervisory
    committee): a change counts when a slate exists under one of them.
    """
    c = session.c
    alternatives = locks if isinstance(locks, list) else [locks]
    rules = in_force(c)
    out: list[dict[str, Any]] = []
    out += _quota_suggestions(session, conflict, rules, alternatives)  # (a)
    if "S06" in conflict:  # (b)
        out += _waiver_suggestions(session, rules, alternatives)
    for rule_id in conflict:  # (c)
        if feasible_any(session, [r for r in rules if r != rule_id], alternatives):
            out.append(
                suggestion(
                    {"rules.disabled": [rule_id]},
                    Text(f"关闭{rule_label(rule_id, 'zh')}", f"switch off {rule_label(rule_id, 'en')}"),
                )
            )
    return out


QUOTAS = (  # rule, setting, what it counts (zh, en), who counts
    ("S09", "min_women", ("女性最低人数", "minimum women"), ("女性", "women"), woman),
    ("S08", "min_young", ("年轻干部最低人数", "minimum young members"), ("年轻干部", "young people"), young),
)


def _quota_suggestions(
    session: Solving, conflict: list[str], rules: list[str], alternatives: list[Locks]
) -> list[dict[str, Any]]:
    """For each quota in the conflict: the largest lower count that allows a slate, and who could meet it."""
    c = session.c
    out: list[dict[str, Any]] = []
    for rule_id, key, (zh_name, en_name), (zh_who, en_who), counts in QUOTAS:
        if rule_id not in conflict:
            continue
        current = getattr(c.rules, key)
        who = [p.id for p in c.people if counts(c, p) and p.id not in session.options.excludes]
        named = Text(
            f"（可计入的{zh_who}：{'、'.join(who) if who else '无'}）",
            f" ({en_who} who could count: {', '.join(who) if who else 'none'})",
        )
        for k in range(current - 1, -1, -1):
            if feasible_any(session, rules, alternatives, c=_changed(c, **{key: k})):
                lower = Text(f"将{zh_name}由{current}降为{k}", f"lower the {en_name} from {current} to {k}")
                out.append(suggestion({f"rules.{key}": k}, lower + named))
                break
    return out


def _waiver_suggestions(
    session: Solving, rules: list[str], alternatives: list[Locks]
) -> list[dict[str, Any]]:
    """S06 waivers (age, education) that would let someone be secretary; Party standing cannot be waived."""
    c = session.c
    out: list[dict[str, Any]] = []
    for p in c.people:
        if p.id in session.options.excludes or not eligibility.reasons_S06(c, p):
            continue
        if c.party_years(p) is None or c.party_years(p) < c.rules.secretary_min_party_years:
            continue
        needed = []
        incumbent = eligibility.is_incumbent_secretary(p)
        if not incumbent and c.age(p) > c.rules.secretary_max_age and "age" not in p.waivers:
            needed.append("age")
        if (
            not incumbent
            and not education_at_least(p.education, c.rules.secretary_min_education)
            and "education" not in p.waivers
        ):
            needed.append("education")
        c2 = c.model_copy(deep=True)
        target = next(q for q in c2.people if q.id == p.id)
        target.waivers = [*target.waivers, *needed]
        if needed and feasible_any(session, rules, alternatives, c=c2):
            zh_kind = "、".join({"age": "年龄", "education": "学历"}[k] for k in needed)
            out.append(
                suggestion(
                    {f"people.{p.id}.waivers": needed},
                    Text(
                        f"批准{p.id}的书记任职{zh_kind}放宽",
                        f"approve a {' and '.join(needed)} waiver for {p.id} as secretary",
                    ),
                )
            )
    return out


def core_by_assumptions(
    session: Solving, candidates: list[str], locks: dict[PersonId, str | None]
) -> list[str]:
    """CP-SAT's sufficient assumptions for infeasibility: a start for the deletion loop (not minimal)."""
    sm = session.build(enabled=candidates, assumptions=True, locks=locks, objective=False)
    sm.model.add_assumptions([sm.enable[r] for r in candidates])
    solver = session.solver(deterministic=True, deterministic_time=CORE_DETERMINISTIC_TIME)
    solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, CORE_SECONDS)
    if (
        interrupt.solve(solver, sm.model) != cp_model.INFEASIBLE
    ):  # not proved in time: the loop starts from all
        return candidates
    core = set(solver.sufficient_assumptions_for_infeasibility())
    found = [r for r in candidates if sm.enable[r].index in core]
    return found if not session.feasible(found, locks=locks) else candidates


def explain_infeasible(
    session: Solving,
    locks: Locks | None = None,
    subject: PersonId | None = None,
    alternatives: list[Locks] | None = None,
) -> dict[str, Any]:
    """A minimal conflict (SCENARIO.md) with words, people and suggestions; locks default to the options'.

    `alternatives` (why-not) are lock sets of which any one would do: the conflict is then a minimal
    set of rules under which no slate exists for any of them (dropping one rule makes one exist for some).
    """
    c = session.c
    locks = dict(session.options.locks if locks is None else locks)
    alts = [dict(a) for a in alternatives] if alternatives else [locks]
    candidates = in_force(c)
    head = (
        Text(
            f"{subject}无法在任何符合要求的班子方案中任职。",
            f"{subject} cannot hold a post in any valid slate.",
        )
        if subject
        else Text("无法组成符合全部规则的班子。", "No slate meets all the rules.")
    )
    if not feasible_any(session, [], alts):
        need = sum(seats(c, b) for b in (PC, RC, SC))
        n = len([p for p in c.people if p.id not in session.options.excludes])
        people = [subject] if subject else []
        shown = locks if len(alts) == 1 else " / ".join(str(a) for a in alts)
        why = Text(
            f"即使关闭全部可关闭的规则，职数、锁定和排除也无法同时满足"
            f"（三个机构共{need}席，可用候选人{n}人；锁定：{shown or '无'}）。",
            f"Even with every rule that can be switched off off, the seats, locks and excludes cannot all "
            f"hold ({need} seats in the three bodies, {n} candidates available; locks: {shown or 'none'}).",
        )
        note = c.by_election_note()  # a by-election: the sitting members' posts are fixed
        return explanation([], [head, *([note] if note else []), why], people, [])
    found: set[str] = set()
    for a in alts:  # each alternative's core; together no alternative has a slate
        found.update(core_by_assumptions(session, candidates, a))
    start = [r for r in candidates if r in found]
    if feasible_any(session, start, alts):  # pragma: no cover - each core is proved infeasible
        start = candidates
    conflict = minimal_conflict(start, lambda subset: feasible_any(session, subset, alts))
    ctx = Conflict(session, conflict, alts[0])
    if subject:
        ctx.involved.append(subject)
    lines = [head + Text("以下规则不能同时满足：", " These rules cannot hold together:")]
    lines += [line(ctx, rule_id) for rule_id in conflict]
    note = c.by_election_note()  # a by-election: the rules hold with the sitting members as they are
    if note is not None:
        lines.append(note)
    sugg = suggestions(session, conflict, alts)
    if sugg:
        lines.append(
            Text("可行的调整：", "Changes that would allow a slate: ")
            + Text.join(Text.from_json(s) for s in sugg)
        )
    return explanation(conflict, lines, ctx.involved, sugg)
