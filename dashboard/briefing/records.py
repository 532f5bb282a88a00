"""What a briefing is made of: views of the app, the slides computed from them, what was left
out, and a saved briefing (its JSON file). Records only: dashboard.briefing.slides computes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import plotly.graph_objects as go

from dashboard.views import registry
from dashboard.views.state import ViewState, from_query

#: Page paths a slide can show, and the charts of each (the first is the default).
CHARTS = {path: charts for path, charts in registry.SLIDE_CHARTS.items() if charts}
BRIEFING_FORMAT = 1


@dataclass(frozen=True)
class View:
    """A view of the app: page path and URL query ('?lang=zh&item=…'), as the address bar has it.

    `chart` (a URL parameter the app ignores) picks one chart of a page with several.
    """

    path: str
    query: str = ""

    @property
    def url(self) -> str:
        return self.path + self.query

    def params(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.query.lstrip("?")).items()}

    def chart(self) -> str:
        charts = CHARTS.get(self.path, ("",))
        wanted = self.params().get("chart")
        return wanted if wanted in charts else charts[0]

    def state(self, lang: str) -> ViewState:
        """The view's filters and choices, in `lang` whatever the URL said."""
        return from_query(self.query, lang).with_(lang=lang)

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "query": self.query}

    @classmethod
    def of(cls, path: str, state: ViewState, chart: str | None = None) -> View:
        raw = state.raw()
        if chart and chart != CHARTS[path][0]:
            raw["chart"] = chart
        return cls(path, "?" + urlencode(raw))


@dataclass(frozen=True)
class Slide:
    """One slide: what the chart shows and what to say about it.

    `n` is the number of respondents the slide rests on (missing where the disclosure gate
    withholds it) and `n_text` says it in words ("<k" when withheld);
    `filters` is the slide's own filters in force as one line; `notes` are the speaker notes
    (the figures behind the sentence, the method, suppression, the link to the view);
    `source` is the slide's source line (with the boundary credit when it shows a map).
    """

    kind: str
    title: str
    finding: str
    n: float
    n_text: str
    filters: str
    figure: go.Figure
    notes: str
    view: View
    source: str = ""
    is_map: bool = False
    area: str = ""  # the area the slide is about (the title slide names it when all agree)


@dataclass(frozen=True)
class Skipped:
    """A slide the data cannot support, and why (said on the title slide's notes)."""

    kind: str
    reason: str


@dataclass(frozen=True)
class Briefing:
    """A saved briefing: a title, a language and the views, in order.

    Slides are not stored: they are computed again from the data when the briefing is opened
    (`open_briefing`), so a reopened briefing shows the dataset as it is now.
    """

    title: str
    lang: str
    views: tuple[View, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": BRIEFING_FORMAT,
                "title": self.title,
                "lang": self.lang,
                "views": [v.to_dict() for v in self.views],
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Briefing:
        """A briefing from its JSON; ValueError (in plain words) for anything malformed."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a briefing file: {error.msg}") from None
        if not isinstance(raw, dict) or raw.get("format") != BRIEFING_FORMAT:
            raise ValueError("not a briefing file (format 1 expected)")
        lang = raw.get("lang")
        if lang not in ("en", "zh"):
            raise ValueError("a briefing's lang must be 'en' or 'zh'")
        views = []
        for item in raw.get("views") or []:
            path = item.get("path") if isinstance(item, dict) else None
            if path not in CHARTS:
                raise ValueError(f"not a view a slide can show: {path!r}")
            query = str(item.get("query") or "")
            views.append(View(path, query if not query or query.startswith("?") else "?" + query))
        return cls(str(raw.get("title") or ""), lang, tuple(views))

    @classmethod
    def of(cls, title: str, lang: str, slides: list[Slide]) -> Briefing:
        return cls(title, lang, tuple(s.view for s in slides))
