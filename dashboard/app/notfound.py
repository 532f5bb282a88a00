"""A real 404 for a path CareGap does not serve: status 404 and a page in the asked language (or
the server's) with a link to every view, instead of Dash's index answering any path with 200 and
the overview drawn under a wrong address."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

import flask

from dashboard.app.plain_page import plain_page
from dashboard.i18n import t

#: Dash's catch-all route: it serves the app's page for any path the other routes do not take.
CATCH_ALL = "/<path:path>"


def page(path: str, lang: str, views: Iterable[tuple[str, str]]) -> str:
    """The 404 page for `path` in `lang`, linking to each (path, ui label key) of `views`."""
    e = html.escape
    other = "en" if lang == "zh" else "zh"
    query = "?" + urlencode({"lang": lang})
    links = "".join(
        f'<li class="mb-1"><a href="{e(p + query)}">{e(t(f"ui.{key}", lang))}</a></li>'
        for p, key in views
    )
    return plain_page(
        lang,
        title=t("ui.not_found_title", lang),
        main=f"<p>{e(t('ui.not_found_text', lang, path=path))}</p>\n"
        f'<ul class="list-unstyled fs-5">{links}</ul>',
        switch_href=path + "?" + urlencode({"lang": other}),
        main_class="cg-not-found",
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
