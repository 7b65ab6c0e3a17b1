"""`planner workspace save | list | show | diff` (docs/WORKSPACE.md). Bad ids and versions raise
WorkspaceError, which `planner.cli` prints in both languages with exit status 2."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from planner.diff import post_text
from planner.scenario import communities, load_scenario
from planner.text import Text
from planner.workspace import PlanInfo, Ref, VersionInfo, Workspace, WorkspaceError, parse_ref


def _json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def cmd_workspace(args: argparse.Namespace) -> int:
    workspace = Workspace(args.workspace)
    try:
        return ACTIONS[args.action](args, workspace)
    finally:
        workspace.close()


FILE_SUFFIXES = (".yaml", ".yml", ".json")


def original_files(path: Path) -> dict[str, bytes]:
    """The scenario file's bytes and those of the files it names (a sub-district's community files, a
    profile or calendar file), by their names relative to the scenario's folder."""
    base = path.resolve().parent
    found: dict[str, bytes] = {}

    def visit(file: Path) -> None:
        name = file.relative_to(base).as_posix() if file.is_relative_to(base) else file.name
        if name in found or len(found) >= 200:
            return
        found[name] = file.read_bytes()
        try:
            data = yaml.safe_load(found[name].decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
            return
        for value in _strings(data):
            if value.lower().endswith(FILE_SUFFIXES) and (file.parent / value).is_file():
                visit((file.parent / value).resolve())

    visit(path.resolve())
    return found


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def cmd_save(args: argparse.Namespace, workspace: Workspace) -> int:
    scenario = load_scenario(args.scenario)  # a bad file: ScenarioError, printed by planner.cli
    path = Path(args.scenario)
    saved = workspace.save_version(scenario, note=args.note, source=path.name, files=original_files(path))
    if args.json:
        _json(saved.to_json() | {"created": saved.created, "workspace": workspace.display})
    elif saved.created:
        print(f"✓ {saved.ref} 已保存 saved ({workspace.display})")
        print(f"  {saved.summary.both()}")
    else:
        print(
            f"= {saved.ref} 内容未变，未新建版本 / unchanged since version {saved.number}, no new version "
            f"({workspace.display})"
        )
    return 0


def cmd_list(args: argparse.Namespace, workspace: Workspace) -> int:
    items = workspace.scenarios()
    plans = workspace.plans()
    if args.json:
        _json(
            {
                "workspace": workspace.display,
                "scenarios": [
                    s.to_json() | {"history": [v.to_json() for v in workspace.versions(s.key)]} for s in items
                ],
                "plans": [p.to_json() for p in plans],
            }
        )
        return 0
    print(f"工作区 workspace: {workspace.display}")
    if not items:
        print(
            "  （空）工作区中还没有场景 / the workspace holds no scenario yet: planner workspace save SCENARIO"
        )
        return 0
    print("场景 scenarios:")
    for s in items:
        print(f"  {s.key}  {s.name}  · {s.versions} 版 version(s), {s.plans} 个方案 plan(s)")
        for v in workspace.versions(s.key):
            note = f"  「{v.note}」" if v.note else ""
            print(f"    @{v.number}  {_when(v.created_at)}{note}  {v.summary.both()}")
    if plans:
        print("方案 plans:")
        for p in plans:
            notes = f"  「{p.notes}」" if p.notes else ""
            print(f"  {p.ref}  {p.key}@{p.version}  {p.status_text().both()}  {_when(p.updated_at)}{notes}")
    return 0


def _version_lines(v: VersionInfo) -> list[str]:
    scenario = v.scenario()
    people = sum(len(c.people) for c in communities(scenario))
    lines = [
        f"{v.ref}  {scenario.name or scenario.id}  ({scenario.kind})",
        f"  保存时间 saved: {_when(v.created_at)}",
        f"  说明 note: {v.note or '—'}",
        f"  来源 source: {v.source or '—'}",
        f"  人数 people: {people}",
        f"  指纹 sha256: {v.sha256}",
        f"  变化 changes: {v.summary.both()}",
    ]
    for name, content in v.files:
        lines.append(f"  原始文件 original file: {name} ({len(content)} bytes)")
    return lines


def _plan_lines(p: PlanInfo) -> list[str]:
    lines = [
        f"{p.ref}  {p.key}@{p.version}  {p.status_text().both()}",
        f"  保存时间 saved: {_when(p.created_at)}; 更新 updated: {_when(p.updated_at)}",
        f"  备注 notes: {p.notes or '—'}",
        f"  假设条件 what-if: {json.dumps(p.settings, ensure_ascii=False, sort_keys=True)}",
    ]
    for cid, result in p.slates.items():
        found = (result or {}).get("slates") or []
        lines.append(f"  [{cid}] 班子方案 slates: {(result or {}).get('status', '')}, {len(found)}")
        if found:
            for body, posts in (found[0].get("posts") or {}).items():
                for post, who in (posts or {}).items():
                    names = "、".join(who) if isinstance(who, list) else (who or "—")
                    lines.append(f"    {post_text(f'{body}.{post}').both()}: {names}")
    for cid, c in ((p.schedule or {}).get("communities") or {}).items():
        lines.append(f"  [{cid}] 日程 schedule:")
        for s in c.get("stages") or []:
            lines.append(f"    {s.get('id')} {s.get('name', '')}: {s.get('start')} – {s.get('end')}")
    return lines


def cmd_show(args: argparse.Namespace, workspace: Workspace) -> int:
    ref = parse_ref(args.ref)
    if ref.plan is not None:
        plan = workspace.plan(ref.plan)
        if args.json:
            _json(plan.to_json(content=True))
        else:
            print("\n".join(_plan_lines(plan)))
        return 0
    version = workspace.version(ref.key, ref.version)
    if args.files:
        for path in write_files(version, Path(args.files)):
            print(f"✓ {path}")
        return 0
    if args.json:
        _json(version.to_json(content=True))
    else:
        print("\n".join(_version_lines(version)))
    return 0


def write_files(version: VersionInfo, folder: Path) -> list[Path]:
    """The version's original files written into `folder` under their names; nothing is overwritten."""
    if not version.files:
        raise WorkspaceError(
            Text(
                f"{version.ref} 没有保存原始文件（在应用中修改的版本只有场景内容；用 --json 查看）",
                f"{version.ref} has no original files (a version edited in the app holds the scenario only; "
                "see it with --json)",
            )
        )
    root = folder.resolve()
    targets = [(root / name).resolve() for name, _ in version.files]
    for target in targets:
        if not target.is_relative_to(root):
            raise WorkspaceError(Text(f"文件名不安全：{target}", f"unsafe file name: {target}"))
        if target.exists():
            raise WorkspaceError(
                Text(f"文件已存在，不会覆盖：{target}", f"{target} exists; it is never overwritten")
            )
    for target, (_, content) in zip(targets, version.files, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return targets


def _pair(old: Ref, new: Ref) -> None:
    if (old.plan is None) != (new.plan is None):
        raise WorkspaceError(
            Text(
                "只能比较两个场景版本或两个方案，不能混合",
                "compare two scenario versions or two plans, not one of each",
            )
        )


def cmd_diff(args: argparse.Namespace, workspace: Workspace) -> int:
    old, new = parse_ref(args.old), parse_ref(args.new)
    _pair(old, new)
    if old.plan is not None and new.plan is not None:
        diff: Any = workspace.diff_plans(old.plan, new.plan)
        title = f"plan:{old.plan} → plan:{new.plan}"
    else:
        a, b = workspace.version(old.key, old.version), workspace.version(new.key, new.version)
        from planner.diff import diff_scenarios

        diff = diff_scenarios(json.loads(a.canonical_json), json.loads(b.canonical_json))
        title = f"{a.ref} → {b.ref}"
    if args.json:
        _json({"old": args.old, "new": args.new} | diff.to_json())
        return 0
    print(f"{title}: {diff.summary().both()}")
    for line in diff.lines():
        print(f"  - {line.both()}")
    return 0


ACTIONS = {"save": cmd_save, "list": cmd_list, "show": cmd_show, "diff": cmd_diff}
