"""The briefing kept in the browser: a local dcc.Store (ids.BRIEFING) holding a Briefing's JSON.

Only views are stored (page path + URL query, so each slide keeps the filters it was captured
with); slides are computed on the server from them whenever they are shown. Nothing stored means
the default sequence, generated from the data for the filters in force; the first change (add,
remove, reorder, open) writes the list out, and "reset" clears it again. An empty list is a
briefing whose slides were all removed, not the default.

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
from typing import Annotated, Literal

import duckdb
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
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


_VIEW_LIST = TypeAdapter(Annotated[list[_ViewShape], Field(max_length=MAX_VIEWS)])


def _briefing(shape: _BriefingShape) -> Briefing:
    """The Briefing of a checked shape (ValueError for a page that cannot be a slide)."""
    if shape.format != BRIEFING_FORMAT:
        raise ValueError("not a briefing file (format 1 expected)")
    return Briefing.from_json(shape.model_dump_json())


def views_of(stored: object) -> tuple[View, ...] | None:
    """The stored views, or None when nothing (or nothing readable) is stored."""
    if not stored:
        return None
    try:
        return _briefing(_BriefingShape.model_validate(stored)).views
    except (ValidationError, ValueError):
        return None  # a store written by another version, or edited: fall back to the default


def shown_views(data: object) -> list[View]:
    """The views in the briefing page's own list data ({"views": [{path, query}, …], …}): the
    browser sends it back with each click, so it is checked too; [] when it is malformed."""
    items = data.get("views") if isinstance(data, dict) else None
    try:
        shapes = _VIEW_LIST.validate_python(items or [])
    except ValidationError:
        return []
    return [View(v.path, v.query or "") for v in shapes if v.path in CHARTS]


def to_store(views: Sequence[View], lang: str, title: str = "") -> dict:
    """Store data for a list of views (the Briefing JSON, parsed)."""
    return json.loads(Briefing(title, lang, tuple(views)).to_json())


def slides(
    con: duckdb.DuckDBPyConnection, stored: object, state: ViewState
) -> tuple[list[Slide], bool]:
    """The briefing's slides in `state.lang`, and whether they are the default sequence."""
    views = views_of(stored)
    if views is None:
        return build_sequence(con, state, state.lang)[0], True
    return open_briefing(con, Briefing("", state.lang, views)), False


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

    With nothing stored yet, the default sequence (for the view's own filters) comes first, so
    the first "add" extends what /briefing was showing.
    """
    view = view_of(url)
    if view is None:
        return None, t("ui.add_failed", lang)
    views = views_of(stored)
    if views is None:
        views = tuple(s.view for s in build_sequence(con, view.query, lang)[0])
    if len(views) >= MAX_VIEWS:
        return None, t("ui.briefing_full", lang, n=MAX_VIEWS)
    slide = slide_for_view(con, view.path, view.query, lang)
    added = (*views, slide.view)
    return to_store(added, lang), t("ui.added_to_briefing", lang, n=len(added))


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
