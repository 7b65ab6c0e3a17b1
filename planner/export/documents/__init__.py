"""The printed documents: the 讨论稿 and the documents of the procedure, in GB/T 9704-2012 format.

Each document is one writer module sharing planner.export.documents.style; `DOCUMENTS` names them in the
order they are printed, with their files (a .docx, and for tables also an .xlsx). `planner export
--documents NAME,...` and the app's Export page choose among them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.export.common import PlanData
from planner.export.documents import discussion
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
