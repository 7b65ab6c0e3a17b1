"""Solver-free slate checker: one function per slate rule id (RULES.md S01-S19), plain Python only.

Glossary: the *team* (两委班子) is everyone holding a post in the Party committee or the
residents' committee; the supervisory committee is outside it. Each rule function takes a
`SlateContext` and returns a `RuleCheck` whose detail is bilingual and names people and numbers.
Person-level conditions (S03-S06, S15, S16) come from `planner.eligibility` (one rule, one place);
close relatives (S07) from `planner.kinship`. Shares are compared with exact fractions, never floats.
This module is the judge of every plan the CP-SAT solver produces: it must never import ortools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import combinations
from typing import Any

from planner.plan import RuleCheck, Slate
from planner.rules import SLATE_RULES
from planner.scenario import (
    BODIES,
    BODY_NAMES,
    POST_NAMES,
    TEAM_BODIES,
    Community,
    Person,
    PersonId,
    education_at_least,
)

OFF_DETAIL = "已关闭 switched off"
SEAT_POSTS: dict[str, tuple[str, ...]] = {
    "party_committee": ("secretary", "deputy_secretary", "discipline_inspector"),
    "residents_committee": ("director", "deputy_director"),
    "supervisory_committee": ("director",),
}


def exact(value: float) -> Fraction:
    """A scenario decimal as an exact fraction (0.2 -> 1/5, never 0.2000000000000000111)."""
    return Fraction(str(value))


def pct(share: Fraction) -> str:
    """A share for people to read: 3/5 -> '60%', 2/3 -> '66.7%'."""
    value = share * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):.1f}%"


def ids(people: Iterable[PersonId]) -> str:
    return ", ".join(people) or "-"


@dataclass
class SlateContext:
    """What every rule function needs: the community, the slate and the what-if flag."""

    c: Community
    slate: Slate
    allow_pending: bool = False

    @cached_property
    def person(self) -> dict[PersonId, Person]:
        return self.c.person

    def members(self, body: str) -> list[PersonId]:
        """Holders of a body's posts in post order (duplicates kept, unknown ids kept)."""
        return self.slate.members(body)

    def known(self, pids: Iterable[PersonId]) -> list[Person]:
        """Distinct known people among `pids`, in first-seen order (unknown ids are S01's business)."""
        seen: dict[PersonId, Person] = {}
        for pid in pids:
            if pid in self.person and pid not in seen:
                seen[pid] = self.person[pid]
        return list(seen.values())

    def body_people(self, body: str) -> list[Person]:
        return self.known(self.members(body))

    @cached_property
    def team_people(self) -> list[Person]:
        """Distinct known team members: Party committee then residents' committee, in post order."""
        return self.known([pid for body in TEAM_BODIES for pid in self.members(body)])

    def post(self, body: str, post: str) -> PersonId | None:
        return getattr(getattr(self.slate.posts, body), post)

    def holders(self) -> list[tuple[str, str, Person]]:
        """(body, post, person) for every seat of the three bodies held by a known person."""
        return [(body, post, self.person[pid]) for body in BODIES for post, pid in self.slate.holders(body)
                if pid in self.person]

    def holder_people(self) -> list[Person]:
        """Distinct known holders of any post of the three bodies."""
        return self.known(pid for body in BODIES for pid in self.members(body))


def _ok(rule: str, detail: str, people: Iterable[PersonId] = ()) -> RuleCheck:
    return RuleCheck(rule=rule, ok=True, detail=detail, people=list(dict.fromkeys(people)))


def _fail(rule: str, detail: str, people: Iterable[PersonId] = ()) -> RuleCheck:
    return RuleCheck(rule=rule, ok=False, detail=detail, people=list(dict.fromkeys(people)))


def _reasons_text(pid: PersonId, reasons: list[Any], zh_prefix: str = "", en_prefix: str = "") -> str:
    """'p03：非党员 / p03: not a Party member' from eligibility reasons."""
    zh = "；".join(r.zh for r in reasons)
    en = "; ".join(r.en for r in reasons)
    return f"{zh_prefix}{pid}：{zh} / {en_prefix}{pid}: {en}"


def _person_rule(rule: str, entries: list[tuple[PersonId, list[Any]]], what_zh: str, what_en: str) -> RuleCheck:
    """A rule on each holder: fail naming every person with reasons, else say how many were checked."""
    bad = [(pid, reasons) for pid, reasons in entries if reasons]
    if bad:
        return _fail(rule, " | ".join(_reasons_text(pid, reasons) for pid, reasons in bad), [pid for pid, _ in bad])
    n = len({pid for pid, _ in entries})
    return _ok(rule, f"{what_zh}{n}人均符合 / all {n} {what_en} pass")


# ---------------------------------------------------------------- S01-S19


def S01(ctx: SlateContext) -> RuleCheck:
    """S01 班子职数 三(一), 四(二)3(1): each body has exactly its seats, each post filled once, known people."""
    problems: list[str] = []
    involved: list[PersonId] = []
    seats = ctx.c.rules.seats
    for body in BODIES:
        zh_body, en_body = BODY_NAMES[body]
        for post in SEAT_POSTS[body]:
            if ctx.post(body, post) is None:
                zh_post, en_post = POST_NAMES[post]
                problems.append(f"{zh_body}{zh_post}空缺 / {en_body} {en_post} is empty")
        want = getattr(seats, body) - len(SEAT_POSTS[body])
        got = len(getattr(ctx.slate.posts, body).member)
        if got != want:
            problems.append(f"{zh_body}委员{got}名，应为{want}名 / {en_body} has {got} members, needs {want}")
        pids = ctx.members(body)
        for pid in sorted({p for p in pids if pids.count(p) > 1}):
            problems.append(f"{pid}在{zh_body}任职{pids.count(pid)}次 / {pid} holds {pids.count(pid)} seats "
                            f"of the {en_body}")
            involved.append(pid)
    unknown = sorted({pid for body in BODIES for pid in ctx.members(body) if pid not in ctx.person})
    for pid in unknown:
        problems.append(f"{pid}不在人员名单中 / {pid} is not a person of the scenario")
        involved.append(pid)
    if problems:
        return _fail("S01", " | ".join(problems), involved)
    return _ok("S01", f"职数齐全：党组织{seats.party_committee}、居委会{seats.residents_committee}、"
                      f"监委会{seats.supervisory_committee} / seats filled: {seats.party_committee}, "
                      f"{seats.residents_committee}, {seats.supervisory_committee}")


def S02(ctx: SlateContext) -> RuleCheck:
    """S02 一肩挑 三(一): the Party secretary is the residents' committee director."""
    sec, director = ctx.post("party_committee", "secretary"), ctx.post("residents_committee", "director")
    if sec is not None and sec == director:
        return _ok("S02", f"{sec}任书记兼居委会主任 / {sec} is secretary and director", [sec])
    return _fail("S02", f"书记为{sec or '空缺'}，居委会主任为{director or '空缺'} / secretary {sec or 'empty'}, "
                        f"director {director or 'empty'}", [p for p in (sec, director) if p])


def S03(ctx: SlateContext) -> RuleCheck:
    """S03 党员身份 (党章): every Party committee member is a Party member."""
    from planner.eligibility import reasons_S03

    entries = [(p.id, reasons_S03(ctx.c, p)) for p in ctx.body_people("party_committee")]
    return _person_rule("S03", entries, "党组织委员会成员", "Party committee members")


def S04(ctx: SlateContext) -> RuleCheck:
    """S04 资格条件 三(二): nobody with a disqualification D01-D17 holds a post (all three bodies)."""
    from planner.eligibility import reasons_S04

    entries = []
    for p in ctx.holder_people():
        reasons = reasons_S04(ctx.c, p)
        entries.append((p.id, reasons))
    bad = [(pid, rs) for pid, rs in entries if rs]
    if bad:
        parts = []
        for pid, rs in bad:
            codes = "、".join(r.code for r in rs)
            parts.append(f"{pid}有{codes}：{'；'.join(r.zh for r in rs)} / {pid} has {', '.join(r.code for r in rs)}: "
                         f"{'; '.join(r.en for r in rs)}")
        return _fail("S04", " | ".join(parts), [pid for pid, _ in bad])
    return _ok("S04", f"任职者{len(entries)}人均无不得确定为候选人情形 / none of the {len(entries)} holders "
                      "has a disqualification")


def S05(ctx: SlateContext) -> RuleCheck:
    """S05 资格联审 三(三): every holder passed the joint review; `pending` passes only in what-if mode."""
    from planner.eligibility import reasons_S05

    holders = ctx.holder_people()
    check = _person_rule("S05", [(p.id, reasons_S05(ctx.c, p, ctx.allow_pending)) for p in holders],
                         "任职者联审", "holders' joint reviews")
    pending = [p.id for p in holders if p.joint_review == "pending"]
    if check.ok and pending and ctx.allow_pending:
        check.detail += f" | 待审（联审待反馈）：{ids(pending)} / subject to review (pending): {ids(pending)}"
        check.people = pending
    return check


def S06(ctx: SlateContext) -> RuleCheck:
    """S06 书记任职条件 三(二)5: the secretary meets Party standing, education and age (incumbents, waivers)."""
    from planner.eligibility import reasons_S06

    sec = ctx.post("party_committee", "secretary")
    if sec is None or sec not in ctx.person:
        return _ok("S06", "无可核查的书记（见S01） / no secretary to check (see S01)")
    p = ctx.person[sec]
    reasons = reasons_S06(ctx.c, p)
    if reasons:
        return _fail("S06", _reasons_text(sec, reasons, "书记", "secretary "), [sec])
    years = ctx.c.party_years(p)
    return _ok("S06", f"书记{sec}：{ctx.c.age(p)}岁，党龄{years}年 / secretary {sec}: age {ctx.c.age(p)}, "
                      f"{years} years of Party standing", [sec])


def S07(ctx: SlateContext) -> RuleCheck:
    """S07 近亲属回避 三(三): no two close relatives in the team; with recusal_supervisory, none across the
    supervisory committee and the team either."""
    from planner.kinship import close_relatives

    relatives = close_relatives(ctx.c)
    team = [p.id for p in ctx.team_people]
    pairs: list[tuple[PersonId, PersonId, str]] = []
    for a, b in combinations(team, 2):
        if b in relatives.get(a, set()):
            pairs.append((*sorted((a, b)), "两委班子 / team"))
    if ctx.c.rules.recusal_supervisory:
        team_set = set(team)
        for s in ctx.body_people("supervisory_committee"):
            for t in team:
                if s.id not in team_set and t in relatives.get(s.id, set()):
                    pairs.append((*sorted((s.id, t)), "监委会与两委 / supervisory and team"))
    pairs = list(dict.fromkeys(pairs))
    if pairs:
        from planner.kinship import close_relative_pairs

        proofs = {(pair.a, pair.b): pair for pair in close_relative_pairs(ctx.c)}
        parts = []
        for a, b, where in pairs:
            where_zh, where_en = where.split(" / ")
            proof = proofs.get((a, b))
            parts.append(f"{a}与{b}为近亲属（{where_zh}{'：' + proof.proof_zh if proof else ''}） / {a} and {b} are "
                         f"close relatives ({where_en}{': ' + proof.proof_en if proof else ''})")
        return _fail("S07", " | ".join(parts), [x for a, b, _ in pairs for x in (a, b)])
    scope = "两委及监委会" if ctx.c.rules.recusal_supervisory else "两委"
    scope_en = "team and supervisory committee" if ctx.c.rules.recusal_supervisory else "team"
    return _ok("S07", f"{scope}中无近亲属 / no close relatives in the {scope_en}")


Quota = tuple[bool, str, str, list[PersonId]]  # ok, Chinese detail, English detail, people


def _young_check(c: Community, team: list[Person]) -> Quota:
    limit, need = c.rules.young_max_age, c.rules.min_young
    young = [p for p in team if c.age(p) <= limit]
    names = "，".join(f"{p.id}为{c.age(p)}岁" for p in young)
    names_en = ", ".join(f"{p.id} is {c.age(p)}" for p in young)
    if len(young) >= need:
        return (True, f"{len(young)}名{limit}周岁以下（需{need}名）：{names or '-'}",
                f"{len(young)} aged <= {limit} (needs {need}): {names_en or '-'}", [p.id for p in young])
    return (False, f"{limit}周岁以下仅{len(young)}名，需{need}名{('：' + names) if names else ''}",
            f"only {len(young)} aged <= {limit}, needs {need}{(': ' + names_en) if names_en else ''}",
            [p.id for p in young])


def _women_check(c: Community, team: list[Person]) -> Quota:
    need = c.rules.min_women
    women = [p.id for p in team if p.gender == "F"]
    ok = len(women) >= need
    zh = f"女性{len(women)}名（需{need}名）：{ids(women)}" if ok else f"女性仅{len(women)}名，需{need}名"
    en = f"{len(women)} women (needs {need}): {ids(women)}" if ok else f"only {len(women)} women, needs {need}"
    return ok, zh, en, women


def _college_check(c: Community, team: list[Person]) -> Quota:
    previous = c.previous_term.college_share
    college = [p.id for p in team if education_at_least(p.education, "college")]
    n = len(team)
    share = Fraction(len(college), n) if n else Fraction(0)
    if previous is None:
        return (True, f"大专以上{len(college)}/{n}（{pct(share)}），未给出上届比例，不比较",
                f"college {len(college)}/{n} ({pct(share)}); no previous share given, nothing to compare", college)
    prev = exact(previous)
    ok = share > prev
    zh = "高于" if ok else "未高于"
    en = "above" if ok else "not above"
    return (ok, f"大专以上{len(college)}/{n}（{pct(share)}），{zh}上届{pct(prev)}",
            f"college {len(college)}/{n} ({pct(share)}), {en} the previous {pct(prev)}", college)


def _rc_party_check(c: Community, rc: list[Person]) -> Quota:
    members = [p.id for p in rc if p.party_member]
    n = len(rc)
    share = Fraction(len(members), n) if n else Fraction(0)
    floor = exact(c.rules.rc_party_share_min)
    bars = [(floor, "", "")]
    if c.previous_term.rc_party_share is not None:
        bars.append((exact(c.previous_term.rc_party_share), "上届", "the previous "))
    failed = [(bar, zh, en) for bar, zh, en in bars if not share > bar]
    head = f"居委会党员{len(members)}/{n}（{pct(share)}）"
    head_en = f"residents' committee Party members {len(members)}/{n} ({pct(share)})"
    if failed:
        zh = "，".join(f"未高于{z}{pct(b)}" for b, z, _ in failed)
        en = ", ".join(f"not above {e}{pct(b)}" for b, _, e in failed)
        return False, f"{head}，{zh}", f"{head_en}, {en}", members
    zh = "，".join(f"高于{z}{pct(b)}" for b, z, _ in bars)
    en = ", ".join(f"above {e}{pct(b)}" for b, _, e in bars)
    return True, f"{head}，{zh}", f"{head_en}, {en}", members


def S08(ctx: SlateContext) -> RuleCheck:
    """S08 年轻干部 三(四): at least min_young team members aged <= young_max_age on the reference date."""
    ok, zh, en, people = _young_check(ctx.c, ctx.team_people)
    return RuleCheck(rule="S08", ok=ok, detail=f"{zh} / {en}", people=people)


def S09(ctx: SlateContext) -> RuleCheck:
    """S09 女性 三(四): at least min_women women in the team."""
    ok, zh, en, people = _women_check(ctx.c, ctx.team_people)
    return RuleCheck(rule="S09", ok=ok, detail=f"{zh} / {en}", people=people)


def S10(ctx: SlateContext) -> RuleCheck:
    """S10 学历结构 三(四): the team's college share is strictly above the previous term's (when given)."""
    ok, zh, en, people = _college_check(ctx.c, ctx.team_people)
    return RuleCheck(rule="S10", ok=ok, detail=f"{zh} / {en}", people=[] if ok else people)


def S11(ctx: SlateContext) -> RuleCheck:
    """S11 居委会党员比例 三(四): RC Party share strictly above rc_party_share_min and the previous term's."""
    ok, zh, en, people = _rc_party_check(ctx.c, ctx.body_people("residents_committee"))
    return RuleCheck(rule="S11", ok=ok, detail=f"{zh} / {en}", people=[] if ok else people)


def S12(ctx: SlateContext) -> RuleCheck:
    """S12 副主任交叉任职 三(一): the residents' committee deputy director sits on the Party committee."""
    deputy = ctx.post("residents_committee", "deputy_director")
    if deputy is None:
        return _fail("S12", "居委会副主任空缺 / the deputy director post is empty")
    if deputy in ctx.members("party_committee"):
        return _ok("S12", f"副主任{deputy}进入党组织委员会 / deputy director {deputy} sits on the Party committee",
                   [deputy])
    return _fail("S12", f"副主任{deputy}不在党组织委员会 / deputy director {deputy} is not on the Party committee",
                 [deputy])


def S13(ctx: SlateContext) -> RuleCheck:
    """S13 监委会主任 四(二)3(1): the supervisory director is the Party committee's discipline inspector."""
    director = ctx.post("supervisory_committee", "director")
    inspector = ctx.post("party_committee", "discipline_inspector")
    if director is not None and director == inspector:
        return _ok("S13", f"纪检委员{inspector}任监委会主任 / discipline inspector {inspector} is supervisory "
                          "director", [inspector])
    return _fail("S13", f"监委会主任为{director or '空缺'}，纪检委员为{inspector or '空缺'} / supervisory director "
                        f"{director or 'empty'}, discipline inspector {inspector or 'empty'}",
                 [p for p in (director, inspector) if p])


def S14(ctx: SlateContext) -> RuleCheck:
    """S14 不得兼任 四(二)3(1): no residents' committee member sits on the supervisory committee."""
    sc = set(ctx.members("supervisory_committee"))
    both = [pid for pid in dict.fromkeys(ctx.members("residents_committee")) if pid in sc]
    if both:
        return _fail("S14", f"{ids(both)}同时在居委会和监委会 / {ids(both)} sit on both the residents' and the "
                            "supervisory committee", both)
    return _ok("S14", "居委会成员均未兼任监委会成员 / no residents' committee member on the supervisory committee")


def S15(ctx: SlateContext) -> RuleCheck:
    """S15 参选意愿 四(二)2(4): a person holds a post only in a body they stand for."""
    from planner.eligibility import reasons_S15

    entries = []
    for body in BODIES:
        for p in ctx.body_people(body):
            entries.append((p.id, reasons_S15(ctx.c, p, body)))
    merged: dict[PersonId, list[Any]] = {}
    for pid, reasons in entries:
        merged.setdefault(pid, []).extend(reasons)
    return _person_rule("S15", list(merged.items()), "任职者", "holders")


def S16(ctx: SlateContext) -> RuleCheck:
    """S16 选民资格 (居委会组织法): every post holder is at least 18 and a registered resident voter."""
    from planner.eligibility import reasons_S16

    return _person_rule("S16", [(p.id, reasons_S16(ctx.c, p)) for p in ctx.holder_people()],
                        "任职者", "holders")


def party_list_size(c: Community) -> int:
    """S17: the Party list's minimum size (RuleSettings.list_size)."""
    return c.rules.list_size("party_committee")


def residents_list_size(c: Community) -> int:
    """S17: the residents' list's minimum size (RuleSettings.list_size)."""
    return c.rules.list_size("residents_committee")


def _list_reasons(c: Community, p: Person, body: str, allow_pending: bool) -> list[Any]:
    from planner import eligibility

    return eligibility.body_reasons(c, p, body, allow_pending)


def S17(ctx: SlateContext) -> RuleCheck:
    """S17 差额 四(二)1(1): each candidate list holds its body's members, eligible people, enough of them."""
    problems: list[str] = []
    involved: list[PersonId] = []
    needs = {"party_committee": party_list_size(ctx.c), "residents_committee": residents_list_size(ctx.c)}
    for body, need in needs.items():
        zh_body, en_body = BODY_NAMES[body]
        if body not in ctx.slate.candidate_lists:
            problems.append(f"缺少{zh_body}候选人名单 / no {en_body} candidate list")
            continue
        lst = ctx.slate.candidate_lists[body]
        for pid in sorted({p for p in lst if lst.count(p) > 1}):
            problems.append(f"{pid}在{zh_body}名单中重复 / {pid} appears twice on the {en_body} list")
            involved.append(pid)
        distinct = list(dict.fromkeys(lst))
        if len(distinct) < need:
            problems.append(f"{zh_body}名单{len(distinct)}人，至少需{need}人 / {en_body} list has {len(distinct)}, "
                            f"needs at least {need}")
        missing = [pid for pid in dict.fromkeys(ctx.members(body)) if pid not in distinct]
        if missing:
            problems.append(f"当选的{ids(missing)}不在{zh_body}名单中 / elected {ids(missing)} missing from the "
                            f"{en_body} list")
            involved.extend(missing)
        for pid in distinct:
            if pid not in ctx.person:
                problems.append(f"{pid}不在人员名单中 / {pid} is not a person of the scenario")
                involved.append(pid)
                continue
            reasons = _list_reasons(ctx.c, ctx.person[pid], body, ctx.allow_pending)
            if reasons:
                problems.append(_reasons_text(pid, reasons, f"{zh_body}名单中", f"on the {en_body} list, "))
                involved.append(pid)
    if problems:
        return _fail("S17", " | ".join(problems), involved)
    pc, rc = (len(set(ctx.slate.candidate_lists[b])) for b in needs)
    return _ok("S17", f"党组织名单{pc}人（需{needs['party_committee']}），居委会名单{rc}人（需"
                      f"{needs['residents_committee']}） / Party list {pc} (needs {needs['party_committee']}), "
                      f"residents' list {rc} (needs {needs['residents_committee']})")


ROBUST_CHECKS: dict[str, Callable[[Community, list[Person], list[Person]], Quota]] = {
    "S08": lambda c, team, rc: _young_check(c, team),
    "S09": lambda c, team, rc: _women_check(c, team),
    "S10": lambda c, team, rc: _college_check(c, team),
    "S11": lambda c, team, rc: _rc_party_check(c, rc),
}


def S18(ctx: SlateContext) -> RuleCheck:
    """S18 差额稳健: every seats-sized subset of each list, taken as the elected body, still meets S08-S11."""
    c = ctx.c
    lists: dict[str, list[Person]] = {}
    for body in TEAM_BODIES:
        zh_body, en_body = BODY_NAMES[body]
        if body not in ctx.slate.candidate_lists:
            return _fail("S18", f"缺少{zh_body}候选人名单 / no {en_body} candidate list")
        lists[body] = ctx.known(ctx.slate.candidate_lists[body])
        seats = getattr(c.rules.seats, body)
        if len(lists[body]) < seats:
            return _fail("S18", f"{zh_body}名单仅{len(lists[body])}人，不足{seats}席 / the {en_body} list has "
                                f"{len(lists[body])}, fewer than {seats} seats")
    rules = [r for r in ROBUST_CHECKS if c.rules.on(r)]
    pc_seats, rc_seats = c.rules.seats.party_committee, c.rules.seats.residents_committee
    rc_subsets = list(combinations(lists["residents_committee"], rc_seats))
    count = 0
    seen: set[tuple[frozenset[PersonId], frozenset[PersonId]]] = set()
    for pc in combinations(lists["party_committee"], pc_seats):
        for rc in rc_subsets:
            count += 1
            team = list({p.id: p for p in (*pc, *rc)}.values())
            key = (frozenset(p.id for p in team), frozenset(p.id for p in rc))
            if key in seen:
                continue
            seen.add(key)
            for rule in rules:
                ok, zh, en, _ = ROBUST_CHECKS[rule](c, team, list(rc))
                if not ok:
                    pc_ids, rc_ids = ids(p.id for p in pc), ids(p.id for p in rc)
                    return _fail("S18", f"若当选党组织为{pc_ids}、居委会为{rc_ids}，则{rule}不满足：{zh} / if the "
                                        f"Party committee elected is {pc_ids} and the residents' committee {rc_ids}, "
                                        f"{rule} fails: {en}", [p.id for p in team])
    return _ok("S18", f"全部{count}种当选组合均满足{'、'.join(rules) or '-'} / all {count} elected combinations meet "
                      f"{', '.join(rules) or '-'}")


def S19(ctx: SlateContext) -> RuleCheck:
    """S19 少数民族成员 (居委会组织法 第七条): in a multi-ethnic community the RC has a minority member."""
    if not ctx.c.multi_ethnic:
        return _ok("S19", "非多民族居住社区，不适用 / not a multi-ethnic community: does not apply")
    minority = [p for p in ctx.body_people("residents_committee") if p.is_minority]
    if minority:
        names = "，".join(f"{p.id}（{p.ethnicity}）" for p in minority)
        return _ok("S19", f"居委会少数民族成员：{names} / minority members of the residents' committee: "
                          f"{', '.join(f'{p.id} ({p.ethnicity})' for p in minority)}", [p.id for p in minority])
    return _fail("S19", "居委会中没有少数民族成员 / the residents' committee has no ethnic minority member")


RULE_CHECKS: dict[str, Callable[[SlateContext], RuleCheck]] = {
    "S01": S01, "S02": S02, "S03": S03, "S04": S04, "S05": S05, "S06": S06, "S07": S07, "S08": S08,
    "S09": S09, "S10": S10, "S11": S11, "S12": S12, "S13": S13, "S14": S14, "S15": S15, "S16": S16,
    "S17": S17, "S18": S18, "S19": S19,
}
assert list(RULE_CHECKS) == SLATE_RULES


def check_slate(c: Community, slate: Slate | dict[str, Any], *, allow_pending: bool = False) -> list[RuleCheck]:
    """One RuleCheck per slate rule S01-S19 in id order; rules switched off come back ok and disabled."""
    if not isinstance(slate, Slate):
        slate = Slate.model_validate(slate)
    ctx = SlateContext(c, slate, allow_pending)
    out = []
    for rule, fn in RULE_CHECKS.items():
        if not c.rules.on(rule):
            out.append(RuleCheck(rule=rule, ok=True, detail=OFF_DETAIL, disabled=True))
        else:
            out.append(fn(ctx))
    return out


def slate_objective(c: Community, slate: Slate | dict[str, Any]) -> int:
    """RULES.md objective: over distinct known team members, weighted support + preferred tags + continuity."""
    if not isinstance(slate, Slate):
        slate = Slate.model_validate(slate)
    w = c.rules.weights
    ctx = SlateContext(c, slate)
    return sum(w.support * p.support + w.preferred_source * len(p.preferred_tags())
               + w.continuity * (1 if p.incumbent else 0) for p in ctx.team_people)


def violated(checks: list[RuleCheck]) -> list[str]:
    """Ids of the rules a list of checks finds broken."""
    return [ch.rule for ch in checks if not ch.ok]
