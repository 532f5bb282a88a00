"""Problems found in a dataset, and how they read to a survey clerk, in English or Chinese.

A problem names where (file, row, column, value) and which rule, so the clerk can open the file
and fix that cell; the rule text (the catalogue's namespace `rules`) says what a good value looks
like, not what the program expected. The framing words are the namespace `problems`.
"""

from __future__ import annotations

import unicodedata
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
    """The value as one short, printable line: controls written as \\n, \\t or \\uXXXX."""
    if len(value) > MAX_VALUE_CHARS:
        value = value[: MAX_VALUE_CHARS - 1] + "…"
    return "".join(_visible(ch) for ch in value)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return f"\\u{ord(ch):04x}"
    return ch


#: Characters refused in names: C0 and C1 controls (tab and line breaks too), DEL, and the
#: invisible format characters that reorder or hide text (zero-width, bidi overrides, BOM).
CONTROL_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
)


def control_pattern() -> str:
    """CONTROL_RANGES as one regular-expression class (RE2 syntax, as DuckDB reads it)."""
    return "[" + "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in CONTROL_RANGES) + "]"


def control_character(value: str) -> tuple[int, str]:
    """Position (from 1) and code (U+0009) of the first character of CONTROL_RANGES."""
    for i, ch in enumerate(value, start=1):
        if any(lo <= ord(ch) <= hi for lo, hi in CONTROL_RANGES):
            return i, f"U+{ord(ch):04X}"
    return 0, ""


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


def render_notes(notes: list[Problem], lang: str = "en", cap: int = 50) -> str:
    """What an import changed on its way in, one line each under a count (empty when none)."""
    if not notes:
        return ""
    heading = "problems.notes_one" if len(notes) == 1 else "problems.notes_many"
    lines = [t(heading, lang, total=len(notes))]
    lines += [t("problems.note", lang) + n.render(lang) for n in notes[:cap]]
    if len(notes) > cap:
        lines.append(t("problems.more_notes", lang, count=len(notes) - cap, total=len(notes)))
    return "\n".join(lines)
