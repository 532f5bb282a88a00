"""One sentence of finding per chart, computed from the frame the chart is drawn from.

Pure functions: a frame (and names in the chosen language) in, a `Finding` out — testable with
hand-made frames. A figure that is missing or marked suppressed is never read: a row counts only
when its figure is present *and* the row is not suppressed, so a hidden figure cannot reach a
sentence or a note even if a frame carried one by mistake. When nothing can be said the sentence
says why ("too few respondents"), never 0. A count the gate withheld reads "<k" in a note, and a
finding's n is never summed from parts one of which is withheld (it is then missing, and the
slide says the area's published n instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.disclosure import shown
from dashboard.i18n import sentence_case, t
from dashboard.i18n.numbers import (
    count,
    count_or_withheld,
    gap_words,
    p_text,
    pct,
    points,
    rate_words,
    signed,
)
from dashboard.views import ranking
from dashboard.views.areas import row_name
from dashboard.views.counts import total


@dataclass(frozen=True)
class Finding:
    """The sentence, the figures behind it (speaker notes), and the n it rests on (missing when
    no published count says it)."""

    sentence: str
    notes: list[str] = field(default_factory=list)
    n: float = 0


#: Figures are compared to this many decimals: parallel sums differ in their last bits from run
#: to run, and a tie must be broken the same way each time (then by the rows' names or codes).
DECIMALS = 9


def ranked(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows by `column`, largest first, ties in a stable order (so a sentence never flips)."""
    names = [c for c in ("region_name", "group_value", "item_code") if c in frame]
    key = frame[column].astype(float).round(DECIMALS)
    return (
        frame.assign(_key=key)
        .sort_values(["_key", *names], ascending=[False] + [True] * len(names), kind="stable")
        .drop(columns="_key")
    )


def top_row(frame: pd.DataFrame, column: str) -> pd.Series:
    return ranked(frame, column).iloc[0]


def _value(row: pd.Series, column: str) -> float | None:
    """A figure of a shown row (None when missing: never read as 0)."""
    value = row.get(column)
    return None if value is None or pd.isna(value) else float(value)


def detail(row: pd.Series, lang: str) -> str:
    """'41% need it, 6% received it' (or why receipt is not said)."""
    need = rate_words(row["demand_rate"], lang)
    received = _value(row, "received_rate")
    if received is None:
        return t("briefing.need_only", lang, need=need)
    return t("briefing.need_received", lang, need=need, received=rate_words(received, lang))


def note_row(row: pd.Series, name: str, lang: str, k: int) -> str:
    """The figures of one row to one decimal, with the demand interval when the frame has it."""
    values = {
        "name": name,
        "need": pct(_value(row, "demand_rate")),
        "received": pct(_value(row, "received_rate")),
        "gap": points(_value(row, "gap_pp"), t("briefing.pp", lang, value="").strip()),
        "n": count_or_withheld(row["respondents_n"], k),
    }
    lo, hi = _value(row, "demand_rate_lo"), _value(row, "demand_rate_hi")
    if lo is not None and hi is not None and not (lo <= 0 and hi >= 1):
        return t("briefing.note_row_interval", lang, need_lo=pct(lo), need_hi=pct(hi), **values)
    return t("briefing.note_row", lang, **values)


def hidden_note(frame: pd.DataFrame, column: str, lang: str) -> list[str]:
    """How many rows of the chart are hidden (nothing when none is)."""
    hidden = len(frame) - len(shown(frame, column))
    return [t("briefing.note_hidden", lang, hidden=hidden, total=len(frame))] if hidden else []


def _n(frame: pd.DataFrame) -> float:
    """The largest published n of the frame's rows (each row's own, so nothing is summed)."""
    values = frame["respondents_n"].dropna()
    return float(values.max()) if len(values) else 0.0


# -- the city's (or an area's) picture --------------------------------------------------------


def city_finding(
    frame: pd.DataFrame, *, area: str, names: Mapping[str, str], lang: str, k: int
) -> Finding:
    """Most needed service with its receipt, and the most received service.

    `frame`: one row per service (item_code, demand_rate, received_rate, gap_pp, respondents_n,
    suppressed; optionally demand_rate_lo/hi).
    """
    needed = shown(frame, "demand_rate")
    if needed.empty:
        return Finding(t("briefing.f_too_few", lang, k=k), hidden_note(frame, "demand_rate", lang))
    top = top_row(needed, "demand_rate")
    name = names.get(top["item_code"], top["item_code"])
    notes = [note_row(top, name, lang, k)]
    received = shown(frame, "received_rate")
    values = {"area": area, "service": name, "detail": detail(top, lang)}
    if received.empty:
        sentence = t("briefing.f_city_plain", lang, **values)
    else:
        most = top_row(received, "received_rate")
        most_name = names.get(most["item_code"], most["item_code"])
        if most["item_code"] != top["item_code"]:
            notes.append(note_row(most, most_name, lang, k))
        sentence = t(
            "briefing.f_city",
            lang,
            top=most_name,
            top_rate=rate_words(most["received_rate"], lang),
            **values,
        )
    notes += hidden_note(frame, "demand_rate", lang)
    return Finding(sentence_case(sentence), notes, _n(frame))


def mix_finding(frame: pd.DataFrame, *, names: Mapping[str, str], lang: str, k: int) -> Finding:
    """Where stated needs sit beside where station deliveries sit (largest share of each)."""
    needs = shown(frame, "demand_share")
    if needs.empty:
        return Finding(t("briefing.f_too_few", lang, k=k))
    top = top_row(needs, "demand_share")
    need_name = names.get(top["item_code"], top["item_code"])
    values = {"need_top": need_name, "need_share": rate_words(top["demand_share"], lang)}
    delivered = frame[frame["provision_share"].notna()]
    notes = []
    if delivered.empty:
        sentence = t("briefing.f_mix_no_deliveries", lang, **values)
        rows = [top]
    else:
        most = top_row(delivered, "provision_share")
        sentence = t(
            "briefing.f_mix",
            lang,
            delivered_top=names.get(most["item_code"], most["item_code"]),
            delivered_share=rate_words(most["provision_share"], lang),
            **values,
        )
        rows = [top] if most["item_code"] == top["item_code"] else [top, most]
    for row in rows:
        suppressed = bool(row.get("suppressed", False))
        notes.append(
            t(
                "briefing.note_share",
                lang,
                name=names.get(row["item_code"], row["item_code"]),
                share="—" if suppressed else pct(_value(row, "demand_share")),
                delivered=pct(_value(row, "provision_share")),
                count=count(row["provision_count"]),
            )
        )
    return Finding(sentence_case(sentence), notes, _n(frame))


# -- gaps by area -------------------------------------------------------------------------------


def top_gap_finding(frame: pd.DataFrame, *, names: Mapping[str, str], lang: str, k: int) -> Finding:
    """The largest shown gap of service × area that the data is sure of (frame: gap_table rows
    with intervals; views.ranking): a cell flagged unreliable is never the headline."""
    gaps = shown(frame, "gap_pp")
    if gaps.empty:
        return Finding(t("briefing.f_no_gap", lang, k=k))
    ordered = ranking.ranked(gaps)
    top = ranking.headline(ordered)
    notes = [
        note_row(row, f"{names.get(row.item_code, row.item_code)} · {row_name(row, lang)}", lang, k)
        for _, row in ordered.head(5).iterrows()
    ]
    if top is None:
        return Finding(t("briefing.f_no_sure_gap", lang), notes, _n(gaps))
    sentence = t(
        "briefing.f_top_gap",
        lang,
        service=names.get(top["item_code"], top["item_code"]),
        area=row_name(top, lang),
        detail=detail(top, lang),
        gap=gap_words(top["gap_pp"], lang),
    )
    return Finding(sentence_case(sentence), notes, float(top["respondents_n"]))


def map_finding(
    frame: pd.DataFrame,
    *,
    measure: str,
    measure_name: str,
    item: str,
    lang: str,
    k: int,
    district: str | None = None,
    format_value: object = None,
) -> Finding:
    """Highest and lowest area of the map's measure (frame: gap_table rows for one item).

    For the gap, the sentence also gives need and receipt of the area with the largest gap.
    `district` names the district whose grids are shown. `format_value(value)` writes a value
    of another measure as the map does.
    """
    areas = shown(frame, measure)
    total_n = total(frame["respondents_n"])
    notes = hidden_note(frame, measure, lang)
    if areas.empty:
        return Finding(
            sentence_case(t("briefing.f_map_none", lang, item=item, k=k)), notes, total_n
        )
    ordered = ranked(areas, measure)
    top, low = ordered.iloc[0], ordered.iloc[-1]
    if measure == "gap_pp":
        # the highest and lowest the sentence names are gaps the data is sure of (views.ranking)
        ordered = ranking.ranked(areas)
        sure = ordered[~ranking.unreliable(ordered)]
        if sure.empty:
            sentence = t("briefing.f_map_no_sure", lang, item=item)
            rows = [note_row(r, row_name(r, lang), lang, k) for _, r in ordered.iterrows()]
            figures = [t("briefing.note_figures", lang), *rows, *notes]
            return Finding(sentence_case(sentence), figures, total_n)
        top, low = sure.iloc[0], ranked(sure, "gap_pp").iloc[-1]

    def short(row: pd.Series) -> str:
        """A grid's name without its district's when it repeats it ('壶关县第1网格': '第1网格')."""
        name = row_name(row, lang)
        trimmed = name.removeprefix(district) if district else name
        return trimmed.strip() or name

    if measure == "gap_pp":
        values = {
            "item": item,
            "top": short(top),
            "gap": gap_words(top["gap_pp"], lang),
            "detail": detail(top, lang),
            "low": short(low),
            "low_gap": gap_words(low["gap_pp"], lang),
        }
        key = "f_map_one" if len(sure) == 1 else "f_grid_gap" if district else "f_map_gap"
        sentence = t(f"briefing.{key}", lang, district=district or "", **values)
        rows = [note_row(r, row_name(r, lang), lang, k) for _, r in ordered.iterrows()]
    else:
        fmt = format_value if callable(format_value) else pct
        sentence = t(
            "briefing.f_map_measure",
            lang,
            measure=measure_name,
            item=item,
            top=row_name(top, lang),
            value=fmt(top[measure]),
            low=row_name(low, lang),
            low_value=fmt(low[measure]),
        )
        rows = [
            t(
                "briefing.note_value",
                lang,
                name=row_name(r, lang),
                value=fmt(r[measure]),
                n=count_or_withheld(r["respondents_n"], k),
            )
            for _, r in ordered.iterrows()
        ]
    return Finding(
        sentence_case(sentence), [t("briefing.note_figures", lang), *rows, *notes], total_n
    )


# -- groups ---------------------------------------------------------------------------------------


def quoted(text: str, lang: str) -> str:
    """A group's name set off in a sentence ('“poor”', '“差”')."""
    return f"“{text}”" if lang == "zh" else f'"{text}"'


def groups_finding(
    frame: pd.DataFrame,
    *,
    item: str,
    dimension: str,
    group_names: Mapping[object, str],
    lang: str,
    k: int,
) -> Finding:
    """The group with the largest and the smallest gap for one service.

    `frame`: one row per group (group_value, demand_rate, received_rate, gap_pp, respondents_n,
    suppressed).
    """
    groups = shown(frame, "gap_pp")
    total_n = total(frame["respondents_n"])
    notes = hidden_note(frame, "gap_pp", lang)
    if groups.empty:
        return Finding(
            sentence_case(t("briefing.f_groups_none", lang, item=item, k=k)), notes, total_n
        )
    ordered = ranked(groups, "gap_pp")
    top, low = ordered.iloc[0], ordered.iloc[-1]

    def name(row: pd.Series) -> str:
        return group_names.get(row["group_value"], str(row["group_value"]))

    values = {
        "item": item,
        "dimension": dimension,
        "top": quoted(name(top), lang),
        "gap": gap_words(top["gap_pp"], lang),
        "detail": detail(top, lang),
        "low": quoted(name(low), lang),
        "low_gap": gap_words(low["gap_pp"], lang),
    }
    sentence = t(
        "briefing.f_groups" if len(ordered) > 1 else "briefing.f_groups_one", lang, **values
    )
    rows = [note_row(r, name(r), lang, k) for _, r in ordered.iterrows()]
    return Finding(
        sentence_case(sentence), [t("briefing.note_figures", lang), *rows, *notes], total_n
    )


def heatmap_finding(
    frame: pd.DataFrame,
    *,
    dimension: str,
    names: Mapping[str, str],
    group_names: Mapping[object, str],
    lang: str,
    k: int,
) -> Finding:
    """The largest gap of any group × service cell."""
    cells = shown(frame, "gap_pp")
    notes = hidden_note(frame, "gap_pp", lang)
    if cells.empty:
        return Finding(t("briefing.f_no_gap", lang, k=k), notes)
    top = top_row(cells, "gap_pp")
    group = group_names.get(top["group_value"], str(top["group_value"]))
    service = names.get(top["item_code"], top["item_code"])
    sentence = t(
        "briefing.f_heatmap",
        lang,
        dimension=dimension,
        service=service,
        group=group if lang == "zh" else quoted(group, lang),
        gap=gap_words(top["gap_pp"], lang),
        detail=detail(top, lang),
    )
    per_group = frame.groupby("group_value", dropna=False)["respondents_n"].max()
    return Finding(
        sentence_case(sentence),
        [note_row(top, f"{service} · {group}", lang, k), *notes],
        total(per_group),
    )


# -- quality of life ------------------------------------------------------------------------------

ALL_SERVICES = "all_services"


def _overall(frame: pd.DataFrame) -> pd.Series | None:
    """The 'all services (number of items)' row of a correlation table, if it may be shown."""
    rows = shown(frame[frame["item_code"] == ALL_SERVICES], "r")
    return None if rows.empty else rows.iloc[0]


def _clause(row: pd.Series, figure: str, lang: str) -> str:
    r, p = float(row["r"]), float(row["p"])
    if not p < 0.05:
        direction = "none"
    elif figure == "need":
        direction = "neg" if r < 0 else "pos"
    else:
        direction = "pos" if r > 0 else "neg"
    return t(f"briefing.q_{figure}_{direction}", lang, r=signed(r))


def quality_finding(
    need: pd.DataFrame, received: pd.DataFrame, *, names: Mapping[str, str], lang: str, k: int
) -> Finding:
    """How need and receipt go with quality of life (the study's T4 and T5, all services).

    `need`, `received`: correlation tables (item_code, r, p, respondents_n, suppressed) with an
    'all_services' row.
    """
    a, b = _overall(need), _overall(received)
    if a is None or b is None:
        return Finding(t("briefing.q_none", lang, k=k))
    if lang == "en":
        sentence = f"{sentence_case(_clause(a, 'need', lang))}, and {_clause(b, 'rec', lang)}."
    else:
        sentence = f"{_clause(a, 'need', lang)}；{_clause(b, 'rec', lang)}。"
    notes = [t("briefing.note_figures", lang)]
    for label, row in ((t("ui.r_need", lang), a), (t("ui.r_received", lang), b)):
        notes.append(
            t(
                "briefing.note_corr",
                lang,
                name=label,
                r=signed(row["r"]),
                p=p_text(row["p"]),
                n=count_or_withheld(row["respondents_n"], k),
            )
        )
    return Finding(sentence, notes, float(min(a["respondents_n"], b["respondents_n"])))


# -- deliveries month by month --------------------------------------------------------------------


def month_words(month: object, lang: str) -> str:
    """A month for a sentence: 'December 2009', '2009年12月'."""
    day = pd.Timestamp(month)
    return t(f"briefing.month_{day.month}", lang, year=day.year)


def trend_finding(frame: pd.DataFrame, *, category_names: Mapping[str, str], lang: str) -> Finding:
    """The month with the most deliveries, and the largest category's share of all of them.

    `frame`: deliveries per month × item (month, item_code, category, provision_count; services
    or categories, of one area or summed over several). Counts of services, not of people: the
    gate does not withhold them. The finding's n is the deliveries counted.
    """
    counts = frame["provision_count"].astype(float)
    whole = float(counts.sum()) if len(frame) else 0.0
    if not whole > 0:
        return Finding(t("briefing.f_trend_none", lang))
    months = frame.assign(n=counts).groupby("month", as_index=False)["n"].sum()
    months["_key"] = months["n"].round(DECIMALS)
    peak = months.sort_values(["_key", "month"], ascending=[False, True], kind="stable").iloc[0]
    groups = frame.assign(n=counts).groupby("category", as_index=False)["n"].sum()
    groups["_key"] = groups["n"].round(DECIMALS)
    groups = groups.sort_values(["_key", "category"], ascending=[False, True], kind="stable")
    top = groups.iloc[0]
    name = category_names.get(top["category"], top["category"])
    if lang == "en" and not name[:2].isupper():  # inside a sentence: "therapeutic care"
        name = name[:1].lower() + name[1:]
    sentence = t(
        "briefing.f_trend",
        lang,
        month=month_words(peak["month"], lang),
        count=count(peak["n"]),
        category=name,
        share=rate_words(top["n"] / whole, lang),
    )
    notes = [
        t("briefing.note_figures", lang),
        t(
            "briefing.note_trend_total_one" if len(months) == 1 else "briefing.note_trend_total",
            lang,
            count=count(whole),
            months=len(months),
        ),
        *(
            t(
                "briefing.note_trend_category",
                lang,
                name=category_names.get(row.category, row.category),
                count=count(row.n),
                share=pct(row.n / whole),
            )
            for row in groups.itertuples()
        ),
    ]
    return Finding(sentence_case(sentence), notes, whole)


# -- a station's year to date ---------------------------------------------------------------------


def targets_finding(
    frame: pd.DataFrame, *, names: Mapping[str, str], month: object, lang: str
) -> Finding:
    """How many of a station's targets are met or on track by the end of `month` (its first
    day), and the one
    furthest behind (done ÷ target, against the share of the year gone). `frame`:
    data.station_targets of one station. Counts of services or people served from records, not
    survey figures."""
    if frame.empty or month is None:
        return Finding(t("briefing.f_targets_none", lang))
    month = month_words(month, lang)
    fine = int(frame["status"].isin(["met", "on_track"]).sum())
    behind = frame[frame["status"] == "behind"]
    notes = [
        t(
            "briefing.note_target",
            lang,
            name=names.get(r.service_code, r.service_code),
            done=count(r.done),
            target=count(r.target),
            status=t(f"stations.status_{r.status}", lang),
        )
        for r in frame.itertuples()
    ]
    if behind.empty:
        key = "briefing.f_targets_all_one" if len(frame) == 1 else "briefing.f_targets_all"
        sentence = t(key, lang, n=len(frame), month=month)
    else:
        ratio = behind["done"].astype(float) / behind["target"].astype(float)
        worst = (
            behind.assign(_r=ratio.round(DECIMALS))
            .sort_values(["_r", "service_code"], kind="stable")
            .iloc[0]
        )
        sentence = t(
            "briefing.f_targets",
            lang,
            fine=fine,
            n=len(frame),
            month=month,
            name=names.get(worst["service_code"], worst["service_code"]),
            done=pct(worst["done"] / worst["target"], 0),
            expected=pct(worst["expected_to_date"] / worst["target"], 0),
        )
    return Finding(sentence_case(sentence), notes, float(len(frame)))
