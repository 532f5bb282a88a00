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
