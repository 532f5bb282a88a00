"""Problems found in a dataset, and how they read to a survey clerk, in English or Chinese.

A problem names where (file, row, column, value) and which rule, so the clerk can open the file
and fix that cell; the rule text says what a good value looks like, not what the program expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RULES: dict[str, tuple[str, str]] = {
    # key: (English, Chinese); {placeholders} come from Problem.params
    "required": (
        "is empty, but this column must be filled in",
        "为空，此列必须填写",
    ),
    "int_range": (
        "must be a whole number from {lo} to {hi}",
        "必须是 {lo} 到 {hi} 之间的整数",
    ),
    "int_min": (
        "must be a whole number of at least {lo}",
        "必须是不小于 {lo} 的整数",
    ),
    "int": ("must be a whole number", "必须是整数"),
    "number_positive": ("must be a number greater than 0", "必须是大于 0 的数"),
    "number_range": (
        "must be a number from {lo} to {hi}",
        "必须是 {lo} 到 {hi} 之间的数",
    ),
    "date": (
        "must be a real date written as YYYY-MM-DD, for example 2009-03-15",
        "必须是真实日期，格式为 YYYY-MM-DD，例如 2009-03-15",
    ),
    "bool": (
        "must be yes or no (true/false, 1/0, yes/no or 是/否)",
        "必须是“是”或“否”（true/false、1/0、yes/no 或 是/否）",
    ),
    "sex": (
        "must be M or F (male/female or 男/女 also accepted)",
        "必须是 M 或 F（也可写 male/female 或 男/女）",
    ),
    "enum": ("must be one of: {choices}", "必须是以下之一：{choices}"),
    "pattern": (
        "may contain only lower-case letters a-z, digits 0-9 and _",
        "只能包含小写字母 a-z、数字 0-9 和下划线 _",
    ),
    "unique": (
        "appears more than once (also on row {first}); each {column} must be unique",
        "重复出现（第 {first} 行也有）；每个 {column} 必须唯一",
    ),
    "pair_unique": (
        "is a second answer of the same respondent on the same service (first on row {first})",
        "同一受访者对同一服务项目的第二条回答（第一条在第 {first} 行）",
    ),
    "reference": (
        'is not found in {ref_file} (column "{ref_column}")',
        "在 {ref_file}（列“{ref_column}”）中找不到",
    ),
    "no_root": (
        "no region has an empty parent_id: exactly one region (the top one, e.g. the city) "
        "must have none",
        "没有 parent_id 为空的地区：必须恰好有一个地区（最上级，例如市）的 parent_id 为空",
    ),
    "many_roots": (
        "has an empty parent_id, but only one region may (the top one); {count} regions have none",
        "parent_id 为空，但只允许一个地区（最上级）为空；现有 {count} 个地区为空",
    ),
    "cycle": (
        "is part of a loop of parents: following parent_id never reaches the top region",
        "上级关系形成了循环：沿 parent_id 向上永远到不了最上级地区",
    ),
    "level_order": (
        'level "{level}" must be below its parent\'s level "{parent_level}" '
        "(order: city, district, street, community, grid)",
        "级别“{level}”必须低于其上级的级别“{parent_level}”（顺序：city 市、district 区县、"
        "street 街道、community 社区、grid 网格）",
    ),
    "grid_without_district": (
        "region {region} is a grid with no district above it; every grid must lie in a district",
        "地区 {region} 是网格，但上级中没有区县；每个网格都必须属于某个区县",
    ),
    "adl_columns": (
        "the file has some ADL columns but not all 14; missing: {missing}",
        "文件中只有部分 ADL 列，缺少：{missing}（14 列须全有或全无）",
    ),
    "adl_partial": (
        "has {count} of the 14 ADL answers; fill in all 14 or leave all empty",
        "只填写了 14 项 ADL 中的 {count} 项；请全部填写或全部留空",
    ),
    "not_a_folder": (
        "is not a folder: give the folder that holds the dataset files",
        "不是文件夹：请指定存放数据集文件的文件夹",
    ),
    "missing_table": (
        "the dataset has no {table} file ({table}.csv, {table}.xlsx or {table}.parquet); "
        "it is required",
        "数据集中没有 {table} 文件（{table}.csv、{table}.xlsx 或 {table}.parquet），这是必需的",
    ),
    "ambiguous_table": (
        "there is more than one file for the {table} table ({files}); keep only one",
        "{table} 表有多个文件（{files}）；只能保留一个",
    ),
    "missing_column": (
        'the required column "{column}" is missing (columns found: {found})',
        "缺少必需的列“{column}”（现有列：{found}）",
    ),
    "duplicate_column": (
        'the column "{column}" appears more than once in the header row',
        "列“{column}”在表头中出现了不止一次",
    ),
    "blank_column": (
        "a column in the header row has no name",
        "表头中有一列没有名称",
    ),
    "empty_file": (
        "the file is empty (0 bytes)",
        "文件是空的（0 字节）",
    ),
    "binary_file": (
        "is not a text table: it looks like a binary file; save it as CSV, .xlsx or .parquet",
        "不是文本表格，看起来是二进制文件；请另存为 CSV、.xlsx 或 .parquet",
    ),
    "bad_encoding": (
        "is not readable text (byte {offset}): save it as CSV in UTF-8 or GBK",
        "无法识别文字编码（第 {offset} 字节）：请另存为 UTF-8 或 GBK 编码的 CSV",
    ),
    "malformed_csv": (
        "could not be read as a comma-separated table: {detail}",
        "无法按逗号分隔表格读取：{detail}",
    ),
    "no_rows": (
        "has a header row but no data rows",
        "只有表头，没有数据行",
    ),
    "unreadable_file": (
        "could not be opened as a {format} file: {detail}",
        "无法作为 {format} 文件打开：{detail}",
    ),
    "identifying": (
        "identifies people and is not allowed; delete this column, or import with "
        "--drop-identifying to leave it out",
        "可识别个人身份，不允许导入；请删除此列，或使用 --drop-identifying 在导入时舍弃该列",
    ),
    "geo_json": (
        "is not valid GeoJSON: {detail}",
        "不是有效的 GeoJSON：{detail}",
    ),
    "geo_collection": (
        'must be a GeoJSON FeatureCollection (a "features" list)',
        "必须是 GeoJSON FeatureCollection（含 features 列表）",
    ),
    "geo_region_id": (
        "has no properties.region_id naming the region it outlines",
        "没有 properties.region_id（它所描绘的地区代码）",
    ),
    "geo_unknown_region": (
        "names a region that is not in {ref_file}",
        "所指地区不在 {ref_file} 中",
    ),
    "geo_duplicate": (
        "is a second boundary for the same region (first in feature {first})",
        "是同一地区的第二个边界（第一个是第 {first} 个要素）",
    ),
    "geo_geometry": (
        "must be a Polygon or MultiPolygon with longitude/latitude (WGS84) coordinates: {detail}",
        "必须是经纬度（WGS84）坐标的 Polygon 或 MultiPolygon：{detail}",
    ),
}

LABELS = {
    "en": {
        "row": "row {row}",
        "feature": "feature {row}",
        "column": 'column "{column}"',
        "value": 'value "{value}"',
        "sep": ", ",
        "colon": ": ",
        "more": "… and {count} more problems not shown ({total} in all).",
        "summary": "The dataset was not imported: {total} {problems} found. Nothing was changed.",
    },
    "zh": {
        "row": "第 {row} 行",
        "feature": "第 {row} 个要素",
        "column": "列“{column}”",
        "value": "值“{value}”",
        "sep": "，",
        "colon": "：",
        "more": "……另有 {count} 个问题未列出（共 {total} 个）。",
        "summary": "数据集未导入：发现 {total} 个问题。现有数据未做任何改动。",
    },
}

MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the dataset."""

    file: str
    rule: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict)
    row_word: str = "row"

    def render(self, lang: str = "en") -> str:
        labels = LABELS[lang]
        parts = [self.file]
        if self.row is not None:
            parts.append(labels[self.row_word].format(row=self.row))
        if self.column is not None:
            parts.append(labels["column"].format(column=self.column))
        if self.value is not None:
            parts.append(labels["value"].format(value=_short(self.value)))
        template = RULES[self.rule][0 if lang == "en" else 1]
        text = template.format(column=self.column, **self.params)
        return labels["sep"].join(parts) + labels["colon"] + text


def _short(value: str) -> str:
    value = value.replace("\n", "\\n")
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


class DatasetRefused(Exception):
    """The dataset breaks the contract: every problem found (up to the cap) and the total."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.total = total if total is not None else len(problems)

    def render(self, lang: str = "en", cap: int = 50) -> str:
        labels = LABELS[lang]
        word = "problem" if self.total == 1 else "problems"
        lines = [labels["summary"].format(total=self.total, problems=word)]
        lines += [p.render(lang) for p in self.problems[:cap]]
        hidden = self.total - min(cap, len(self.problems))
        if hidden > 0:
            lines.append(labels["more"].format(count=hidden, total=self.total))
        return "\n".join(lines)
