"""The frame of the server's plain HTML pages (sign-in, not found): no script, the app's own
stylesheets, the navbar with the language switch — written once for both."""

from __future__ import annotations

import html

from dashboard.i18n import t

FRAME = """<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/assets/_vendor/bootstrap-5.3.9.min.css">
<link rel="stylesheet" href="/assets/caregap.css">
</head>
<body class="{body_class}">
<nav class="navbar navbar-dark bg-dark cg-navbar mb-4">
<div class="container-fluid">
<span class="cg-brand">{app}</span>
<a class="btn btn-outline-light" href="{switch_href}" lang="{switch_lang}">{switch}</a>
</div>
</nav>
<main class="container {main_class}">
<h1 class="h3 mb-3">{title}</h1>
{main}
</main>
</body>
</html>
"""


def plain_page(
    lang: str, *, title: str, main: str, switch_href: str, body_class: str = "", main_class: str
) -> str:
    """A page in `lang` titled `title` with `main` (HTML, already escaped) under the heading;
    `switch_href` opens the same page in the other language."""
    e = html.escape
    other = "en" if lang == "zh" else "zh"
    return FRAME.format(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=e(title),
        app=e(t("ui.app_title", lang)),
        switch_href=e(switch_href),
        switch_lang=other,
        switch=e(t("ui.switch_lang", lang)),
        body_class=body_class,
        main_class=main_class,
        main=main,
    )
