"""Component ids, defined once: a typo here is an import error, not a silently dead callback."""

URL = "url"
ROOT = "root"
QUERY = "query"  # the current view state as a URL query string
HISTORY_SINK = "history-sink"
NAV = "nav"
LANG_LINK = "lang-link"

REGION = "filter-region"
PERIOD = "filter-period"
AGE = "filter-age"
SEX = "filter-sex"
THRESHOLD = "filter-threshold"
MIN_N = "filter-min-n"
MIN_N_NOTE = "filter-min-n-note"  # says when a minimum n below the deployment's floor was raised
#: Says when the delivery period does not cover the survey's "last 12 months" (views.period),
#: with its text and the button that aligns the period in one click.
PERIOD_NOTICE = "filter-period-notice"
PERIOD_NOTICE_TEXT = "filter-period-notice-text"
ALIGN_PERIOD = "filter-align-period"
SETTINGS_TOGGLE = "settings-toggle"
SETTINGS = "settings"

DOWNLOAD = "download"

#: The briefing kept in the browser (localStorage): a Briefing's JSON, views only.
BRIEFING = "briefing-store"
ADD_TO_BRIEFING = "add-to-briefing"
ADD_STATUS = "add-to-briefing-status"
#: Where the browser remembers the last view shown (the briefing's "leave" goes back to it).
LAST_VIEW_KEY = "cg-last-view"


def state(key: str) -> dict[str, str]:
    """A page control whose `value` is part of the URL state (e.g. the map's measure)."""
    return {"role": "state", "key": key}


def state_store(key: str) -> dict[str, str]:
    """A store whose `data` is part of the URL state (e.g. the district drilled into)."""
    return {"role": "state-store", "key": key}


def download(chart: str, fmt: str) -> dict[str, str]:
    return {"role": "download", "chart": chart, "fmt": fmt}


def chart(name: str) -> str:
    return f"chart-{name}"


SIGN_OUT = "sign-out"
