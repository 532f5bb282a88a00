"""Numbers as people read them, in one place for the figures, the pages, the briefing and exports.

Table and hover wording keeps one decimal (41.3%, +35.2 pp); sentences for a room are rounded
(41%, 35 pp, in words of the chosen language). A hidden or missing figure reads "—". Negative
numbers written for reading use the true minus sign (MINUS), not a hyphen. A count the disclosure
gate withheld (missing: it was 1…k−1, or belonged to a suppressed row) reads "<k", never a value
and never "—" (which would read as "no data"): `count_or_withheld`, `n_is`.
"""

from __future__ import annotations

import math

from dashboard.i18n import t

MINUS = "\u2212"
DASH = "—"


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# -- tables, hovers, captions --------------------------------------------------------------------


def pct(value: object, digits: int = 1) -> str:
    return DASH if is_missing(value) else f"{100 * float(value):.{digits}f}%"


def points(value: object, unit: str = "pp", digits: int = 1) -> str:
    return DASH if is_missing(value) else f"{float(value):+.{digits}f} {unit}"


def count(value: object) -> str:
    return DASH if is_missing(value) else f"{int(value):,}"


def count_or_withheld(value: object, k: int) -> str:
    """A gated count: '1,234', '0', or '<10' where the gate withheld it (missing).

    `k` is the floor in force for the view (disclosure.effective_k): a withheld count is known
    to the reader only as "fewer than k" (or as belonging to a suppressed row), never as a value.
    """
    return f"<{k}" if is_missing(value) else count(value)


def n_is(value: object, k: int, *, spaced: bool = True) -> str:
    """n of a gated count for a label or hover: 'n = 1,234' or 'n < 10' ('n=1,234', 'n<10'
    unspaced), so a withheld count never reads 'n = <10'."""
    sep = " " if spaced else ""
    if is_missing(value):
        return f"n{sep}<{sep}{k}"
    return f"n{sep}={sep}{count(value)}"


def number(value: object, digits: int = 1) -> str:
    return DASH if is_missing(value) else f"{float(value):,.{digits}f}"


def signed(value: object, digits: int = 2) -> str:
    """A value with its sign and a true minus: '+0.45', '−0.57' (a correlation coefficient)."""
    return DASH if is_missing(value) else f"{float(value):+.{digits}f}".replace("-", MINUS)


def p_text(p: object) -> str:
    """p in a sentence: 'p < 0.001', 'p = 0.032', 'p = —' when there is none."""
    if is_missing(p) or math.isnan(float(p)):
        return "p = —"
    return "p < 0.001" if float(p) < 0.001 else f"p = {float(p):.3f}"


def p_cell(p: object) -> str:
    """p in a table cell: '<0.001' or three decimals."""
    return DASH if is_missing(p) else "<0.001" if float(p) < 0.001 else f"{float(p):.3f}"


# -- sentences -------------------------------------------------------------------------------------


def rate_words(value: float, lang: str) -> str:
    """A rate for a sentence: whole percent ('41%'), '<1%' for a small non-zero share."""
    share = 100 * float(value)
    if 0 < share < 0.5:
        return t("briefing.less_than_1", lang)
    return f"{round(share):d}%"


def gap_words(value: float, lang: str) -> str:
    """A gap for a sentence: whole percentage points, with a true minus sign when negative."""
    whole = round(float(value))
    return t("briefing.pp", lang, value=f"{whole:d}".replace("-", MINUS))
