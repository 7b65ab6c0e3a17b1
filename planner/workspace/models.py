"""The workspace's tables (SQLAlchemy 2 ORM). Alembic migrations in migrations/ create and upgrade them.

Change a model only together with a new migration (`tests/test_workspace.py` checks that the models and
the migrations agree).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("draft", "discussion", "final")  # 草稿 / 讨论稿 / 定稿


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class ScenarioRecord(Base):
    """A scenario, named by its id (the `id:` of the file); its versions hold the content."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    versions: Mapped[list[VersionRecord]] = relationship(
        back_populates="scenario", order_by="VersionRecord.number", cascade="all, delete-orphan"
    )


class VersionRecord(Base):
    """One saved version: the canonical JSON, what changed since the previous version, the note."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number", name="uq_scenario_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=now)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    canonical_json: Mapped[str] = mapped_column(Text)
    summary_zh: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)

    scenario: Mapped[ScenarioRecord] = relationship(back_populates="versions")
    files: Mapped[list[VersionFile]] = relationship(
        back_populates="version", order_by="VersionFile.id", cascade="all, delete-orphan"
    )


class VersionFile(Base):
    """A file exactly as the user gave it (the scenario file, a sub-district's community files)."""

    __tablename__ = "version_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("scenario_versions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[VersionRecord] = relationship(back_populates="files")


class PlanRecord(Base):
    """A saved plan of one scenario version: slates, schedule, audit, the what-if settings, status, notes."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("status IN ('draft', 'discussion', 'final')", name="ck_plans_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("scenario_versions.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    notes: Mapped[str] = mapped_column(Text, default="")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    slates: Mapped[dict[str, Any]] = mapped_column(default=dict)
    schedule: Mapped[dict[str, Any]] = mapped_column(default=dict)
    audit: Mapped[dict[str, Any]] = mapped_column(default=dict)

    version: Mapped[VersionRecord] = relationship()


class StateRecord(Base):
    """Where a user left off in the app (last scenario version, language, what-if settings)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=now)
