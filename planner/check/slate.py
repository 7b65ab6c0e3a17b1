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
from planner.registry import implementation, not_applicable, rule
from planner.rules import SLATE_RULES, SOFT_RULES
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
from planner.text import Text

OFF = Text("已关闭", "switched off")
OFF_DETAIL = f"{OFF.zh} {OFF.en}"  # a switched-off rule's `detail`, as the JSON always had it
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
    # planner.kinship.close_relatives(c) when the caller has it (check_slate's `relatives`)
    given_relatives: dict[PersonId, set[PersonId]] | None = None

    @cached_property
    def person(self) -> dict[PersonId, Person]:
        return self.c.person

    @cached_property
    def relatives(self) -> dict[PersonId, set[PersonId]]:
        """Each person's close relatives (planner.kinship), computed here unless the caller already did."""
        from planner.kinship import close_relatives

        return close_relatives(self.c) if self.given_relatives is None else self.given_relatives

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
        return [
            (body, post, self.person[pid])
            for body in BODIES
            for post, pid in self.slate.holders(body)
            if pid in self.person
        ]

    def holder_people(self) -> list[Person]:
        """Distinct known holders of any post of the three bodies."""
        return self.known(pid for body in BODIES for pid in self.members(body))

    @cached_property
    def sitting(self) -> dict[PersonId, dict[str, str]]:
        """A by-election's sitting members and their posts (Community.sitting); {} in a full election."""
        return self.c.sitting()

    def candidates(self, body: str) -> list[Person]:
        """Holders of a body's posts who stood for it: in a by-election, not its sitting members."""
        return [p for p in self.body_people(body) if body not in self.sitting.get(p.id, {})]


def _check(rule_id: str, ok: bool, detail: Text | list[Text], people: Iterable[PersonId] = ()) -> RuleCheck:
    """A RuleCheck from Text parts: `detail` is "中文 / English" per part joined by " | ", as the JSON always had."""
    parts = detail if isinstance(detail, list) else [detail]
    return RuleCheck(
        rule=rule_id,
        ok=ok,
        detail=" | ".join(part.both() for part in parts),
        detail_zh=" | ".join(part.zh for part in parts),
        detail_en=" | ".join(part.en for part in parts),
        people=list(dict.fromkeys(people)),
    )


def _ok(rule_id: str, detail: Text | list[Text], people: Iterable[PersonId] = ()) -> RuleCheck:
    return _check(rule_id, True, detail, people)


def _fail(rule_id: str, detail: Text | list[Text], people: Iterable[PersonId] = ()) -> RuleCheck:
    return _check(rule_id, False, detail, people)


def _reasons_text(pid: PersonId, reasons: list[Any], zh_prefix: str = "", en_prefix: str = "") -> Text:
    """'p03：非党员' / 'p03: not a Party member' from eligibility reasons."""
    zh = "；".join(r.zh for r in reasons)
    en = "; ".join(r.en for r in reasons)
    return Text(f"{zh_prefix}{pid}：{zh}", f"{en_prefix}{pid}: {en}")


def _person_rule(
    rule_id: str, entries: list[tuple[PersonId, list[Any]]], what_zh: str, what_en: str
) -> RuleCheck:
    """A rule on each holder: fail naming every person with reasons, else say how many were checked."""
    bad = [(pid, reasons) for pid, reasons in entries if reasons]
    if bad:
        return _fail(rule_id, [_reasons_text(pid, reasons) for pid, reasons in bad], [pid for pid, _ in bad])
    n = len({pid for pid, _ in entries})
    return _ok(rule_id, Text(f"{what_zh}{n}人均符合", f"all {n} {what_en} pass"))


# ---------------------------------------------------------------- S01-S19


@rule("S01", "check")
def S01_seats(ctx: SlateContext) -> RuleCheck:
    """S01 班子职数 三(一), 四(二)3(1): each body has exactly its seats, each post filled once, known people."""
    problems: list[Text] = []
    involved: list[PersonId] = []
    seats = ctx.c.rules.seats
    for body in BODIES:
        zh_body, en_body = BODY_NAMES[body]
        for post in SEAT_POSTS[body]:
            if ctx.post(body, post) is None:
                zh_post, en_post = POST_NAMES[post]
                problems.append(Text(f"{zh_body}{zh_post}空缺", f"{en_body} {en_post} is empty"))
        want = getattr(seats, body) - len(SEAT_POSTS[body])
        got = len(getattr(ctx.slate.posts, body).member)
        if got != want:
            problems.append(
                Text(f"{zh_body}委员{got}名，应为{want}名", f"{en_body} has {got} members, needs {want}")
            )
        pids = ctx.members(body)
        for pid in sorted({p for p in pids if pids.count(p) > 1}):
            problems.append(
                Text(
                    f"{pid}在{zh_body}任职{pids.count(pid)}次",
                    f"{pid} holds {pids.count(pid)} seats of the {en_body}",
                )
            )
            involved.append(pid)
    unknown = sorted({pid for body in BODIES for pid in ctx.members(body) if pid not in ctx.person})
    for pid in unknown:
        problems.append(Text(f"{pid}不在人员名单中", f"{pid} is not a person of the scenario"))
        involved.append(pid)
    for pid, posts in ctx.sitting.items():  # by-election: the sitting members keep their posts
        for body, post in posts.items():
            held = ctx.post(body, post) == pid if post != "member" else pid in ctx.post(body, post)
            if not held:
                zh_body, en_body = BODY_NAMES[body]
                zh_post, en_post = POST_NAMES[post]
                problems.append(
                    Text(
                        f"补选中在任的{pid}应保留{zh_body}{zh_post}职务",
                        f"{pid} sits as {en_body} {en_post} and keeps that post in a by-election",
                    )
                )
                involved.append(pid)
    if problems:
        return _fail("S01", problems, involved)
    return _ok(
        "S01",
        Text(
            f"职数齐全：党组织{seats.party_committee}、居委会{seats.residents_committee}、"
            f"监委会{seats.supervisory_committee}",
            f"seats filled: {seats.party_committee}, {seats.residents_committee}, "
            f"{seats.supervisory_committee}",
        ),
    )


@rule("S02", "check")
def S02_one_shoulder(ctx: SlateContext) -> RuleCheck:
    """S02 一肩挑 三(一): the Party secretary is the residents' committee director."""
    sec, director = ctx.post("party_committee", "secretary"), ctx.post("residents_committee", "director")
    if sec is not None and sec == director:
        return _ok("S02", Text(f"{sec}任书记兼居委会主任", f"{sec} is secretary and director"), [sec])
    return _fail(
        "S02",
        Text(
            f"书记为{sec or '空缺'}，居委会主任为{director or '空缺'}",
            f"secretary {sec or 'empty'}, director {director or 'empty'}",
        ),
        [p for p in (sec, director) if p],
    )


@rule("S03", "check")
def S03_party_only(ctx: SlateContext) -> RuleCheck:
    """S03 党员身份 (党章): every Party committee member is a Party member."""
    from planner.eligibility import reasons_S03

    entries = [(p.id, reasons_S03(ctx.c, p)) for p in ctx.body_people("party_committee")]
    return _person_rule("S03", entries, "党组织委员会成员", "Party committee members")


@rule("S04", "check")
def S04_eligible(ctx: SlateContext) -> RuleCheck:
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
            parts.append(
                Text(
                    f"{pid}有{codes}：{'；'.join(r.zh for r in rs)}",
                    f"{pid} has {', '.join(r.code for r in rs)}: {'; '.join(r.en for r in rs)}",
                )
            )
        return _fail("S04", parts, [pid for pid, _ in bad])
    return _ok(
        "S04",
        Text(
            f"任职者{len(entries)}人均无不得确定为候选人情形",
            f"none of the {len(entries)} holders has a disqualification",
        ),
    )


@rule("S05", "check")
def S05_joint_review(ctx: SlateContext) -> RuleCheck:
    """S05 资格联审 三(三): every holder passed the joint review; `pending` passes only in what-if mode."""
    from planner.eligibility import reasons_S05

    holders = ctx.known(p.id for body in BODIES for p in ctx.candidates(body))  # sitting members stand not
    entries = [(p.id, reasons_S05(ctx.c, p, ctx.allow_pending)) for p in holders]
    pending = [p.id for p in holders if p.joint_review == "pending"]
    if any(reasons for _, reasons in entries) or not (pending and ctx.allow_pending):
        return _person_rule("S05", entries, "任职者联审", "holders' joint reviews")
    n = len({pid for pid, _ in entries})
    return _ok(
        "S05",
        [
            Text(f"任职者联审{n}人均符合", f"all {n} holders' joint reviews pass"),
            Text(f"待审（联审待反馈）：{ids(pending)}", f"subject to review (pending): {ids(pending)}"),
        ],
        pending,
    )


@rule("S06", "check")
def S06_secretary_terms(ctx: SlateContext) -> RuleCheck:
    """S06 书记任职条件 三(二)5: the secretary meets Party standing, education and age (incumbents, waivers)."""
    from planner.eligibility import reasons_S06

    sec = ctx.post("party_committee", "secretary")
    if sec is None or sec not in ctx.person:
        return _ok("S06", Text("无可核查的书记（见S01）", "no secretary to check (see S01)"))
    p = ctx.person[sec]
    reasons = reasons_S06(ctx.c, p)
    if reasons:
        return _fail("S06", _reasons_text(sec, reasons, "书记", "secretary "), [sec])
    years = ctx.c.party_years(p)
    return _ok(
        "S06",
        Text(
            f"书记{sec}：{ctx.c.age(p)}岁，党龄{years}年",
            f"secretary {sec}: age {ctx.c.age(p)}, {years} years of Party standing",
        ),
        [sec],
    )


@rule("S07", "check")
def S07_recusal(ctx: SlateContext) -> RuleCheck:
    """S07 近亲属回避 三(三): no two close relatives in the team; with recusal_supervisory, none across the
    supervisory committee and the team either."""
    relatives = ctx.relatives
    team = [p.id for p in ctx.team_people]
    pairs: list[tuple[PersonId, PersonId, Text]] = []
    for a, b in combinations(team, 2):
        if b in relatives.get(a, set()):
            pairs.append((*sorted((a, b)), Text("两委班子", "team")))
    if ctx.c.rules.recusal_supervisory:
        team_set = set(team)
        for s in ctx.body_people("supervisory_committee"):
            for t in team:
                if s.id not in team_set and t in relatives.get(s.id, set()):
                    pairs.append((*sorted((s.id, t)), Text("监委会与两委", "supervisory and team")))
    pairs = list(dict.fromkeys(pairs))
    if pairs:
        from planner.kinship import close_relative_pairs

        proofs = {(pair.a, pair.b): pair for pair in close_relative_pairs(ctx.c)}
        parts = []
        for a, b, where in pairs:
            proof = proofs.get((a, b))
            parts.append(
                Text(
                    f"{a}与{b}为近亲属（{where.zh}{'：' + proof.proof_zh if proof else ''}）",
                    f"{a} and {b} are close relatives ({where.en}{': ' + proof.proof_en if proof else ''})",
                )
            )
        return _fail("S07", parts, [x for a, b, _ in pairs for x in (a, b)])
    scope = "两委及监委会" if ctx.c.rules.recusal_supervisory else "两委"
    scope_en = "team and supervisory committee" if ctx.c.rules.recusal_supervisory else "team"
    return _ok("S07", Text(f"{scope}中无近亲属", f"no close relatives in the {scope_en}"))


Quota = tuple[bool, str, str, list[PersonId]]  # ok, Chinese detail, English detail, people


def _young_check(c: Community, team: list[Person]) -> Quota:
    limit, need = c.rules.young_max_age, c.rules.min_young
    young = [p for p in team if c.age(p) <= limit]
    names = "，".join(f"{p.id}为{c.age(p)}岁" for p in young)
    names_en = ", ".join(f"{p.id} is {c.age(p)}" for p in young)
    if len(young) >= need:
        return (
            True,
            f"{len(young)}名{limit}周岁以下（需{need}名）：{names or '-'}",
            f"{len(young)} aged <= {limit} (needs {need}): {names_en or '-'}",
            [p.id for p in young],
        )
    return (
        False,
        f"{limit}周岁以下仅{len(young)}名，需{need}名{('：' + names) if names else ''}",
        f"only {len(young)} aged <= {limit}, needs {need}{(': ' + names_en) if names_en else ''}",
        [p.id for p in young],
    )


def _women_check(c: Community, team: list[Person]) -> Quota:
    need = c.rules.min_women
    women = [p.id for p in team if p.gender == "F"]
    ok = len(women) >= need
    zh = f"女性{len(women)}名（需{need}名）：{ids(women)}" if ok else f"女性仅{len(women)}名，需{need}名"
    en = (
        f"{len(women)} women (needs {need}): {ids(women)}" if ok else f"only {len(women)} women, needs {need}"
    )
    return ok, zh, en, women


def _college_check(c: Community, team: list[Person]) -> Quota:
    previous = c.previous_term.college_share
    college = [p.id for p in team if education_at_least(p.education, "college")]
    n = len(team)
    share = Fraction(len(college), n) if n else Fraction(0)
    if previous is None:
        return (
            True,
            f"大专以上{len(college)}/{n}（{pct(share)}），未给出上届比例，不比较",
            f"college {len(college)}/{n} ({pct(share)}); no previous share given, nothing to compare",
            college,
        )
    prev = exact(previous)
    ok = share > prev
    zh = "高于" if ok else "未高于"
    en = "above" if ok else "not above"
    return (
        ok,
        f"大专以上{len(college)}/{n}（{pct(share)}），{zh}上届{pct(prev)}",
        f"college {len(college)}/{n} ({pct(share)}), {en} the previous {pct(prev)}",
        college,
    )


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


@rule("S08", "check")
def S08_young(ctx: SlateContext) -> RuleCheck:
    """S08 年轻干部 三(四): at least min_young team members aged <= young_max_age on the reference date."""
    ok, zh, en, people = _young_check(ctx.c, ctx.team_people)
    return _check("S08", ok, Text(zh, en), people)


@rule("S09", "check")
def S09_women(ctx: SlateContext) -> RuleCheck:
    """S09 女性 三(四): at least min_women women in the team."""
    ok, zh, en, people = _women_check(ctx.c, ctx.team_people)
    return _check("S09", ok, Text(zh, en), people)


@rule("S10", "check")
def S10_college_share(ctx: SlateContext) -> RuleCheck:
    """S10 学历结构 三(四): the team's college share is strictly above the previous term's (when given)."""
    ok, zh, en, people = _college_check(ctx.c, ctx.team_people)
    return _check("S10", ok, Text(zh, en), [] if ok else people)


@rule("S11", "check")
def S11_rc_party_share(ctx: SlateContext) -> RuleCheck:
    """S11 居委会党员比例 三(四): RC Party share strictly above rc_party_share_min and the previous term's."""
    ok, zh, en, people = _rc_party_check(ctx.c, ctx.body_people("residents_committee"))
    return _check("S11", ok, Text(zh, en), [] if ok else people)


@rule("S12", "check")
def S12_deputy_director_cross(ctx: SlateContext) -> RuleCheck:
    """S12 副主任交叉任职 三(一): the residents' committee deputy director sits on the Party committee."""
    deputy = ctx.post("residents_committee", "deputy_director")
    if deputy is None:
        return _fail("S12", Text("居委会副主任空缺", "the deputy director post is empty"))
    if deputy in ctx.members("party_committee"):
        return _ok(
            "S12",
            Text(f"副主任{deputy}进入党组织委员会", f"deputy director {deputy} sits on the Party committee"),
            [deputy],
        )
    return _fail(
        "S12",
        Text(f"副主任{deputy}不在党组织委员会", f"deputy director {deputy} is not on the Party committee"),
        [deputy],
    )


@rule("S13", "check")
def S13_supervisory_director(ctx: SlateContext) -> RuleCheck:
    """S13 监委会主任 四(二)3(1): the supervisory director is the Party committee's discipline inspector."""
    director = ctx.post("supervisory_committee", "director")
    inspector = ctx.post("party_committee", "discipline_inspector")
    if director is not None and director == inspector:
        return _ok(
            "S13",
            Text(
                f"纪检委员{inspector}任监委会主任",
                f"discipline inspector {inspector} is supervisory director",
            ),
            [inspector],
        )
    return _fail(
        "S13",
        Text(
            f"监委会主任为{director or '空缺'}，纪检委员为{inspector or '空缺'}",
            f"supervisory director {director or 'empty'}, discipline inspector {inspector or 'empty'}",
        ),
        [p for p in (director, inspector) if p],
    )


@rule("S14", "check")
def S14_supervisory_separation(ctx: SlateContext) -> RuleCheck:
    """S14 不得兼任 四(二)3(1): no residents' committee member sits on the supervisory committee."""
    sc = set(ctx.members("supervisory_committee"))
    both = [pid for pid in dict.fromkeys(ctx.members("residents_committee")) if pid in sc]
    if both:
        return _fail(
            "S14",
            Text(
                f"{ids(both)}同时在居委会和监委会",
                f"{ids(both)} sit on both the residents' and the supervisory committee",
            ),
            both,
        )
    return _ok(
        "S14",
        Text("居委会成员均未兼任监委会成员", "no residents' committee member on the supervisory committee"),
    )


@rule("S15", "check")
def S15_willing(ctx: SlateContext) -> RuleCheck:
    """S15 参选意愿 四(二)2(4): a person holds a post only in a body they stand for."""
    from planner.eligibility import reasons_S15

    entries = []
    for body in BODIES:
        for p in ctx.candidates(body):  # a by-election's sitting members keep their posts without standing
            entries.append((p.id, reasons_S15(ctx.c, p, body)))
    merged: dict[PersonId, list[Any]] = {}
    for pid, reasons in entries:
        merged.setdefault(pid, []).extend(reasons)
    return _person_rule("S15", list(merged.items()), "任职者", "holders")


@rule("S16", "check")
def S16_adult_resident(ctx: SlateContext) -> RuleCheck:
    """S16 选民资格 (居委会组织法): every post holder is at least 18 and a registered resident voter."""
    from planner.eligibility import reasons_S16

    return _person_rule(
        "S16", [(p.id, reasons_S16(ctx.c, p)) for p in ctx.holder_people()], "任职者", "holders"
    )


def party_list_size(c: Community) -> int:
    """S17: the Party list's minimum size (Community.list_size: a by-election's covers its vacancies)."""
    return c.list_size("party_committee")


def residents_list_size(c: Community) -> int:
    """S17: the residents' list's minimum size (Community.list_size: a by-election's covers its vacancies)."""
    return c.list_size("residents_committee")


def _list_reasons(c: Community, p: Person, body: str, allow_pending: bool) -> list[Any]:
    from planner import eligibility

    return eligibility.body_reasons(c, p, body, allow_pending)


@rule("S17", "check")
def S17_differential(ctx: SlateContext) -> RuleCheck:
    """S17 差额 四(二)1(1): each candidate list holds its body's members, eligible people, enough of them."""
    problems: list[Text] = []
    involved: list[PersonId] = []
    needs = {"party_committee": party_list_size(ctx.c), "residents_committee": residents_list_size(ctx.c)}
    for body, need in needs.items():
        zh_body, en_body = BODY_NAMES[body]
        if body not in ctx.slate.candidate_lists:
            if need == 0 and not ctx.candidates(body):  # a by-election without vacancies in this body
                continue
            problems.append(Text(f"缺少{zh_body}候选人名单", f"no {en_body} candidate list"))
            continue
        lst = ctx.slate.candidate_lists[body]
        for pid in sorted({p for p in lst if lst.count(p) > 1}):
            problems.append(Text(f"{pid}在{zh_body}名单中重复", f"{pid} appears twice on the {en_body} list"))
            involved.append(pid)
        distinct = list(dict.fromkeys(lst))
        if len(distinct) < need:
            problems.append(
                Text(
                    f"{zh_body}名单{len(distinct)}人，至少需{need}人",
                    f"{en_body} list has {len(distinct)}, needs at least {need}",
                )
            )
        missing = [p.id for p in ctx.candidates(body) if p.id not in distinct]
        seated = [pid for pid in distinct if body in ctx.sitting.get(pid, {})]
        if seated:
            problems.append(
                Text(
                    f"{ids(seated)}现任{zh_body}成员，不是补选候选人",
                    f"{ids(seated)} already sit on the {en_body} and are not by-election candidates",
                )
            )
            involved.extend(seated)
        if missing:
            problems.append(
                Text(
                    f"当选的{ids(missing)}不在{zh_body}名单中",
                    f"elected {ids(missing)} missing from the {en_body} list",
                )
            )
            involved.extend(missing)
        for pid in distinct:
            if pid not in ctx.person:
                problems.append(Text(f"{pid}不在人员名单中", f"{pid} is not a person of the scenario"))
                involved.append(pid)
                continue
            reasons = _list_reasons(ctx.c, ctx.person[pid], body, ctx.allow_pending)
            if reasons:
                problems.append(_reasons_text(pid, reasons, f"{zh_body}名单中", f"on the {en_body} list, "))
                involved.append(pid)
    if problems:
        return _fail("S17", problems, involved)
    pc, rc = (len(set(ctx.slate.candidate_lists.get(b, []))) for b in needs)
    return _ok(
        "S17",
        Text(
            f"党组织名单{pc}人（需{needs['party_committee']}），居委会名单{rc}人（需"
            f"{needs['residents_committee']}）",
            f"Party list {pc} (needs {needs['party_committee']}), "
            f"residents' list {rc} (needs {needs['residents_committee']})",
        ),
    )


def _recusal_outcome(
    c: Community,
    team: list[Person],
    rc: list[Person],
    sc: list[Person],
    relatives: dict[PersonId, set[PersonId]],
) -> Quota:
    """S07 on one outcome: close relatives in the team, or (recusal_supervisory) across it and the
    supervisory committee."""
    ids_in = [p.id for p in team]
    pairs = [(a, b) for a, b in combinations(ids_in, 2) if b in relatives.get(a, set())]
    if c.rules.recusal_supervisory:
        pairs += [
            (s.id, t) for s in sc for t in ids_in if s.id not in ids_in and t in relatives.get(s.id, set())
        ]
    if pairs:
        zh = "，".join(f"{a}与{b}为近亲属" for a, b in pairs)
        en = ", ".join(f"{a} and {b} are close relatives" for a, b in pairs)
        return False, zh, en, [x for pair in pairs for x in pair]
    return True, "无近亲属", "no close relatives", []


def _separation_outcome(
    c: Community,
    team: list[Person],
    rc: list[Person],
    sc: list[Person],
    relatives: dict[PersonId, set[PersonId]],
) -> Quota:
    """S14 on one outcome: an elected residents' committee member who sits on the supervisory committee."""
    on_sc = {p.id for p in sc}
    both = [p.id for p in rc if p.id in on_sc]
    if both:
        return (
            False,
            f"{ids(both)}同时在居委会和监委会",
            f"{ids(both)} would sit on both the residents' and the supervisory committee",
            both,
        )
    return (
        True,
        "居委会成员均未兼任监委会成员",
        "no residents' committee member on the supervisory committee",
        [],
    )


ROBUST_CHECKS: dict[str, Callable[..., Quota]] = {
    "S07": _recusal_outcome,
    "S08": lambda c, team, rc, sc, rel: _young_check(c, team),
    "S09": lambda c, team, rc, sc, rel: _women_check(c, team),
    "S10": lambda c, team, rc, sc, rel: _college_check(c, team),
    "S11": lambda c, team, rc, sc, rel: _rc_party_check(c, rc),
    "S14": _separation_outcome,
}


@rule("S18", "check")
def S18_robust_list(ctx: SlateContext) -> RuleCheck:
    """S18 差额稳健: every seats-sized subset of each list, taken as the elected body, still meets S08-S11,
    S07 (with the supervisory committee as planned) and S14 (those in force)."""
    c = ctx.c
    lists: dict[str, list[Person]] = {}
    for body in TEAM_BODIES:
        zh_body, en_body = BODY_NAMES[body]
        if body not in ctx.slate.candidate_lists and c.to_fill(body) > 0:
            return _fail("S18", Text(f"缺少{zh_body}候选人名单", f"no {en_body} candidate list"))
        lists[body] = ctx.known(ctx.slate.candidate_lists.get(body, []))
        seats = c.to_fill(body)  # every seat, or a by-election's vacancies
        if len(lists[body]) < seats:
            return _fail(
                "S18",
                Text(
                    f"{zh_body}名单仅{len(lists[body])}人，不足{seats}席",
                    f"the {en_body} list has {len(lists[body])}, fewer than {seats} seats",
                ),
            )
    rules = [r for r in ROBUST_CHECKS if c.rules.on(r)]
    sc = ctx.body_people("supervisory_committee")
    relatives = ctx.relatives if "S07" in rules else {}
    pc_seats, rc_seats = c.to_fill("party_committee"), c.to_fill("residents_committee")
    rc_subsets = list(combinations(lists["residents_committee"], rc_seats))
    # a by-election's sitting members are in every outcome (the lists elect the vacancies)
    kept = {b: [ctx.person[pid] for pid, posts in ctx.sitting.items() if b in posts] for b in TEAM_BODIES}
    count = 0
    seen: set[tuple[frozenset[PersonId], frozenset[PersonId]]] = set()
    for pc in combinations(lists["party_committee"], pc_seats):
        for rc in rc_subsets:
            count += 1
            elected_rc = [*kept["residents_committee"], *rc]
            team = list({p.id: p for p in (*kept["party_committee"], *pc, *elected_rc)}.values())
            key = (frozenset(p.id for p in team), frozenset(p.id for p in elected_rc))
            if key in seen:
                continue
            seen.add(key)
            for rule_id in rules:
                ok, zh, en, who = ROBUST_CHECKS[rule_id](c, team, elected_rc, sc, relatives)
                if not ok:
                    pc_ids, rc_ids = ids(p.id for p in pc), ids(p.id for p in rc)
                    return _fail(
                        "S18",
                        Text(
                            f"若当选党组织为{pc_ids}、居委会为{rc_ids}，则{rule_id}不满足：{zh}",
                            f"if the Party committee elected is {pc_ids} and the residents' "
                            f"committee {rc_ids}, {rule_id} fails: {en}",
                        ),
                        who if rule_id in ("S07", "S14") else [p.id for p in team],
                    )
    return _ok(
        "S18",
        Text(
            f"全部{count}种当选组合均满足{'、'.join(rules) or '-'}",
            f"all {count} elected combinations meet {', '.join(rules) or '-'}",
        ),
    )


@rule("S19", "check")
def S19_minority(ctx: SlateContext) -> RuleCheck:
    """S19 少数民族成员 (居委会组织法 第七条): in a multi-ethnic community the RC has a minority member."""
    if not ctx.c.multi_ethnic:
        return _ok("S19", Text("非多民族居住社区，不适用", "not a multi-ethnic community: does not apply"))
    minority = [p for p in ctx.body_people("residents_committee") if p.is_minority]
    if minority:
        names = "，".join(f"{p.id}（{p.ethnicity}）" for p in minority)
        return _ok(
            "S19",
            Text(
                f"居委会少数民族成员：{names}",
                "minority members of the residents' committee: "
                f"{', '.join(f'{p.id} ({p.ethnicity})' for p in minority)}",
            ),
            [p.id for p in minority],
        )
    return _fail(
        "S19", Text("居委会中没有少数民族成员", "the residents' committee has no ethnic minority member")
    )


"""The registered checkers by id (a view of planner.registry, re-exported by planner.check)."""

for _soft in SOFT_RULES:
    not_applicable(
        _soft, "check", "a soft rule has no verdict: slate_objective recomputes the objective (P01-P03)"
    )


def check_slate(
    c: Community,
    slate: Slate | dict[str, Any],
    *,
    allow_pending: bool = False,
    relatives: dict[PersonId, set[PersonId]] | None = None,
) -> list[RuleCheck]:
    """One RuleCheck per slate rule S01-S19 in id order; rules switched off come back ok and disabled.
    `relatives`: planner.kinship.close_relatives(c) when the caller checks many slates of one community."""
    if not isinstance(slate, Slate):
        slate = Slate.model_validate(slate)
    ctx = SlateContext(c, slate, allow_pending, relatives)
    out = []
    for rule_id in SLATE_RULES:
        if not c.rules.on(rule_id):
            out.append(
                RuleCheck(
                    rule=rule_id,
                    ok=True,
                    detail=OFF_DETAIL,
                    detail_zh=OFF.zh,
                    detail_en=OFF.en,
                    disabled=True,
                )
            )
        else:
            out.append(implementation(rule_id, "check")(ctx))
    return out


def slate_objective(c: Community, slate: Slate | dict[str, Any]) -> int:
    """RULES.md objective: over distinct known team members, weighted support + preferred tags + continuity
    (in a by-election over the newcomers to the team only: the sitting members are in every slate)."""
    if not isinstance(slate, Slate):
        slate = Slate.model_validate(slate)
    w = c.rules.weights
    ctx = SlateContext(c, slate)
    seated = c.sitting_team()  # a by-election counts only the newcomers to the team
    return sum(
        w.support * p.support
        + w.preferred_source * len(p.preferred_tags())
        + w.continuity * (1 if p.incumbent else 0)
        for p in ctx.team_people
        if p.id not in seated
    )


def violated(checks: list[RuleCheck]) -> list[str]:
    """Ids of the rules a list of checks finds broken."""
    return [ch.rule for ch in checks if not ch.ok]
