"""Dash widgets in the view's language: the words a dcc.Dropdown draws itself ("Search",
"No options found", …) and the date picker's month heading, from the catalogue.

Pages pass `dropdown_labels(lang)` to each dcc.Dropdown; the shell also runs `localise` over a
page's layout, so a dropdown a page forgot still speaks the page's language.
"""

from __future__ import annotations

from dash import dcc

from dashboard.i18n import t

#: dcc.Dropdown's `labels` keys and the catalogue entry for each.
DROPDOWN_LABELS = {
    "search": "ui.dropdown_search",
    "no_options_found": "ui.dropdown_no_options",
    "clear_search": "ui.dropdown_clear_search",
    "clear_selection": "ui.dropdown_clear_selection",
    "select_all": "ui.dropdown_select_all",
    "deselect_all": "ui.dropdown_deselect_all",
    "selected_count": "ui.dropdown_selected_count",
}


def dropdown_labels(lang: str) -> dict[str, str]:
    """The `labels` prop of a dcc.Dropdown in `lang` (`{num_selected}` is the component's own
    placeholder, left for it to fill)."""
    return {prop: t(key, lang) for prop, key in DROPDOWN_LABELS.items()}


def month_format(lang: str) -> str:
    """The date picker's month heading ("January 2008" / "2008年1月")."""
    return t("ui.datepicker_month_format", lang)


def localise(component: object, lang: str) -> object:
    """`component` with every dcc.Dropdown inside it that has no `labels` given them in `lang`
    (walks the layout tree in place; returns it)."""
    if isinstance(component, dcc.Dropdown) and getattr(component, "labels", None) is None:
        component.labels = dropdown_labels(lang)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            localise(child, lang)
    return component
