"""The label catalogue: every entry in both languages, every key the code asks for present."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.i18n import CATALOGUE, LANGUAGES, NAMESPACES, placeholders, t

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"
ENTRIES = [(ns, key) for ns in NAMESPACES for key in CATALOGUE[ns]]


def test_every_namespace_has_a_data_file_and_entries() -> None:
    assert set(CATALOGUE) == set(NAMESPACES)
    for namespace in NAMESPACES:
        assert (DASHBOARD / "i18n" / f"{namespace}.toml").is_file()
        assert CATALOGUE[namespace], namespace


@pytest.mark.parametrize(("namespace", "key"), ENTRIES, ids=[f"{n}.{k}" for n, k in ENTRIES])
def test_every_entry_has_both_languages_with_the_same_placeholders(
    namespace: str, key: str
) -> None:
    texts = CATALOGUE[namespace][key]
    assert set(texts) == set(LANGUAGES), f"{namespace}.{key}: languages {sorted(texts)}"
    for lang in LANGUAGES:
        assert isinstance(texts[lang], str) and texts[lang].strip(), f"{namespace}.{key} {lang}"
    assert placeholders(texts["en"]) == placeholders(texts["zh"]), f"{namespace}.{key}"


def test_t_fills_placeholders_in_either_language() -> None:
    assert t("ui.grids_of", "zh", name="平顺县") == "平顺县的网格"
    assert t("ui.grids_of", "en", name="Pingshun") == "Grids of Pingshun"
    assert t("ui.nav_map", "en") == "Map"


def test_namespaced_keys_tell_the_two_pp_apart() -> None:
    assert t("ui.pp", "zh") == "百分点"
    assert t("briefing.pp", "zh", value="35") == "35个百分点"


@pytest.mark.parametrize("key", ["ui.no_such_label", "nav_map", "nowhere.nav_map", "ui."])
def test_t_refuses_an_unknown_key(key: str) -> None:
    with pytest.raises(KeyError):
        t(key, "en")


def test_t_refuses_an_unknown_language() -> None:
    with pytest.raises(KeyError):
        t("ui.nav_map", "fr")


def test_t_refuses_a_missing_placeholder_value() -> None:
    with pytest.raises(KeyError):
        t("ui.grids_of", "en", other="x")


def test_helpers_read_the_catalogue_and_pass_unknown_codes_through() -> None:
    assert i18n.category_name("health_education", "zh") == "健康教育"
    assert i18n.category_name("new_category", "zh") == "new_category"
    assert i18n.value_name("mild", "en") == "mild impairment"
    assert i18n.value_name("1000_1999", "zh") == "1000–1999元"
    assert i18n.value_name(True, "zh") == "是"
    assert i18n.value_name(None, "en") == "not recorded"
    assert i18n.value_name(float("nan"), "zh") == "未记录"
    assert i18n.value_name("other_code", "en") == "other_code"
    assert i18n.column_description("age", "age in years", "en") == "age in years"
    assert i18n.column_description("age", "age in years", "zh") == "年龄（岁）"
    assert (
        i18n.column_description("adl_03", "ADL item 3 (1-4)", "zh")
        == "日常生活能力量表第 3 项（1–4）"
    )
    assert i18n.column_description("sf36_12", "SF-36 item 12", "zh") == "SF-36 第 12 题"
    assert i18n.column_description("new_column", "a new column", "zh") == "a new column"
    assert i18n.sentence_case("health education") == "Health education"


# -- every key the code asks for ------------------------------------------------------------------


def _key_parts(node: ast.expr) -> list[tuple[str, bool]]:
    """(literal text, whole key?) of the literals a key expression begins with."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, True)]
    if isinstance(node, ast.JoinedStr):
        head = node.values[0] if node.values else None
        return [(str(head.value), False)] if isinstance(head, ast.Constant) else []
    if isinstance(node, ast.IfExp):
        return _key_parts(node.body) + _key_parts(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [(text, False) for text, _ in _key_parts(node.left)]
    return []


def _asked_for() -> list[tuple[str, str, bool]]:
    asked = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "template", "has", "entry")
                and node.args
            ):
                rel = f"{path.relative_to(DASHBOARD)}:{node.lineno}"
                asked += [(rel, text, whole) for text, whole in _key_parts(node.args[0])]
    return asked


def test_every_key_the_code_asks_for_is_in_the_catalogue() -> None:
    asked = _asked_for()
    assert len(asked) > 300, "no label keys found"
    keys = {f"{ns}.{key}" for ns, key in ENTRIES}
    missing = [
        (where, text)
        for where, text, whole in asked
        if (text not in keys if whole else not any(k.startswith(text) for k in keys))
    ]
    assert missing == []


def test_every_key_the_code_asks_for_names_its_namespace() -> None:
    bare = [
        (where, text) for where, text, _ in _asked_for() if text.split(".")[0] not in NAMESPACES
    ]
    assert bare == []
