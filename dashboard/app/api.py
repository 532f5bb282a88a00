"""`/api/v1`: the contract's reports as JSON, for scripts, under the same sign-in, scope and gate.

Each table route answers `{"columns": [...], "rows": [[...], ...]}` with exactly the columns and
values `caregap report … --format json` prints (the same data functions, `withheld_as_text`,
`report.records`), for the caller's scope: a station token gets its catchment's and benchmark
rows only. Sign-in is the session cookie or `Authorization: Bearer TOKEN`; without either 401
(dashboard.app.auth), outside the scope 403 with "not in your area", a parameter that cannot be
used 400 with a sentence saying which and why.

The routes and their parameters are declared once (ROUTES); the parser checks requests against
them and the OpenAPI document at /api/v1/openapi.json is generated from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import flask
import pandas as pd

from dashboard import data, disclosure, scope
from dashboard.app.context import AppContext
from dashboard.ingest.importer import CONTRACT_VERSION
from dashboard.ingest.schema import AGE_GROUPS, LEVELS
from dashboard.report import records, withheld_as_text
from dashboard.scope import OutOfScope

PREFIX = "/api/v1"


class BadParameter(ValueError):
    """A query parameter that cannot be used (the message says which and why)."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "string" | "integer" | "date" | "boolean"
    description: str
    choices: tuple[str, ...] = ()
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, raw: str) -> object:
        if self.choices and raw not in self.choices:
            raise BadParameter(f"{self.name} must be one of {', '.join(self.choices)}, not {raw!r}")
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise BadParameter(
                    f"{self.name} must be a date written YYYY-MM-DD, not {raw!r}"
                ) from None
        if self.kind == "integer":
            if not raw.isascii() or not raw.isdigit():
                raise BadParameter(f"{self.name} must be a whole number, not {raw!r}")
            value = int(raw)
            low = self.minimum if self.minimum is not None else value
            high = self.maximum if self.maximum is not None else value
            if not low <= value <= high:
                raise BadParameter(f"{self.name} must be {low}..{high}, not {value}")
            return value
        if self.kind == "boolean":
            if raw not in ("0", "1", "true", "false"):
                raise BadParameter(f"{self.name} must be 1 or 0, not {raw!r}")
            return raw in ("1", "true")
        return raw


def _level(levels: tuple[str, ...]) -> Param:
    return Param("level", "string", "The regions' level.", levels, required=True)


FROM = Param("from", "date", "First delivery date (YYYY-MM-DD); default: the records' first.")
TO = Param("to", "date", "Last delivery date (YYYY-MM-DD), inclusive; default: the records' last.")
THRESHOLD = Param(
    "threshold",
    "integer",
    "Need threshold T (an answer of T or more counts as needing the service).",
    minimum=data.THRESHOLDS.start,
    maximum=data.THRESHOLDS.stop - 1,
)
AGE = Param("age", "string", "Only respondents of this age group.", AGE_GROUPS)
SEX = Param("sex", "string", "Only respondents of this sex.", data.SEXES)
MIN_N = Param(
    "min_n",
    "integer",
    "Minimum n k; never below the server's floor (a lower one is raised to it).",
    minimum=data.MIN_N_RANGE.start,
    maximum=data.MIN_N_RANGE.stop - 1,
)
WITHIN = Param("within", "string", "Only the regions inside this region (a region_id).")
MONTHLY = Param("monthly", "boolean", "1: one row per station × month × service.")
SLICE = (FROM, TO, THRESHOLD, AGE, SEX, MIN_N)


@dataclass(frozen=True)
class Route:
    path: str
    summary: str
    params: tuple[Param, ...]
    answer: Callable[[object, dict[str, object]], object]
    #: a table of figures: only for callers who may download tables
    figures: bool = True


def _slice(args: dict[str, object]) -> data.Slice:
    return data.Slice(
        args.get("from"),  # type: ignore[arg-type]
        args.get("to"),  # type: ignore[arg-type]
        args.get("threshold", data.DEFAULT_THRESHOLD),  # type: ignore[arg-type]
        disclosure.effective_k(args.get("min_n")),  # type: ignore[arg-type]
        args.get("age"),  # type: ignore[arg-type]
        args.get("sex"),  # type: ignore[arg-type]
    )


def _meta(con, args) -> dict[str, object]:
    meta = data.dataset_meta(con)
    survey, deliveries = data.survey_period(con), data.delivery_period(con)

    def iso(day: object) -> str | None:
        return day.isoformat() if isinstance(day, dt.date) else None

    return {
        "api_version": "v1",
        "contract_version": meta.get("contract_version", CONTRACT_VERSION),
        "dataset": {k: v for k, v in meta.items() if k != "source_folder"},
        "survey_period": [iso(survey[0]), iso(survey[1])],
        "delivery_period": [iso(deliveries[0]), iso(deliveries[1])],
        "k": disclosure.floor(),
        "role": scope.of(con).role,
    }


def _regions(con, args) -> pd.DataFrame:
    caller = scope.of(con)
    tree = scope.rows(con, data.region_tree(con))
    for column in ("parent_id", "district_id"):  # a region outside the scope is not named
        tree[column] = tree[column].where(tree[column].map(caller.shows).astype(bool), None)
    columns = ["region_id", "name", "name_en", "level", "parent_id", "district_id"]
    return tree[[*columns, "elderly_population"]].rename(
        columns={"name": "region_name", "name_en": "region_name_en"}
    )


def _services(con, args) -> pd.DataFrame:
    bits = data.service_bits(con)
    zh, en = data.service_names(con, "zh"), data.service_names(con, "en")
    return pd.DataFrame(
        {
            "service_code": bits["service_code"],
            "category": bits["category"],
            "name": bits["service_code"].map(zh),
            "name_en": bits["service_code"].map(en),
        }
    )


def _gaps(con, args) -> pd.DataFrame:
    level, within = str(args["level"]), args.get("within")
    return data.gaps(con, level, _slice(args), within=within)  # type: ignore[arg-type]


def _unmet(con, args) -> pd.DataFrame:
    level, within = str(args["level"]), args.get("within")
    return data.unmet_cells(con, level, _slice(args), within=within)  # type: ignore[arg-type]


def _stations(con, args) -> pd.DataFrame:
    if args.get("monthly"):
        return data.stations_monthly(con, _slice(args))
    return data.stations_report(con, _slice(args))


ROUTES: tuple[Route, ...] = (
    Route(
        "/meta",
        "The dataset, contract version, periods and the server's floor k.",
        (),
        _meta,
        figures=False,
    ),
    Route("/regions", "The regions the caller may be shown.", (), _regions, figures=False),
    Route("/services", "The services, their categories and names.", (), _services, figures=False),
    Route(
        "/gaps",
        "Demand beside provision per region × service (`caregap report gaps`).",
        (_level(LEVELS), *SLICE, WITHIN),
        _gaps,
    ),
    Route(
        "/unmet",
        "Need × receipt per person: the 2×2 per region × service (`caregap report unmet`).",
        (_level(LEVELS), THRESHOLD, AGE, SEX, MIN_N, WITHIN),
        _unmet,
    ),
    Route(
        "/stations",
        "Each station × service: deliveries beside its catchment's needs"
        " (`caregap report stations`).",
        (*SLICE, MONTHLY),
        _stations,
    ),
)


def parse_args(route: Route, query: dict[str, str]) -> dict[str, object]:
    """The route's parameters from a query (BadParameter for an unknown, missing or bad one)."""
    known = {p.name: p for p in route.params}
    unknown = sorted(set(query) - known.keys())
    if unknown:
        allowed = ", ".join(known) or "none"
        raise BadParameter(f"unknown parameter {unknown[0]!r} (this route takes: {allowed})")
    args: dict[str, object] = {}
    for name, param in known.items():
        raw = query.get(name)
        if raw is None or raw == "":
            if param.required:
                raise BadParameter(f"{name} is required ({', '.join(param.choices)})")
            continue
        args[name] = param.parse(raw)
    start, end = args.get("from"), args.get("to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
        raise BadParameter("from must not be after to")
    return args


def as_table(frame: pd.DataFrame, k: int) -> dict[str, object]:
    """The report's JSON (withheld counts as "<k") as columns and rows."""
    out = withheld_as_text(frame, k)
    return {"columns": list(out.columns), "rows": [list(r.values()) for r in records(out)]}


def answer(con, route: Route, query: dict[str, str]) -> dict[str, object]:
    """What `route` answers to `query` for the caller `con` carries."""
    args = parse_args(route, query)
    if route.figures:
        scope.require_downloads(con)
    within = args.get("within")
    if isinstance(within, str):
        scope.require_region(con, within)
    result = route.answer(con, args)
    if isinstance(result, pd.DataFrame):
        return as_table(result, disclosure.effective_k(args.get("min_n")))  # type: ignore[arg-type]
    return result  # type: ignore[return-value]


def openapi() -> dict[str, object]:
    """The OpenAPI 3.1 document of ROUTES."""
    paths: dict[str, object] = {}
    for route in ROUTES:
        parameters = []
        for p in route.params:
            schema: dict[str, object] = {"type": "string" if p.kind == "date" else p.kind}
            if p.kind == "date":
                schema["format"] = "date"
            if p.kind == "boolean":
                schema = {"type": "integer", "enum": [0, 1]}
            if p.choices:
                schema["enum"] = list(p.choices)
            if p.minimum is not None:
                schema["minimum"] = p.minimum
            if p.maximum is not None:
                schema["maximum"] = p.maximum
            parameters.append(
                {
                    "name": p.name,
                    "in": "query",
                    "required": p.required,
                    "description": p.description,
                    "schema": schema,
                }
            )
        ok = {"type": "object"} if route.path == "/meta" else {"$ref": "#/components/schemas/Table"}
        paths[PREFIX + route.path] = {
            "get": {
                "summary": route.summary,
                "parameters": parameters,
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
                    "400": _error("A parameter cannot be used."),
                    "401": _error("Not signed in: no session and no valid token."),
                    "403": _error("Not in your area."),
                },
            }
        }
    paths[PREFIX + "/openapi.json"] = {
        "get": {"summary": "This document.", "responses": {"200": {"description": "OK"}}}
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "CareGap API", "version": "v1"},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "caregap_session"},
            },
            "schemas": {
                "Table": {
                    "type": "object",
                    "required": ["columns", "rows"],
                    "properties": {
                        "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {"type": "array"}},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
            },
        },
        "security": [{"bearer": []}, {"session": []}],
    }


def _error(text: str) -> dict[str, object]:
    return {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def register(server: flask.Flask, ctx: AppContext) -> None:
    """The API's routes on the app's Flask server."""
    blueprint = flask.Blueprint("caregap_api", __name__, url_prefix=PREFIX)

    def handler(route: Route):
        def view() -> tuple[flask.Response, int]:
            con = ctx.cursor()
            query = {k: v for k, v in flask.request.args.items()}
            try:
                body = answer(con, route, query)
            except BadParameter as error:
                return flask.jsonify(error=str(error)), 400
            except OutOfScope as error:
                if ctx.auth is not None:
                    ctx.auth.record("api_refused", flask.request.full_path, query.get("within", ""))
                return flask.jsonify(error=str(error)), 403
            if ctx.auth is not None:
                ctx.auth.record("api", flask.request.full_path, query.get("within", ""))
            return flask.jsonify(body), 200

        view.__name__ = "api_" + route.path.strip("/")
        return view

    for route in ROUTES:
        blueprint.add_url_rule(route.path, view_func=handler(route), methods=["GET"])
    blueprint.add_url_rule(
        "/openapi.json", "openapi", lambda: flask.jsonify(openapi()), methods=["GET"]
    )
    server.register_blueprint(blueprint)
    server.json.sort_keys = False  # type: ignore[attr-defined]  # the report's column order
