"""The view state carried in the URL, so that a copied link restores exactly what was on screen.

Every filter and choice lives here with its default; parsing is forgiving (an unknown value falls
back to the default rather than breaking the page) because URLs get hand-edited and truncated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from urllib.parse import parse_qs, urlencode

from dashboard import disclosure
from dashboard.data import (
    DEFAULT_MIN_N,
    DEFAULT_THRESHOLD,
    GROUP_COLUMNS,
    MIN_N_RANGE,
    SEXES,
    THRESHOLDS,
    Slice,
)
from dashboard.ingest.schema import AGE_GROUPS
from dashboard.views.ranking import DEFAULT_RANKING, RANKINGS

MEASURES = (
    "gap_pp",
    "demand_rate",
    "received_rate",
    "mix_gap_pp",
    "provision_per_1000",
    "bivariate",  # the map's need × provision in 3×3 classes (dashboard.figures.bivariate)
)
#: What the stations table ranks by (views.stations: the selected service's or category's, or
#: over every service where `item` is None) and how the monthly deliveries are broken down.
STATION_MEASURES = (
    "provision_count",
    "provision_per_1000",
    "mix_gap_pp",
    "demand_rate",
    "target_progress",
    "people_per_1000",
)
BREAKDOWNS = ("category", "service")


@dataclass(frozen=True)
class ViewState:
    """Everything a view needs to be redrawn the same way."""

    lang: str = "zh"
    region: str | None = None  # None: the whole dataset
    start: dt.date | None = None
    end: dt.date | None = None
    age: str | None = None
    sex: str | None = None
    threshold: int = DEFAULT_THRESHOLD
    min_n: int = DEFAULT_MIN_N
    # map
    measure: str = "gap_pp"
    item: str | None = None  # a service code or a category; None: the largest gap
    district: str | None = None  # drilled-into district on the map
    # groups
    dimension: str = "age_group"
    # stations (and the map's station layer)
    station: str | None = None  # the station looked at; None: none picked yet
    rank_by: str = "provision_count"  # what the stations table ranks by
    breakdown: str = "category"  # the monthly deliveries by category or by service
    gap_rank: str = DEFAULT_RANKING  # how ranked gaps are ordered (views.ranking.RANKINGS)
    stations_layer: bool = False  # the map draws the stations over the areas
    #: A minimum n asked for below the deployment's floor (the URL, Settings, a briefing file),
    #: kept only so the page can say it was raised; never part of the URL or of any figure.
    asked_min_n: int | None = field(default=None, compare=False)
    #: What the URL asked for that could not be used, as (parameter, value asked) pairs in the
    #: order parsed ("dates" for a reversed period: "start|end"), kept only so the page can say
    #: what it shows instead (dashboard.views.inputs); never part of the URL or of any figure.
    ignored: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # the floor belongs to the deployment: a lower minimum n is raised to it, from any source
        k = disclosure.effective_k(self.min_n)
        if k != self.min_n:
            object.__setattr__(self, "asked_min_n", self.min_n)
            object.__setattr__(self, "min_n", k)

    @property
    def min_n_raised(self) -> bool:
        """The state asked for a minimum n below the floor and was given the floor instead."""
        return self.asked_min_n is not None and self.asked_min_n < self.min_n

    def slice(self) -> Slice:
        return Slice(self.start, self.end, self.threshold, self.min_n, self.age, self.sex)

    def raw(self) -> dict[str, str]:
        """The state as URL parameters, leaving out defaults so links stay short."""
        default = ViewState()
        pairs = {}
        for f in fields(self):
            if f.name in ("asked_min_n", "ignored"):
                continue
            value = getattr(self, f.name)
            if value is not None and (value != getattr(default, f.name) or f.name == "lang"):
                pairs[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return pairs

    def to_query(self) -> str:
        """The URL query of this state ('?lang=zh&region=...')."""
        return "?" + urlencode(self.raw())

    def updated(self, changes: Mapping[str, object]) -> ViewState:
        """This state with some parameters replaced by control values (checked like a URL's).

        An empty value (None or "") clears the parameter back to its default.
        """
        raw: dict[str, str] = self.raw()
        for key, value in changes.items():
            text = (
                "" if value is None else str(value)[:10] if key in ("start", "end") else str(value)
            )
            if text:
                raw[key] = text
            else:
                raw.pop(key, None)
        new = parse(raw, self.lang)
        if self.min_n_raised and not new.min_n_raised and new.min_n == self.min_n:
            # the controls show the raised value: the request that was raised still stands
            new = replace(new, asked_min_n=self.asked_min_n)
        return new

    def with_(self, **changes: object) -> ViewState:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None, default: int, allowed: range) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        return default
    return value if value in allowed else default


def _choice(text: str | None, choices: tuple[str, ...], default: str | None) -> str | None:
    return text if text in choices else default


def from_query(search: str | None, default_lang: str = "zh") -> ViewState:
    """Parse a URL query ('?lang=en&region=...'); anything unknown or malformed is ignored."""
    return parse({k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}, default_lang)


def parse(raw: Mapping[str, str], default_lang: str = "zh") -> ViewState:
    """A state from URL parameters, each checked; bad values fall back to the default, and
    each one that did is listed in the state's `ignored` (a reversed period is swapped)."""
    default = ViewState(lang=default_lang)
    ignored: list[tuple[str, str]] = []

    def pick(key: str, value: object, fallback: object) -> object:
        """`value`, or `fallback` (noted as ignored) when the URL gave `key` and it was bad."""
        text = raw.get(key)
        if text not in (None, "") and value == fallback and text != str(fallback):
            ignored.append((key, str(text)))
        return value

    start = pick("start", _date(raw.get("start")), None)
    end = pick("end", _date(raw.get("end")), None)
    if start and end and start > end:
        ignored.append(("dates", f"{start}|{end}"))
        start, end = end, start
    lang = _choice(raw.get("lang"), ("zh", "en"), default.lang) or default.lang
    state = ViewState(
        lang=str(pick("lang", lang, default.lang)),
        region=raw.get("region") or None,
        start=start,
        end=end,
        age=pick("age", _choice(raw.get("age"), AGE_GROUPS, None), None),  # type: ignore[arg-type]
        sex=pick("sex", _choice(raw.get("sex"), SEXES, None), None),  # type: ignore[arg-type]
        threshold=pick(  # type: ignore[arg-type]
            "threshold",
            _int(raw.get("threshold"), default.threshold, THRESHOLDS),
            default.threshold,
        ),
        min_n=pick(  # type: ignore[arg-type]
            "min_n", _int(raw.get("min_n"), default.min_n, MIN_N_RANGE), default.min_n
        ),
        measure=pick(  # type: ignore[arg-type]
            "measure",
            _choice(raw.get("measure"), MEASURES, default.measure) or default.measure,
            default.measure,
        ),
        item=raw.get("item") or None,
        district=raw.get("district") or None,
        dimension=pick(  # type: ignore[arg-type]
            "dimension",
            _choice(raw.get("dimension"), GROUP_COLUMNS, default.dimension) or default.dimension,
            default.dimension,
        ),
        station=raw.get("station") or None,
        rank_by=pick(  # type: ignore[arg-type]
            "rank_by",
            _choice(raw.get("rank_by"), STATION_MEASURES, default.rank_by) or default.rank_by,
            default.rank_by,
        ),
        breakdown=pick(  # type: ignore[arg-type]
            "breakdown",
            _choice(raw.get("breakdown"), BREAKDOWNS, default.breakdown) or default.breakdown,
            default.breakdown,
        ),
        stations_layer=raw.get("stations_layer") in ("1", "true", "True"),
        gap_rank=pick(  # type: ignore[arg-type]
            "gap_rank",
            _choice(raw.get("gap_rank"), RANKINGS, default.gap_rank) or default.gap_rank,
            default.gap_rank,
        ),
    )
    return replace(state, ignored=tuple(ignored)) if ignored else state
