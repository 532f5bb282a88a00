"""Names from the data as plain text in Plotly figures.

Plotly.js renders a subset of HTML in every text it draws (trace text, hover text, tick labels,
legend entries, titles, annotations): `<a href>`, `<span style>`, `<b>`, `<i>`, `<br>`, … and
HTML entities. A region, service, station or group name comes from a dataset file, so it is
escaped before it goes into a figure: `<`, `>` and `&` become entities, which Plotly draws as the
characters themselves. The builders' own markup (`<br>`, `<b>`, `<extra>`) is added around the
escaped names, so it keeps working.

`%` is escaped too (as `&#37;`): Plotly substitutes `%{…}` in a hovertemplate, and a name that is
put into a template (the `<extra>` part of one) must not reach into the trace's data.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping


def plain(value: object) -> str:
    """`value` (a name from the data) as text Plotly draws literally, never as markup."""
    return html.escape(str(value), quote=False)


def plain_in_template(value: object) -> str:
    """`value` for the literal part of a hovertemplate: markup and `%{…}` both escaped."""
    return plain(value).replace("%", "&#37;")


def plain_names(names: Mapping[object, object]) -> dict[object, str]:
    """A code → name mapping with every name escaped (`plain`)."""
    return {code: plain(name) for code, name in names.items()}


def name_of(names: Mapping[object, object], code: object) -> str:
    """The escaped name of `code` in `names`, or the escaped code itself when it has none."""
    return plain(names.get(code, code))


def display_width(text: str) -> int:
    """Display width: Chinese characters and full-width punctuation count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped(text: str, width: int) -> str:
    """`text` (the app's own words) in lines of about `width`, joined by Plotly's `<br>`."""
    return "<br>".join(wrapped_lines(text, width))


def plain_wrapped(value: object, width: int) -> str:
    """A name from the data in lines of about `width`, each line escaped (`plain`): wrapped
    before escaping, so a line never ends inside an entity."""
    return "<br>".join(plain(line) for line in wrapped_lines(str(value), width))


def wrapped_lines(text: str, width: int) -> list[str]:
    """Lines of about `width` (display width), broken at spaces and before brackets.

    A piece with no break in it (Chinese) stays whole unless it is far too long for a line.
    """
    pieces = [p for p in re.split(r"(?<= )|(?=[（(])", text) if p]
    lines: list[str] = []
    line = ""
    for piece in pieces:
        while display_width(piece) > width * 3 // 2:
            cut = max(i for i in range(1, len(piece) + 1) if display_width(piece[:i]) <= width)
            if line:
                lines.append(line)
                line = ""
            lines.append(piece[:cut])
            piece = piece[cut:]
        if line and display_width(line + piece.rstrip()) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return [x.strip() for x in lines if x.strip()]
