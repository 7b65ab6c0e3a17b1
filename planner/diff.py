"""What changed between two versions of a scenario, or between two plans (solver-free).

`diff_scenarios(old, new)` compares two scenarios community by community: people added and removed,
the fields changed per person, relative pairs and others added and removed, and every other setting
(reference date, rules, schedule, ...) changed. `diff_plans(old, new)` compares two saved plans: the
people who joined or left the team of the first-ranked slate, the posts whose holders changed, and the
stages whose dates moved. Both return typed results whose `summary()` and `lines()` are `Text`
(Chinese and English) and whose `to_json()` is plain data; the workspace (planner.workspace) stores
the summary with each saved version, and the app's History page shows the lines side by side.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.scenario import BODY_NAMES, POST_NAMES, Scenario
from planner.text import Text

# Chinese names of the fields a user edits most (the English names are the scenario's own keys).
FIELD_ZH = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "education": "学历",
    "party_member": "是否党员",
    "party_joined": "入党时间",
    "resident_voter": "是否登记选民",
    "incumbent": "原任职务",
    "stands_for": "参选机构",
    "disqualifications": "不得确定为候选人情形",
    "joint_review": "资格联审",
    "waivers": "放宽审批",
    "tags": "优先人选类别",
    "support": "民意支持度",
    "subdistrict": "街道",
    "reference_date": "基准日期",
    "multi_ethnic": "多民族",
    "previous_term": "上届",
    "profile": "规则配置",
    "rules": "规则",
    "schedule": "日程",
    "capacity": "每日容量",
    "calendar": "日历",
    "concentrated_election_day": "集中选举日",
}
RELATION_ZH = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母",
    "grandchild": "孙子女",
}
SHOWN = 5  # names listed in a summary before "..."


def field_text(path: str) -> Text:
    """`birth_date` -> 出生日期 / birth_date; `rules.disabled` -> 规则.disabled / rules.disabled."""
    head, dot, rest = path.partition(".")
    return Text(FIELD_ZH.get(head, head) + dot + rest, path)


def value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _names(items: list[str]) -> str:
    shown = "、".join(items[:SHOWN])
    return shown + ("…" if len(items) > SHOWN else "")


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side comparison: what, of whom or which field, before and after."""

    what: Text
    subject: str
    old: Text
    new: Text

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what.to_json(),
            "subject": self.subject,
            "old": self.old.to_json(),
            "new": self.new.to_json(),
        }


NONE = Text("—", "—")


def _relation(a: str, b: str, rel: str) -> Text:
    return Text(f"{a} 是 {b} 的{RELATION_ZH.get(rel, rel)}", f"{a} is the {rel} of {b}")


# ---------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class FieldChange:
    """One field (a dotted path) with its value before and after."""

    path: str
    old: Any
    new: Any

    def text(self) -> Text:
        f = field_text(self.path)
        old, new = value_text(self.old), value_text(self.new)
        return Text(f"{f.zh}：{old} → {new}", f"{f.en}: {old} → {new}")

    def to_json(self) -> dict[str, Any]:
        return {"field": self.path, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class PersonChange:
    """A person in both versions whose fields differ."""

    id: str
    name: str
    fields: tuple[FieldChange, ...]

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}".strip()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "fields": [f.to_json() for f in self.fields]}


@dataclass(frozen=True)
class CommunityDiff:
    """What changed in one community (the whole scenario for a community scenario)."""

    id: str
    name: str
    added: tuple[tuple[str, str], ...] = ()  # (id, name) of people only in the new version
    removed: tuple[tuple[str, str], ...] = ()
    changed: tuple[PersonChange, ...] = ()
    relatives_added: tuple[tuple[str, str, str], ...] = ()  # (a, b, relation): a is b's relation
    relatives_removed: tuple[tuple[str, str, str], ...] = ()
    others_added: tuple[tuple[str, str], ...] = ()
    others_removed: tuple[tuple[str, str], ...] = ()
    settings: tuple[FieldChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or self.relatives_added
            or self.relatives_removed
            or self.others_added
            or self.others_removed
            or self.settings
        )

    def summary(self) -> Text:
        parts: list[Text] = []
        if self.added:
            names = _names([f"{i} {n}".strip() for i, n in self.added])
            parts.append(Text(f"新增 {len(self.added)} 人（{names}）", f"{len(self.added)} added ({names})"))
        if self.removed:
            names = _names([f"{i} {n}".strip() for i, n in self.removed])
            parts.append(
                Text(f"移除 {len(self.removed)} 人（{names}）", f"{len(self.removed)} removed ({names})")
            )
        if self.changed:
            names = _names([p.label for p in self.changed])
            parts.append(
                Text(f"修改 {len(self.changed)} 人（{names}）", f"{len(self.changed)} changed ({names})")
            )
        if self.relatives_added or self.relatives_removed:
            plus, minus = len(self.relatives_added), len(self.relatives_removed)
            parts.append(Text(f"亲属关系 +{plus} −{minus}", f"relatives +{plus} −{minus}"))
        if self.others_added or self.others_removed:
            plus, minus = len(self.others_added), len(self.others_removed)
            parts.append(Text(f"其他人 +{plus} −{minus}", f"others +{plus} −{minus}"))
        if self.settings:
            names = _names([field_text(s.path).zh for s in self.settings])
            names_en = ", ".join(s.path for s in self.settings[:SHOWN]) + (
                "…" if len(self.settings) > SHOWN else ""
            )
            parts.append(
                Text(
                    f"设置修改 {len(self.settings)} 项（{names}）",
                    f"{len(self.settings)} setting(s) changed ({names_en})",
                )
            )
        return Text.join(parts)

    def lines(self) -> list[Text]:
        out: list[Text] = []
        for pid, name in self.added:
            out.append(Text(f"新增人员 {pid} {name}".strip(), f"person added: {pid} {name}".strip()))
        for pid, name in self.removed:
            out.append(Text(f"移除人员 {pid} {name}".strip(), f"person removed: {pid} {name}".strip()))
        for p in self.changed:
            for f in p.fields:
                change = f.text()
                out.append(Text(f"{p.label}：", f"{p.label}: ") + change)
        for a, b, rel in self.relatives_added:
            out.append(
                Text(
                    f"新增亲属关系：{a} 是 {b} 的{RELATION_ZH.get(rel, rel)}",
                    f"relative added: {a} is the {rel} of {b}",
                )
            )
        for a, b, rel in self.relatives_removed:
            out.append(
                Text(
                    f"移除亲属关系：{a} 是 {b} 的{RELATION_ZH.get(rel, rel)}",
                    f"relative removed: {a} is the {rel} of {b}",
                )
            )
        for oid, name in self.others_added:
            out.append(Text(f"新增其他人 {oid} {name}".strip(), f"other added: {oid} {name}".strip()))
        for oid, name in self.others_removed:
            out.append(Text(f"移除其他人 {oid} {name}".strip(), f"other removed: {oid} {name}".strip()))
        out.extend(Text("设置 ", "setting ") + s.text() for s in self.settings)
        return out

    def rows(self) -> list[Row]:
        """The changes as before/after rows (people, fields, relatives, others, settings)."""
        out: list[Row] = []
        for pid, name in self.added:
            out.append(Row(Text("新增人员", "person added"), pid, NONE, Text.same(f"{pid} {name}".strip())))
        for pid, name in self.removed:
            out.append(Row(Text("移除人员", "person removed"), pid, Text.same(f"{pid} {name}".strip()), NONE))
        for p in self.changed:
            for f in p.fields:
                what = field_text(f.path)
                out.append(
                    Row(
                        Text(f"修改：{what.zh}", f"changed: {what.en}"),
                        p.label,
                        Text.same(value_text(f.old)),
                        Text.same(value_text(f.new)),
                    )
                )
        for a, b, rel in self.relatives_added:
            out.append(Row(Text("新增亲属关系", "relative added"), f"{a}–{b}", NONE, _relation(a, b, rel)))
        for a, b, rel in self.relatives_removed:
            out.append(Row(Text("移除亲属关系", "relative removed"), f"{a}–{b}", _relation(a, b, rel), NONE))
        for oid, name in self.others_added:
            out.append(Row(Text("新增其他人", "other added"), oid, NONE, Text.same(f"{oid} {name}".strip())))
        for oid, name in self.others_removed:
            out.append(
                Row(Text("移除其他人", "other removed"), oid, Text.same(f"{oid} {name}".strip()), NONE)
            )
        for f in self.settings:
            what = field_text(f.path)
            out.append(
                Row(
                    Text(f"设置：{what.zh}", f"setting: {what.en}"),
                    f.path,
                    Text.same(value_text(f.old)),
                    Text.same(value_text(f.new)),
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "people_added": [{"id": i, "name": n} for i, n in self.added],
            "people_removed": [{"id": i, "name": n} for i, n in self.removed],
            "people_changed": [p.to_json() for p in self.changed],
            "relatives_added": [{"a": a, "b": b, "relation": r} for a, b, r in self.relatives_added],
            "relatives_removed": [{"a": a, "b": b, "relation": r} for a, b, r in self.relatives_removed],
            "others_added": [{"id": i, "name": n} for i, n in self.others_added],
            "others_removed": [{"id": i, "name": n} for i, n in self.others_removed],
            "settings": [s.to_json() for s in self.settings],
        }


@dataclass(frozen=True)
class ScenarioDiff:
    """Two versions of a scenario compared: per community, and the sub-district's own settings."""

    communities: tuple[CommunityDiff, ...] = ()
    communities_added: tuple[tuple[str, str], ...] = ()
    communities_removed: tuple[tuple[str, str], ...] = ()
    settings: tuple[FieldChange, ...] = ()  # a sub-district's own fields (capacity, calendar, ...)
    many: bool = field(default=False)  # a sub-district: name the community in each line

    @property
    def empty(self) -> bool:
        return (
            not self.communities_added
            and not self.communities_removed
            and not self.settings
            and all(c.empty for c in self.communities)
        )

    def summary(self) -> Text:
        """One short line, e.g. "新增 1 人（p21 张三）；设置修改 1 项（基准日期）"."""
        if self.empty:
            return Text("无变化", "no change")
        parts: list[Text] = []
        if self.communities_added:
            names = _names([i for i, _ in self.communities_added])
            parts.append(Text(f"新增社区 {names}", f"communities added: {names}"))
        if self.communities_removed:
            names = _names([i for i, _ in self.communities_removed])
            parts.append(Text(f"移除社区 {names}", f"communities removed: {names}"))
        if self.settings:
            names = _names([field_text(s.path).zh for s in self.settings])
            parts.append(
                Text(
                    f"街道设置修改 {len(self.settings)} 项（{names}）",
                    f"{len(self.settings)} sub-district setting(s) changed",
                )
            )
        for c in self.communities:
            if c.empty:
                continue
            text = c.summary()
            parts.append(Text(f"{c.name or c.id}：", f"{c.id}: ") + text if self.many else text)
        return Text.join(parts)

    def lines(self) -> list[Text]:
        out: list[Text] = []
        for cid, name in self.communities_added:
            out.append(Text(f"新增社区 {cid} {name}".strip(), f"community added: {cid} {name}".strip()))
        for cid, name in self.communities_removed:
            out.append(Text(f"移除社区 {cid} {name}".strip(), f"community removed: {cid} {name}".strip()))
        out.extend(Text("街道设置 ", "sub-district setting ") + s.text() for s in self.settings)
        for c in self.communities:
            prefix = Text(f"[{c.name or c.id}] ", f"[{c.id}] ") if self.many else Text("", "")
            out.extend(prefix + line for line in c.lines())
        return out

    def rows(self) -> list[Row]:
        out: list[Row] = []
        for cid, name in self.communities_added:
            out.append(Row(Text("新增社区", "community added"), cid, NONE, Text.same(name or cid)))
        for cid, name in self.communities_removed:
            out.append(Row(Text("移除社区", "community removed"), cid, Text.same(name or cid), NONE))
        for f in self.settings:
            out.append(
                Row(
                    Text(f"街道设置：{field_text(f.path).zh}", f"sub-district setting: {f.path}"),
                    f.path,
                    Text.same(value_text(f.old)),
                    Text.same(value_text(f.new)),
                )
            )
        for c in self.communities:
            for row in c.rows():
                subject = f"{c.id} · {row.subject}" if self.many else row.subject
                out.append(Row(row.what, subject, row.old, row.new))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "empty": self.empty,
            "summary": self.summary().to_json(),
            "communities_added": [{"id": i, "name": n} for i, n in self.communities_added],
            "communities_removed": [{"id": i, "name": n} for i, n in self.communities_removed],
            "settings": [s.to_json() for s in self.settings],
            "communities": [c.to_json() for c in self.communities if not c.empty],
        }


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths; lists and scalars are leaves."""
    if isinstance(data, Mapping) and data:
        out: dict[str, Any] = {}
        for key in data:
            out.update(flatten(data[key], f"{prefix}{key}."))
        return out
    return {prefix[:-1]: data}


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    a, b = flatten(old), flatten(new)
    paths = list(a) + [p for p in b if p not in a]
    return tuple(FieldChange(p, a.get(p), b.get(p)) for p in paths if a.get(p) != b.get(p))


def _plain(scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(scenario, Mapping):
        return dict(scenario)
    return json.loads(scenario.canonical_json())


LISTS = ("people", "relatives", "others")


def diff_community(old: Mapping[str, Any], new: Mapping[str, Any]) -> CommunityDiff:
    """Two versions of one community as plain data (`Community.canonical_json()` parsed)."""
    people_a = {p["id"]: p for p in old.get("people") or []}
    people_b = {p["id"]: p for p in new.get("people") or []}
    changed = []
    for pid, p in people_b.items():
        if pid in people_a and people_a[pid] != p:
            fields = _changes(
                {k: v for k, v in people_a[pid].items() if k != "id"},
                {k: v for k, v in p.items() if k != "id"},
            )
            changed.append(PersonChange(pid, str(p.get("name") or ""), fields))

    def relations(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        return [(r["a"], r["b"], r["relation"]) for r in data.get("relatives") or []]

    rel_a, rel_b = relations(old), relations(new)
    others_a = {o["id"]: str(o.get("name") or "") for o in old.get("others") or []}
    others_b = {o["id"]: str(o.get("name") or "") for o in new.get("others") or []}
    return CommunityDiff(
        id=str(new.get("id") or old.get("id") or ""),
        name=str(new.get("name") or old.get("name") or ""),
        added=tuple((pid, str(p.get("name") or "")) for pid, p in people_b.items() if pid not in people_a),
        removed=tuple((pid, str(p.get("name") or "")) for pid, p in people_a.items() if pid not in people_b),
        changed=tuple(changed),
        relatives_added=tuple(r for r in rel_b if r not in rel_a),
        relatives_removed=tuple(r for r in rel_a if r not in rel_b),
        others_added=tuple((i, n) for i, n in others_b.items() if i not in others_a),
        others_removed=tuple((i, n) for i, n in others_a.items() if i not in others_b),
        settings=_changes(
            {k: v for k, v in old.items() if k not in LISTS}, {k: v for k, v in new.items() if k not in LISTS}
        ),
    )


def diff_scenarios(old: Scenario | Mapping[str, Any], new: Scenario | Mapping[str, Any]) -> ScenarioDiff:
    """Compare two versions of a scenario (Scenario objects, or their canonical JSON parsed)."""
    a, b = _plain(old), _plain(new)
    if a.get("kind") != "subdistrict" and b.get("kind") != "subdistrict":
        return ScenarioDiff(communities=(diff_community(a, b),))
    ca = {c["id"]: c for c in a.get("communities") or []} if a.get("kind") == "subdistrict" else {a["id"]: a}
    cb = {c["id"]: c for c in b.get("communities") or []} if b.get("kind") == "subdistrict" else {b["id"]: b}
    own_a = {k: v for k, v in a.items() if k != "communities"} if a.get("kind") == "subdistrict" else {}
    own_b = {k: v for k, v in b.items() if k != "communities"} if b.get("kind") == "subdistrict" else {}
    return ScenarioDiff(
        communities=tuple(diff_community(ca[cid], cb[cid]) for cid in cb if cid in ca),
        communities_added=tuple((cid, str(c.get("name") or "")) for cid, c in cb.items() if cid not in ca),
        communities_removed=tuple((cid, str(c.get("name") or "")) for cid, c in ca.items() if cid not in cb),
        settings=_changes(own_a, own_b),
        many=True,
    )


# ---------------------------------------------------------------- plans


def post_text(key: str) -> Text:
    """`party_committee.secretary` -> 党组织·书记 / Party committee · secretary."""
    body, _, post = key.partition(".")
    bz, be = BODY_NAMES.get(body, (body, body))
    pz, pe = POST_NAMES.get(post, (post, post))
    return Text(f"{bz}·{pz}", f"{be} · {pe}")


@dataclass(frozen=True)
class PostChange:
    post: str  # body.post
    old: tuple[str, ...]
    new: tuple[str, ...]

    def text(self) -> Text:
        p = post_text(self.post)
        old, new = "、".join(self.old) or "—", "、".join(self.new) or "—"
        return Text(f"{p.zh}：{old} → {new}", f"{p.en}: {old} → {new}")

    def to_json(self) -> dict[str, Any]:
        return {"post": self.post, "old": list(self.old), "new": list(self.new)}


@dataclass(frozen=True)
class StageMove:
    stage: str
    name: str
    old: tuple[str, str] | None  # (start, end) ISO dates; None: not in that plan
    new: tuple[str, str] | None

    @property
    def days(self) -> int | None:
        """Days the start moved (later is positive); None when the stage is in one plan only."""
        if self.old is None or self.new is None:
            return None
        from datetime import date

        return (date.fromisoformat(self.new[0]) - date.fromisoformat(self.old[0])).days

    def text(self) -> Text:
        label = f"{self.stage} {self.name}".strip() if self.name and self.name != self.stage else self.stage
        old = f"{self.old[0]}–{self.old[1]}" if self.old else "—"
        new = f"{self.new[0]}–{self.new[1]}" if self.new else "—"
        days = self.days
        if days:
            moved = Text(f"（{'推迟' if days > 0 else '提前'} {abs(days)} 天）", f" ({days:+d} days)")
        else:
            moved = Text("", "")
        return Text(f"{label}：{old} → {new}", f"{label}: {old} → {new}") + moved

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "name": self.name,
            "old": list(self.old) if self.old else None,
            "new": list(self.new) if self.new else None,
            "days": self.days,
        }


@dataclass(frozen=True)
class CommunityPlanDiff:
    id: str
    joined: tuple[str, ...] = ()  # in the new plan's team only
    left: tuple[str, ...] = ()
    posts: tuple[PostChange, ...] = ()
    stages: tuple[StageMove, ...] = ()
    status: tuple[str, str] | None = None  # (old, new) slate status when it differs

    @property
    def empty(self) -> bool:
        return not (self.joined or self.left or self.posts or self.stages or self.status)

    def lines(self) -> list[Text]:
        out: list[Text] = []
        if self.status:
            out.append(
                Text(
                    f"方案状态：{self.status[0]} → {self.status[1]}",
                    f"status: {self.status[0]} → {self.status[1]}",
                )
            )
        if self.joined:
            names = "、".join(self.joined)
            out.append(Text(f"进入班子：{names}", f"joined the team: {', '.join(self.joined)}"))
        if self.left:
            names = "、".join(self.left)
            out.append(Text(f"离开班子：{names}", f"left the team: {', '.join(self.left)}"))
        out.extend(Text("职务 ", "post ") + p.text() for p in self.posts)
        out.extend(Text("日程 ", "stage ") + s.text() for s in self.stages)
        return out

    def rows(self) -> list[Row]:
        out: list[Row] = []
        if self.status:
            out.append(
                Row(Text("方案状态", "status"), self.id, Text.same(self.status[0]), Text.same(self.status[1]))
            )
        for pid in self.joined:
            out.append(Row(Text("进入班子", "joined the team"), pid, NONE, Text.same(pid)))
        for pid in self.left:
            out.append(Row(Text("离开班子", "left the team"), pid, Text.same(pid), NONE))
        for p in self.posts:
            label = post_text(p.post)
            out.append(
                Row(
                    Text(f"职务：{label.zh}", f"post: {label.en}"),
                    p.post,
                    Text.same("、".join(p.old) or "—"),
                    Text.same("、".join(p.new) or "—"),
                )
            )
        for m in self.stages:
            days = m.days
            moved = (
                Text(f"（{'推迟' if days > 0 else '提前'} {abs(days)} 天）", f" ({days:+d} days)")
                if days
                else Text("", "")
            )
            old = Text.same(f"{m.old[0]}–{m.old[1]}" if m.old else "—")
            new = Text.same(f"{m.new[0]}–{m.new[1]}" if m.new else "—") + moved
            out.append(
                Row(
                    Text("日程", "stage"),
                    f"{m.stage} {m.name}".strip() if m.name != m.stage else m.stage,
                    old,
                    new,
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "joined": list(self.joined),
            "left": list(self.left),
            "posts": [p.to_json() for p in self.posts],
            "stages": [s.to_json() for s in self.stages],
            "status": list(self.status) if self.status else None,
        }


@dataclass(frozen=True)
class PlanDiff:
    """Two plans compared, per community: team in and out, posts changed, stages moved."""

    communities: tuple[CommunityPlanDiff, ...] = ()
    many: bool = False

    @property
    def empty(self) -> bool:
        return all(c.empty for c in self.communities)

    def summary(self) -> Text:
        if self.empty:
            return Text("无变化", "no change")
        joined = sum(len(c.joined) for c in self.communities)
        left = sum(len(c.left) for c in self.communities)
        posts = sum(len(c.posts) for c in self.communities)
        moved = sum(len(c.stages) for c in self.communities)
        return Text(
            f"进入班子 {joined} 人，离开 {left} 人；职务变化 {posts} 处；日程变动 {moved} 个阶段",
            f"{joined} joined and {left} left the team; {posts} post(s) changed; {moved} stage(s) moved",
        )

    def lines(self) -> list[Text]:
        out: list[Text] = []
        for c in self.communities:
            prefix = Text(f"[{c.id}] ", f"[{c.id}] ") if self.many else Text("", "")
            out.extend(prefix + line for line in c.lines())
        return out

    def rows(self) -> list[Row]:
        out: list[Row] = []
        for c in self.communities:
            for row in c.rows():
                out.append(
                    Row(row.what, f"{c.id} · {row.subject}" if self.many else row.subject, row.old, row.new)
                )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "empty": self.empty,
            "summary": self.summary().to_json(),
            "communities": [c.to_json() for c in self.communities if not c.empty],
        }


def plan_parts(plan_json: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(slates per community, schedule, audit) of a plan.json (planner.export), the workspace's plan form.

    plan.json lists the slates with their community and gives the slate status (per community for a
    sub-district); the workspace keeps `{community id: {"status", "slates": [...], "explanation"}}`."""
    status = plan_json.get("slate_status")
    explanation = plan_json.get("explanation")
    slates: dict[str, Any] = {}
    for s in plan_json.get("slates") or []:
        cid = str(s.get("community") or plan_json.get("scenario") or "")
        entry = slates.setdefault(
            cid,
            {
                "status": status.get(cid) if isinstance(status, Mapping) else status,
                "slates": [],
                "explanation": explanation.get(cid) if isinstance(explanation, Mapping) else explanation,
            },
        )
        entry["slates"].append({k: v for k, v in s.items() if k != "community"})
    for cid, st in status.items() if isinstance(status, Mapping) else []:
        slates.setdefault(cid, {"status": st, "slates": [], "explanation": (explanation or {}).get(cid)})
    return slates, dict(plan_json.get("schedule") or {}), dict(plan_json.get("audit") or {})


def _holders(slate: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """body.post -> holders (members as a sorted tuple) of a slate's JSON."""
    out: dict[str, tuple[str, ...]] = {}
    for body, posts in ((slate or {}).get("posts") or {}).items():
        for post, who in (posts or {}).items():
            holders = sorted(who) if isinstance(who, list) else ([who] if who else [])
            out[f"{body}.{post}"] = tuple(holders)
    return out


def _first_slates(plan: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any] | None]]:
    """community id -> (status, first-ranked slate) of a plan (workspace form or plan.json form)."""
    slates = plan.get("slates") or {}
    out: dict[str, tuple[str, Mapping[str, Any] | None]] = {}
    if isinstance(slates, Mapping):  # {cid: SlateResult JSON}
        for cid, result in slates.items():
            found = (result or {}).get("slates") or []
            out[cid] = (str((result or {}).get("status") or ""), found[0] if found else None)
    else:  # plan.json: a list of slates naming their community, "slate_status" for all
        for s in slates:
            cid = str(s.get("community") or plan.get("scenario") or "")
            if cid not in out or (s.get("rank") or 1) < (out[cid][1] or {}).get("rank", 99):
                out[cid] = (str(plan.get("slate_status") or ""), s)
    return out


def _stages(plan: Mapping[str, Any]) -> dict[str, dict[str, tuple[str, str, str]]]:
    """community id -> stage id -> (name, start, end)."""
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    for cid, c in (((plan.get("schedule") or {}).get("communities")) or {}).items():
        out[cid] = {
            s["id"]: (str(s.get("name") or ""), str(s.get("start")), str(s.get("end")))
            for s in (c or {}).get("stages") or []
        }
    return out


def diff_plans(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    """Compare two plans (a workspace plan's `{"slates": {cid: ...}, "schedule": ...}`, or plan.json)."""
    slates_a, slates_b = _first_slates(old), _first_slates(new)
    stages_a, stages_b = _stages(old), _stages(new)
    ids = list(dict.fromkeys([*slates_a, *slates_b, *stages_a, *stages_b]))
    result = []
    for cid in ids:
        status_a, slate_a = slates_a.get(cid, ("", None))
        status_b, slate_b = slates_b.get(cid, ("", None))
        holders_a, holders_b = _holders(slate_a), _holders(slate_b)
        team_a = {p for who in holders_a.values() for p in who}
        team_b = {p for who in holders_b.values() for p in who}
        posts = tuple(
            PostChange(key, holders_a.get(key, ()), holders_b.get(key, ()))
            for key in dict.fromkeys([*holders_a, *holders_b])
            if holders_a.get(key, ()) != holders_b.get(key, ())
        )
        sa, sb = stages_a.get(cid, {}), stages_b.get(cid, {})
        moves = []
        for sid in dict.fromkeys([*sa, *sb]):
            a, b = sa.get(sid), sb.get(sid)
            if a is None or b is None or a[1:] != b[1:]:
                moves.append(
                    StageMove(
                        sid,
                        (b or a or ("", "", ""))[0],
                        (a[1], a[2]) if a else None,
                        (b[1], b[2]) if b else None,
                    )
                )
        result.append(
            CommunityPlanDiff(
                cid,
                joined=tuple(sorted(team_b - team_a)),
                left=tuple(sorted(team_a - team_b)),
                posts=posts,
                stages=tuple(moves),
                status=(status_a, status_b) if status_a != status_b else None,
            )
        )
    return PlanDiff(tuple(result), many=len(ids) > 1)
