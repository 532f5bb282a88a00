"""Sign-in and sign-out in headless Debian Chromium: a server with accounts sends every page to
the sign-in page and back to the deep link after it; a wrong password says so plainly; the header
names the account and signs it out; a station manager sees only its views and its area, a viewer
downloads no tables; a server with no accounts says it is open. Both languages; the sign-in page
and the signed-in header at 1024×768, 1280×720 and 1920×1080.

One server with accounts for the module (beside the session's open demo server, on the same
store), and one sign-in per role, whose cookie the tests' fresh browser contexts reuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import duckdb
import pytest

from dashboard import data
from dashboard.accounts import Accounts
from dashboard.i18n import t

from .conftest import Session
from .harness import (
    LANGS,
    SPECS,
    TIMEOUT_MS,
    Guard,
    PageSpec,
    Server,
    dash_id,
    demo_server,
    dropdown_text,
    layout_problems,
    wait_drawn,
    wait_idle,
)
from .test_stations import PICKED

SIZES = ((1024, 768), (1280, 720), (1920, 1080))
PASSWORD = "correct horse battery"
#: role -> the account signed in with it (the station account's station is the store's first).
NAMES = {"planner": "pam.planner", "station": "sam.station", "viewer": "vic.viewer"}
DEEP_LINK = "/map?lang={lang}&measure=demand_rate"
MAP = PageSpec("/map", "nav_map", charts=("chart-map", "chart-map_area"))
STATION_VIEWS = {"/", "/map", "/groups", "/stations", "/briefing"}
VIEWER_VIEWS = {"/", "/briefing"}
SESSION_COOKIE = "caregap_session"
#: The accounts server's language where a URL names none (not left to the machine's locale).
DEFAULT_LANG = "zh"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


#: The paths of the navigation links in the header.
NAV_PATHS_JS = """() => Array.from(document.querySelectorAll('.cg-navbar .nav-link[id]'))
    .map((el) => JSON.parse(el.id).path)"""


class Pages(Session):
    """Guarded pages on the accounts server, each in a fresh browser context, optionally
    carrying a signed-in session (a Playwright storage state)."""

    def open(
        self, width: int = 1280, height: int = 720, state: dict | None = None
    ) -> tuple[Any, Guard]:
        return self.new_page(width, height, state)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def station(server: Server) -> dict[str, str]:
    """The store's first station (data.stations), and a district that is not its own."""
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        first = data.stations(con).iloc[0]
    finally:
        con.close()
    districts = sorted(r for r, row in server.regions.items() if row["level"] == "district")
    other = next(d for d in districts if d != first["district_id"])
    return {
        "id": str(first["station_id"]),
        "zh": str(first["name"]),
        "en": str(first["name_en"]),
        "district": str(first["district_id"]),
        "other_district": other,
    }


@pytest.fixture(scope="module")
def accounts_server(
    server: Server, station: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A server on the session's store with one account per role (an accounts file of its own,
    away from the store's folder: the open server beside it stays open)."""
    workdir = tmp_path_factory.mktemp("login")
    accounts = Accounts(workdir / "accounts.sqlite")
    accounts.add(NAMES["planner"], "planner", PASSWORD)
    accounts.add(NAMES["station"], "station", PASSWORD, stations=(station["id"],))
    accounts.add(NAMES["viewer"], "viewer", PASSWORD)
    args = ("--accounts", str(accounts.path), "--lang", DEFAULT_LANG)
    with demo_server(workdir, db=server.db, args=args) as running:
        running.regions = server.regions
        yield running


@pytest.fixture
def pages(browser: Any, accounts_server: Server, tmp_path: Path) -> Iterator[Pages]:
    opened = Pages(browser, accounts_server, tmp_path)
    try:
        yield opened
        opened.assert_clean()
    finally:
        opened.close()


def sign_in(page: Any, name: str, password: str = PASSWORD) -> Any:
    """Fill in the sign-in form and send it; the response of the page it lands on."""
    page.locator("#username").fill(name)
    page.locator("#password").fill(password)
    with page.expect_navigation() as landed:
        page.locator("button[type=submit]").click()
    return landed.value


@pytest.fixture(scope="module")
def signed_in(browser: Any, accounts_server: Server) -> Callable[[str], dict]:
    """role -> a signed-in browser state (cookies), signing in once per role for the module."""
    states: dict[str, dict] = {}

    def state(role: str) -> dict:
        if role not in states:
            context = browser.new_context()
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.goto(accounts_server.origin + "/login?lang=en")
            sign_in(page, NAMES[role])
            assert urlsplit(page.url).path == "/", page.url
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def login_url(lang: str, next_: str) -> str:
    """The sign-in page in `lang` on its way to `next_` (the redirect's next, kept)."""
    return "/login?" + urlencode({"lang": lang, "next": next_})


def session_cookie(page: Any) -> str | None:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(SESSION_COOKIE)


def nav_paths(page: Any) -> set[str]:
    return set(page.evaluate(NAV_PATHS_JS))


# -- 1. the sign-in page ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/", "/map?lang=en&measure=demand_rate"])
def test_a_page_without_a_session_goes_to_the_sign_in_page(pages, target) -> None:
    page, _guard = pages.open()
    response = page.goto(pages.url(target))
    assert response.status == 200
    assert urlsplit(page.url).path == "/login"
    assert query(page.url)["next"] == [target]
    assert page.locator("input[name=next]").input_value() == target
    assert page.locator("#username").is_visible() and page.locator("#password").is_visible()
    assert page.locator("#root").count() == 0  # no dashboard, no data


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_sign_in_page_is_labelled_translated_and_unclipped(pages, lang, width, height) -> None:
    page, _guard = pages.open(width, height)
    page.goto(pages.url(f"/login?lang={lang}&next=%2Fmap%3Fmeasure%3Ddemand_rate"))
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == ("zh-CN" if lang == "zh" else "en")
    assert page.title() == t("access.login_title", lang)
    assert page.locator("h1").inner_text() == t("access.login_title", lang)
    assert page.locator("main p").inner_text() == t("access.login_intro", lang)
    for field, key in (("username", "access.username"), ("password", "access.password")):
        label = page.locator(f"label[for={field}]")
        assert label.inner_text() == t(key, lang)
        assert label.is_visible()
        assert page.get_by_label(t(key, lang), exact=True).get_attribute("id") == field
    assert page.locator("#password").get_attribute("type") == "password"
    assert page.locator("button[type=submit]").inner_text() == t("access.sign_in", lang)
    if lang == "en":
        switch = page.locator(".cg-navbar a").inner_text()
        body = page.locator("body").inner_text().replace(switch, "")
        assert CJK.findall(body) == []
    assert layout_problems(page, "body") == []  # plain HTML: no #root
    box = page.locator("button[type=submit]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_switch_keeps_where_to_go_next(pages, lang) -> None:
    other = "en" if lang == "zh" else "zh"
    page, _guard = pages.open()
    page.goto(pages.url(DEEP_LINK.format(lang=lang)))
    page.goto(pages.url(login_url(lang, query(page.url)["next"][0])))
    switch = page.locator(".cg-navbar a")
    assert switch.inner_text() == t("ui.switch_lang", lang)
    assert switch.get_attribute("lang") == other
    with page.expect_navigation():
        switch.click()
    assert query(page.url) == {"lang": [other], "next": [DEEP_LINK.format(lang=lang)]}
    assert page.locator("input[name=next]").input_value() == DEEP_LINK.format(lang=lang)
    assert page.locator("input[name=lang]").input_value() == other
    assert page.locator("h1").inner_text() == t("access.login_title", other)


def test_the_sign_in_page_speaks_the_deep_links_language(pages) -> None:
    lang = "en" if DEFAULT_LANG == "zh" else "zh"
    page, _guard = pages.open()
    page.goto(pages.url(DEEP_LINK.format(lang=lang)))
    assert page.locator("h1").inner_text() == t("access.login_title", lang)


# -- 2. a wrong password, then the right one --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_password_says_so_and_the_right_one_opens_the_deep_link(pages, lang) -> None:
    link = DEEP_LINK.format(lang=lang)
    page, guard = pages.open()
    page.goto(pages.url(link))
    page.goto(pages.url(login_url(lang, query(page.url)["next"][0])))

    refused = sign_in(page, NAMES["planner"], "not the password")
    assert refused.status == 401
    assert urlsplit(page.url).path == "/login"
    assert page.locator(".alert-danger").inner_text() == t("access.login_failed", lang)
    assert page.locator("h1").inner_text() == t("access.login_title", lang)
    assert page.locator("input[name=next]").input_value() == link
    assert layout_problems(page, "body") == []  # plain HTML: no #root
    # Chromium logs the 401 document itself as a console error: that one is expected
    expected = [e for e in guard.errors if "status of 401" in e and e.endswith("/login)")]
    assert len(expected) == 1, guard.errors
    guard.errors.remove(expected[0])

    landed = sign_in(page, NAMES["planner"])
    assert landed.status == 200
    assert page.url == pages.url(link)
    wait_drawn(page, MAP)
    wait_idle(page, guard)
    assert query(page.url)["measure"] == ["demand_rate"]
    assert query(page.url)["lang"] == [lang]
    measure = dropdown_text(page, dash_id({"role": "state", "key": "measure"}))
    assert measure == t("ui.demand_rate", lang)
    assert page.locator(".alert-danger").count() == 0


# -- 3. the signed-in header, and signing out -------------------------------------------------


def _header_cases() -> list[Any]:
    return [pytest.param(lang, w, h) for lang in LANGS for w, h in SIZES]


@pytest.mark.parametrize(("lang", "width", "height"), _header_cases())
def test_the_header_names_the_account_and_offers_sign_out(
    pages, signed_in, lang, width, height
) -> None:
    page, guard = pages.open(width, height, signed_in("station"))
    page.goto(pages.url(f"/?lang={lang}"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    user = page.locator(".cg-navbar .cg-user")
    role = t("access.role_station", lang)
    who = t("access.signed_in_as", lang, name=NAMES["station"], role=role)
    button = page.locator("#sign-out")
    assert button.inner_text() == t("access.sign_out", lang)
    assert button.is_visible() and button.get_attribute("title") == who
    # the name beside the button from 1200 px; narrower, the button's tooltip names the account
    assert user.is_visible() is (width >= 1200)
    if width >= 1200:
        assert user.inner_text() == who
    assert page.locator(".cg-open-banner").count() == 0
    assert nav_paths(page) == STATION_VIEWS  # only the views a station account opens
    for path in STATION_VIEWS:
        link = page.locator(dash_id({"role": "nav", "path": path}))
        assert link.inner_text() == t(f"ui.{SPECS[path].nav_key}", lang)
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert layout_problems(page) == []


@pytest.mark.parametrize("lang", LANGS)
def test_sign_out_returns_to_the_sign_in_page_and_back_needs_a_sign_in(pages, lang) -> None:
    page, guard = pages.open()
    page.goto(pages.url(login_url(lang, f"/map?lang={lang}")))
    sign_in(page, NAMES["planner"])
    assert page.url == pages.url(f"/map?lang={lang}")
    wait_drawn(page, MAP)
    wait_idle(page, guard)
    signed_in_cookie = session_cookie(page)

    with page.expect_navigation():
        page.locator("#sign-out").click()
    assert urlsplit(page.url).path == "/login"
    assert query(page.url) == {"lang": [lang], "out": ["1"]}
    assert page.locator(".alert-info").inner_text() == t("access.signed_out", lang)
    assert page.locator("h1").inner_text() == t("access.login_title", lang)
    # the sign-in page's form token lives in a new, anonymous session cookie
    assert session_cookie(page) != signed_in_cookie

    page.go_back()  # the map it was on: asked again of the server, which wants a sign-in
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/login"
    assert query(page.url)["next"][0].startswith("/map?")
    assert page.locator("#root").count() == 0
    assert page.locator(".alert-info").count() == 0
    page.goto(pages.url("/"))
    assert urlsplit(page.url).path == "/login"
    assert query(page.url)["next"] == ["/"]


def test_a_copy_of_the_session_cookie_is_dead_after_sign_out(pages) -> None:
    page, guard = pages.open()
    page.goto(pages.url(login_url("en", "/?lang=en")))
    sign_in(page, NAMES["viewer"])
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    copied = page.context.storage_state()
    with page.expect_navigation():
        page.locator("#sign-out").click()
    assert urlsplit(page.url).path == "/login"
    replay, _guard = pages.open(state=copied)
    replay.goto(pages.url("/?lang=en"))
    assert urlsplit(replay.url).path == "/login"


# -- 4. a station account ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_view_a_station_account_does_not_open_is_refused(pages, signed_in, lang) -> None:
    # its nav links: test_the_header_names_the_account_and_offers_sign_out
    page, guard = pages.open(state=signed_in("station"))
    page.goto(pages.url(f"/quality?lang={lang}"))  # typed in: not one of its views
    refusal = page.get_by_text(t("access.not_in_area", lang))
    refusal.wait_for()
    wait_idle(page, guard)
    assert refusal.is_visible()
    assert page.locator(".js-plotly-plot, #root table").count() == 0
    assert nav_paths(page) == STATION_VIEWS


@pytest.mark.parametrize("lang", LANGS)
def test_a_station_account_opens_the_stations_view_on_its_station(
    pages, signed_in, station, lang
) -> None:
    page, guard = pages.open(state=signed_in("station"))
    page.goto(pages.url(f"/stations?lang={lang}"))
    wait_drawn(page, PICKED)
    wait_idle(page, guard)
    assert page.locator("#stations-picked").is_visible()
    assert station[lang] in page.locator("#root").inner_text()
    assert dropdown_text(page, dash_id({"role": "state", "key": "station"})) == station[lang]
    assert page.get_by_text(t("access.not_in_area", lang)).count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_another_district_in_the_url_is_not_in_the_area(pages, signed_in, station, lang) -> None:
    page, guard = pages.open(state=signed_in("station"))
    page.goto(pages.url(f"/stations?lang={lang}&region={station['other_district']}"))
    refusal = page.get_by_text(t("access.not_in_area", lang))
    refusal.wait_for()
    wait_idle(page, guard)
    assert refusal.is_visible()
    assert page.locator(".js-plotly-plot, #root [id^='chart-']").count() == 0
    assert page.locator("#root table").count() == 0
    assert nav_paths(page) == STATION_VIEWS  # the header stays: the way back is there


@pytest.mark.parametrize("role", ["station", "viewer"])
def test_a_limited_account_pages_raise_no_callback_error(pages, signed_in, role) -> None:
    page, guard = pages.open(state=signed_in(role))
    page.goto(pages.url("/?lang=en"))
    wait_idle(page, guard)
    pages.assert_clean()


# -- 5. a viewer ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "lang"), [("viewer", "zh"), ("viewer", "en"), ("planner", "en")])
def test_a_viewer_has_no_table_downloads(pages, signed_in, role, lang) -> None:
    page, guard = pages.open(state=signed_in(role))
    page.goto(pages.url(f"/?lang={lang}"))
    wait_drawn(page, SPECS["/"])
    wait_idle(page, guard)
    buttons = page.locator(".cg-table-download")
    assert buttons.count() > 0  # the page has tables to download…
    shown = [buttons.nth(i).is_visible() for i in range(buttons.count())]
    if role == "viewer":  # …which a viewer does not download
        assert not any(shown)
        assert page.locator("#root .cg-no-downloads").count() == 1
        assert nav_paths(page) == VIEWER_VIEWS
    else:
        assert all(shown)
        assert page.locator("#root .cg-no-downloads").count() == 0


# -- 6. open mode -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_open_mode_says_so_and_has_no_sign_out(session, lang) -> None:
    page, guard = session.new_page(1280, 720)
    page.goto(session.url("/data", f"?lang={lang}"))
    wait_drawn(page, SPECS["/data"])
    wait_idle(page, guard)
    banner = page.locator(".cg-open-banner")
    assert banner.inner_text().strip() == t("access.open_banner", lang)
    assert banner.is_visible()
    assert page.locator("#sign-out").count() == 0
    assert page.locator(".cg-user").count() == 0
    assert len(nav_paths(page)) == len(SPECS)
