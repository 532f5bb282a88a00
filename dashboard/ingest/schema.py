"""The data contract (v1, with the v1.1 additions) as data: tables, columns, their kinds and rules.

Validation, the typed store tables and the data dictionary all read this one description, so a
column's rule is written once. Kinds name how a text cell is checked and converted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

LEVELS = ("city", "district", "street", "community", "grid")
ECON_TIERS = ("high", "middle", "low")
#: What a station's annual target counts (contract v1.1): services delivered, or distinct people.
TARGET_UNITS = ("services", "people")
AGE_GROUPS = ("<60", "60-69", "70-79", "80+")
IDENTIFYING_COLUMNS = ("name", "id_number", "phone", "address")
#: Respondent covariates the survey figures can be broken down by (see queries/gaps.sql).
GROUP_COLUMNS = (
    "age_group",
    "sex",
    "adl_level",
    "qol_grade",
    "education",
    "income_band",
    "payment_form",
    "living_arrangement",
    "occupation",
    "has_spouse",
    "chronic_disease",
    "psych_problem",
)
#: Covariates that are dimensions of the slice itself: their groups are cells of the main
#: disclosure pattern, which has no covariate.
SLICE_DIMENSIONS = ("age_group", "sex")
#: The need threshold T a view opens with (a Likert answer ≥ T counts as needing the service).
DEFAULT_THRESHOLD = 4
#: Tables about people, where identifying columns are refused.
PERSON_TABLES = ("respondents", "needs", "deliveries")

#: Every spelling of an identifying column that is refused (contract v1.1), by what it holds.
#: Headers are compared after `header_key`: trimmed, NFKC (full-width letters become ASCII),
#: case-folded, and spaces, hyphens and dots written as "_".
IDENTIFYING_SPELLINGS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full_name",
        "fullname",
        "first_name",
        "last_name",
        "surname",
        "given_name",
        "姓名",
        "名字",
        "真实姓名",
    ),
    "id_number": (
        "id_number",
        "id_card",
        "id_no",
        "idcard",
        "id_card_number",
        "id_card_no",
        "national_id",
        "identity_number",
        "身份证",
        "身份证号",
        "身份证号码",
        "证件号",
        "证件号码",
        "身份证件号码",
    ),
    "phone": (
        "phone",
        "mobile",
        "tel",
        "telephone",
        "phone_number",
        "mobile_number",
        "mobile_phone",
        "cellphone",
        "cell_phone",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "联系方式",
    ),
    "address": (
        "address",
        "home_address",
        "street_address",
        "住址",
        "地址",
        "家庭住址",
        "家庭地址",
        "居住地址",
        "现住址",
        "详细地址",
    ),
}
_IDENTIFYING_BY_KEY = {
    spelling: kind for kind, spellings in IDENTIFYING_SPELLINGS.items() for spelling in spellings
}
#: Contract columns that hold a person's key: values that look like ID or phone numbers are
#: refused there only when most values do (a code scheme may happen to look like one).
PERSON_KEY_COLUMNS = ("respondent_id", "recipient_key")
#: Contract columns whose values must be found in a table about places or services, never people.
REFERENCE_COLUMNS = ("region_id", "service_code", "station_id")
#: The longest name (region, service, station, category) accepted, in characters.
MAX_NAME_CHARS = 200


def header_key(header: str) -> str:
    """A header as compared with the identifying spellings: `Ｎａｍｅ `, `NAME`, `name` alike."""
    key = unicodedata.normalize("NFKC", str(header)).casefold().strip().strip(":*").strip()
    return re.sub(r"[\s\-.]+", "_", key)


def identifying_kind(header: str) -> str | None:
    """`name`, `id_number`, `phone` or `address` when the header names such a column."""
    return _IDENTIFYING_BY_KEY.get(header_key(header))


TRUE_WORDS = ("true", "1", "yes", "y", "t", "是")
FALSE_WORDS = ("false", "0", "no", "n", "f", "否")
MALE_WORDS = ("m", "male", "男")
FEMALE_WORDS = ("f", "female", "女")

ADL_ITEMS = tuple(f"adl_{i:02d}" for i in range(1, 15))
SF36_ITEMS = tuple(f"sf36_{i:02d}" for i in range(1, 37))


def sf36_range(item: int) -> tuple[int, int]:
    """Response range of SF-36 item 1..36 in the standard order (3a-3j: 1-3, 4a-5c: 1-2, ...)."""
    if 3 <= item <= 12:
        return (1, 3)
    if 13 <= item <= 19:
        return (1, 2)
    if item == 21 or 23 <= item <= 31:
        return (1, 6)
    return (1, 5)


@dataclass(frozen=True)
class Column:
    """One contract column.

    kind: text | code | id | int | number | date | bool | sex | enum
    sql_type: the DuckDB type stored.
    """

    name: str
    kind: str
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    description: str = ""
    #: a display name (shown on every page): at most MAX_NAME_CHARS, no control characters
    label: bool = False

    @property
    def sql_type(self) -> str:
        return {
            "int": "INTEGER",
            "number": "DOUBLE",
            "date": "DATE",
            "bool": "BOOLEAN",
        }.get(self.kind, "VARCHAR")


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    columns: tuple[Column, ...]
    description: str = ""
    extra_checks: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _count(name: str, description: str) -> Column:
    return Column(name, "int", lo=0, description=description)


REGIONS = Table(
    "regions",
    True,
    (
        Column("region_id", "id", required=True, description="unique code of the unit"),
        Column("parent_id", "text", description="the unit it belongs to; empty for the root"),
        Column("level", "enum", required=True, choices=LEVELS, description="administrative level"),
        Column("name", "text", description="display name", label=True),
        Column("name_en", "text", description="English name", label=True),
        _count("population", "resident population"),
        _count("households", "number of households"),
        _count("elderly_population", "residents aged 60 and over"),
        Column("econ_tier", "enum", choices=ECON_TIERS, description="economic tier"),
    ),
    "one administrative unit: city, district, street, community or grid",
)

SERVICES = Table(
    "services",
    True,
    (
        Column(
            "service_code",
            "code",
            required=True,
            pattern="[a-z0-9_]+",
            description="unique service code",
        ),
        Column("category", "text", required=True, description="service category", label=True),
        Column("name", "text", description="display name", label=True),
        Column("name_en", "text", description="English name", label=True),
        Column("sort_order", "int", description="order in lists"),
    ),
    "one service item in the catalog",
)

RESPONDENTS = Table(
    "respondents",
    True,
    (
        Column("respondent_id", "id", required=True, description="unique respondent code"),
        Column("region_id", "text", required=True, description="region lived in (normally a grid)"),
        Column("sex", "sex", required=True, description="M or F"),
        Column("age", "int", required=True, lo=0, hi=120, description="age in years"),
        Column("weight", "number", lo=0, lo_open=True, description="design weight (missing = 1)"),
        Column("stratum", "text", description="sampling stratum"),
        Column("psu", "text", description="primary sampling unit"),
        Column("surveyed_on", "date", description="interview date"),
        Column("occupation", "text", description="occupation"),
        Column("education", "text", description="education"),
        Column("income_band", "text", description="monthly income band"),
        Column("living_arrangement", "text", description="living arrangement"),
        Column("payment_form", "text", description="form of medical payment"),
        Column("has_spouse", "bool", description="has a spouse"),
        Column("chronic_disease", "bool", description="has a chronic disease"),
        Column("psych_problem", "bool", description="has a psychological problem"),
        *(
            Column(c, "int", lo=1, hi=4, description=f"ADL item {i + 1} (1-4)")
            for i, c in enumerate(ADL_ITEMS)
        ),
        *(
            Column(
                c,
                "int",
                lo=sf36_range(i + 1)[0],
                hi=sf36_range(i + 1)[1],
                description=f"SF-36 item {i + 1}",
            )
            for i, c in enumerate(SF36_ITEMS)
        ),
    ),
    "one survey respondent",
)

NEEDS = Table(
    "needs",
    True,
    (
        Column("respondent_id", "text", required=True, description="the respondent"),
        Column("service_code", "text", required=True, description="the service item"),
        Column(
            "need", "int", lo=1, hi=5, description="1 no need … 5 strong need (empty: no answer)"
        ),
        Column("received", "bool", description="received in the last 12 months"),
    ),
    "one respondent's answer on one service item",
)

STATIONS = Table(
    "stations",
    False,
    (
        Column("station_id", "id", required=True, description="unique station code"),
        Column("name", "text", description="station name", label=True),
        Column("name_en", "text", description="English name", label=True),
        Column("region_id", "text", required=True, description="region of the station"),
        Column("lon", "number", lo=-180, hi=180, description="longitude (WGS84)"),
        Column("lat", "number", lo=-90, hi=90, description="latitude (WGS84)"),
        _count("staff", "number of staff"),
    ),
    "one community health station",
)

DELIVERIES = Table(
    "deliveries",
    True,
    (
        Column("station_id", "text", description="the station that delivered"),
        Column("region_id", "text", required=True, description="region of the person served"),
        Column("service_code", "text", required=True, description="the service delivered"),
        Column("delivered_on", "date", required=True, description="date of the service"),
        Column("quantity", "int", lo=1, description="how many (missing = 1)"),
        Column("recipient_key", "text", description="pseudonymous person key"),
        Column("recipient_age", "int", lo=0, hi=120, description="age of the person served"),
    ),
    "one record of a service provided by a station",
)

CATCHMENTS = Table(
    "catchments",
    False,
    (
        Column("station_id", "text", required=True, description="the station responsible"),
        Column(
            "region_id",
            "text",
            required=True,
            description="a region in its catchment, with everything below it",
        ),
    ),
    "one region a station is responsible for (contract v1.1; needs stations)",
)

TARGETS = Table(
    "targets",
    False,
    (
        Column("station_id", "text", required=True, description="the station"),
        Column("service_code", "text", required=True, description="the service"),
        Column("year", "int", required=True, lo=2000, hi=2100, description="calendar year"),
        Column("target", "int", required=True, lo=1, description="the annual number to reach"),
        Column(
            "unit",
            "enum",
            choices=TARGET_UNITS,
            description="what is counted: services (default) or people",
        ),
    ),
    "one station's annual target for one service (contract v1.1; needs stations)",
)

#: Tables whose rows name stations, and so need a stations table (contract v1.1).
STATION_TABLES = ("catchments", "targets")

TABLES: tuple[Table, ...] = (
    REGIONS,
    SERVICES,
    RESPONDENTS,
    NEEDS,
    STATIONS,
    DELIVERIES,
    CATCHMENTS,
    TARGETS,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
BOUNDARIES_FILE = "boundaries.geojson"
READABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
