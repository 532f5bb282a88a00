"""The one label catalogue: every word CareGap shows, in English and Chinese, and `t` to look it up.

Each namespace is one data file beside this module, key → English (``en``) and Chinese (``zh``):

- ``ui``         the dashboard: navigation, filters, measures, titles, captions, table headers
- ``briefing``   the briefing's slide titles, sentences, speaker notes and deck
- ``cli``        the ``caregap`` command's messages
- ``problems``   how a problem in a dataset is framed (row, column, value, summary)
- ``rules``      what a good value looks like, per validation rule
- ``categories`` service categories, by code
- ``values``     covariate values, by code
- ``columns``    the data dictionary's column descriptions, by column name
- ``access``     the login page, roles, refusals, the audit log and ``caregap users``
- ``headers``    the column headers of downloaded tables, by column name

A key names its namespace: ``t("ui.nav_map", lang)``, ``t("briefing.pp", lang, value="35")``.
Names that come from the data (regions, services) are not here: they are taken from the data in
the chosen language. A key or a language the catalogue lacks is an error (KeyError), never the key
shown on screen; tests/unit/i18n checks that every entry has both languages with the same
{placeholders}. Number wording (percentages, points, p values, the minus sign) is in
dashboard.i18n.numbers. Nothing here imports Dash, so ingest, cli, briefing, figures and the app
all read the same catalogue.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

LANGUAGES = ("en", "zh")
NAMESPACES = (
    "ui",
    "stations",
    "briefing",
    "cli",
    "problems",
    "rules",
    "categories",
    "values",
    "columns",
    "access",
    "headers",
)

Entry = Mapping[str, str]


def _load(namespace: str) -> Mapping[str, Entry]:
    source = resources.files(__name__).joinpath(f"{namespace}.toml").read_text(encoding="utf-8")
    return MappingProxyType(
        {key: MappingProxyType(entry) for key, entry in tomllib.loads(source).items()}
    )


#: namespace → key → language → text, read once at import.
CATALOGUE: Mapping[str, Mapping[str, Entry]] = MappingProxyType(
    {namespace: _load(namespace) for namespace in NAMESPACES}
)


def entry(key: str) -> Entry:
    """The texts of ``namespace.key`` by language (KeyError for an unknown key)."""
    namespace, dot, name = key.partition(".")
    if not dot or namespace not in CATALOGUE:
        raise KeyError(f"{key!r}: a label key is namespace.key, namespace one of {NAMESPACES}")
    try:
        return CATALOGUE[namespace][name]
    except KeyError:
        raise KeyError(f"{key!r} is not in the label catalogue") from None


def has(key: str) -> bool:
    """Whether the catalogue has ``namespace.key`` (for codes from the data, which may be new)."""
    namespace, _, name = key.partition(".")
    return name in CATALOGUE.get(namespace, {})


def template(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` with its {placeholders} left as they are."""
    texts = entry(key)
    if lang not in texts:
        raise KeyError(f"{key!r} has no text in language {lang!r} (languages: {LANGUAGES})")
    return texts[lang]


def t(key: str, lang: str, /, **values: object) -> str:
    """The label ``key`` ('namespace.key') in ``lang`` ('en' or 'zh'), {placeholders} filled."""
    text = template(key, lang)
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The names of a text's {placeholders}."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- helpers over the catalogue --------------------------------------------------------------


#: the words the shared figure builders take (dashboard/figures: dumbbell, heatmap, mix)
FIGURE_LABELS = {
    "need": "ui.demand_rate",
    "received": "ui.received_rate",
    "gap": "ui.gap_pp",
    "suppressed": "ui.suppressed",
    "suppressed_reason": "ui.suppressed_reason",  # a template: figures.hidden fills {k}
    "pp": "ui.pp",
    "need_mix": "ui.need_mix",
    "delivery_mix": "ui.delivery_mix",
    "deliveries": "ui.provision_count",
    "month_total": "ui.month_total",
    "no_deliveries": "ui.no_deliveries",
    "partial_month": "ui.partial_month",
    "mean_score": "ui.mean_score",
    "share": "ui.share_weighted",
    "unreliable": "ui.unreliable",
    "faded": "ui.faded_unreliable",
    "ci": "ui.ci_95",
    "ci_not_estimable": "ui.ci_not_estimable",
}


def figure_labels(lang: str) -> dict[str, str]:
    """The words the shared figure builders need, the same for the pages and the briefing."""
    return {name: t(key, lang) for name, key in FIGURE_LABELS.items()}


def category_name(code: str, lang: str) -> str:
    """A service category by its code, or the code itself when the catalogue does not know it."""
    key = f"categories.{code}"
    return t(key, lang) if has(key) else code


def value_name(code: object, lang: str) -> str:
    """A covariate value as a reader sees it (booleans as yes/no, known codes translated)."""
    if code is None or (isinstance(code, float) and code != code):
        return t("ui.missing", lang)
    if isinstance(code, bool):
        return t("ui.yes" if code else "ui.no", lang)
    key = f"values.{code}"
    return t(key, lang) if has(key) else str(code)


def column_description(name: str, english: str, lang: str) -> str:
    """A contract column's description in `lang`: in English the schema's own (`english`, per
    table); in Chinese the catalogue's (questionnaire items described by number)."""
    if lang == "en":
        return english
    if name.startswith("adl_"):
        return t("columns.adl_item", lang, i=int(name[4:]))
    if name.startswith("sf36_"):
        return t("columns.sf36_item", lang, i=int(name[5:]))
    key = f"columns.{name}"
    return t(key, lang) if has(key) else english


def sentence_case(text: str) -> str:
    """First letter up (a service name may open an English sentence)."""
    return text[:1].upper() + text[1:] if text else text
