"""Attacks on the disclosure floor (issue 11): whoever views cannot lower k.

Each test tries one door an attacker has — the URL, Settings (including crafted values), a
crafted callback POST, a briefing file, the export's filters, the report's --min-n — on the demo
store at the default floor (10), and fails if any figure resting on fewer than 10 respondents
comes back.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import audit, data, disclosure
from dashboard.app.factory import create_app
from dashboard.briefing.slides import build_sequence, slide_for_view
from dashboard.views import overview, registry
from dashboard.views.state import from_query
from tests.conftest import download_frame, post_download
from tests.security.conftest import run_report

FLOOR = 10


def _no_small_figures(frame: pd.DataFrame) -> None:
    """Every rate shown rests on at least FLOOR respondents."""
    shown = frame[frame["demand_rate"].notna()]
    assert (shown["respondents_n"] >= FLOOR).all(), shown[["region_id", "respondents_n"]]


@pytest.mark.parametrize("value", ["1", " 1", "０１", "1.0", "-5", "0", "9"])
def test_a_url_or_settings_value_below_the_floor_is_raised_to_it(value: str) -> None:
    state = from_query(f"?lang=en&min_n={value}")
    assert state.min_n == FLOOR
    settings = from_query("?lang=en").updated({"min_n": value})
    assert settings.min_n == FLOOR
    assert settings.slice().min_n == FLOOR


def test_the_page_says_the_minimum_n_was_raised() -> None:
    from dashboard.app.filters import min_n_note

    state = from_query("?lang=en&min_n=1")
    assert state.min_n_raised and "raised to 10" in min_n_note(state)
    # the page's controls then show 10: the note stays while the person works
    synced = state.updated({"min_n": 10, "sex": "F"})
    assert synced.min_n == FLOOR and "raised to 10" in min_n_note(synced)
    assert min_n_note(from_query("?lang=en&min_n=25")) == ""
    assert from_query("?lang=en&min_n=25").min_n == 25  # raising is allowed


def test_a_small_slice_in_the_url_shows_no_figure_below_the_floor(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    state = from_query(small_cell + "&min_n=1")
    frame = overview.services_frame(demo_con, state)
    assert frame["suppressed"].all()
    _no_small_figures(frame)
    for threshold in range(1, 6):  # stepping the threshold recovers nothing either
        stepped = overview.services_frame(demo_con, state.with_(threshold=threshold))
        assert stepped["demand_rate"].isna().all()


def test_the_gate_clamps_any_caller_to_the_floor(demo_con: duckdb.DuckDBPyConnection) -> None:
    frame = data.gap_table(demo_con, "grid", data.Slice(min_n=1, age_group="80+", sex="M"))
    assert (frame["respondents_n"] < FLOOR).any()  # the attacker's cells exist …
    _no_small_figures(frame)  # … and none is shown
    assert disclosure.effective_k(1) == FLOOR


def test_a_crafted_download_post_with_min_n_1_gets_the_floor(
    demo_db: Path, small_cell: str
) -> None:
    client = create_app(demo_db, "en").server.test_client()
    _name, content = post_download(client, "dumbbell", "csv", "/" + small_cell + "&min_n=1")
    head, frame = download_frame(content)
    assert "\nMinimum n (smaller cells suppressed),10\n" in head
    _no_small_figures(frame)


def test_a_briefing_file_or_export_filters_asking_min_n_1_get_the_floor(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    slide = slide_for_view(demo_con, "/", small_cell + "&min_n=1", "en")
    assert "under 10 respondents hidden" in slide.filters
    slides, _skipped = build_sequence(demo_con, small_cell.lstrip("?") + "&min_n=1", "en")
    assert slides and all("under 10 respondents hidden" in s.filters for s in slides)
    assert all("n = 1 " not in s.n_text for s in slides)


def test_every_registry_frame_at_min_n_1_hides_small_figures(
    demo_con: duckdb.DuckDBPyConnection, small_cell: str
) -> None:
    state = from_query(small_cell + "&min_n=1")
    for name in ("dumbbell", "map_area", "group_heatmap"):
        frame = registry.frame(demo_con, name, state)
        _no_small_figures(frame)


# -- the report: the custodian's choice, recorded ------------------------------------------------


def test_the_report_refuses_a_minimum_n_below_the_floor(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db.read_bytes())
    refused = run_report(db, "gaps", "--level", "district", "--min-n", "3")
    assert refused.returncode == 2
    assert "below this deployment's floor of 10" in refused.stderr
    assert refused.stdout == ""
    stricter = run_report(db, "gaps", "--level", "district", "--min-n", "3", floor="2")
    assert stricter.returncode == 0  # a deployment whose custodian set the floor to 2
    assert run_report(db, "unmet", "--level", "city", "--min-n", "9", floor="20").returncode == 2
    assert run_report(db, "tables", "--min-n", "1").returncode == 2
    assert audit.report_history(db) == []


def test_unsafe_small_cells_is_the_custodians_choice_and_is_recorded(
    demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db.read_bytes())
    args = ("--level", "grid", "--age", "80+", "--sex", "M", "--min-n", "1")
    proc = run_report(db, "gaps", *args, "--unsafe-small-cells", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert any(r["demand_rate"] is not None and r["respondents_n"] < 10 for r in rows)
    [entry] = audit.report_history(db)
    assert entry["command"] == "report gaps" and entry["min_n"] == 1 and entry["floor"] == 10


def test_the_report_takes_the_views_filters_and_the_same_gate(
    demo_db: Path, demo_con: duckdb.DuckDBPyConnection
) -> None:
    proc = run_report(
        demo_db, "gaps", "--level", "district", "--age", "80+", "--sex", "F", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    printed = {(r["region_id"], r["service_code"]): r for r in json.loads(proc.stdout)}
    screen = data.gaps(demo_con, "district", from_query("?age=80%2B&sex=F").slice())
    assert len(printed) == len(screen)
    for row in screen.itertuples():
        got = printed[(row.region_id, row.service_code)]
        if pd.isna(row.respondents_n):  # withheld by the gate: the string "<k", never a value
            assert got["respondents_n"] == "<10"
        else:
            assert got["respondents_n"] == row.respondents_n
        assert got["suppressed"] == bool(row.suppressed)
        if pd.isna(row.demand_rate):
            assert got["demand_rate"] is None
        else:
            assert got["demand_rate"] == pytest.approx(row.demand_rate)
    unmet = run_report(demo_db, "unmet", "--level", "city", "--age", "70-79", "--sex", "M")
    assert unmet.returncode == 0, unmet.stderr
