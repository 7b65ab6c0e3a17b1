"""Text reports for `planner check`: eligibility table, reasons, close relatives (zh labels with en).

Columns are aligned by display width (CJK characters take two terminal cells,
`unicodedata.east_asian_width`), so the table reads well in a 100-column terminal.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from planner.eligibility import EDUCATION_NAMES, JOINT_REVIEW_NAMES, Reason, Screening, review_grid, screen
from planner.kinship import RELATION_NAMES, close_relative_pairs
from planner.profiles import profile_summary, profile_warnings
from planner.scenario import BODIES, Community, Subdistrict

BODY_SHORT = {
    "party_committee": ("党组织", "PC"),
    "residents_committee": ("居委会", "RC"),
    "supervisory_committee": ("监委会", "SC"),
}
OK, NO = "✓", "✗"


@functools.lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """Terminal cells a string takes: wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal cells."""
    return text + " " * max(0, width - display_width(text))


def wrap(text: str, width: int = 100, indent: str = "      ") -> list[str]:
    """Split a line at `width` terminal cells; continuation lines start with `indent`."""
    lines: list[str] = []
    current, used = "", 0  # used: display_width(current), kept as the line grows
    for token in re.findall(r"[!-~]+ ?| |.", text):  # an ASCII word with its space, or one character
        if used + display_width(token.rstrip()) > width and current.strip():
            lines.append(current.rstrip())
            current, used = indent, display_width(indent)
        current += token
        used += display_width(token)
    lines.append(current.rstrip())
    return lines


def format_table(header: list[str] | list[list[str]], rows: list[list[str]], gap: str = "  ") -> list[str]:
    """Aligned rows under a header (one or more header lines) and a rule line."""
    heads: list[list[str]] = header if header and isinstance(header[0], list) else [header]  # type: ignore[list-item]
    widths = [max(display_width(r[i]) for r in [*heads, *rows]) for i in range(len(heads[0]))]
    lines = [gap.join(pad(h, w) for h, w in zip(head, widths, strict=False)).rstrip() for head in heads]
    lines.append(gap.join("-" * w for w in widths))
    lines += [gap.join(pad(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    return lines


def _mark(ok: bool, reasons: list[Reason]) -> str:
    if ok:
        return OK
    return f"{NO} " + ",".join(sorted({r.rule for r in reasons}))


def _reason_line(reason: Reason, lang: str) -> str:
    code = f"{reason.rule} {reason.code}" if reason.code != reason.rule else reason.rule
    return f"{code} {reason.text(lang)}"


def _scope(s: Screening, reason: Reason, lang: str) -> str:
    """Which columns a reason affects, e.g. 党组织/居委会/监委会/书记."""
    names = [BODY_SHORT[b][0 if lang == "zh" else 1] for b in BODIES if reason in s.bodies[b].reasons]
    if reason in s.secretary.reasons:
        names.append("书记" if lang == "zh" else "secretary")
    return "/".join(names)


def eligibility_rows(c: Community, screenings: dict[str, Screening]) -> list[list[str]]:
    """One row per person: id, name, age, Party, education, the three bodies, secretary, note."""
    rows = []
    for pid, s in screenings.items():
        p = s.person
        years = c.party_years(p)
        party = f"是 {years}年" if years is not None else "否"
        note = "待审" if s.subject_to_review else ""
        rows.append(
            [
                pid,
                p.name,
                str(c.age(p)),
                party,
                EDUCATION_NAMES[p.education][0],
                *(_mark(s.bodies[b].ok, s.bodies[b].reasons) for b in BODIES),
                _mark(s.secretary.ok, s.secretary.reasons),
                note,
            ]
        )
    return rows


def check_report(c: Community, *, allow_pending: bool = False, lang: str = "zh") -> str:
    """The `planner check` report of one community: header, eligibility table, reasons, close relatives."""
    screenings = screen(c, allow_pending=allow_pending)
    names = {p.id: p.name for p in c.people} | {o.id: o.name for o in c.others}
    out = [
        f"社区 Community: {c.name} ({c.id})" + (f"  {c.subdistrict}" if c.subdistrict else ""),
        f"基准日 Reference date: {c.reference_date}    人数 People: {len(c.people)}"
        + ("    假设联审通过 allow pending: 是 yes" if allow_pending else ""),
        "",
    ]
    out += [profile_summary(c).pick(lang), *(f"⚠ {w.pick(lang)}" for w in profile_warnings(c)), ""]
    note = c.by_election_note()  # 补选: the vacant posts and who keeps their post
    if note is not None:
        out += [note.pick(lang), ""]
    disabled = [r for r in c.rules.disabled]
    if disabled:
        out += [f"已关闭规则 Rules switched off: {', '.join(disabled)}", ""]
    out.append("资格 Eligibility")
    header = [
        ["编号", "姓名", "年龄", "党员", "学历", *(zh for zh, _ in BODY_SHORT.values()), "书记", "备注"],
        ["ID", "Name", "Age", "Party", "Edu", *(en for _, en in BODY_SHORT.values()), "Secretary", "Note"],
    ]
    rows = eligibility_rows(c, screenings)
    if rows:
        out += format_table(header, rows)
        out.append(
            f"{OK} 可任 eligible   {NO} 不可任 not eligible (rule ids)"
            + ("   待审 subject to review" if any(s.subject_to_review for s in screenings.values()) else "")
        )
    else:
        out.append("（无人员 no people）")
    out += ["", "原因 Reasons"]
    any_reason = False
    for pid, s in screenings.items():
        reasons = s.reasons()
        if not reasons:
            continue
        any_reason = True
        out.append(f"{pid} {s.person.name}" + ("  [待审 subject to review]" if s.subject_to_review else ""))
        for r in reasons:
            out += wrap(f"  - [{_scope(s, r, lang)}] {_reason_line(r, lang)}")
    if not any_reason:
        out.append("（无 none）")
    grid = [(p, review_grid(c, p)) for p in c.people if p.joint_reviews]
    if grid:
        departments = c.departments()
        out += ["", "资格联审 Joint review by department"]
        out += format_table(
            [["编号", "姓名", "结论", *departments], ["ID", "Name", "Status", *(["" for _ in departments])]],
            [
                [
                    p.id,
                    p.name,
                    JOINT_REVIEW_NAMES[p.joint_review][0 if lang == "zh" else 1],
                    *(
                        JOINT_REVIEW_NAMES[r or "not_submitted"][0 if lang == "zh" else 1]
                        for r in results.values()
                    ),
                ]
                for p, results in grid
            ],
        )
    out += ["", "近亲属 Close relatives (S07)"]
    pairs = close_relative_pairs(c)
    for pair in pairs:
        zh, en = RELATION_NAMES[pair.relation]
        who = f"{pair.a} {names.get(pair.a, '')} — {pair.b} {names.get(pair.b, '')}"
        out.append(f"  {who}  {zh} {en}")
        out += wrap(f"      {pair.proof(lang)}")
    if not pairs:
        out.append("  （无 none）")
    notes = user_notes(c)
    if notes:
        out += ["", "备注 Your notes (x_ keys and notes, not interpreted)"]
        for record, fields in notes:
            for key, value in fields.items():
                out += wrap(f"  {record}  {key}: {value}")
    return "\n".join(out) + "\n"


def user_notes(c: Community) -> list[tuple[str, dict]]:
    """(record, its x_* keys and notes) for every record of the community that has some, in file order."""
    records = [
        ("community", c),
        ("rules", c.rules),
        ("previous_term", c.previous_term),
        ("schedule", c.schedule),
        *((p.id, p) for p in c.people),
        *((o.id, o) for o in c.others),
        *((f"{r.a}-{r.b}", r) for r in c.relatives),
    ]
    return [(name, record.user_fields) for name, record in records if record.user_fields]


def summary_rows(sub: Subdistrict, *, allow_pending: bool = False) -> list[list[str]]:
    """One row per community: id, name, people, eligible per body, secretary candidates, relative pairs."""
    rows = []
    for c in sub.communities:
        s = screen(c, allow_pending=allow_pending)
        counts = [str(sum(v.bodies[b].ok for v in s.values())) for b in BODIES]
        rows.append(
            [
                c.id,
                c.name,
                str(len(c.people)),
                *counts,
                str(sum(v.secretary.ok for v in s.values())),
                str(len(close_relative_pairs(c))),
            ]
        )
    return rows


def subdistrict_report(sub: Subdistrict, *, allow_pending: bool = False, lang: str = "zh") -> str:
    """A summary of every community of a sub-district, then each community's check report."""
    out = [
        (
            f"街道 Sub-district: {sub.name} ({sub.id})    社区 Communities: {len(sub.communities)}    "
            f"工作组容量 Capacity (T07): {sub.capacity}"
        ),
        "",
    ]
    header = [
        ["编号", "社区", "人数", *(f"{zh}可任" for zh, _ in BODY_SHORT.values()), "书记可任", "近亲属对"],
        [
            "ID",
            "Community",
            "People",
            *(f"{en} eligible" for _, en in BODY_SHORT.values()),
            "Secretary",
            "Relative pairs",
        ],
    ]
    rows = summary_rows(sub, allow_pending=allow_pending)
    out += format_table(header, rows) if rows else ["（无社区 no communities）"]
    for c in sub.communities:
        out += ["", "=" * 100, check_report(c, allow_pending=allow_pending, lang=lang).rstrip("\n")]
    return "\n".join(out) + "\n"
