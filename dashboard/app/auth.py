"""Who is asking: sign-in, sessions, API tokens, the proxy's single sign-on, and open mode.

Built on Flask-Login (the session's user, on Flask's signed cookie), Flask-Limiter (failed
sign-ins rate-limited) and flask_wtf.csrf (the sign-in and sign-out forms' token); accounts and
their hashes are dashboard.accounts'. Every request but the sign-in page and the static assets
needs a signed-in user or a token once the accounts file has an account:

- a page (GET of HTML) without one is sent to /login?next=…; anything else (a callback POST, a
  download, the API) gets 401 and nothing else;
- sessions: cookie HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (the
  proxy's X-Forwarded-Proto from a trusted proxy); they end `session_hours` after sign-in
  whatever happens, earlier when the password changes or the account is removed (the account's
  generation is part of the session's user id), and at sign-out — on the server too (the
  session's id is kept in the accounts file), so a copy of the cookie is dead;
- `Authorization: Bearer TOKEN` (caregap users token) instead of a session, for scripts;
- `trust_header` (e.g. X-Remote-User): behind a proxy that signs people in, the header names
  the account, honoured only on requests whose socket peer is one of `proxies`.

With no account at all the server is open (the demo): each request gets the full scope and a
banner says so — but only if it was started allowed to (`open_allowed`: bound to loopback, or
`caregap serve --open`); otherwise it answers 503 with how to add an account.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import flask
import flask_login
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter, RequestLimit
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from wtforms.validators import ValidationError

from dashboard import scope
from dashboard.accounts import Account, Accounts
from dashboard.app.plain_page import plain_page
from dashboard.i18n import t
from dashboard.scope import OPEN, Scope
from dashboard.views import access

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
#: Served to anyone: the sign-in page and the static files it and the app need (no data).
PUBLIC_PREFIXES = ("/assets/", "/_favicon.ico")
#: Failed sign-ins allowed, per client address and per user name tried (Flask-Limiter syntax).
ADDRESS_LIMIT = "10 per minute;50 per hour"
NAME_LIMIT = "5 per minute;20 per hour"


@dataclass(frozen=True)
class AuthConfig:
    """How this server knows who is asking (set by `caregap serve`'s options)."""

    accounts: Path
    open_allowed: bool = True
    trust_header: str | None = None
    proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    session_hours: float = 8.0
    limiter_storage: str = "memory://"
    default_lang: str = "zh"
    languages: tuple[str, ...] = field(default=("en", "zh"))


class User(flask_login.UserMixin):
    """The signed-in account, as Flask-Login holds it."""

    def __init__(self, account: Account, via: str) -> None:
        self.account = account
        self.via = via  # "session", "token" or "proxy"

    def get_id(self) -> str:
        # the generation ends sessions when the password changes or the account is re-added
        return f"{self.account.name}:{self.account.generation}"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose cookie is Secure whenever the request is HTTPS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or flask.request.is_secure


class Auth:
    """Sign-in for one server (see the module docstring)."""

    def __init__(self, config: AuthConfig) -> None:
        self.config = config
        self.accounts = Accounts(config.accounts)
        self.limiter: Limiter | None = None

    # -- who is asking ------------------------------------------------------------------------

    def open_mode(self) -> bool:
        """No account exists: the server is open (if it may be)."""
        return not self.accounts.has_users()

    def account(self) -> Account | None:
        """The account of the current request (None: nobody signed in, or open mode)."""
        user = flask_login.current_user
        return user.account if getattr(user, "is_authenticated", False) else None

    def caller(self) -> tuple[str, str | None, tuple[str, ...], tuple[str, ...]]:
        """(role, name, stations, areas) of the current request; refuses (401) when nobody is
        signed in and the server is not open."""
        account = self.account()
        if account is not None:
            return account.role, account.name, account.stations, account.areas
        if self.open_mode() and self.config.open_allowed:
            return OPEN, None, (), ()
        flask.abort(401)

    def record(self, action: str, target: str = "", area: str = "", detail: str = "") -> None:
        """Append what the signed-in caller did to the audit log (open mode has nobody to name,
        and keeps no log)."""
        account = self.account()
        if account is None:
            return
        self.accounts.record(
            action, user=account.name, role=account.role, target=target, area=area, detail=detail
        )

    # -- the Flask side -----------------------------------------------------------------------

    def install(self, server: flask.Flask) -> None:
        config = self.config
        server.secret_key = self.accounts.secret_key()
        server.session_interface = _SessionInterface()
        server.config.update(
            SESSION_COOKIE_NAME="caregap_session",
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=config.session_hours),
            # the sign-out form's token lives as long as the page's session may
            WTF_CSRF_TIME_LIMIT=int(config.session_hours * 3600),
        )
        # X-Forwarded-Proto/-Host from the proxy: HTTPS behind it makes cookies Secure
        server.wsgi_app = _TrustedProxyFix(server.wsgi_app, config.proxies)
        manager = flask_login.LoginManager()
        manager.init_app(server)
        manager.user_loader(self._load_session_user)
        manager.request_loader(self._load_request_user)
        self.limiter = Limiter(
            self._client_address,
            app=server,
            storage_uri=config.limiter_storage,
            default_limits=[],
            headers_enabled=True,
        )
        server.before_request(self._guard)
        server.register_error_handler(scope.OutOfScope, self._refused)
        self._routes(server)

    def _refused(self, error: scope.OutOfScope) -> tuple[flask.Response, int]:
        """Anything outside the caller's scope (a crafted callback, a download): 403 and the
        words, never the data."""
        self.record("refused", flask.request.path, error.what)
        return flask.jsonify(error=t("access.not_in_area", self._lang())), 403

    def _load_session_user(self, user_id: str) -> User | None:
        name, _, generation = user_id.rpartition(":")
        account = self.accounts.get(name)
        if account is None or str(account.generation) != generation:
            return None
        if not self.accounts.session_open(flask.session.get("sid", ""), name):
            return None  # signed out (a copy of the cookie is dead too)
        login_at = flask.session.get("login_at", 0)
        if time.time() - float(login_at) > self.config.session_hours * 3600:
            return None  # sessions end this long after sign-in, however active
        return User(account, "session")

    def _load_request_user(self, request: flask.Request) -> User | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            account = self.accounts.token_account(header[len("Bearer ") :].strip())
            return User(account, "token") if account else None
        name = self.config.trust_header and request.headers.get(self.config.trust_header)
        if name and _peer(request) in self.config.proxies:
            account = self.accounts.get(name.strip())
            return User(account, "proxy") if account else None
        return None

    def _client_address(self) -> str:
        """The client: the socket peer, or what a trusted proxy says it is."""
        request = flask.request
        peer = _peer(request)
        forwarded = request.headers.get("X-Forwarded-For", "")
        if peer in self.config.proxies and forwarded:
            return forwarded.split(",")[-1].strip()
        return peer

    def _guard(self) -> flask.Response | None:
        path = flask.request.path
        if path in (LOGIN_PATH, LOGOUT_PATH) or path.startswith(PUBLIC_PREFIXES):
            return None
        if flask_login.current_user.is_authenticated:
            return None
        if self.open_mode():
            if self.config.open_allowed:
                return None
            return _plain(t("access.no_accounts", self._lang()), 503)
        if flask.request.method == "GET" and _wants_page(path):
            query = flask.request.query_string.decode()
            target = path + ("?" + query if query else "")
            return flask.redirect(
                LOGIN_PATH + "?" + urlencode({"next": target, "lang": self._lang()})
            )
        return flask.jsonify(error=t("access.login_required", self._lang())), 401

    def _lang(self) -> str:
        lang = flask.request.args.get("lang") or flask.request.form.get("lang")
        return lang if lang in self.config.languages else self.config.default_lang

    # -- sign-in and sign-out -----------------------------------------------------------------

    def _routes(self, server: flask.Flask) -> None:
        limiter = self.limiter
        assert limiter is not None

        def failed(response: flask.Response) -> bool:
            return response.status_code == 401

        def name_key() -> str:
            return "name:" + (flask.request.form.get("username") or "").strip().lower()

        @limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=failed, on_breach=self._breach)
        @limiter.limit(
            NAME_LIMIT,
            methods=["POST"],
            key_func=name_key,
            deduct_when=failed,
            on_breach=self._breach,
        )
        def login() -> flask.Response | tuple[str, int]:
            if flask.request.method == "GET":
                return self._login_page(self._lang())
            return self._sign_in()

        server.add_url_rule(LOGIN_PATH, "caregap_login", login, methods=["GET", "POST"])
        server.add_url_rule(LOGOUT_PATH, "caregap_logout", self._sign_out, methods=["POST"])

    def _breach(self, limit: RequestLimit) -> flask.Response:
        lang = self._lang()
        self.accounts.record(
            "login_limited",
            user=(flask.request.form.get("username") or "")[:64],
            role=None,
            detail=self._client_address(),
        )
        page, _ = self._login_page(lang, error=t("access.login_too_many", lang), status=429)
        response = flask.make_response(page, 429)
        response.headers["Retry-After"] = "60"
        return response

    def _sign_in(self) -> flask.Response | tuple[str, int]:
        form = flask.request.form
        lang = self._lang()
        try:
            validate_csrf(form.get("csrf_token"))
        except ValidationError:
            return self._login_page(lang, error=t("access.login_expired_form", lang), status=400)
        name = (form.get("username") or "").strip()
        account = self.accounts.verify(name, form.get("password") or "")
        if account is None:
            self.accounts.record(
                "login_failed", user=name[:64], role=None, detail=self._client_address()
            )
            return self._login_page(lang, error=t("access.login_failed", lang), status=401)
        flask.session.clear()
        flask.session.permanent = True
        flask.session["login_at"] = time.time()
        flask.session["sid"] = self.accounts.start_session(account.name)
        flask_login.login_user(User(account, "session"))
        # the sign-out form's token, fixed for the session now: pages draw the form in callbacks
        # that may run at the same time, and each would otherwise mint its own (the last cookie
        # written wins, and the form shown could carry the other's token)
        generate_csrf()
        self.accounts.record(
            "login", user=account.name, role=account.role, detail=self._client_address()
        )
        return flask.redirect(_safe_next(form.get("next"), lang))

    def _sign_out(self) -> flask.Response:
        lang = self._lang()
        try:
            validate_csrf(flask.request.form.get("csrf_token"))
        except ValidationError:
            return flask.redirect(LOGIN_PATH + "?" + urlencode({"lang": lang}))
        account = self.account()
        if account is not None:
            self.accounts.record("logout", user=account.name, role=account.role)
        if flask.session.get("sid"):
            self.accounts.end_session(flask.session["sid"])
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect(LOGIN_PATH + "?" + urlencode({"lang": lang, "out": "1"}))

    def _login_page(self, lang: str, *, error: str = "", status: int = 200) -> tuple[str, int]:
        """The sign-in page: plain HTML on the app's own stylesheet, no script, both languages."""
        other = "en" if lang == "zh" else "zh"
        args = flask.request.args
        next_ = flask.request.form.get("next") or args.get("next") or ""
        switch = LOGIN_PATH + "?" + urlencode({"lang": other, **({"next": next_} if next_ else {})})
        notice = ""
        if error:
            notice = f'<div class="alert alert-danger" role="alert">{html.escape(error)}</div>'
        elif args.get("out"):
            words = html.escape(t("access.signed_out", lang))
            notice = f'<div class="alert alert-info" role="status">{words}</div>'
        e = html.escape
        form = LOGIN_FORM.format(
            intro=e(t("access.login_intro", lang)),
            notice=notice,
            username=e(t("access.username", lang)),
            typed=e((flask.request.form.get("username") or "")[:64]),
            password=e(t("access.password", lang)),
            submit=e(t("access.sign_in", lang)),
            csrf=e(generate_csrf()),
            next=e(next_),
            lang=e(lang),
            login=LOGIN_PATH,
        )
        page = plain_page(
            lang,
            title=t("access.login_title", lang),
            main=form,
            switch_href=switch,
            body_class="cg-login",
            main_class="cg-login-box",
        )
        return page, status


LOGIN_FORM = """<p class="text-muted">{intro}</p>
{notice}
<form method="post" action="{login}" autocomplete="on">
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3">
<label class="form-label" for="username">{username}</label>
<input class="form-control form-control-lg" id="username" name="username" autocomplete="username"
 autocapitalize="none" spellcheck="false" value="{typed}" required autofocus>
</div>
<div class="mb-3">
<label class="form-label" for="password">{password}</label>
<input class="form-control form-control-lg" id="password" name="password" type="password"
 autocomplete="current-password" required>
</div>
<button class="btn btn-primary btn-lg" type="submit">{submit}</button>
</form>"""


class _TrustedProxyFix:
    """werkzeug's ProxyFix for X-Forwarded-Proto and -Host, applied only to requests from a
    trusted proxy (anyone else could claim HTTPS or another host)."""

    def __init__(self, app, proxies: tuple[str, ...]) -> None:
        self.plain = app
        self.fixed = ProxyFix(app, x_for=0, x_proto=1, x_host=1)
        self.proxies = proxies

    def __call__(self, environ, start_response):
        trusted = environ.get("REMOTE_ADDR") in self.proxies
        return (self.fixed if trusted else self.plain)(environ, start_response)


def _peer(request: flask.Request) -> str:
    """The socket peer's address (ProxyFix here never rewrites it)."""
    return request.environ.get("REMOTE_ADDR", "")


def _wants_page(path: str) -> bool:
    """A browser navigation to a page (not a callback, a component file or the API)."""
    return not path.startswith(("/_dash-", "/api/", "/_reload-hash"))


def _safe_next(target: str | None, lang: str) -> str:
    """Where to go after sign-in: a path on this site only (never //host or a scheme)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/?" + urlencode({"lang": lang})


def _plain(text: str, status: int) -> flask.Response:
    response = flask.make_response(text, status)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return response


def scope_of_request(auth: Auth | None, con: object) -> Scope:
    """The scope of the current request's caller in the dataset `con` reads (views.access)."""
    if auth is None:
        return scope.FULL
    role, name, stations, areas = auth.caller()
    return access.scope_for(con, role, name, stations, areas)
