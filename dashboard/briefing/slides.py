"""Slides computed from the data: the default briefing sequence, and a slide for any view.

A slide is a view of the app (its page path and URL query, so the UI can open it again with the
same filters) drawn by the same frame functions and figure builders as the page, plus one
sentence of finding computed from that figure's own frame (dashboard.briefing.findings), its n,
the filters in force and speaker notes. Nothing here knows about files: dashboard.export turns
slides into images, PPTX and PDF.

The default sequence follows the issue's story: the area's need beside receipt → the largest gaps
→ the map of the most under-provided service → that service in the worst district's grids → the
groups most affected → the link with quality of life. A slide the data cannot support (no
boundaries, no grids, no scores) is left out with a stated reason (`Skipped`).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import data, disclosure
from dashboard.briefing import findings
from dashboard.briefing.records import CHARTS, Briefing, Skipped, Slide, View
from dashboard.briefing.session import (
    Session,
    area_of,
    as_state,
    filters_text,
    region_name,
    source_line,
)
from dashboard.figures.choropleth import format_value
from dashboard.figures.theme import empty_figure
from dashboard.i18n import sentence_case, t
from dashboard.i18n.numbers import count_or_withheld
from dashboard.scope import OutOfScope
from dashboard.views import (
    access,
    areas,
    counts,
    groups,
    overview,
    quality,
    ranking,
    stations,
    words,
)
from dashboard.views import map as map_view
from dashboard.views.state import ViewState

#: Rows of the largest-gaps chart (the page's table has more; a slide has room for these).
TOP_ROWS = 8


def _notes(s: Session, state: ViewState, lines: list[str], filters: str, view: View) -> str:
    return "\n".join(
        [
            *lines,
            "",
            t("briefing.note_method", s.lang, T=state.threshold),
            t("briefing.note_suppression", s.lang, k=state.min_n),
            t("briefing.note_filters", s.lang, filters=filters),
            t("briefing.note_open", s.lang, url=view.url),
        ]
    )


def _slide(
    s: Session,
    state: ViewState,
    *,
    kind: str,
    title: str,
    finding: findings.Finding,
    n: float,
    figure: go.Figure,
    view: View,
    area: str,
    is_map: bool = False,
    n_key: str = "n_surveyed",
    method: str | None = None,
) -> Slide:
    filters = filters_text(s, state, area)
    n = n if pd.isna(n) else int(n)  # a published count is whole; a withheld one stays missing
    lines = list(finding.notes)
    if method:
        lines.append(method)
    return Slide(
        kind=kind,
        title=title,
        finding=finding.sentence,
        n=n,
        n_text=_n_text(s, state, n, n_key),
        filters=filters,
        figure=figure,
        notes=_notes(s, state, lines, filters, view),
        view=view,
        source=source_line(s, is_map),
        is_map=is_map,
        area=area,
    )


def _n_text(s: Session, state: ViewState, n: float, n_key: str) -> str:
    """The slide's n in words ("1 target", not "1 targets")."""
    if n_key == "n_targets" and n == 1:
        return t("briefing.n_targets_one", s.lang)
    return t(f"briefing.{n_key}", s.lang, n=count_or_withheld(n, counts.k_of(state)))


# -- one builder per kind of slide --------------------------------------------------------------


def _respondents(s: Session, state: ViewState, region: str) -> float:
    """The slice's respondents in `region` as published (missing where withheld)."""
    return counts.respondents(s.con, region, state)


def _published(n: float, fallback: float) -> float:
    """A finding's n, or the area's published n when the finding has none (0, or missing: a
    part it would be summed from is withheld)."""
    return fallback if pd.isna(n) or not n else n


def overview_slide(s: Session, state: ViewState) -> Slide | Skipped:
    """The area's need beside receipt for every service (the overview's dumbbell)."""
    region, area, _level = area_of(s, state)
    frame = overview.services_frame(s.con, state)
    if not counts.has_respondents(frame):
        return Skipped("overview", t("briefing.skip_no_respondents", s.lang))
    names = words.service_names(s.con, s.lang)
    figure = overview.dumbbell_figure(s.con, state, frame)
    finding = findings.city_finding(frame, area=area, names=names, lang=s.lang, k=state.min_n)
    return _slide(
        s,
        state,
        kind="overview",
        title=t("briefing.title_overview", s.lang, area=area),
        finding=finding,
        n=_respondents(s, state, region),
        figure=figure,
        view=View.of("/", state),
        area=area,
    )


def mix_slide(s: Session, state: ViewState) -> Slide | Skipped:
    """The need mix beside the delivery mix (the overview's second chart)."""
    region, area, _level = area_of(s, state)
    frame = overview.services_frame(s.con, state)
    if not counts.has_respondents(frame):
        return Skipped("mix", t("briefing.skip_no_respondents", s.lang))
    names = words.service_names(s.con, s.lang)
    figure = overview.mix_figure(s.con, state, frame)
    return _slide(
        s,
        state,
        kind="mix",
        title=t("briefing.title_mix", s.lang, area=area),
        finding=findings.mix_finding(frame, names=names, lang=s.lang, k=state.min_n),
        n=_respondents(s, state, region),
        figure=figure,
        view=View.of("/", state, "mix"),
        area=area,
    )


def trend_slide(s: Session, state: ViewState) -> Slide:
    """Station deliveries per month in the area, by category or service (the overview's trend)."""
    _region, area, _level = area_of(s, state)
    frame = overview.trend_frame(s.con, state)
    finding = findings.trend_finding(
        frame, category_names=words.category_names(s.con, s.lang), lang=s.lang
    )
    return _slide(
        s,
        state,
        kind="trend",
        title=t("briefing.title_trend", s.lang, area=area),
        finding=finding,
        n=finding.n,
        figure=overview.trend_figure(s.con, state, frame),
        view=View.of("/", state, "trend"),
        area=area,
        n_key="n_deliveries",
    )


def station_slide(s: Session, state: ViewState, chart: str) -> Slide | Skipped:
    """A chart of /stations for the state's station: its months, its mix, its targets."""
    station = stations.selected(s.con, state)
    if station is None:
        return Skipped(chart, t("briefing.skip_no_station", s.lang))
    _region, area, _level = area_of(s, state)
    name = stations.station_label(station, s.lang)
    title = t(f"briefing.title_{chart}", s.lang, station=name)
    view = View.of(stations.PATH, state, chart)
    if chart == "station_months":
        frame = stations.months_frame(s.con, state)
        finding = findings.trend_finding(
            frame, category_names=words.category_names(s.con, s.lang), lang=s.lang
        )
        figure, n, n_key = stations.months_figure(s.con, state, frame), finding.n, "n_deliveries"
    elif chart == "station_mix":
        frame = stations.catchment_frame(s.con, state)
        names = words.service_names(s.con, s.lang)
        finding = findings.mix_finding(frame, names=names, lang=s.lang, k=state.min_n)
        figure, n_key = stations.mix_figure(s.con, state, frame), "n_surveyed"
        n = data.station_respondents(s.con, str(station["station_id"]), state.slice())
    else:
        frame = stations.targets_frame(s.con, state)
        month = data.targets_reference_month(s.con, state.slice())
        finding = findings.targets_finding(
            frame,
            names=words.service_names(s.con, s.lang),
            month=month,
            lang=s.lang,
        )
        figure, n, n_key = stations.targets_figure(s.con, state, frame), finding.n, "n_targets"
    return _slide(
        s,
        state,
        kind=chart,
        title=title,
        finding=finding,
        n=n,
        figure=figure,
        view=view,
        area=area,
        n_key=n_key,
    )


def top_gaps_slide(s: Session, state: ViewState) -> Slide | Skipped:
    """The largest gaps by service × district (× grid inside a chosen district)."""
    region, area, level = area_of(s, state)
    frame = overview.top_gaps_frame(s.con, state)
    names = words.service_names(s.con, s.lang)
    if frame.empty:
        return Skipped("top_gaps", t("briefing.skip_no_top_gaps", s.lang, k=state.min_n))
    figure = overview.top_gaps_figure(s.con, state, frame, TOP_ROWS)
    child = overview.child_level(level)
    return _slide(
        s,
        state,
        kind="top_gaps",
        title=t("briefing.title_top_gaps", s.lang, level=t(f"ui.level_{child}", s.lang)),
        finding=findings.top_gap_finding(frame, names=names, lang=s.lang, k=state.min_n),
        n=_respondents(s, state, region),
        figure=figure,
        view=View.of("/", state, "top_gaps"),
        area=area,
    )


def map_slide(s: Session, state: ViewState, *, skip_empty: bool = False) -> Slide | Skipped:
    """The map page for a state: districts, or one district's grids when one is drilled into.

    `skip_empty` (the default sequence) leaves out a map on which no area can be shown.
    """
    district = map_view.drilled(s.con, state)
    item, by = map_view.item_of(s.con, state)
    state = state.with_(item=item, district=district)
    drawn = map_view.map_view(s.con, state)
    kind = "map_grids" if district else "map"
    item_name = words.item_name(s.con, item, by, s.lang)
    if not drawn.has_shapes:
        reason = (
            t("briefing.skip_no_grids", s.lang, district=region_name(s, district))
            if district
            else t("briefing.skip_no_boundaries", s.lang)
        )
        return Skipped(kind, reason)
    on_map = _with_intervals(s, state, map_view.areas_frame(s.con, state), district)
    if skip_empty and disclosure.shown(on_map, state.measure).empty:
        where = region_name(s, district) if district else region_name(s, data.root_region(s.con))
        return Skipped(kind, t("briefing.skip_empty_map", s.lang, area=where, k=state.min_n))
    labels = map_view.map_labels(state)
    measure = labels.measure[:1].lower() + labels.measure[1:] if s.lang == "en" else labels.measure
    district_name = region_name(s, district) if district else None
    finding = findings.map_finding(
        on_map,
        measure=state.measure,
        measure_name=sentence_case(measure),
        item=item_name,
        lang=s.lang,
        k=state.min_n,
        district=district_name,
        format_value=lambda v: format_value(v, state.measure, labels),
    )
    if district_name:
        title = t(
            "briefing.title_map_grids",
            s.lang,
            item=item_name,
            district=district_name,
            measure=measure,
        )
    else:
        title = t("briefing.title_map", s.lang, item=item_name, measure=measure)
    shown_area = district_name or region_name(s, data.root_region(s.con))
    return _slide(
        s,
        state,
        kind=kind,
        title=sentence_case(title),
        finding=finding,
        n=_published(finding.n, map_view.shown_total(s.con, state)),
        figure=drawn.figure,  # type: ignore[arg-type]
        view=View.of("/map", state),
        area=shown_area,
        is_map=True,
    )


def groups_slide(s: Session, state: ViewState, chart: str = "group_dumbbell") -> Slide | Skipped:
    """Need beside receipt by group for one service (or the group × service heat map)."""
    if not data.group_dimensions(s.con):
        return Skipped("groups", t("briefing.skip_no_groups", s.lang))
    region, area, _level = area_of(s, state)
    dimension = groups.dimension_of(s.con, state)
    state = state.with_(dimension=dimension)
    frame = groups.groups_frame(s.con, state)
    if not counts.has_respondents(frame):
        return Skipped("groups", t("briefing.skip_no_respondents", s.lang))
    names = words.service_names(s.con, s.lang)
    item = groups.item_of(s.con, state, frame)
    state = state.with_(item=item)
    dimension_name = t(f"ui.dim_{dimension}", s.lang)
    group_names = groups.group_names(frame, dimension, s.lang)
    if dimension in groups.YES_NO:  # "yes" alone says nothing on a slide: "chronic disease: yes"
        sep = t("ui.sep_label", s.lang)
        label = _lower(dimension_name, s.lang)
        group_names = {k: f"{label}{sep}{v}" for k, v in group_names.items()}
    dimension_words = _lower(dimension_name, s.lang)
    if chart == "group_heatmap":
        finding = findings.heatmap_finding(
            frame,
            dimension=dimension_words,
            names=names,
            group_names=group_names,
            lang=s.lang,
            k=state.min_n,
        )
        title = t("briefing.title_heatmap", s.lang, dimension=dimension_words)
        figure, n = groups.heatmap_figure(s.con, state, frame), finding.n
    else:
        rows = groups.group_rows(s.con, state, frame)
        finding = findings.groups_finding(
            rows,
            item=names[item],
            dimension=dimension_words,
            group_names=group_names,
            lang=s.lang,
            k=state.min_n,
        )
        title = t("briefing.title_groups", s.lang, item=names[item], dimension=dimension_words)
        # the page's chart with the group names alone on the axis (a slide has no room for the
        # covariate's name beside every row; the title says it)
        figure = groups.dumbbell_figure(s.con, state, frame, group_names, compact=True)
        n = finding.n
    return _slide(
        s,
        state,
        kind="group_heatmap" if chart == "group_heatmap" else "groups",
        title=sentence_case(title),
        finding=finding,
        n=_published(n, _respondents(s, state, region)),
        figure=figure,  # type: ignore[arg-type]
        view=View.of("/groups", state, chart),
        area=area,
    )


def _lower(text: str, lang: str) -> str:
    """A label inside an English sentence starts lower-case (unless it is an acronym)."""
    if lang != "en" or text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def quality_slide(s: Session, state: ViewState) -> Slide | Skipped:
    """How need and receipt go with quality of life (the study's T4/T5 as a chart)."""
    region, area, _level = area_of(s, state)
    if _respondents(s, state, region) == 0:  # a withheld count (NaN) is somebody
        return Skipped("quality", t("briefing.skip_no_respondents", s.lang))
    _reg, need, received = quality.modelled(s.con, state)
    if findings._overall(need) is None or findings._overall(received) is None:
        return Skipped("quality", t("briefing.skip_no_qol", s.lang))
    names = words.service_names(s.con, s.lang)
    figure = quality.qol_link_figure(s.con, state, quality.qol_link_frame(s.con, state))
    finding = findings.quality_finding(need, received, names=names, lang=s.lang, k=state.min_n)
    return _slide(
        s,
        state,
        kind="quality",
        title=t("briefing.title_quality", s.lang),
        finding=finding,
        n=finding.n,
        figure=figure,
        view=View.of("/quality", state),
        area=area,
        n_key="n_scored",
        method=t("briefing.note_method_qol", s.lang),
    )


# -- the default sequence -------------------------------------------------------------------------


def _with_intervals(
    s: Session, state: ViewState, on_map: pd.DataFrame, district: str | None
) -> pd.DataFrame:
    """The map's rows with their intervals and the gap's bounds (views.ranking), so the finding
    names only gaps the data is sure of."""
    _item, by = map_view.item_of(s.con, state)
    level = "grid" if district else "district"
    return ranking.with_intervals(s.con, on_map, level, state.slice(), within=district, by=by)


def _largest_gap_item(frame: pd.DataFrame) -> str | None:
    """The service the deck's maps follow (see _followed)."""
    return _followed(disclosure.shown(frame, "gap_pp"), "item_code")


def _worst_district(s: Session, state: ViewState, item: str) -> str | None:
    """The district drilled into: the area's own district, else the one _followed picks."""
    own = areas.district_of(s.con, state.region)
    if own:
        return own
    state = state.with_(item=item, district=None)
    on_map = _with_intervals(s, state, map_view.areas_frame(s.con, state), None)
    return _followed(disclosure.shown(on_map, "gap_pp"), "region_id")


def _followed(gaps: pd.DataFrame, key: str) -> str | None:
    """The row the deck follows into its next slide: the largest gap the data is sure of
    (views.ranking), else the largest estimate — which only picks what to show next: a
    sentence never names a figure flagged unreliable (findings)."""
    if gaps.empty:
        return None
    best = ranking.headline(gaps)
    return str((best if best is not None else ranking.ranked(gaps, "gap").iloc[0])[key])


#: Covariates not searched for the groups slide: quality of life has a slide of its own.
NOT_SEARCHED = ("qol_grade",)


def _most_affected_dimension(s: Session, state: ViewState, item: str) -> str | None:
    """The covariate whose groups differ most in the gap for `item` (two shown groups at least)."""
    best, spread = None, -1.0
    for dimension in data.group_dimensions(s.con):
        if dimension in NOT_SEARCHED:
            continue
        frame = groups.groups_frame(s.con, state.with_(dimension=dimension))
        rows = disclosure.shown(frame[frame["item_code"] == item], "gap_pp")
        gaps = rows[rows["group_value"].notna()]["gap_pp"].astype(float)
        if len(gaps) >= 2 and gaps.max() - gaps.min() > spread:
            best, spread = dimension, float(gaps.max() - gaps.min())
    return best


def build_sequence(
    con: duckdb.DuckDBPyConnection, state_or_filters: ViewState | str | None, lang: str
) -> tuple[list[Slide], list[Skipped]]:
    """The default briefing for the filters (a ViewState or a URL query), and what was left out."""
    s = Session.open(con, lang)
    state = as_state(state_or_filters, lang).with_(
        measure="gap_pp", item=None, district=None, dimension="age_group"
    )
    built: list[Slide | Skipped] = [
        _in_scope(s, "overview", overview_slide, state),
        _in_scope(s, "top_gaps", top_gaps_slide, state),
    ]
    try:
        item = _largest_gap_item(overview.services_frame(s.con, state))
    except OutOfScope:
        item = None
    if item is None:
        built.append(Skipped("map", t("briefing.skip_no_gap", lang)))
    else:
        built.append(_in_scope(s, "map", map_slide, state.with_(item=item), skip_empty=True))
        district = _in_scope(s, "map", _worst_district, state, item)
        if isinstance(district, str) and isinstance(built[-1], Slide):
            grids = state.with_(item=item, district=district)
            built.append(_in_scope(s, "map", map_slide, grids, skip_empty=True))
    dimension = _in_scope(s, "groups", _most_affected_dimension, state, item) if item else None
    by = state.with_(item=item, dimension=dimension if isinstance(dimension, str) else "age_group")
    built.append(_in_scope(s, "groups", groups_slide, by))
    built.append(_in_scope(s, "quality", quality_slide, state))
    slides = [b for b in built if isinstance(b, Slide)]
    return slides, [b for b in built if isinstance(b, Skipped)]


def _in_scope(s: Session, kind: str, build, *args, **kwargs):
    """`build(s, *args)`, or a Skipped saying "not in your area" where it asks for something
    outside the caller's scope (dashboard.scope): the rest of the deck is still made."""
    try:
        return build(s, *args, **kwargs)
    except OutOfScope:
        return Skipped(kind, t("access.not_in_area", s.lang))


def default_sequence(
    con: duckdb.DuckDBPyConnection, state_or_filters: ViewState | str | None, lang: str
) -> list[Slide]:
    """The six slides of the default briefing (fewer when the data lack one; see build_sequence)."""
    return build_sequence(con, state_or_filters, lang)[0]


# -- any view -------------------------------------------------------------------------------------


def slide_for_view(
    con: duckdb.DuckDBPyConnection, path: str, query_string: str | None, lang: str
) -> Slide:
    """The slide of a view of the app (page path + URL query), e.g. for "add to briefing".

    Paths: '/', '/map', '/groups', '/quality' (ValueError otherwise). A view the data cannot
    draw gives a slide that says why instead of a chart.
    """
    if path not in CHARTS:
        raise ValueError(f"not a view a slide can show: {path!r} (one of {', '.join(CHARTS)})")
    query = query_string or ""
    view = View(path, query if not query or query.startswith("?") else "?" + query)
    return _slide_of(Session.open(con, lang), view)


def _slide_of(s: Session, view: View) -> Slide:
    state = view.state(s.lang)
    built = _in_scope(s, NOT_IN_AREA, _built, view, state)
    return built if isinstance(built, Slide) else _placeholder(s, state, built, view)


#: The kind of a slide whose view is outside the caller's scope.
NOT_IN_AREA = "not_in_area"


def _built(s: Session, view: View, state: ViewState) -> Slide | Skipped:
    access.check_state(s.con, state)  # a slide of the caller's own areas only
    chart = view.chart()
    if view.path == "/":
        builder = {
            "dumbbell": overview_slide,
            "top_gaps": top_gaps_slide,
            "mix": mix_slide,
            "trend": trend_slide,
        }
        built = builder[chart](s, state)
    elif view.path == "/map":
        built = map_slide(s, state)
    elif view.path == "/groups":
        built = groups_slide(s, state, chart)
    elif view.path == stations.PATH:
        built = station_slide(s, state, chart)
    else:
        built = quality_slide(s, state)
    return built


def _placeholder(s: Session, state: ViewState, skipped: Skipped, view: View) -> Slide:
    """A slide that says why its view cannot be drawn (a chosen view is never silently dropped).
    One outside the caller's scope does not name the area it was about."""
    area = "—" if skipped.kind == NOT_IN_AREA else area_of(s, state)[1]
    reason = sentence_case(skipped.reason)
    return _slide(
        s,
        state,
        kind=skipped.kind,
        title=reason,
        finding=findings.Finding(reason),
        n=0,
        figure=empty_figure(reason),
        view=view,
        area=area,
    )


def open_briefing(con: duckdb.DuckDBPyConnection, briefing: Briefing) -> list[Slide]:
    """The slides of a saved briefing, computed again from the data as it is now."""
    s = Session.open(con, briefing.lang)
    return [_slide_of(s, view) for view in briefing.views]
