"""The attacker's audit with stations: a catchment is a set of grids that need not be an area
(it may take grids of two communities), so its published figures could be subtracted from the
areas' to isolate a small group. Riverton (tests/security/test_differencing.py) gets stations
whose listed catchments cross communities, and one with the default catchment; every row that
`report gaps` (every level) and `report stations` publish, for every age group × sex, is an
equation the attacker holds, and no group below k may lie in their span."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import main
from tests.contract.builders import import_dataset, write_dataset
from tests.security.differencing import exposed
from tests.security.test_differencing import (
    AGES,
    LEVELS,
    SERVICES,
    K,
    _areas_of,
    _riverton,
    _shows_answers,
    _slices,
    _truth,
)


def _with_stations(tables: dict, seed: int = 5) -> dict:
    """Two stations per street: A takes community C0's grids and C1's first grid, B the rest
    of C1's; plus one station per district on its first community with no catchment rows."""
    rng = random.Random(seed)
    grids: dict[str, list[str]] = {}
    for r in tables["regions"]:
        if r["level"] == "grid":
            grids.setdefault(r["parent_id"], []).append(r["region_id"])
    stations, catchments, deliveries = [], [], []
    streets = [r["region_id"] for r in tables["regions"] if r["level"] == "street"]
    for street in streets:
        c0, c1 = grids[f"{street}-C0"], grids[f"{street}-C1"]
        for name, members in (("A", [*c0, c1[0]]), ("B", c1[1:])):
            station = f"ST-{street}-{name}"
            stations.append({"station_id": station, "name": station, "region_id": street})
            catchments += [{"station_id": station, "region_id": g} for g in members]
            deliveries += [
                {
                    "station_id": station,
                    "region_id": rng.choice(members),
                    "service_code": rng.choice(SERVICES),
                    "delivered_on": "2024-02-1" + str(rng.randint(0, 9)),
                    "quantity": "1",
                }
                for _ in range(3)
            ]
    for district in ("RV-D0", "RV-D1"):
        stations.append(
            {"station_id": f"ST-{district}", "name": district, "region_id": f"{district}-S0-C0"}
        )
    return {
        **tables,
        "stations": stations,
        "catchments": catchments,
        "deliveries": tables["deliveries"] + deliveries,
    }


@pytest.fixture(scope="module")
def riverton_stations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tables = _with_stations(_riverton())
    folder = write_dataset(tmp_path_factory.mktemp("riverton-stations"), tables)
    db = tmp_path_factory.mktemp("riverton-stations-store") / "caregap.duckdb"
    proc = import_dataset(folder, db)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db, tables


def _run(db: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(
        main, [*args, "--format", "json", "--db", str(db)], env={"CAREGAP_MIN_N": str(K)}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _slice_args(age: str | None, sex: str | None) -> list[str]:
    return [*(["--age", age] if age else []), *(["--sex", sex] if sex else [])]


@pytest.fixture(scope="module")
def published(riverton_stations) -> list[tuple[str, str | None, str | None, dict]]:
    """(what, age, sex, row) for every row of `report gaps` at every level and of
    `report stations`, for every age group × sex."""
    db, _ = riverton_stations
    rows = []
    for age, sex in _slices():
        for level in LEVELS:
            for row in _run(db, "report", "gaps", "--level", level, *_slice_args(age, sex)):
                rows.append((row["region_id"], age, sex, row))
        for row in _run(db, "report", "stations", *_slice_args(age, sex)):
            rows.append((row["station_id"], age, sex, row))
    return rows


def test_station_rows_publish_no_count_below_k(published) -> None:
    small = [
        (what, age, sex, row["catchment_respondents_n"])
        for what, age, sex, row in published
        if "catchment_respondents_n" in row
        and isinstance(row["catchment_respondents_n"], int)
        and 0 < row["catchment_respondents_n"] < K
    ]
    assert not small, small[:10]


def test_some_catchment_figures_are_published_and_some_are_not(published) -> None:
    """The audit below has something to attack: station rows are shown for all ages, and the
    rule closes some (a catchment whose grids are not all publishable)."""
    station_rows = [row for what, _, _, row in published if "station_id" in row]
    shown = [r for r in station_rows if not r["suppressed"]]
    assert shown and len(shown) < len(station_rows)


def test_catchments_beside_areas_isolate_no_group_below_k(riverton_stations, published) -> None:
    _, tables = riverton_stations
    parent, answered, _ = _truth(tables)
    members: dict[str, set[str]] = {}
    listed = {c["station_id"] for c in tables["catchments"]}
    for c in tables["catchments"]:
        members.setdefault(c["station_id"], set()).add(c["region_id"])
    grids = [r["region_id"] for r in tables["regions"] if r["level"] == "grid"]
    for s in tables["stations"]:
        if s["station_id"] not in listed:  # the default: its region and everything below it
            members[s["station_id"]] = {g for g in grids if s["region_id"] in _areas_of(g, parent)}
    for service in SERVICES:
        atoms = sorted(a for a, n in answered[service].items() if n > 0)
        index = {a: i for i, a in enumerate(atoms)}
        cell_atoms: dict[tuple, list] = {}
        for atom in atoms:
            grid, age, sex = atom
            places = _areas_of(grid, parent) + [s for s, m in members.items() if grid in m]
            for place in places:
                for a in (age, None):
                    for s in (sex, None):
                        cell_atoms.setdefault((place, a, s), []).append(atom)
        shown = {
            (what, age, sex)
            for what, age, sex, row in published
            if row["service_code"] == service and _shows_answers("gaps", row)
        }
        shown &= set(cell_atoms)
        assert any(c[0].startswith("ST-") for c in shown)
        size = {c: sum(answered[service][a] for a in m) for c, m in cell_atoms.items()}
        candidates = {str(c): m for c, m in cell_atoms.items() if 0 < size[c] < K}
        candidates |= {f"atom {a}": [a] for a in atoms if answered[service][a] < K}
        found = exposed(shown, candidates, index, cell_atoms)
        assert not found, (service, found[:10])


@pytest.mark.parametrize("age", AGES)
def test_a_catchment_is_shown_only_when_each_area_it_is_made_of_is(
    riverton_stations, published, age: str
) -> None:
    """The rule behind the audit, stated plainly for the listed catchments: station A's row for
    a slice is shown only when its whole community C0 and its grid of C1 are; station B's only
    when each of its grids is (its community C1 is split, so the grids are the parts)."""
    _, tables = riverton_stations
    area_shown = {
        (what, row["service_code"])
        for what, a, sex, row in published
        if a == age and sex is None and "level" in row and not row["suppressed"]
    }
    grids: dict[str, list[str]] = {}
    for r in tables["regions"]:
        if r["level"] == "grid":
            grids.setdefault(r["parent_id"], []).append(r["region_id"])
    for street in (r["region_id"] for r in tables["regions"] if r["level"] == "street"):
        c1 = grids[f"{street}-C1"]
        made_of = {f"ST-{street}-A": [f"{street}-C0", c1[0]], f"ST-{street}-B": c1[1:]}
        for station, areas in made_of.items():
            for what, a, sex, row in published:
                if what == station and a == age and sex is None and not row["suppressed"]:
                    service = row["service_code"]
                    assert all((area, service) in area_shown for area in areas), (station, row)
