"""Sentences of finding from hand-made frames: wording in both languages, and suppression.

A suppressed figure must never reach a sentence or a note, even when a frame (wrongly) still
carries its value: these frames do, on purpose.
"""

from __future__ import annotations

import pandas as pd

from dashboard.briefing import findings
from dashboard.i18n.numbers import gap_words, rate_words


def plain(text: str) -> str:
    """Sentences keep numbers and units together with no-break spaces; compare them as spaces."""
    return text.replace("\u00a0", " ")


NAMES = {"edu": "health education", "inj": "injection", "exam": "check-ups"}
NAMES_ZH = {"edu": "健康教育", "inj": "注射", "exam": "体检"}


def services(**overrides: dict) -> pd.DataFrame:
    rows = {
        "edu": dict(demand_rate=0.41, received_rate=0.06, gap_pp=35.0, respondents_n=500),
        "inj": dict(demand_rate=0.10, received_rate=0.33, gap_pp=-23.0, respondents_n=500),
        "exam": dict(demand_rate=0.20, received_rate=0.02, gap_pp=18.0, respondents_n=500),
    }
    for code, changes in overrides.items():
        rows[code].update(changes)
    frame = pd.DataFrame([{"item_code": c, "suppressed": False, **v} for c, v in rows.items()])
    frame["demand_share"] = [0.5, 0.2, 0.3]
    frame["provision_share"] = [0.1, 0.7, 0.2]
    frame["provision_count"] = [10, 70, 20]
    return frame


def test_city_sentence_in_english_names_most_needed_and_most_received() -> None:
    got = findings.city_finding(services(), area="Pingshun", names=NAMES, lang="en", k=10)
    assert plain(got.sentence) == (
        "In Pingshun, the most needed service is health education: 41% need it, 6% received it; "
        "the most received is injection (33%)."
    )
    assert got.n == 500
    assert any("41.0%" in line for line in got.notes)


def test_city_sentence_in_chinese() -> None:
    got = findings.city_finding(services(), area="平顺县", names=NAMES_ZH, lang="zh", k=10)
    assert (
        got.sentence
        == "在平顺县，需求最高的服务是健康教育：41%的人需要，6%的人获得；获得最多的是注射（33%）。"
    )


def test_a_suppressed_row_never_reaches_the_sentence_even_with_values() -> None:
    # the most needed row is marked suppressed but (wrongly) still carries its figures
    frame = services(edu={"suppressed": True, "demand_rate": 0.77, "received_rate": 0.66})
    got = findings.city_finding(frame, area="A", names=NAMES, lang="en", k=10)
    text = got.sentence + "\n".join(got.notes)
    assert "health education" not in got.sentence
    assert "77" not in text and "66" not in text
    assert "check-ups" in got.sentence  # the next most needed shown service
    assert any("1 of 3" in line for line in got.notes)


def test_everything_suppressed_says_too_few_respondents() -> None:
    frame = services(edu={"suppressed": True}, inj={"suppressed": True}, exam={"suppressed": True})
    for lang, words in (("en", "Too few respondents"), ("zh", "受访者太少")):
        got = findings.city_finding(frame, area="A", names=NAMES, lang=lang, k=10)
        assert words in got.sentence
        assert "%" not in got.sentence


def test_missing_receipt_is_said_not_shown_as_zero() -> None:
    frame = services(edu={"received_rate": float("nan"), "gap_pp": float("nan")})
    got = findings.city_finding(frame, area="A", names=NAMES, lang="en", k=10)
    assert "41% need it; too few said whether they received it" in got.sentence
    assert "0%" not in got.sentence


def gap_rows(values: list[tuple[str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "region_id": name,
                "region_name": name,
                "region_name_en": name,
                "item_code": "edu",
                "demand_rate": None if g is None else 0.5,
                "received_rate": None if g is None else 0.5 - g / 100,
                "gap_pp": g,
                "respondents_n": 5 if hidden else 100,
                "suppressed": hidden,
            }
            for name, g, hidden in values
        ]
    )


def test_map_sentence_names_largest_and_smallest_gap_and_counts_hidden_areas() -> None:
    frame = gap_rows([("North", 30.0, False), ("South", 4.0, False), ("East", 90.0, True)])
    got = findings.map_finding(
        frame, measure="gap_pp", measure_name="Gap", item="health education", lang="en", k=10
    )
    assert plain(got.sentence) == (
        "Health education: the gap is largest in North (30 pp: 50% need it, 20% received it) "
        "and smallest in South (4 pp)."
    )
    assert "East" not in "\n".join(got.notes) and "90" not in "\n".join(got.notes)
    assert any("1 of 3" in line for line in got.notes)
    assert got.n == 205


def test_grid_sentence_drops_the_district_prefix_of_grid_names() -> None:
    frame = gap_rows([("壶关县第1网格", 30.0, False), ("壶关县第2网格", 4.0, False)])
    got = findings.map_finding(
        frame,
        measure="gap_pp",
        measure_name="缺口",
        item="健康教育",
        lang="zh",
        k=10,
        district="壶关县",
    )
    assert got.sentence.startswith("在壶关县的各网格中，第1网格的健康教育缺口最大")


def test_a_map_with_every_area_hidden_says_so() -> None:
    frame = gap_rows([("North", None, True), ("South", None, True)])
    got = findings.map_finding(
        frame, measure="gap_pp", measure_name="Gap", item="health education", lang="en", k=10
    )
    assert (
        got.sentence
        == "Health education: too few respondents in every area to show it (fewer than 10)."
    )


def test_groups_sentence_quotes_the_groups_and_skips_hidden_ones() -> None:
    frame = pd.DataFrame(
        {
            "group_value": ["80+", "60-69", "70-79"],
            "demand_rate": [0.6, 0.3, 0.9],
            "received_rate": [0.1, 0.2, 0.0],
            "gap_pp": [50.0, 10.0, 90.0],
            "respondents_n": [50, 400, 4],
            "suppressed": [False, False, True],
        }
    )
    names = {"80+": "80+", "60-69": "60-69", "70-79": "70-79"}
    got = findings.groups_finding(
        frame, item="Check-ups", dimension="age group", group_names=names, lang="en", k=10
    )
    assert plain(got.sentence) == (
        'Check-ups, by age group: the gap is largest for "80+" (50 pp: 60% need it, 10% received '
        'it) and smallest for "60-69" (10 pp).'
    )
    assert "70-79" not in got.sentence + "\n".join(got.notes)


def correlation(r: float, p: float, hidden: bool = False) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_code": ["all_services", "edu"],
            "r": [None if hidden else r, 0.1],
            "p": [None if hidden else p, 0.5],
            "respondents_n": [1200, 1200],
            "suppressed": [hidden, False],
        }
    )


def test_quality_sentence_follows_the_signs() -> None:
    got = findings.quality_finding(
        correlation(-0.21, 0.0001), correlation(0.15, 0.001), names=NAMES, lang="en", k=10
    )
    assert plain(got.sentence) == (
        "Residents with lower quality of life need more services (r = −0.21), and those with "
        "lower quality of life receive fewer (r = +0.15)."
    )
    zh = findings.quality_finding(
        correlation(-0.21, 0.0001), correlation(0.01, 0.6), names=NAMES, lang="zh", k=10
    )
    assert (
        plain(zh.sentence) == "生活质量越低，需要的服务越多（r = −0.21）；"
        "获得的服务与生活质量无明显相关（r = +0.01）。"
    )


def test_quality_without_scores_says_too_few() -> None:
    got = findings.quality_finding(
        correlation(0, 0, hidden=True), correlation(0.2, 0.01), names=NAMES, lang="en", k=10
    )
    assert got.sentence.startswith("Too few respondents with quality-of-life scores")


def test_numbers_are_rounded_for_a_room() -> None:
    assert rate_words(0.4149, "en") == "41%"
    assert rate_words(0.003, "en") == "<1%"
    assert rate_words(0.0, "zh") == "0%"
    assert plain(gap_words(-4.6, "en")) == "−5 pp"
    assert gap_words(35.2, "zh") == "35个百分点"


# -- deliveries month by month


def deliveries(counts: dict[str, list[int]], categories: dict[str, str]) -> pd.DataFrame:
    months = pd.date_range("2009-01-01", periods=3, freq="MS").date
    return pd.DataFrame(
        [
            {"month": m, "item_code": item, "category": categories[item], "provision_count": v}
            for item, values in counts.items()
            for m, v in zip(months, values, strict=True)
        ],
        columns=["month", "item_code", "category", "provision_count"],
    )


CATEGORIES = {"care": "Therapeutic care", "edu": "Health education", "HIV": "HIV care"}


def test_trend_sentence_names_the_peak_month_and_the_largest_categorys_share() -> None:
    frame = deliveries(
        {"inj": [100, 300, 200], "wound": [0, 100, 0], "talk": [50, 100, 150]},
        {"inj": "care", "wound": "care", "talk": "edu"},
    )
    got = findings.trend_finding(frame, category_names=CATEGORIES, lang="en")
    # peak: February (300 + 100 + 100 = 500); care: 700 of 1,000
    assert plain(got.sentence) == (
        "Deliveries peaked in February 2009 (500); therapeutic care made up 70% of all deliveries."
    )
    assert got.n == 1000
    assert "1,000 deliveries over 3 months" in got.notes
    assert "Therapeutic care: 700 deliveries (70.0%)" in got.notes
    zh = findings.trend_finding(
        frame, category_names={"care": "治疗护理", "edu": "健康教育"}, lang="zh"
    )
    assert zh.sentence == "服务次数在2009年2月最多（500次）；治疗护理占全部服务次数的70%。"


def test_trend_ties_go_to_the_earlier_month_and_acronyms_keep_their_case() -> None:
    frame = deliveries({"a": [5, 5, 1]}, {"a": "HIV"})
    got = findings.trend_finding(frame, category_names=CATEGORIES, lang="en")
    assert plain(got.sentence).startswith("Deliveries peaked in January 2009 (5); HIV care")
    assert "100%" in got.sentence


def test_trend_by_category_frames_read_the_same() -> None:
    frame = deliveries({"care": [1, 2, 30], "edu": [9, 9, 9]}, {"care": "care", "edu": "edu"})
    got = findings.trend_finding(frame, category_names=CATEGORIES, lang="en")
    assert "March 2009 (39)" in got.sentence and "therapeutic care made up 55%" in got.sentence


def test_no_deliveries_says_so_and_never_draws_a_zero_peak() -> None:
    for frame in (deliveries({"a": [0, 0, 0]}, {"a": "care"}), deliveries({}, {})):
        got = findings.trend_finding(frame, category_names=CATEGORIES, lang="en")
        assert got.sentence == "No station deliveries are recorded for this period."
        assert got.n == 0 and got.notes == []


# -- a station's targets ---------------------------------------------------------------------------


def _targets(rows: list[tuple[str, int, int, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["service_code", "done", "target", "expected_to_date", "status"]
    )


def test_targets_finding_names_the_one_furthest_behind() -> None:
    import datetime as dt

    from dashboard.briefing.findings import targets_finding

    frame = _targets(
        [
            ("a", 60, 100, 50.0, "on_track"),
            ("b", 10, 100, 50.0, "behind"),
            ("c", 30, 100, 50.0, "behind"),
        ]
    )
    found = targets_finding(frame, names={"b": "Check-ups"}, month=dt.date(2009, 6, 1), lang="en")
    assert found.sentence.startswith("1 of 3 targets are on track by the end of June 2009")
    assert "Check-ups is furthest behind, at 10% of its target with 50% of the year gone" in (
        found.sentence
    )
    assert len(found.notes) == 3 and found.n == 3
    every = targets_finding(
        frame.assign(status="met"), names={}, month=dt.date(2009, 6, 1), lang="zh"
    )
    assert "全部 3 项目标" in every.sentence
    assert "没有" in targets_finding(frame.iloc[0:0], names={}, month=None, lang="zh").sentence
