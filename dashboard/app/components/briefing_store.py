"""The briefing kept in the browser: a local dcc.Store (ids.BRIEFING) holding a Briefing's JSON.

Only views are stored (page path + URL query, so each slide keeps the filters it was captured
with); slides are computed on the server from them whenever they are shown. Nothing stored means
the default sequence, generated from the data for the filters in force on /briefing. The first
"add" stores the added view after a *live* default head (`default_first`): the default slides
keep following /briefing's filter bar and the added view keeps its own filters, so adding one
view never rewrites the others (adding an 80+ map view used to turn the default slides into 80+
ones). The first reorder or removal writes the whole list out as /briefing shows it; "reset"
clears it again. An empty list is a briefing whose slides were all removed, not the default.

Pure functions of (store data, …) → new store data, used by the shell's "add to briefing" button
and by the briefing page.

Both a file and the stored data come from outside (a file anyone can write, a browser's local
storage anyone can edit), so their shape is checked (pydantic, strict types: `format` the
number 1, `lang` one of the languages, `views` a list of {path, query} strings, nesting and
sizes bounded) before dashboard.briefing reads them: whatever they hold, the page answers in
words, never with an error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

import duckdb
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from dashboard.briefing.records import BRIEFING_FORMAT, CHARTS, Briefing, Slide, View
from dashboard.briefing.slides import build_sequence, open_briefing, slide_for_view
from dashboard.i18n import t
from dashboard.views.state import ViewState

#: More slides than any briefing needs; a file or store with more is refused.
MAX_VIEWS = 60
#: A briefing file larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 256 * 1024
#: The pages a slide can show (those with an "add to briefing" button).
SOURCES = tuple(CHARTS)
#: Longer than any page path or view query the app writes (a URL of every filter is ~300).
MAX_PATH_CHARS = 200
MAX_QUERY_CHARS = 4000
MAX_TITLE_CHARS = 1000

_Path = Annotated[str, StringConstraints(max_length=MAX_PATH_CHARS)]
_Query = Annotated[str, StringConstraints(max_length=MAX_QUERY_CHARS)]


class _ViewShape(BaseModel):
    """A view as a briefing file and the store hold it."""

    model_config = ConfigDict(strict=True, extra="ignore")
    path: _Path
    query: _Query | None = None


class _BriefingShape(BaseModel):
    """A briefing file's (and the store's) shape; what the fields mean is dashboard.briefing's."""

    model_config = ConfigDict(strict=True, extra="ignore")
    format: StrictInt
    lang: Literal["en", "zh"]
    title: Annotated[str, StringConstraints(max_length=MAX_TITLE_CHARS)] | None = None
    views: list[_ViewShape] | None = Field(default=None, max_length=MAX_VIEWS)
    default_first: StrictBool | None = None  # the default sequence comes before `views`


_VIEW_LIST = TypeAdapter(Annotated[list[_ViewShape], Field(max_length=MAX_VIEWS)])


def _briefing(shape: _BriefingShape) -> Briefing:
    """The Briefing of a checked shape (ValueError for a page that cannot be a slide)."""
    if shape.format != BRIEFING_FORMAT:
        raise ValueError("not a briefing file (format 1 expected)")
    return Briefing.from_json(shape.model_dump_json())


def views_of(stored: object) -> tuple[View, ...] | None:
    """The stored views, or None when nothing (or nothing readable) is stored."""
    return read(stored)[0]


def read(stored: object) -> tuple[tuple[View, ...] | None, bool]:
    """(the stored views or None, whether the default sequence comes first)."""
    if not stored:
        return None, False
    try:
        shape = _BriefingShape.model_validate(stored)
        return _briefing(shape).views, bool(shape.default_first)
    except (ValidationError, ValueError):
        return None, False  # a store written by another version, or edited: the default


def shown_views(data: object) -> list[View]:
    """The views in the briefing page's own list data ({"views": [{path, query}, …], …}): the
    browser sends it back with each click, so it is checked too; [] when it is malformed."""
    items = data.get("views") if isinstance(data, dict) else None
    try:
        shapes = _VIEW_LIST.validate_python(items or [])
    except ValidationError:
        return []
    return [View(v.path, v.query or "") for v in shapes if v.path in CHARTS]


def to_store(
    views: Sequence[View], lang: str, title: str = "", *, default_first: bool = False
) -> dict:
    """Store data for a list of views (the Briefing JSON, parsed), after the live default
    sequence when `default_first`."""
    data = json.loads(Briefing(title, lang, tuple(views)).to_json())
    if default_first:
        data["default_first"] = True
    return data


@dataclass(frozen=True)
class Listed:
    """The slides /briefing shows: the first `head` follow its filter bar (the default
    sequence), the rest keep the filters they were added with; `default` when nothing is
    stored (all of them are the default sequence)."""

    slides: list[Slide]
    head: int
    default: bool


def listed(con: duckdb.DuckDBPyConnection, stored: object, state: ViewState) -> Listed:
    """The briefing's slides in `state.lang`, and which of them follow the filter bar."""
    views, default_first = read(stored)
    if views is None:
        head = build_sequence(con, state, state.lang)[0]
        return Listed(head, len(head), True)
    added = open_briefing(con, Briefing("", state.lang, views))
    if not default_first:
        return Listed(added, 0, False)
    head = build_sequence(con, state, state.lang)[0]
    return Listed(head + added, len(head), False)


def slides(
    con: duckdb.DuckDBPyConnection, stored: object, state: ViewState
) -> tuple[list[Slide], bool]:
    """The briefing's slides in `state.lang`, and whether they are the default sequence."""
    shown = listed(con, stored, state)
    return shown.slides, shown.default


def view_of(url: str | None) -> View | None:
    """A view from 'path?query' (ids.QUERY's data), None when its page cannot be a slide."""
    path, _, query = (url or "").partition("?")
    if path not in CHARTS:
        return None
    return View(path, "?" + query if query else "")


def add(
    con: duckdb.DuckDBPyConnection, stored: object, url: str | None, lang: str
) -> tuple[dict | None, str]:
    """Append the view at `url` to the stored briefing: (new store data or None, message).

    The view keeps its own filters and nothing else changes: with nothing stored yet, the
    default sequence stays in front of it, still following /briefing's filter bar (it is not
    rebuilt for the added view's filters). The message counts the slides /briefing will show
    (its default part counted for the filters of the page the view was added from, the ones the
    app carries to /briefing).
    """
    view = view_of(url)
    if view is None:
        return None, t("ui.add_failed", lang)
    views, default_first = read(stored)
    if views is None:
        views, default_first = (), True
    head = len(build_sequence(con, view.query, lang)[0]) if default_first else 0
    if head + len(views) >= MAX_VIEWS:
        return None, t("ui.briefing_full", lang, n=MAX_VIEWS)
    slide = slide_for_view(con, view.path, view.query, lang)
    added = (*views, slide.view)
    data = to_store(added, lang, default_first=default_first)
    return data, t("ui.added_to_briefing", lang, n=head + len(added))


def step(index: int | None, delta: int, total: int) -> int:
    """The slide index after moving `delta` slides: clamped to the first and last (no wrap, so
    a presenter who presses → once too often stays on the last slide)."""
    if total <= 0:
        return 0
    return min(max((index or 0) + delta, 0), total - 1)


def edit(views: list[View], action: str, i: int, lang: str) -> tuple[dict, int]:
    """The store data after moving slide `i` up or down or removing it, and the index to show
    (the moved slide, or the one now in the removed one's place)."""
    views = list(views)
    if not 0 <= i < len(views):
        return to_store(views, lang), step(i, 0, len(views))
    if action in ("up", "down"):
        j = i - 1 if action == "up" else i + 1
        if 0 <= j < len(views):
            views[i], views[j] = views[j], views[i]
            i = j
    elif action == "remove":
        del views[i]
    return to_store(views, lang), step(i, 0, len(views))


def open_file(contents: str | None, filename: str | None, lang: str) -> tuple[dict | None, str]:
    """A briefing file from dcc.Upload ('data:…;base64,…'): (store data, message), or (None, why
    it was refused) for anything that is not a CareGap briefing."""
    name = filename or "?"

    def refused(key: str, **values: object) -> tuple[None, str]:
        return None, t(
            "ui.brief_not_opened", lang, name=name, reason=t(f"ui.{key}", lang, **values)
        )

    try:
        raw = base64.b64decode((contents or "").partition(",")[2], validate=True)
        if len(raw) > MAX_UPLOAD_BYTES:
            return refused("brief_err_large", kb=MAX_UPLOAD_BYTES // 1024)
        text = raw.decode("utf-8-sig")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return refused("brief_err_json")
    try:
        shape = _BriefingShape.model_validate_json(text)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_context=False, include_input=False)
        if any(p["type"] == "json_invalid" for p in problems):
            return refused("brief_err_json")  # not JSON, nested too deep, a number out of range
        if any(p["loc"] == ("views",) and p["type"] == "too_long" for p in problems):
            return refused("brief_err_size", n=MAX_VIEWS)
        return refused("brief_err_format")
    try:
        briefing = _briefing(shape)
    except ValueError as error:
        if str(error).startswith("not a view"):
            return refused("brief_err_view", path=str(error).rpartition(": ")[2].strip("'\""))
        return refused("brief_err_format")
    opened = to_store(briefing.views, lang, briefing.title)
    return opened, t("ui.brief_opened", lang, name=name, n=len(briefing.views))
