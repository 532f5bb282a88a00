"""Problems found in a dataset, and how they read to a survey clerk, in English or Chinese.

A problem names where (file, row, column, value) and which rule, so the clerk can open the file
and fix that cell; the rule text (the catalogue's namespace `rules`) says what a good value looks
like, not what the program expected. The framing words are the namespace `problems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.i18n import t

MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the dataset."""

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    row_word: str = "row"

    def render(self, lang: str = "en") -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(t(f"problems.{self.row_word}", lang, row=self.row))
        if self.column is not None:
            parts.append(t("problems.column", lang, column=self.column))
        if self.value is not None:
            parts.append(t("problems.value", lang, value=_short(self.value)))
        text = t(f"rules.{self.rule}", lang, column=self.column, **self.params)
        return t("problems.sep", lang).join(parts) + t("problems.colon", lang) + text


def _short(value: str) -> str:
    value = value.replace("\n", "\\n")
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


class DatasetRefused(Exception):
    """The dataset breaks the contract: every problem found (up to the cap) and the total."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.total = total if total is not None else len(problems)

    def render(self, lang: str = "en", cap: int = 50) -> str:
        summary = "problems.summary_one" if self.total == 1 else "problems.summary_many"
        lines = [t(summary, lang, total=self.total)]
        lines += [p.render(lang) for p in self.problems[:cap]]
        hidden = self.total - min(cap, len(self.problems))
        if hidden > 0:
            lines.append(t("problems.more", lang, count=hidden, total=self.total))
        return "\n".join(lines)
