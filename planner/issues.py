"""Bad input: one `Issue` per problem, naming the file, the record and the field, in Chinese and English.

Every reader (scenario files, sub-district folders, plans given to verify) raises `ScenarioError` with
all the issues it found; the CLI prints them and exits 2, the app shows them in the page's language.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Issue(BaseModel):
    """One problem in an input file. `record` counts list entries from 1 ("people #3 (id p03)")."""

    file: str
    record: str = ""
    field: str = ""
    message: str
    hint: str = ""
    record_zh: str = ""
    message_zh: str = ""
    hint_zh: str = ""
    line: int | None = None  # YAML line (from 1) of the record or field, when known

    def parts(self, lang: str = "en") -> tuple[str, str, str]:
        """(record, message, hint) in `lang` ("zh" falls back to English where no Chinese text exists)."""
        if lang == "zh":
            return self.record_zh or self.record, self.message_zh or self.message, self.hint_zh or self.hint
        return self.record, self.message, self.hint

    def text(self, lang: str = "en") -> str:
        record, message, hint = self.parts(lang)
        if lang == "zh":
            where = (
                self.file
                + (f" 第{self.line}行" if self.line else "")
                + (f"：{record}" if record else "")
                + (f"，字段 '{self.field}'" if self.field else "")
            )
            return f"{where}：{message}" + (f"（修改：{hint}）" if hint else "")
        where = (
            self.file
            + (f" line {self.line}" if self.line else "")
            + (f": {record}" if record else "")
            + (f", field '{self.field}'" if self.field else "")
        )
        return f"{where}: {message}" + (f" — fix: {hint}" if hint else "")

    def __str__(self) -> str:
        return self.text("en")


class ScenarioError(Exception):
    """Bad input: every issue found in the file(s), each naming file, record and field."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def issue(
    file: str,
    message: str,
    message_zh: str,
    *,
    hint: str = "",
    hint_zh: str = "",
    record: str = "",
    record_zh: str = "",
    field: str = "",
    line: int | None = None,
) -> Issue:
    """An Issue with both languages given positionally (English first, as everywhere in the code)."""
    return Issue(
        file=file,
        record=record,
        record_zh=record_zh,
        field=field,
        message=message,
        message_zh=message_zh,
        hint=hint,
        hint_zh=hint_zh,
        line=line,
    )


def refused(file: str, message: str, message_zh: str, **where: Any) -> ScenarioError:
    """A ScenarioError of one issue (`raise refused(...)`); `where` as for `issue`."""
    return ScenarioError([issue(file, message, message_zh, **where)])
