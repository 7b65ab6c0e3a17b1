"""Who may hold which post, with reasons (RULES.md S03-S06, S15, S16).

Glossary: a *Reason* is one fact that bars a person from a body or from the
secretary's post, named by its rule id (and a D code for 三(二) disqualifications).
Each predicate returns a list of reasons; an empty list means the person passes.
The solver-free checker and the CP-SAT slate model both build on these functions,
so their semantics follow RULES.md and SCENARIO.md "Precise meanings" exactly.
Rules switched off in the scenario (`c.rules.on(id)` false) give no reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.rules import DISQUALIFICATIONS
from planner.scenario import (
    BODIES,
    BODY_NAMES,
    EDUCATION_LEVELS,
    Community,
    Person,
    PersonId,
    education_at_least,
)
from planner.text import Text

EDUCATION_NAMES: dict[str, tuple[str, str]] = {
    "primary": ("小学", "primary school"),
    "junior_high": ("初中", "junior high school"),
    "high_school": ("高中", "high school"),
    "vocational": ("中专", "vocational school"),
    "college": ("大专", "college"),
    "bachelor": ("本科", "bachelor's degree"),
    "master": ("硕士", "master's degree"),
    "doctorate": ("博士", "doctorate"),
}
assert set(EDUCATION_NAMES) == set(EDUCATION_LEVELS)

JOINT_REVIEW_NAMES: dict[str, tuple[str, str]] = {
    "passed": ("已通过", "passed"),
    "pending": ("待反馈", "pending"),
    "failed": ("未通过", "failed"),
    "not_submitted": ("未报送", "not submitted"),
}


@dataclass(frozen=True)
class Reason:
    """One fact barring a person, e.g. Reason("S06", "S06", "党龄不足1年（…）", "Party standing under 1 year (…)")."""

    rule: str
    code: str
    zh: str
    en: str

    @property
    def message(self) -> Text:
        return Text(self.zh, self.en)

    def text(self, lang: str = "zh") -> str:
        return self.message.pick(lang)


@dataclass(frozen=True)
class Verdict:
    """Whether a person may hold a post of a body (or the secretary's post), and why not."""

    ok: bool
    reasons: list[Reason] = field(default_factory=list)

    @classmethod
    def of(cls, reasons: list[Reason]) -> Verdict:
        return cls(ok=not reasons, reasons=list(reasons))

    def rule_ids(self) -> list[str]:
        """The distinct rule ids of the reasons, in id order."""
        return sorted({r.rule for r in self.reasons})


@dataclass(frozen=True)
class Screening:
    """A person's eligibility for each body and for the secretary's post."""

    person: Person
    bodies: dict[str, Verdict]
    secretary: Verdict
    subject_to_review: bool = False

    def eligible_bodies(self) -> list[str]:
        return [b for b in BODIES if self.bodies[b].ok]

    def reasons(self) -> list[Reason]:
        """Every distinct reason over the bodies and the secretary's post, in first-seen order."""
        out: list[Reason] = []
        for verdict in [*self.bodies.values(), self.secretary]:
            for r in verdict.reasons:
                if r not in out:
                    out.append(r)
        return out


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


def _r(rule: str, zh: str, en: str, code: str | None = None) -> Reason:
    return Reason(rule=rule, code=code or rule, zh=zh, en=en)


def reasons_S03(c: Community, p: Person) -> list[Reason]:
    """S03 (党章): every Party committee member is a Party member."""
    if not c.rules.on("S03") or p.party_member:
        return []
    return [
        _r("S03", "非党员，不能进入党组织委员会", "not a Party member, cannot sit on the Party committee")
    ]


def reasons_S04(c: Community, p: Person) -> list[Reason]:
    """S04 三(二): one reason per disqualification code D01-D17, with the verbatim text of the work plan."""
    if not c.rules.on("S04"):
        return []
    out = []
    for code in sorted(set(p.disqualifications)):
        zh, en = DISQUALIFICATIONS[code]
        out.append(_r("S04", zh, en, code=code))
    return out


def reasons_S05(c: Community, p: Person, allow_pending: bool = False) -> list[Reason]:
    """S05 三(三), 四(二)1(3): the joint review (资格联审) must have passed; pending passes only in what-if mode."""
    if not c.rules.on("S05") or p.joint_review == "passed":
        return []
    if p.joint_review == "pending" and allow_pending:
        return []
    zh, en = JOINT_REVIEW_NAMES[p.joint_review]
    if not p.joint_reviews:
        return [_r("S05", f"资格联审{zh}", f"joint review {en}")]
    parts_zh, parts_en = [], []
    for dept, result in review_grid(c, p).items():
        if result == "passed":
            continue
        if p.joint_review == "failed" and result != "failed":
            continue  # a failed review names the departments that failed it
        r_zh, r_en = JOINT_REVIEW_NAMES[result or "not_submitted"]
        parts_zh.append(f"{dept}{r_zh}")
        parts_en.append(f"{dept} {r_en}")
    return [
        _r(
            "S05",
            f"资格联审{zh}（{'、'.join(parts_zh)}）",
            f"joint review {en} ({', '.join(parts_en)})",
        )
    ]


def review_grid(c: Community, p: Person) -> dict[str, str | None]:
    """Per department of the community, the person's result (None: no record); {} without records."""
    if not p.joint_reviews:
        return {}
    given = {r.department: r.result for r in p.joint_reviews}
    return {d: given.get(d) for d in c.departments()}


def is_incumbent_secretary(p: Person) -> bool:
    """SCENARIO.md: "incumbent secretary" means `incumbent` holds party_committee.secretary."""
    return p.holds("party_committee", "secretary")


def reasons_S06(c: Community, p: Person) -> list[Reason]:
    """S06 三(二)5: secretary needs Party standing, education and age; incumbents exempt from age and education.

    Standing and age are full years on the reference date; an incumbent still needs the standing;
    an approved waiver (`age`, `education`) lifts that condition; a non-member fails.
    """
    if not c.rules.on("S06"):
        return []
    s = c.rules
    out: list[Reason] = []
    years = c.party_years(p)
    if years is None:
        out.append(
            _r(
                "S06",
                f"非党员，不具备{s.secretary_min_party_years}年以上党龄",
                f"not a Party member, lacks {_years(s.secretary_min_party_years)} of Party standing",
            )
        )
    elif years < s.secretary_min_party_years:
        out.append(
            _r(
                "S06",
                f"党龄不足{s.secretary_min_party_years}年（入党{p.party_joined}，{years}年）",
                f"Party standing under {_years(s.secretary_min_party_years)} "
                f"(joined {p.party_joined}, {_years(years)})",
            )
        )
    incumbent = is_incumbent_secretary(p)
    if (
        not incumbent
        and "education" not in p.waivers
        and not education_at_least(p.education, s.secretary_min_education)
    ):
        have_zh, have_en = EDUCATION_NAMES[p.education]
        need_zh, need_en = EDUCATION_NAMES[s.secretary_min_education]
        out.append(
            _r(
                "S06",
                f"学历低于{need_zh}（{have_zh}），非连任书记，无学历放宽",
                f"education below {need_en} ({have_en}); not the incumbent secretary, no education waiver",
            )
        )
    age = c.age(p)
    if not incumbent and "age" not in p.waivers and age > s.secretary_max_age:
        out.append(
            _r(
                "S06",
                f"年龄超过{s.secretary_max_age}周岁（{age}岁），非连任书记，无年龄放宽",
                f"older than {s.secretary_max_age} ({age}); not the incumbent secretary, no age waiver",
            )
        )
    return out


def reasons_S15(c: Community, p: Person, body: str) -> list[Reason]:
    """S15 四(二)2(4): a person holds a post only in a body they stand for."""
    if not c.rules.on("S15") or p.stands(body):
        return []
    zh, en = BODY_NAMES[body]
    return [_r("S15", f"未参选{zh}", f"does not stand for the {en}")]


def reasons_S16(c: Community, p: Person) -> list[Reason]:
    """S16 (居委会组织法 第八条): every post holder is at least 18 and a registered resident voter."""
    if not c.rules.on("S16"):
        return []
    out = []
    age = c.age(p)
    if age < 18:
        out.append(_r("S16", f"未满18周岁（{age}岁）", f"under 18 ({age})"))
    if not p.resident_voter:
        out.append(_r("S16", "非本社区登记选民", "not a registered resident voter"))
    return out


CANDIDATE_RULES = ("S05", "S15")
"""Rules about candidates (the joint review of those standing, willingness to stand): in a by-election a
sitting member keeps their post without standing, so these do not apply to it (SCENARIO.md)."""


def sits(c: Community, p: Person, body: str) -> bool:
    """By-election: p is a sitting member of `body` (keeps their post there; Community.sitting)."""
    return c.by_election and body in c.sitting().get(p.id, {})


def body_reasons(c: Community, p: Person, body: str, allow_pending: bool = False) -> list[Reason]:
    """Why a person may not hold a post of `body`: S03 (Party committee only), S04, S05, S15, S16.

    A by-election's sitting member of `body` is no candidate there: S05 and S15 are left out."""
    out: list[Reason] = []
    seated = sits(c, p, body)
    if body == "party_committee":
        out += reasons_S03(c, p)
    out += reasons_S04(c, p)
    if not seated:
        out += reasons_S05(c, p, allow_pending)
        out += reasons_S15(c, p, body)
    out += reasons_S16(c, p)
    return out


def secretary_reasons(c: Community, p: Person, allow_pending: bool = False) -> list[Reason]:
    """Why a person may not be the Party secretary: the Party committee's reasons plus S06."""
    return body_reasons(c, p, "party_committee", allow_pending) + reasons_S06(c, p)


def subject_to_review(c: Community, p: Person, allow_pending: bool = False) -> bool:
    """A pending joint review passed in what-if mode (`--allow-pending`) marks the person 待审."""
    return allow_pending and c.rules.on("S05") and p.joint_review == "pending"


def screen_person(c: Community, p: Person, *, allow_pending: bool = False) -> Screening:
    """One person's eligibility for each body and the secretary's post."""
    return Screening(
        person=p,
        bodies={b: Verdict.of(body_reasons(c, p, b, allow_pending)) for b in BODIES},
        secretary=Verdict.of(secretary_reasons(c, p, allow_pending)),
        subject_to_review=subject_to_review(c, p, allow_pending),
    )


def screen(c: Community, *, allow_pending: bool = False) -> dict[PersonId, Screening]:
    """Eligibility of every person, keyed by id in scenario order."""
    return {p.id: screen_person(c, p, allow_pending=allow_pending) for p in c.people}
