"""Readable terminal output of slates (`planner slate`): posts table, candidate lists, checks, or the conflict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.rules import rule_label
from planner.scenario import BODIES, BODY_NAMES, POST_NAMES, TEAM_BODIES, Community

if TYPE_CHECKING:
    from planner.slate.solve import SlateResult

STATUS_NAMES = {
    "optimal": ("最优", "optimal"),
    "feasible": ("可行（未证明最优）", "feasible (not proved optimal)"),
    "infeasible": ("无可行方案", "infeasible"),
    "unknown": ("时限内未找到方案", "unknown (time limit)"),
}


def _name(c: Community, pid: str) -> str:
    p = c.person.get(pid)
    return f"{pid} {p.name}".strip() if p else pid


def format_slates(result: SlateResult, c: Community, lang: str = "zh") -> str:
    """Each slate: rank, objective, the posts table (body, post zh + en, person), lists and ✓/✗ checks."""
    zh = lang == "zh"
    i = 0 if zh else 1
    lines = [
        f"{c.name or c.id}（{c.id}）" if zh else f"{c.id} {c.name}".strip(),
        ("状态：" if zh else "Status: ") + STATUS_NAMES.get(result.status, (result.status, result.status))[i],
    ]
    note = c.by_election_note()
    if note is not None:
        lines.append(note.pick(lang))
    sitting = c.sitting()
    for slate in result.slates:
        lines.append("")
        lines.append(
            f"方案 {slate.rank}  目标值 {slate.objective}"
            if zh
            else f"Slate {slate.rank}  objective {slate.objective}"
        )
        rows = []
        for body in BODIES:
            for post, pid in slate.holders(body):
                mark = ""
                if c.by_election:
                    mark = (
                        ("（在任）" if zh else " (sitting)")
                        if body in sitting.get(pid, {})
                        else "  ← 补选 new"
                    )
                rows.append(
                    (
                        f"{BODY_NAMES[body][0]} {BODY_NAMES[body][1]}",
                        f"{POST_NAMES[post][0]} {POST_NAMES[post][1]}",
                        _name(c, pid) + mark,
                    )
                )
        w0 = max((_width(r[0]) for r in rows), default=0)
        w1 = max((_width(r[1]) for r in rows), default=0)
        last = None
        for body, post, who in rows:
            shown = body if body != last else ""
            last = body
            lines.append(f"  {_pad(shown, w0)}  {_pad(post, w1)}  {who}")
        for body in TEAM_BODIES:
            lst = slate.candidate_lists.get(body, [])
            members = set(slate.members(body))
            names = ", ".join(pid + ("" if pid in members else "*") for pid in lst) or "-"
            lines.append(
                f"  {'候选人名单' if zh else 'Candidate list'} {BODY_NAMES[body][i]}: {names}"
                + ("  (* 差额 / alternate)" if any(p not in members for p in lst) else "")
            )
        for ch in slate.checks:
            mark = "-" if ch.disabled else ("✓" if ch.ok else "✗")
            lines.append(f"  {mark} {rule_label(ch.rule, lang)}  {ch.detail}")
    lines += change_lines(result, lang)
    lines += second_round_lines(result, lang)
    if result.explanation:
        lines.append("")
        lines.append(result.explanation["message"])  # Chinese, then English
    if result.why_not and not result.why_not.get("explanation"):
        msg = result.why_not.get("message_zh" if zh else "message_en")
        if msg:
            lines.append("")
            lines.append(msg)
    return "\n".join(lines)


def change_lines(result: SlateResult, lang: str = "zh") -> list[str]:
    """Re-planning (`--base`): the events and what changed from the adopted plan, each with its reason."""
    if result.base is None:
        return []
    zh = lang == "zh"
    base = result.base
    lines = ["", "调整说明（与采用方案相比）" if zh else "Changes from the adopted plan"]
    for applied in base.get("applied", []):
        lines.append(f"  · {applied['zh' if zh else 'en']}")
    if "people_moved" in base:
        lines.append(
            f"  调动{base['people_moved']}人，变动{base['posts_changed']}个职务，名单变动{base['list_changes']}处"
            if zh
            else f"  {base['people_moved']} people moved, {base['posts_changed']} posts changed, "
            f"{base['list_changes']} list places changed"
        )
    for change in result.changes or []:
        lines.append(f"  - {change['zh' if zh else 'en']}")
    if "people_moved" in base and not result.changes:
        lines.append("  - 无变动" if zh else "  - no change")
    return lines


def second_round_lines(result: SlateResult, lang: str = "zh") -> list[str]:
    """另行选举 (`--second-round`): per body the elected of round one, the seats left and the candidates."""
    second = result.second_round
    if second is None:
        return []
    zh = lang == "zh"
    lines = ["", "另行选举" if zh else "Second round (另行选举)"]
    for body in TEAM_BODIES:
        got = second["elected"].get(body, [])
        left = second["seats_left"].get(body, 0)
        lst = second["lists"].get(body, [])
        if zh:
            lines.append(
                f"  {BODY_NAMES[body][0]}：第一轮当选 {', '.join(got) or '无'}；另行选举{left}席；"
                f"候选人 {', '.join(lst) or '无'}"
            )
        else:
            lines.append(
                f"  {BODY_NAMES[body][1]}: elected in round one {', '.join(got) or 'none'}; {left} seats left; "
                f"candidates {', '.join(lst) or 'none'}"
            )
    return lines


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
