"""A real 404 for a path CareGap does not serve: status 404 and a page in the asked language (or
the server's) with a link to every view, instead of Dash's index answering any path with 200 and
the overview drawn under a wrong address."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import flask

from dashboard.i18n import t

#: Dash's catch-all route: it serves the app's page for any path the other routes do not take.
CATCH_ALL = "/<path:path>"

PAGE = """<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/x-icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/_vendor/bootstrap-5.3.9.min.css">
<link rel="stylesheet" href="/assets/caregap.css">
</head>
<body>
<nav class="navbar navbar-dark bg-dark cg-navbar mb-4">
<div class="container-fluid">
<span class="cg-brand">{app}</span>
<a class="btn btn-outline-light" href="{switch_href}" lang="{switch_lang}">{switch}</a>
</div>
</nav>
<main class="container cg-not-found">
<h1 class="h3 mb-3">{title}</h1>
<p>{text}</p>
<ul class="list-unstyled fs-5">{links}</ul>
</main>
</body>
</html>
"""


def page(path: str, lang: str, views: Iterable[tuple[str, str]]) -> str:
    """The 404 page for `path` in `lang`, linking to each (path, ui label key) of `views`."""
    e = html.escape
    other = "en" if lang == "zh" else "zh"
    query = "?" + urlencode({"lang": lang})
    links = "".join(
        f'<li class="mb-1"><a href="{e(p + query)}">{e(t(f"ui.{key}", lang))}</a></li>'
        for p, key in views
    )
    return PAGE.format(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=e(t("ui.not_found_title", lang)),
        app=e(t("ui.app_title", lang)),
        text=e(t("ui.not_found_text", lang, path=path)),
        links=links,
        switch_href=e(path + "?" + urlencode({"lang": other})),
        switch_lang=other,
        switch=e(t("ui.switch_lang", lang)),
    )


def install(
    server: flask.Flask,
    paths: Iterable[str],
    views: Callable[[], Iterable[tuple[str, str]]],
    default_lang: str,
) -> None:
    """Answer 404 (with `page`; JSON under /api/) for any path that is neither a view nor
    served by a route of its own. `views()`: the (path, label key) of each view the caller
    may open (asked per request, after the sign-in guard has said who is asking)."""
    known = frozenset(paths)

    def not_found() -> tuple[str, int, dict[str, str]] | None:
        request = flask.request
        rule = request.url_rule
        if rule is None or rule.rule != CATCH_ALL or request.path in known:
            return None  # a view, or a route of its own (Dash's files, assets, the API, sign-in)
        if request.path.startswith("/api/"):
            body = '{"error": "no such route: see /api/v1/openapi.json"}'
            return body, 404, {"Content-Type": "application/json"}
        lang = request.args.get("lang")
        lang = lang if lang in ("en", "zh") else default_lang
        return page(request.path, lang, views()), 404, {"Content-Type": "text/html; charset=utf-8"}

    server.before_request(not_found)
