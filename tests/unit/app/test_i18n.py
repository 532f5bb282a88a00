"""Every label the code asks for exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.app.i18n import TEXT, t

APP = Path(__file__).resolve().parents[3] / "dashboard" / "app"


def test_every_literal_label_key_used_in_the_app_is_translated() -> None:
    used = set()
    for path in APP.rglob("*.py"):
        used |= set(
            re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"\s*[,)]", path.read_text(encoding="utf-8"))
        )
    assert used, "no label keys found"
    assert sorted(used - TEXT.keys()) == []


def test_every_label_has_a_chinese_and_an_english_text() -> None:
    for key, (en, zh) in TEXT.items():
        assert en.strip() and zh.strip(), key


def test_placeholders_match_between_languages() -> None:
    for key, (en, zh) in TEXT.items():
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), key
    assert t("grids_of", "zh", name="平顺县") == "平顺县的网格"
