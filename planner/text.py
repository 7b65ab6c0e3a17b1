"""`Text(zh, en)`: every user-facing message of the planner, in Chinese and English.

Checks, reasons, explanations, suggestions and warnings are built as `Text`; a page, a writer or the
command line picks one language with `text.pick(lang)` and never splits a "中文 / English" string.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Text:
    """A message in Chinese (`zh`) and English (`en`)."""

    zh: str
    en: str

    def pick(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    def both(self) -> str:
        """ "中文 / English", for the terminal and the JSON `detail` field."""
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"

    def __add__(self, other: Text) -> Text:
        return Text(self.zh + other.zh, self.en + other.en)

    def to_json(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def join(cls, parts: Iterable[Text], sep_zh: str = "；", sep_en: str = "; ") -> Text:
        items = list(parts)
        return cls(sep_zh.join(p.zh for p in items), sep_en.join(p.en for p in items))

    @classmethod
    def same(cls, text: str) -> Text:
        """A text that reads the same in both languages (ids, numbers, dates)."""
        return cls(text, text)

    @classmethod
    def from_json(cls, data: Any) -> Text:
        if isinstance(data, Text):
            return data
        if isinstance(data, dict):
            return cls(str(data.get("zh", "")), str(data.get("en", "")))
        return cls.same(str(data))
