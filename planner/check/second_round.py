"""另行选举 (a second round) re-checked solver-free: the round-one result file and the second-round lists.

SCENARIO.md "Second round". Round one elected some people; the seats left unfilled are elected again.
The elected keep their seats (and posts, when the vote was by post) and count toward every rule of the
team; the second round's differential lists (S17) are sized for the seats left (the Party list
ceil(left x (1 + differential_ratio)), the residents' list left + 1), hold nobody already elected to
that body, and, when `not_elected` is given, only round-one candidates who were not elected; with S18
every outcome of the second round (every left-sized subset of each list, the elected kept) still meets
the rules S18 names. Every other rule (S01-S16, S19) is the first round's, on the whole team.

`ElectedFile` is the strictly validated input (`read_elected`); `check_second_round` the checker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from planner.check.slate import ROBUST_CHECKS, check_slate
from planner.eligibility import body_reasons
from planner.issues import Issue, ScenarioError, issue
from planner.loader import read_file
from planner.plan import RuleCheck, Slate
from planner.scenario import (
    BODIES,
    BODY_NAMES,
    POSTS,
    TEAM_BODIES,
    Community,
    PersonId,
    Scenario,
    communities,
)
from planner.text import Text

SINGLE = {"party_committee": ("secretary", "deputy_secretary", "discipline_inspector"),
          "residents_committee": ("director", "deputy_director"), "supervisory_committee": ("director",)}  # fmt: skip
KEYS = ("community", "elected", "not_elected")


@dataclass
class Elected:
    """Round one's result for one community: who was elected to each body (with the post when voted by
    post, else None), and the round-one candidates not elected (None: not given)."""

    community: str
    bodies: dict[str, list[tuple[PersonId, str | None]]] = field(default_factory=dict)
    not_elected: list[PersonId] | None = None
    source: str = ""
    # a by-election's sitting members (Community.sitting), in `bodies` too: they keep their posts, on no list
    sitting: dict[str, list[PersonId]] = field(default_factory=dict)

    def members(self, body: str) -> list[PersonId]:
        return [pid for pid, _ in self.bodies.get(body, [])]

    def newly_elected(self, body: str) -> list[PersonId]:
        """Elected in round one (the sitting members of a by-election left out)."""
        return [pid for pid in self.members(body) if pid not in self.sitting.get(body, [])]

    def seats_left(self, c: Community) -> dict[str, int]:
        return {b: getattr(c.rules.seats, b) - len(self.members(b)) for b in BODIES}

    def to_json(self) -> dict[str, Any]:
        return {b: self.newly_elected(b) for b in BODIES}

    def posts_json(self) -> dict[str, dict[str, str]]:
        return {b: {pid: post for pid, post in held if post} for b, held in self.bodies.items() if held}


def second_list_size(c: Community, body: str, left: int) -> int:
    """S17 for the seats left: the Party list ceil(left x (1 + ratio)), the residents' list left + 1 (0 when none)."""
    if left <= 0:
        return 0
    rules = c.rules.model_copy(update={"seats": c.rules.seats.model_copy(update={body: left})})
    return rules.list_size(body)


# ---------------------------------------------------------------- reading the file


def _bad(source: str, record: str, message: str, message_zh: str, field_: str = "") -> Issue:
    return issue(
        source,
        message,
        message_zh,
        record=record,
        field=field_,
        hint="see docs/SCENARIO.md, Second round: community, elected (per body a list of ids or posts), "
        "not_elected",
        hint_zh="见 docs/SCENARIO.md“另行选举”：community、elected（各机构的编号列表或职务）、not_elected",
    )


def elected_from_data(data: Any, source: str, scenario: Scenario) -> Elected:
    """The round-one result, validated strictly against the scenario (ScenarioError naming file and record)."""
    if not isinstance(data, dict):
        raise ScenarioError([_bad(source, "", "the file is a mapping", "文件应为映射（键: 值）")])
    issues: list[Issue] = []
    for key in data:
        if key not in KEYS:
            issues.append(
                _bad(source, "", f"unknown key '{key}'; use {', '.join(KEYS)}", f"未知的键“{key}”", str(key))
            )
    known = {c.id: c for c in communities(scenario)}
    cid = data.get("community")
    if cid is None:
        if len(known) != 1:
            issues.append(
                _bad(
                    source,
                    "",
                    "name the community (a sub-district has several)",
                    "请写明社区编号",
                    "community",
                )
            )
            raise ScenarioError(issues)
        cid = next(iter(known))
    if not isinstance(cid, str) or cid not in known:
        issues.append(
            _bad(
                source,
                "",
                f"community '{cid}' is not in {scenario.id}",
                f"社区“{cid}”不在{scenario.id}中",
                "community",
            )
        )
        raise ScenarioError(issues)
    c = known[cid]
    out = Elected(community=cid, source=source)
    elected = data.get("elected")
    if not isinstance(elected, dict) or not elected:
        issues.append(
            _bad(
                source,
                "elected",
                "'elected' maps bodies to who was elected",
                "elected 应列出各机构的当选人",
                "elected",
            )
        )
        raise ScenarioError(issues)

    def person(pid: Any, where: str) -> PersonId | None:
        if not isinstance(pid, str) or pid not in c.person:
            issues.append(
                _bad(source, where, f"'{pid}' is not a person of {cid}", f"“{pid}”不是{cid}的人员", where)
            )
            return None
        return pid

    for body, value in elected.items():
        where = f"elected.{body}"
        if body not in BODIES:
            issues.append(
                _bad(
                    source,
                    where,
                    f"'{body}' is not a body; use {', '.join(BODIES)}",
                    f"“{body}”不是机构",
                    where,
                )
            )
            continue
        held: list[tuple[PersonId, str | None]] = []
        if isinstance(value, list):
            for i, pid in enumerate(value):
                got = person(pid, f"{where}[{i + 1}]")
                if got:
                    held.append((got, None))
        elif isinstance(value, dict):
            for post, who in value.items():
                pw = f"{where}.{post}"
                if post not in POSTS[body]:
                    issues.append(
                        _bad(source, pw, f"'{post}' is not a post of {body}; use {', '.join(POSTS[body])}",
                             f"“{post}”不是{BODY_NAMES[body][0]}的职务", pw)
                    )  # fmt: skip
                    continue
                if post in SINGLE[body]:
                    got = person(who, pw)
                    if got:
                        held.append((got, post))
                elif isinstance(who, list):
                    for i, pid in enumerate(who):
                        got = person(pid, f"{pw}[{i + 1}]")
                        if got:
                            held.append((got, post))
                else:
                    issues.append(_bad(source, pw, "members are a list of ids", "委员应为编号列表", pw))
        else:
            issues.append(
                _bad(source, where, "a list of ids or a mapping of posts", "应为编号列表或职务映射", where)
            )
            continue
        sitting = {pid: posts[body] for pid, posts in c.sitting().items() if body in posts}
        held = [(pid, post) for pid, post in held if pid not in sitting]  # a by-election's sitting members
        held += [(pid, post) for pid, post in sitting.items()]
        if sitting:
            out.sitting[body] = list(sitting)
        ids = [pid for pid, _ in held]
        for pid in sorted({p for p in ids if ids.count(p) > 1}):
            issues.append(
                _bad(
                    source, where, f"'{pid}' is elected twice to {body}", f"“{pid}”在同一机构重复当选", where
                )
            )
        seats = getattr(c.rules.seats, body)
        if len(ids) > seats:
            issues.append(
                _bad(source, where, f"{len(ids)} elected to {body}, which has {seats} seats",
                     f"{BODY_NAMES[body][0]}当选{len(ids)}人，超过职数{seats}", where)
            )  # fmt: skip
        out.bodies[body] = held
    for body in BODIES:  # a by-election's sitting members of bodies the file does not name
        if body not in out.bodies:
            sitting = {pid: posts[body] for pid, posts in c.sitting().items() if body in posts}
            if sitting:
                out.bodies[body] = list(sitting.items())
                out.sitting[body] = list(sitting)
    not_elected = data.get("not_elected")
    if not_elected is not None:
        if not isinstance(not_elected, list):
            issues.append(_bad(source, "not_elected", "a list of ids", "应为编号列表", "not_elected"))
        else:
            out.not_elected = [
                p
                for i, pid in enumerate(not_elected)
                if (p := person(pid, f"not_elected[{i + 1}]")) is not None
            ]
    if issues:
        raise ScenarioError(issues)
    if (
        not any(out.seats_left(c)[b] > 0 for b in TEAM_BODIES)
        and not out.seats_left(c)["supervisory_committee"]
    ):
        raise ScenarioError(
            [
                _bad(
                    source,
                    "elected",
                    "every seat is filled: there is no second round",
                    "全部职数已选满，无需另行选举",
                    "elected",
                )
            ]
        )
    return out


def read_elected(path: str | Path, scenario: Scenario) -> Elected:
    """`--second-round ELECTED.yaml`, read with planner.loader's limits and validated."""
    return elected_from_data(read_file(Path(path)), str(path), scenario)


# ---------------------------------------------------------------- the checker


def _check(rule: str, ok: bool, text: Text, people: list[PersonId] | None = None) -> RuleCheck:
    return RuleCheck(
        rule=rule, ok=ok, detail=text.both(), detail_zh=text.zh, detail_en=text.en, people=people or []
    )


def check_elected(elected: Elected, slate: Slate) -> RuleCheck:
    """Everyone elected in round one holds their seat (and post, when voted by post)."""
    missing = []
    for body, held in elected.bodies.items():
        for pid, post in held:
            posts = [q for b, q in slate.post_of(pid) if b == body]
            if not posts or (post is not None and post not in posts):
                missing.append(pid)
    if missing:
        who = ", ".join(missing)
        return _check(
            "S01",
            False,
            Text(f"第一轮当选的{who}未保留席位", f"{who}, elected in round one, lost the seat"),
            missing,
        )
    n = sum(len(h) for h in elected.bodies.values())
    return _check(
        "S01", True, Text(f"第一轮当选{n}人均保留席位", f"all {n} elected in round one keep their seats")
    )


def check_second_lists(c: Community, elected: Elected, slate: Slate, allow_pending: bool) -> RuleCheck:
    """S17 for the second round: sizes for the seats left, nobody already elected, eligible, winners listed,
    and (when not_elected is given) only round-one candidates who were not elected."""
    problems: list[Text] = []
    people: list[PersonId] = []
    left = elected.seats_left(c)
    for body in TEAM_BODIES:
        zh, en = BODY_NAMES[body]
        lst = list(slate.candidate_lists.get(body, []))
        need = second_list_size(c, body, left[body]) if c.rules.on("S17") else left[body]
        if len(set(lst)) != len(lst):
            problems.append(Text(f"{zh}名单有重复", f"the {en} list repeats a person"))
        if len(set(lst)) < need:
            problems.append(
                Text(
                    f"{zh}另行选举名单{len(set(lst))}人，需{need}人",
                    f"the {en} list has {len(set(lst))}, needs {need}",
                )
            )
        winners = [p for p in slate.members(body) if p not in elected.members(body)]
        for pid in winners:
            if pid not in lst:
                problems.append(
                    Text(f"{pid}未在{zh}名单上却当选", f"{pid} is elected without being on the {en} list")
                )
                people.append(pid)
        for pid in lst:
            if pid in elected.members(body):
                problems.append(Text(f"{pid}已在第一轮当选{zh}", f"{pid} was already elected to the {en}"))
                people.append(pid)
            elif elected.not_elected is not None and pid not in elected.not_elected:
                problems.append(
                    Text(
                        f"{pid}不是第一轮未当选的候选人",
                        f"{pid} was not a round-one candidate left unelected",
                    )
                )
                people.append(pid)
            elif pid in c.person and body_reasons(c, c.person[pid], body, allow_pending):
                problems.append(Text(f"{pid}不符合{zh}候选人条件", f"{pid} cannot stand for the {en}"))
                people.append(pid)
    if problems:
        return _check("S17", False, Text.join(problems), people)
    sizes = {b: len(slate.candidate_lists.get(b, [])) for b in TEAM_BODIES}
    return _check(
        "S17",
        True,
        Text(
            f"另行选举名单：党组织{sizes['party_committee']}人（{left['party_committee']}席），"
            f"居委会{sizes['residents_committee']}人（{left['residents_committee']}席）",
            f"second-round lists: Party {sizes['party_committee']} for {left['party_committee']} seats, "
            f"residents' {sizes['residents_committee']} for {left['residents_committee']} seats",
        ),
    )


def failing_outcome(
    c: Community, elected: Elected, slate: Slate
) -> tuple[str, tuple[PersonId, ...], tuple[PersonId, ...], Text] | None:
    """The first second-round outcome (Party winners, residents' winners) that breaks a rule S18 names
    (S07-S11, S14, those in force), with the rule and the words; None when every outcome passes."""
    from planner.kinship import close_relatives

    rules = [r for r in ROBUST_CHECKS if c.rules.on(r)]
    relatives = close_relatives(c) if "S07" in rules else {}
    left = elected.seats_left(c)
    sc = [c.person[p] for p in slate.members("supervisory_committee") if p in c.person]
    fixed = {b: [c.person[p] for p in elected.members(b)] for b in TEAM_BODIES}
    lists = {b: [c.person[p] for p in slate.candidate_lists.get(b, []) if p in c.person] for b in TEAM_BODIES}
    for pc_win in combinations(lists["party_committee"], max(0, left["party_committee"])):
        for rc_win in combinations(lists["residents_committee"], max(0, left["residents_committee"])):
            pc = [*fixed["party_committee"], *pc_win]
            rc = [*fixed["residents_committee"], *rc_win]
            team = list({p.id: p for p in (*pc, *rc)}.values())
            for rule_id in rules:
                ok, zh, en, _ = ROBUST_CHECKS[rule_id](c, team, rc, sc, relatives)
                if not ok:
                    return rule_id, tuple(p.id for p in pc_win), tuple(p.id for p in rc_win), Text(zh, en)
    return None


def outcomes(c: Community, elected: Elected, slate: Slate) -> int:
    """How many second-round outcomes the lists allow."""
    left = elected.seats_left(c)
    return math.comb(
        len(slate.candidate_lists.get("party_committee", [])), max(0, left["party_committee"])
    ) * (
        math.comb(
            len(slate.candidate_lists.get("residents_committee", [])), max(0, left["residents_committee"])
        )
    )


def check_second_robust(c: Community, elected: Elected, slate: Slate) -> RuleCheck:
    """S18 for the second round: whichever second-round candidates win the seats left (the elected kept),
    the team still meets the rules S18 names (S07-S11, S14, those in force)."""
    if not c.rules.on("S18"):
        return RuleCheck(rule="S18", ok=True, detail="已关闭 switched off", detail_zh="已关闭",
                         detail_en="switched off", disabled=True)  # fmt: skip
    rules = [r for r in ROBUST_CHECKS if c.rules.on(r)]
    failed = failing_outcome(c, elected, slate)
    if failed is not None:
        rule_id, pc_win, rc_win, words = failed
        a, b = ", ".join(pc_win), ", ".join(rc_win)
        return _check(
            "S18",
            False,
            Text(f"若另行选举党组织当选{a or '无'}、居委会当选{b or '无'}，则{rule_id}不满足：{words.zh}",
                 f"if the second round elects {a or 'nobody'} to the Party committee and "
                 f"{b or 'nobody'} to the residents' committee, {rule_id} fails: {words.en}"),
            [*pc_win, *rc_win],
        )  # fmt: skip
    count = outcomes(c, elected, slate)
    return _check("S18", True, Text(f"另行选举全部{count}种结果均满足{'、'.join(rules) or '-'}",
                                    f"all {count} second-round outcomes meet {', '.join(rules) or '-'}"))  # fmt: skip


def check_second_round(
    c: Community, elected: Elected, slate: Slate, *, allow_pending: bool = False
) -> list[RuleCheck]:
    """Every rule on the team after the second round (slate: the elected plus the winners, its lists the
    second round's): S01 with the elected kept, S02-S16 and S19 as in round one, S17 and S18 as above."""
    off = [*c.rules.disabled, "S17", "S18"]
    plain = c.model_copy(update={"rules": c.rules.model_copy(update={"disabled": off})})
    checks = []
    for ch in check_slate(plain, slate, allow_pending=allow_pending):
        if ch.rule == "S01":
            kept = check_elected(elected, slate)
            if ch.ok and not kept.ok:
                ch = kept
            elif ch.ok:
                ch = ch.model_copy(update={"detail": f"{ch.detail}; {kept.detail}", "detail_zh": f"{ch.detail_zh}；{kept.detail_zh}",
                                           "detail_en": f"{ch.detail_en}; {kept.detail_en}"})  # fmt: skip
        elif ch.rule == "S17":
            ch = check_second_lists(c, elected, slate, allow_pending) if c.rules.on("S17") else ch
        elif ch.rule == "S18":
            ch = check_second_robust(c, elected, slate)
        checks.append(ch)
    if not c.rules.on("S17"):  # without S17 the lists are the winners, still checked for who may be on them
        lists = check_second_lists(c, elected, slate, allow_pending)
        if not lists.ok:
            checks.append(lists)
    return checks
