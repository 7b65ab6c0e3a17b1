"""The printed documents: the 讨论稿 and the documents of the procedure, in GB/T 9704-2012 format.

Each document is one writer module sharing planner.export.documents.style; `DOCUMENTS` names them in the
order they are printed, with their files (a .docx, and for tables also an .xlsx). `planner export
--documents NAME,...` and the app's Export page choose among them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.export.common import PlanData
from planner.export.documents import (
    announcements,
    candidates,
    discussion,
    joint_review,
    publicity,
    schedule_table,
    structure,
)
from planner.text import Text

Writer = Callable[[PlanData], bytes]


@dataclass(frozen=True)
class DocumentKind:
    """One document: its name on the command line, its title, what it holds, its files and their writers."""

    name: str
    title: Text
    about: Text
    writers: dict[str, Writer]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(self.writers)


DOCUMENTS: dict[str, DocumentKind] = {
    d.name: d
    for d in (
        DocumentKind(
            "discussion",
            Text("班子人选方案（讨论稿）", "slate options (draft for discussion)"),
            Text(
                "各社区方案对照、区别与结构要求落实情况，各方案详细情况，生成情况",
                "the options of each community side by side, how they differ, the structure margins, details",
            ),
            {"plan.docx": discussion.document_bytes},
        ),
        DocumentKind(
            "schedule",
            Text("换届工作日程安排表", "election work schedule"),
            Text("阶段、日期、内容、要求、责任人", "stage, dates, content, requirements, owner"),
            {
                f"{schedule_table.FILE}.docx": schedule_table.docx_bytes,
                f"{schedule_table.FILE}.xlsx": schedule_table.xlsx_bytes,
            },
        ),
        DocumentKind(
            "candidates",
            Text("候选人初步人选名单（差额）", "preliminary candidate list (differential)"),
            Text("方案一各机构差额候选人及基本情况", "option 1's differential candidates of each body"),
            {
                f"{candidates.FILE}.docx": candidates.docx_bytes,
                f"{candidates.FILE}.xlsx": candidates.xlsx_bytes,
            },
        ),
        DocumentKind(
            "publicity",
            Text("预备人选公示", "notice of the prospective candidates"),
            Text("方案一党组织预备人选及公示起止日期", "option 1's Party candidates and the publicity dates"),
            {f"{publicity.FILE}.docx": publicity.docx_bytes},
        ),
        DocumentKind(
            "joint-review",
            Text("资格联审表", "joint review form"),
            Text(
                "初步人选逐人、逐部门的联审意见栏", "one row per person, one column per reviewing department"
            ),
            {
                f"{joint_review.FILE}.docx": joint_review.docx_bytes,
                f"{joint_review.FILE}.xlsx": joint_review.xlsx_bytes,
            },
        ),
        DocumentKind(
            "structure",
            Text("班子结构分析表", "team structure analysis"),
            Text(
                "年龄、性别、学历、党员、少数民族：本届方案一与上届对比，分社区和全街道",
                "age, gender, education, Party, minority: option 1 against the outgoing term",
            ),
            {
                f"{structure.FILE}.docx": structure.docx_bytes,
                f"{structure.FILE}.xlsx": structure.xlsx_bytes,
            },
        ),
        DocumentKind(
            "announcements",
            Text("选举公告（第1号至第4号）", "election notices no. 1 to 4"),
            Text(
                "选举委员会、选民登记、选民名单、正式候选人四号公告（待填写稿）",
                "election committee, voter registration, voter list, candidates (fill-in drafts)",
            ),
            {f"{announcements.FILE}.docx": announcements.docx_bytes},
        ),
    )
}

DOCUMENT_FILES: tuple[str, ...] = tuple(f for d in DOCUMENTS.values() for f in d.files)
WRITERS: dict[str, Writer] = {f: w for d in DOCUMENTS.values() for f, w in d.writers.items()}


class UnknownDocument(ValueError):
    """A --documents name that is not a document (the message is in Chinese and English)."""


def select(names: Iterable[str] | None) -> list[str]:
    """The documents chosen by name, in print order (None: all); an unknown name raises UnknownDocument."""
    if names is None:
        return list(DOCUMENTS)
    chosen = [n.strip() for n in names if n.strip()]
    unknown = [n for n in chosen if n not in DOCUMENTS]
    if unknown or not chosen:
        known = ", ".join(DOCUMENTS)
        shown = ", ".join(unknown) or "（空）"
        raise UnknownDocument(
            f"未知文书 {shown}；可选 {known} / unknown document {', '.join(unknown) or '(none)'}; "
            f"choose from {known}"
        )
    return [n for n in DOCUMENTS if n in chosen]


def files_of(names: Iterable[str]) -> list[str]:
    return [f for n in names for f in DOCUMENTS[n].files]


__all__ = ["DOCUMENTS", "DOCUMENT_FILES", "WRITERS", "DocumentKind", "UnknownDocument", "files_of", "select"]
