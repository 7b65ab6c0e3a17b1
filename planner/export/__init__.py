"""Exports: plan.json, plan.xlsx, schedule.ics and the printed documents (plan.docx, the 讨论稿, and the
documents of the procedure: planner.export.documents), each carrying the audit record.

Writers take solved results (`SlateResult` per community, `ScheduleResult`), the scenario and an
audit dict; they never call a solver. `export_all` writes all the files at once.
"""

from typing import Any

from planner.export.audit import audit_rows, build_audit
from planner.export.common import PlanData, make_plan_data, redact
from planner.export.documents import DOCUMENTS, UnknownDocument
from planner.export.files import (
    FILE_NAMES,
    PLAN_FILES,
    ExportError,
    Staging,
    all_bytes,
    chosen_files,
    export_all,
    file_bytes,
    plan_files,
    render_all,
    write_files,
)
from planner.export.json_out import plan_dict

__all__ = [
    "DOCUMENTS",
    "FILE_NAMES",
    "PLAN_FILES",
    "UnknownDocument",
    "chosen_files",
    "ExportError",
    "PlanData",
    "Staging",
    "all_bytes",
    "audit_rows",
    "build_audit",
    "docx_bytes",
    "export_all",
    "file_bytes",
    "ics_bytes",
    "make_plan_data",
    "plan_dict",
    "plan_files",
    "plan_json_bytes",
    "redact",
    "render_all",
    "write_files",
    "xlsx_bytes",
]


def plan_json_bytes(*args: Any, **kwargs: Any) -> bytes:
    """plan.json (see `file_bytes`)."""
    return file_bytes("plan.json", *args, **kwargs)


def xlsx_bytes(*args: Any, **kwargs: Any) -> bytes:
    return file_bytes("plan.xlsx", *args, **kwargs)


def docx_bytes(*args: Any, **kwargs: Any) -> bytes:
    return file_bytes("plan.docx", *args, **kwargs)


def ics_bytes(*args: Any, **kwargs: Any) -> bytes:
    return file_bytes("schedule.ics", *args, **kwargs)
