"""The workspace: every scenario with its versions, every saved plan, and where the app left off.

A workspace is a database reached through SQLAlchemy 2: by default a SQLite file in the user's data
folder (`default_location()`), or any SQLAlchemy URL (a county server's PostgreSQL,
`postgresql+psycopg://user@host/db`). Opening one upgrades its schema to the newest Alembic migration
(planner/workspace/migrations/), so a workspace written by an older release keeps working.

- `save_version(scenario, note=..., files=...)` stores the scenario's canonical JSON, the files exactly
  as the user gave them, the note, and what changed since the previous version (planner.diff). Saving
  content equal to the newest version stores nothing and returns that version.
- `save_plan(...)` stores a plan of one version: slates, schedule, audit, the what-if settings that
  made it, a status (草稿 draft / 讨论稿 discussion / 定稿 final) and notes.
- `state()` / `set_state()` keep where the app left off.

Concurrent writers never lose a save: SQLite runs in WAL mode with a busy timeout and every write takes
the write lock at its start (BEGIN IMMEDIATE); a version number is assigned inside the transaction that
stores it (PostgreSQL: under a row lock on the scenario), and a transaction that loses a race is retried.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planner.diff import PlanDiff, ScenarioDiff, diff_plans, diff_scenarios
from planner.scenario import Scenario, communities, parse_scenario
from planner.text import Text
from planner.workspace.models import (
    STATUSES,
    Base,
    PlanRecord,
    ScenarioRecord,
    StateRecord,
    VersionFile,
    VersionRecord,
    now,
)

__all__ = [
    "STATUSES",
    "STATUS_NAMES",
    "Base",
    "PlanInfo",
    "Ref",
    "ScenarioInfo",
    "VersionInfo",
    "Workspace",
    "WorkspaceError",
    "default_location",
    "parse_ref",
    "workspace_url",
]

ENV = "PLANNER_WORKSPACE"  # a path or URL; the default workspace of the command line and the app
APP_FOLDER = "lianwei-planner"
FILE_NAME = "workspace.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
RETRIES = 12
STATUS_NAMES = {
    "draft": Text("草稿", "draft"),
    "discussion": Text("讨论稿", "discussion"),
    "final": Text("定稿", "final"),
}

T = TypeVar("T")


class WorkspaceError(Exception):
    """A bad workspace location, an unknown scenario, version or plan: `text` in Chinese and English."""

    def __init__(self, text: Text):
        super().__init__(text.both())
        self.text = text


# ---------------------------------------------------------------- where the workspace is


def default_location() -> str:
    """$PLANNER_WORKSPACE, else $XDG_DATA_HOME/lianwei-planner/workspace.db (~/.local/share when unset)."""
    given = os.environ.get(ENV, "").strip()
    if given:
        return given
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return str(Path(base) / APP_FOLDER / FILE_NAME)


def workspace_url(location: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL for a path or URL (`None`: the default location); a file's folder is created."""
    text = str(location if location is not None else default_location()).strip()
    if not text:
        raise WorkspaceError(Text("工作区路径不能为空", "the workspace path must not be empty"))
    if "://" in text:
        for plain in ("postgresql://", "postgres://"):  # the driver the planner installs: psycopg (v3)
            if text.startswith(plain):
                text = "postgresql+psycopg://" + text[len(plain) :]
        try:
            make_url(text)
        except ArgumentError:
            raise WorkspaceError(
                Text(f"无法识别的工作区地址：{text}", f"not a database URL: {text}")
            ) from None
        return text
    path = Path(text).expanduser()
    if path.is_dir():
        raise WorkspaceError(
            Text(f"工作区路径是一个文件夹：{path}", f"the workspace path is a folder: {path}")
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            Text(
                f"无法创建工作区文件夹 {path.parent}：{exc}", f"cannot create the folder {path.parent}: {exc}"
            )
        ) from None
    return f"sqlite:///{path.resolve()}"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below starts each transaction
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first write

    return engine


@cache
def _head() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


@cache
def _known() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(r.revision for r in ScriptDirectory(str(MIGRATIONS)).walk_revisions())


def alembic_config(connection: Any = None) -> Any:
    """Alembic's configuration for the bundled migrations (optionally on an open connection)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the workspace's schema to the newest migration (nothing to do when it is there)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current == _head():
            return
        if current is not None and current not in _known():
            raise WorkspaceError(
                Text(
                    f"此工作区由更新版本的 Planner 写入（结构版本 {current}），请升级 Planner 后再打开",
                    f"this workspace was written by a newer planner (schema revision {current}); "
                    "upgrade the planner to open it",
                )
            )
        command.upgrade(alembic_config(connection), "head")


# ---------------------------------------------------------------- references (nuoenjiya@3, plan:2)


@dataclass(frozen=True)
class Ref:
    """`ID`, `ID@VERSION` (a scenario's version; none = the newest) or `plan:N` (a saved plan)."""

    key: str = ""
    version: int | None = None
    plan: int | None = None


def parse_ref(text: str) -> Ref:
    text = text.strip()
    if text.startswith("plan:"):
        number = text[5:]
        if not number.isdigit() or int(number) < 1:
            raise WorkspaceError(
                Text(
                    f"方案编号应为正整数，如 plan:3（收到 {text!r}）",
                    f"a plan is named plan:N with N a whole number from 1, e.g. plan:3 (got {text!r})",
                )
            )
        return Ref(plan=int(number))
    key, sep, version = text.partition("@")
    if not key:
        raise WorkspaceError(
            Text(
                f"请写场景编号，如 nuoenjiya 或 nuoenjiya@2（收到 {text!r}）",
                f"write a scenario id, e.g. nuoenjiya or nuoenjiya@2 (got {text!r})",
            )
        )
    if sep and (not version.isdigit() or int(version) < 1):
        raise WorkspaceError(
            Text(
                f"版本号应为正整数，如 {key}@2（收到 {text!r}）",
                f"a version is a whole number from 1, e.g. {key}@2 (got {text!r})",
            )
        )
    return Ref(key=key, version=int(version) if sep else None)


# ---------------------------------------------------------------- what the workspace returns


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite keeps no time zone


@dataclass(frozen=True)
class ScenarioInfo:
    key: str
    kind: str
    name: str
    versions: int
    latest: int
    latest_at: datetime
    plans: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "kind": self.kind,
            "name": self.name,
            "versions": self.versions,
            "latest": self.latest,
            "latest_at": self.latest_at.isoformat(),
            "plans": self.plans,
        }


@dataclass(frozen=True)
class VersionInfo:
    """A saved version; `created` is False when saving found it equal to the newest and stored nothing."""

    key: str
    number: int
    created_at: datetime
    note: str
    source: str
    sha256: str
    summary: Text
    changes: dict[str, Any]
    canonical_json: str = field(repr=False)
    files: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    created: bool = True

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.number}"

    def scenario(self) -> Scenario:
        """The scenario of this version, validated again."""
        return parse_scenario(json.loads(self.canonical_json), source=self.source or self.ref)

    def to_json(self, *, content: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.key,
            "version": self.number,
            "ref": self.ref,
            "created_at": self.created_at.isoformat(),
            "note": self.note,
            "source": self.source,
            "sha256": self.sha256,
            "summary": self.summary.to_json(),
            "changes": self.changes,
            "files": [{"name": n, "bytes": len(c)} for n, c in self.files],
        }
        if content:
            data["scenario"] = json.loads(self.canonical_json)
        return data


@dataclass(frozen=True)
class PlanInfo:
    id: int
    key: str
    version: int
    created_at: datetime
    updated_at: datetime
    status: str
    notes: str
    settings: dict[str, Any]
    slates: dict[str, Any] = field(repr=False)
    schedule: dict[str, Any] = field(repr=False)
    audit: dict[str, Any] = field(repr=False)

    @property
    def ref(self) -> str:
        return f"plan:{self.id}"

    def status_text(self) -> Text:
        return STATUS_NAMES.get(self.status, Text.same(self.status))

    def to_json(self, *, content: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "ref": self.ref,
            "scenario": self.key,
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "status": self.status,
            "notes": self.notes,
            "settings": self.settings,
        }
        if content:
            data |= {"slates": self.slates, "schedule": self.schedule, "audit": self.audit}
        return data


def _version_info(record: VersionRecord, key: str, *, created: bool = True) -> VersionInfo:
    return VersionInfo(
        key=key,
        number=record.number,
        created_at=_utc(record.created_at),
        note=record.note,
        source=record.source,
        sha256=record.sha256,
        summary=Text(record.summary_zh, record.summary_en),
        changes=dict(record.changes or {}),
        canonical_json=record.canonical_json,
        files=tuple((f.name, bytes(f.content)) for f in record.files),
        created=created,
    )


def _plan_info(record: PlanRecord) -> PlanInfo:
    return PlanInfo(
        id=record.id,
        key=record.version.scenario.key,
        version=record.version.number,
        created_at=_utc(record.created_at),
        updated_at=_utc(record.updated_at),
        status=record.status,
        notes=record.notes,
        settings=dict(record.settings or {}),
        slates=dict(record.slates or {}),
        schedule=dict(record.schedule or {}),
        audit=dict(record.audit or {}),
    )


def first_summary(scenario: Scenario) -> Text:
    people = sum(len(c.people) for c in communities(scenario))
    return Text(f"首个版本：{people} 人", f"first version: {people} people")


# ---------------------------------------------------------------- the workspace


class Workspace:
    """One workspace database; safe to share between threads (each call opens its own session)."""

    def __init__(self, location: str | os.PathLike[str] | None = None):
        self.url = workspace_url(location)
        try:
            self.engine = (
                _sqlite_engine(self.url) if self.url.startswith("sqlite") else create_engine(self.url)
            )
            upgrade(self.engine)
        except WorkspaceError:
            self.engine.dispose()
            raise
        except (DBAPIError, ImportError, ArgumentError) as exc:
            reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]
            raise WorkspaceError(
                Text(
                    f"无法打开工作区 {self.display}：{reason}",
                    f"cannot open the workspace {self.display}: {reason}",
                )
            ) from None
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display(self) -> str:
        """The location without a password."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction, again when it loses a race with another writer."""
        for attempt in range(RETRIES):
            try:
                with self.sessions() as session, session.begin():
                    return work(session)
            except (IntegrityError, OperationalError) as exc:
                if attempt == RETRIES - 1 or not _transient(exc):
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    # ------------------------------------------------------------ scenarios and versions

    def save_version(
        self,
        scenario: Scenario,
        *,
        note: str = "",
        source: str = "",
        files: Mapping[str, bytes] | None = None,
    ) -> VersionInfo:
        """Store a new version of `scenario` (named by its id) with what changed since the newest one."""
        canonical = scenario.canonical_json()
        sha = scenario.sha256()

        def work(session: Session) -> VersionInfo:
            record = session.scalars(
                select(ScenarioRecord).where(ScenarioRecord.key == scenario.id).with_for_update()
            ).first()
            if record is None:
                record = ScenarioRecord(key=scenario.id, kind=scenario.kind, name=scenario.name or "")
                session.add(record)
                session.flush()
            latest = session.scalars(
                select(VersionRecord)
                .where(VersionRecord.scenario_id == record.id)
                .order_by(VersionRecord.number.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.sha256 == sha:
                return _version_info(latest, record.key, created=False)
            if latest is None:
                summary, changes = first_summary(scenario), {}
            else:
                diff = diff_scenarios(json.loads(latest.canonical_json), json.loads(canonical))
                summary, changes = diff.summary(), diff.to_json()
            version = VersionRecord(
                scenario_id=record.id,
                number=(latest.number if latest else 0) + 1,
                created_at=now(),
                note=note.strip(),
                source=source,
                sha256=sha,
                canonical_json=canonical,
                summary_zh=summary.zh,
                summary_en=summary.en,
                changes=changes,
                files=[VersionFile(name=n, content=bytes(c)) for n, c in (files or {}).items()],
            )
            session.add(version)
            record.kind, record.name = scenario.kind, scenario.name or ""
            session.flush()
            return _version_info(version, record.key)

        return self._write(work)

    def scenarios(self) -> list[ScenarioInfo]:
        with self.sessions() as session:
            rows = session.execute(
                select(
                    ScenarioRecord,
                    func.count(VersionRecord.id),
                    func.max(VersionRecord.number),
                    func.max(VersionRecord.created_at),
                )
                .join(VersionRecord, VersionRecord.scenario_id == ScenarioRecord.id)
                .group_by(ScenarioRecord.id)
                .order_by(ScenarioRecord.key)
            ).all()
            plans = dict(
                session.execute(
                    select(VersionRecord.scenario_id, func.count(PlanRecord.id))
                    .join(PlanRecord, PlanRecord.version_id == VersionRecord.id)
                    .group_by(VersionRecord.scenario_id)
                ).all()
            )
            return [
                ScenarioInfo(r.key, r.kind, r.name, count, latest, _utc(at), plans.get(r.id, 0))
                for r, count, latest, at in rows
            ]

    def _scenario_record(self, session: Session, key: str) -> ScenarioRecord:
        record = session.scalars(select(ScenarioRecord).where(ScenarioRecord.key == key)).first()
        if record is None:
            known = ", ".join(session.scalars(select(ScenarioRecord.key).order_by(ScenarioRecord.key))) or "—"
            raise WorkspaceError(
                Text(
                    f"工作区中没有场景“{key}”（已有：{known}）",
                    f"no scenario '{key}' in the workspace (it holds: {known})",
                )
            )
        return record

    def _version_record(self, session: Session, key: str, number: int | None) -> VersionRecord:
        """Version `number` of scenario `key` (the newest when None); a missing one is a WorkspaceError."""
        record = self._scenario_record(session, key)
        query = select(VersionRecord).where(VersionRecord.scenario_id == record.id)
        if number is None:
            found = session.scalars(query.order_by(VersionRecord.number.desc()).limit(1)).first()
        else:
            found = session.scalars(query.where(VersionRecord.number == number)).first()
        if found is None:
            newest = session.scalar(
                select(func.max(VersionRecord.number)).where(VersionRecord.scenario_id == record.id)
            )
            raise WorkspaceError(
                Text(
                    f"场景“{key}”没有第 {number} 版（共 {newest or 0} 版）",
                    f"scenario '{key}' has no version {number} (it has versions 1 to {newest or 0})",
                )
            )
        return found

    def versions(self, key: str) -> list[VersionInfo]:
        """Every version of a scenario, oldest first (without the files' bytes)."""
        with self.sessions() as session:
            record = self._scenario_record(session, key)
            rows = session.scalars(
                select(VersionRecord)
                .where(VersionRecord.scenario_id == record.id)
                .order_by(VersionRecord.number)
            ).all()
            return [
                VersionInfo(
                    key=key,
                    number=v.number,
                    created_at=_utc(v.created_at),
                    note=v.note,
                    source=v.source,
                    sha256=v.sha256,
                    summary=Text(v.summary_zh, v.summary_en),
                    changes=dict(v.changes or {}),
                    canonical_json=v.canonical_json,
                )
                for v in rows
            ]

    def version(self, key: str, number: int | None = None) -> VersionInfo:
        """One version (the newest when `number` is None), with its files."""
        with self.sessions() as session:
            return _version_info(self._version_record(session, key, number), key)

    def set_note(self, key: str, number: int, note: str) -> VersionInfo:
        """Change a version's note (its content never changes)."""

        def work(session: Session) -> VersionInfo:
            found = self._version_record(session, key, number)
            found.note = note.strip()
            session.flush()
            return _version_info(found, key)

        return self._write(work)

    def diff_versions(self, key: str, old: int, new: int) -> ScenarioDiff:
        a, b = self.version(key, old), self.version(key, new)
        return diff_scenarios(json.loads(a.canonical_json), json.loads(b.canonical_json))

    # ------------------------------------------------------------ plans

    def save_plan(
        self,
        key: str,
        version: int,
        *,
        slates: Mapping[str, Any],
        schedule: Mapping[str, Any] | None,
        audit: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        status: str = "draft",
        notes: str = "",
    ) -> PlanInfo:
        """Store a plan of version `version` of scenario `key` (`slates`: community id -> slate result JSON)."""
        _check_status(status)
        plain = json.loads(
            json.dumps({"s": slates, "c": schedule or {}, "a": audit or {}, "w": settings or {}}, default=str)
        )

        def work(session: Session) -> PlanInfo:
            found = self._version_record(session, key, version)
            plan = PlanRecord(
                version_id=found.id,
                status=status,
                notes=notes.strip(),
                slates=plain["s"],
                schedule=plain["c"],
                audit=plain["a"],
                settings=plain["w"],
            )
            session.add(plan)
            session.flush()
            return _plan_info(plan)

        return self._write(work)

    def update_plan(self, plan_id: int, *, status: str | None = None, notes: str | None = None) -> PlanInfo:
        if status is not None:
            _check_status(status)

        def work(session: Session) -> PlanInfo:
            plan = self._plan_record(session, plan_id)
            if status is not None:
                plan.status = status
            if notes is not None:
                plan.notes = notes.strip()
            plan.updated_at = now()
            session.flush()
            return _plan_info(plan)

        return self._write(work)

    def _plan_record(self, session: Session, plan_id: int) -> PlanRecord:
        plan = session.get(PlanRecord, plan_id)
        if plan is None:
            raise WorkspaceError(
                Text(f"工作区中没有方案 plan:{plan_id}", f"no plan plan:{plan_id} in the workspace")
            )
        return plan

    def plans(self, key: str | None = None) -> list[PlanInfo]:
        """Saved plans, oldest first (of one scenario when `key` is given)."""
        with self.sessions() as session:
            query = select(PlanRecord).join(VersionRecord).join(ScenarioRecord).order_by(PlanRecord.id)
            if key is not None:
                query = query.where(ScenarioRecord.key == key)
            return [_plan_info(p) for p in session.scalars(query).all()]

    def plan(self, plan_id: int) -> PlanInfo:
        with self.sessions() as session:
            return _plan_info(self._plan_record(session, plan_id))

    def diff_plans(self, old: int, new: int) -> PlanDiff:
        a, b = self.plan(old), self.plan(new)
        return diff_plans(
            {"slates": a.slates, "schedule": a.schedule}, {"slates": b.slates, "schedule": b.schedule}
        )

    # ------------------------------------------------------------ where the app left off

    def state(self, key: str = "app") -> dict[str, Any] | None:
        with self.sessions() as session:
            record = session.get(StateRecord, key)
            return dict(record.value) if record is not None else None

    def set_state(self, value: Mapping[str, Any], key: str = "app") -> None:
        plain = json.loads(json.dumps(dict(value), default=str))

        def work(session: Session) -> None:
            record = session.get(StateRecord, key)
            if record is None:
                session.add(StateRecord(key=key, value=plain, updated_at=now()))
            else:
                record.value, record.updated_at = plain, now()

        self._write(work)


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise WorkspaceError(
            Text(
                f"方案状态应为 {'、'.join(f'{s}（{STATUS_NAMES[s].zh}）' for s in STATUSES)}（收到 {status!r}）",
                f"a plan's status is one of {', '.join(STATUSES)} (got {status!r})",
            )
        )


def _transient(exc: DBAPIError) -> bool:
    """A lost race: SQLite busy/locked, PostgreSQL serialization or unique-key collision."""
    if isinstance(exc, IntegrityError):
        return True
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text or "serializ" in text or "deadlock" in text
