"""Exports: plan.json, plan.xlsx, plan.docx and schedule.ics, each carrying the audit record.

Writers take solved results (`SlateResult` per community, `ScheduleResult`), the scenario and an
audit dict; they never call a solver. `export_all` writes all four files at once.
"""

from planner.export.audit import audit_rows, build_audit
from planner.export.common import PlanData, make_plan_data, redact
from planner.export.docx_out import docx_bytes
from planner.export.files import (
    FILE_NAMES,
    ExportError,
    Staging,
    all_bytes,
    export_all,
    plan_files,
    render_all,
    write_files,
)
from planner.export.ics import ics_bytes
from planner.export.json_out import plan_dict, plan_json_bytes
from planner.export.xlsx import xlsx_bytes

__all__ = [
    "FILE_NAMES",
    "ExportError",
    "PlanData",
    "Staging",
    "all_bytes",
    "audit_rows",
    "build_audit",
    "docx_bytes",
    "export_all",
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
