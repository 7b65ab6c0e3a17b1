"""`export_all`: solve, then write plan.json, plan.xlsx, plan.docx and schedule.ics together.

No file is overwritten without `force` (checked before anything is solved or written);
the files are built in memory, written into a temporary folder inside `out_dir` and
moved into place only when every one is complete, so an error leaves nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.export.audit import build_audit
from planner.export.common import PlanData, make_plan_data
from planner.export.docx_out import document_bytes
from planner.export.ics import calendar_bytes
from planner.export.json_out import json_bytes
from planner.export.xlsx import workbook_bytes
from planner.scenario import Scenario, communities

FILE_NAMES = ("plan.json", "plan.xlsx", "plan.docx", "schedule.ics")
WRITERS: dict[str, Callable[[PlanData], bytes]] = {
    "plan.json": json_bytes,
    "plan.xlsx": workbook_bytes,
    "plan.docx": document_bytes,
    "schedule.ics": calendar_bytes,
}


class ExportError(FileExistsError):
    """An export that would overwrite a file (without force), or could not be written."""


def solve_all(scenario: Scenario, *, top: int = 3, allow_pending: bool = False, seed: int = 0, workers: int = 2,
              time_limit: float = 30.0) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Slate results per community and the schedule result, as the JSON of SCENARIO.md."""
    from planner.schedule import plan_schedule
    from planner.slate import SlateOptions, solve_slates

    options = SlateOptions(top=top, allow_pending=allow_pending, time_limit=time_limit, seed=seed, workers=workers)
    slates = {c.id: solve_slates(c, options).to_json() for c in communities(scenario)}
    schedule = plan_schedule(scenario, time_limit=time_limit, seed=seed, workers=workers).to_json()
    return slates, schedule


def render_all(data: PlanData) -> dict[str, bytes]:
    """Every file's bytes, keyed by file name."""
    return {name: WRITERS[name](data) for name in FILE_NAMES}


def all_bytes(scenario: Scenario, slates: Any, schedule: dict[str, Any] | None, audit: dict[str, Any], *,
              include_sensitive: bool = False, allow_pending: bool | None = None) -> dict[str, bytes]:
    """The four files' bytes from already solved results (for the app's download buttons)."""
    return render_all(make_plan_data(scenario, slates, schedule, audit, include_sensitive=include_sensitive,
                                     allow_pending=allow_pending))


def write_files(files: dict[str, bytes], out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write files into out_dir atomically as a set: all moved into place, or none."""
    out_dir = Path(out_dir)
    existing = [out_dir / name for name in files if (out_dir / name).exists()]
    if existing and not force:
        raise ExportError(f"{existing[0]} already exists; use --force to overwrite "
                          f"({', '.join(str(p) for p in existing)})")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".planner-export-", dir=out_dir))
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot write here: {exc}") from None
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        paths = []
        for name in files:
            os.replace(staging / name, out_dir / name)
            paths.append(out_dir / name)
        return paths
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot write the export: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_all(scenario: Scenario, out_dir: Path | str, *, top: int = 3, include_sensitive: bool = False,
               force: bool = False, allow_pending: bool = False, seed: int = 0, workers: int = 2,
               time_limit: float = 30.0, lang: str = "zh") -> list[Path]:
    """Solve the slates (per community) and the schedule, then write plan.json, plan.xlsx, plan.docx,
    schedule.ics into out_dir. Raises ExportError (a FileExistsError) naming the file before anything
    is written when a file exists and `force` is false."""
    out_dir = Path(out_dir)
    existing = [out_dir / name for name in FILE_NAMES if (out_dir / name).exists()]
    if existing and not force:
        raise ExportError(f"{existing[0]} already exists; use --force to overwrite "
                          f"({', '.join(str(p) for p in existing)})")
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder")
    slates, schedule = solve_all(scenario, top=top, allow_pending=allow_pending, seed=seed, workers=workers,
                                 time_limit=time_limit)
    options = {"top": top, "include_sensitive": include_sensitive, "allow_pending": allow_pending, "seed": seed,
               "workers": workers, "time_limit": time_limit, "lang": lang}
    audit = build_audit(scenario, slates, schedule, options)
    data = make_plan_data(scenario, slates, schedule, audit, include_sensitive=include_sensitive,
                          allow_pending=allow_pending)
    return write_files(render_all(data), out_dir, force=force)
