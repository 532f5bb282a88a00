"""The briefing's words in English and Chinese: slide titles, sentence templates, notes, skips.

Kept beside the app's labels (dashboard.app.i18n, which names services, categories, measures and
filters) rather than in them, because only the briefing and its exports speak in sentences.
Numbers in sentences are rounded for a room (41%, 35 pp); the speaker notes keep one decimal.
"""

from __future__ import annotations

import math

TEXT: dict[str, tuple[str, str]] = {
    # slide titles
    "title_overview": ("Need beside receipt in {area}", "{area}：需要与获得"),
    "title_mix": (
        "What residents need vs what stations deliver in {area}",
        "{area}：居民需要什么，服务站提供什么",
    ),
    "title_top_gaps": ("The largest gaps, by service and {level}", "缺口最大的服务与{level}"),
    "title_map": ("{item}: {measure}, by district", "{item}：各区县{measure}"),
    "title_map_grids": (
        "{item} in {district}: {measure}, by grid",
        "{district}各网格：{item}{measure}",
    ),
    "title_groups": (
        "{item}: who is most affected, by {dimension}",
        "{item}：按{dimension}看谁缺口最大",
    ),
    "title_heatmap": ("Gap by {dimension} and service", "按{dimension}分组的各服务缺口"),
    "title_quality": ("Need, receipt and quality of life", "护理需求、获得与生活质量"),
    # pieces of findings
    "need_received": ("{need} need it, {received} received it", "{need}需要，{received}获得"),
    "need_only": (
        "{need} need it; too few said whether they received it",
        "{need}需要；回答是否获得的人太少",
    ),
    "pp": ("{value} pp", "{value}个百分点"),
    "less_than_1": ("<1%", "不到1%"),
    # findings
    "f_city": (
        "In {area}, the most needed service is {service}: {detail}; the most received is "
        "{top} ({top_rate}).",
        "在{area}，需求最高的服务是{service}：{detail}；获得最多的是{top}（{top_rate}）。",
    ),
    "f_city_plain": (
        "In {area}, the most needed service is {service}: {detail}.",
        "在{area}，需求最高的服务是{service}：{detail}。",
    ),
    "f_too_few": (
        "Too few respondents here to show any figure (fewer than {k}).",
        "此范围内受访者太少（少于 {k} 人），无法显示数据。",
    ),
    "f_top_gap": (
        "The largest gap is {service} in {area}: {detail} ({gap}).",
        "缺口最大的是{area}的{service}：{detail}（相差{gap}）。",
    ),
    "f_no_gap": (
        "No gap can be shown: too few respondents in every area (fewer than {k}).",
        "无法显示缺口：各地区受访者都太少（少于 {k} 人）。",
    ),
    "f_map_gap": (
        "{item}: the gap is largest in {top} ({gap}: {detail}) and smallest in {low} ({low_gap}).",
        "{item}：{top}缺口最大（{gap}：{detail}），{low}最小（{low_gap}）。",
    ),
    "f_grid_gap": (
        "Across the grids of {district}, the gap for {item} is largest in {top} ({gap}: {detail}) "
        "and smallest in {low} ({low_gap}).",
        "在{district}的各网格中，{item}的缺口{top}最大（{gap}：{detail}），{low}最小（{low_gap}）。",
    ),
    "f_map_one": (
        "{item}: in {top} the gap is {gap} ({detail}).",
        "{item}：{top}的缺口为{gap}（{detail}）。",
    ),
    "f_map_measure": (
        "{measure} for {item} is highest in {top} ({value}) and lowest in {low} ({low_value}).",
        "{item}的{measure}：{top}最高（{value}），{low}最低（{low_value}）。",
    ),
    "f_map_none": (
        "{item}: too few respondents in every area to show it (fewer than {k}).",
        "{item}：各地区受访者都太少（少于 {k} 人），无法显示。",
    ),
    "f_groups": (
        "{item}, by {dimension}: the gap is largest for {top} ({gap}: {detail}) and smallest "
        "for {low} ({low_gap}).",
        "{item}，按{dimension}分：{top}缺口最大（{gap}：{detail}），{low}最小（{low_gap}）。",
    ),
    "f_groups_one": (
        "{item}, by {dimension}: for {top} the gap is {gap} ({detail}).",
        "{item}，按{dimension}分：{top}的缺口为{gap}（{detail}）。",
    ),
    "f_groups_none": (
        "{item}: too few respondents in every group to show it (fewer than {k}).",
        "{item}：各组受访者都太少（少于 {k} 人），无法显示。",
    ),
    "f_heatmap": (
        "By {dimension}, the largest gap is {service} for {group} ({gap}: {detail}).",
        "按{dimension}分，缺口最大的是“{group}”的{service}（{gap}：{detail}）。",
    ),
    "f_mix": (
        "Residents' stated needs centre on {need_top} ({need_share} of needs); station deliveries "
        "on {delivered_top} ({delivered_share} of deliveries).",
        "居民的需求集中在{need_top}（占需求的{need_share}）；服务站提供的集中在{delivered_top}"
        "（占服务量的{delivered_share}）。",
    ),
    "f_mix_no_deliveries": (
        "Residents' stated needs centre on {need_top} ({need_share} of needs); no station "
        "deliveries are recorded for this period.",
        "居民的需求集中在{need_top}（占需求的{need_share}）；此期间没有服务站的服务记录。",
    ),
    "q_need_neg": (
        "residents with lower quality of life need more services (r = {r})",
        "生活质量越低，需要的服务越多（r = {r}）",
    ),
    "q_need_pos": (
        "residents with higher quality of life need more services (r = {r})",
        "生活质量越高，需要的服务越多（r = {r}）",
    ),
    "q_need_none": (
        "need shows no clear link with quality of life (r = {r})",
        "需求与生活质量无明显相关（r = {r}）",
    ),
    "q_rec_pos": (
        "those with lower quality of life receive fewer (r = {r})",
        "生活质量越低，获得的服务越少（r = {r}）",
    ),
    "q_rec_neg": (
        "those with lower quality of life receive more (r = {r})",
        "生活质量越低，获得的服务越多（r = {r}）",
    ),
    "q_rec_none": (
        "services received show no clear link with it (r = {r})",
        "获得的服务与生活质量无明显相关（r = {r}）",
    ),
    "q_none": (
        "Too few respondents with quality-of-life scores here to show the link (fewer than {k}).",
        "此范围内有生活质量评分的受访者太少（少于 {k} 人），无法显示相关。",
    ),
    # n
    "n_surveyed": ("n = {n} residents surveyed", "n = {n}（受访居民）"),
    "n_scored": (
        "n = {n} residents with quality-of-life scores",
        "n = {n}（有生活质量评分的受访居民）",
    ),
    # chart labels of the briefing's own figure
    # speaker notes
    "note_figures": ("The figures behind the sentence:", "句中数据："),
    "note_row": (
        "{name}: need it {need}, received it {received}, gap {gap}, n = {n}",
        "{name}：需要 {need}，已获得 {received}，缺口 {gap}，n = {n}",
    ),
    "note_row_interval": (
        "{name}: need it {need} (95% CI {need_lo}–{need_hi}), received it {received}, gap {gap}, "
        "n = {n}",
        "{name}：需要 {need}（95% CI {need_lo}–{need_hi}），已获得 {received}，缺口 {gap}，n = {n}",
    ),
    "note_value": ("{name}: {value}, n = {n}", "{name}：{value}，n = {n}"),
    "note_share": (
        "{name}: {share} of stated needs, {delivered} of station deliveries ({count} deliveries)",
        "{name}：占需求 {share}，占服务站服务量 {delivered}（{count} 次）",
    ),
    "note_corr": ("{name}: r = {r} ({p}), n = {n}", "{name}：r = {r}（{p}），n = {n}"),
    "note_method": (
        '"Need it" = answer ≥ {T} of 5 on the need scale. Rates are weighted by the design '
        "weights; n counts the respondents who answered (unweighted).",
        "“需要”= 需求程度回答 ≥ {T}（满分 5）。比率按抽样权重加权；"
        "n 为作答的受访者人数（未加权）。",
    ),
    "note_method_qol": (
        "Pearson's r of the QoL total (sum of the eight raw SF-36 scales) with the number of "
        'services needed and received, unweighted as in the study; "no clear link" means p ≥ 0.05.',
        "生活质量总分（SF-36 八个维度原始分之和）与需要、获得的服务项数的 Pearson 相关系数，"
        "与原研究一样未加权；“无明显相关”指 p ≥ 0.05。",
    ),
    "note_suppression": (
        "Figures resting on fewer than {k} respondents are never shown: not on screen, in a chart, "
        "in these notes or in an export.",
        "少于 {k} 名受访者的数据一律不显示：屏幕、图表、本备注和导出文件中都不出现。",
    ),
    "note_hidden": (
        "{hidden} of {total} shown here have too few respondents: they are grey or marked "
        '"suppressed".',
        "本页 {total} 项中有 {hidden} 项受访者太少：显示为灰色或标为“不显示”。",
    ),
    "note_open": ("Open this view in CareGap: {url}", "在 CareGap 中打开此视图：{url}"),
    "note_filters": ("Filters: {filters}", "筛选条件：{filters}"),
    # filters
    "f_need": ("need = answer ≥ {T} of 5", "需要 = 回答 ≥ {T}（满分 5）"),
    "f_min_n": ("cells under {k} respondents hidden", "少于 {k} 人不显示"),
    "f_all_ages": ("all ages", "全部年龄"),
    "f_both_sexes": ("men and women", "男女"),
    "f_age": ("aged {age}", "{age}岁"),
    "f_period": ("deliveries {start} – {end}", "服务记录 {start} – {end}"),
    # skipped slides
    "skip_no_respondents": ("no respondents in this slice", "此范围内没有受访者"),
    "skip_no_boundaries": (
        "the map (this dataset has no boundaries)",
        "地图（此数据集没有边界）",
    ),
    "skip_no_gap": (
        "the maps (no gap can be shown: too few respondents)",
        "地图（受访者太少，无法显示缺口）",
    ),
    "skip_empty_map": (
        "the map of {area} (too few respondents in every area: fewer than {k})",
        "{area}地图（各地区受访者都少于 {k} 人）",
    ),
    "skip_no_top_gaps": (
        "the largest gaps (too few respondents in every area: fewer than {k})",
        "缺口最大的服务与地区（各地区受访者都少于 {k} 人）",
    ),
    "skip_no_grids": (
        "the grid map (no grid boundaries in {district})",
        "网格地图（{district}没有网格边界）",
    ),
    "skip_no_groups": ("the groups (no group covariate is recorded)", "人群（未记录分组变量）"),
    "skip_no_qol": (
        "quality of life (no quality-of-life scores in this slice)",
        "生活质量（此范围内没有生活质量评分）",
    ),
    # the deck
    "deck_title": ("Community care in {area}: need and provision", "{area}社区护理：需求与供给"),
    "deck_subtitle": ("A CareGap briefing", "CareGap 简报"),
    "deck_dataset": (
        "Survey {survey} (n = {n}) · station records {deliveries} · imported {imported}",
        "调查 {survey}（n = {n}）· 服务站记录 {deliveries} · 导入于 {imported}",
    ),
    "deck_prepared": ("Prepared {date}", "制作于 {date}"),
    "deck_skipped": ("Left out: {reasons}.", "略去：{reasons}。"),
    "source": (
        "Source: CareGap · survey {survey} · station records {deliveries}",
        "资料来源：CareGap · 调查 {survey} · 服务站记录 {deliveries}",
    ),
    "slide_of": ("{i} / {n}", "{i} / {n}"),
}

MINUS = "\u2212"


def bt(key: str, lang: str, **values: object) -> str:
    """The briefing text `key` in `lang` ('en' or 'zh'), with {placeholders} filled."""
    text = TEXT[key][0 if lang == "en" else 1]
    return text.format(**values) if values else text


def sentence_case(text: str) -> str:
    """First letter up (a service name may open an English sentence)."""
    return text[:1].upper() + text[1:] if text else text


def rate(value: float, lang: str) -> str:
    """A rate for a sentence: whole percent ('41%'), '<1%' for a small non-zero share."""
    share = 100 * float(value)
    if 0 < share < 0.5:
        return bt("less_than_1", lang)
    return f"{round(share):d}%"


def gap(value: float, lang: str) -> str:
    """A gap for a sentence: whole percentage points, with a true minus sign when negative."""
    whole = round(float(value))
    return bt("pp", lang, value=f"{whole:d}".replace("-", MINUS))


def r_value(value: float) -> str:
    """A correlation coefficient with its sign: '+0.45', '−0.57'."""
    return f"{float(value):+.2f}".replace("-", MINUS)


def p_value(value: float) -> str:
    if math.isnan(float(value)):
        return "p = —"
    return "p < 0.001" if float(value) < 0.001 else f"p = {float(value):.3f}"
