"""Differencing attacks (issue 11, part 3): no set of published figures isolates 1…k−1 people.

An attacker collects every row the report publishes — every level × age group × sex, for every
service — and subtracts. Each published row is the sum of its respondents' answers, so what can
be computed is any linear combination of published rows; `differencing.exposed` tests exactly
whether a group's sum is one. The groups tried are every cell (area × age group × sex) and every
finest cell (grid × age group × sex) with 1…k−1 respondents who answered the service, counted
here from the generated rows, not from the store.

The dataset is not the demo: another city, weights all 1 (so a share times its n is a count),
grids of 3–30 respondents, some answers missing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard import data, disclosure, sql
from dashboard.cli import main
from dashboard.ingest.importer import import_dataset
from tests.contract.builders import write_dataset
from tests.security.differencing import exposed

K = 10
AGES = ("60-69", "70-79", "80+")
SERVICES = ("visit", "check", "talk")
LEVELS = ("city", "district", "street", "community", "grid")


def _riverton(seed: int = 11) -> dict:
    """Riverton: 2 districts × 2 streets × 2 communities × 3–4 grids of 3–30 respondents."""
    rng = random.Random(seed)
    regions = [{"region_id": "RV", "parent_id": "", "level": "city", "name": "Riverton"}]
    respondents, needs = [], []
    for d in range(2):
        district = f"RV-D{d}"
        regions.append(
            {"region_id": district, "parent_id": "RV", "level": "district", "name": f"District {d}"}
        )
        for s in range(2):
            street = f"{district}-S{s}"
            regions.append(
                {
                    "region_id": street,
                    "parent_id": district,
                    "level": "street",
                    "name": f"Street {d}.{s}",
                }
            )
            for c in range(2):
                community = f"{street}-C{c}"
                regions.append(
                    {
                        "region_id": community,
                        "parent_id": street,
                        "level": "community",
                        "name": f"Community {d}.{s}.{c}",
                    }
                )
                for g in range(rng.randint(3, 4)):
                    grid = f"{community}-G{g}"
                    regions.append(
                        {
                            "region_id": grid,
                            "parent_id": community,
                            "level": "grid",
                            "name": f"Grid {d}.{s}.{c}.{g}",
                        }
                    )
                    for _ in range(rng.randint(3, 30)):
                        rid = f"r{len(respondents):04d}"
                        respondents.append(
                            {
                                "respondent_id": rid,
                                "region_id": grid,
                                "sex": rng.choice("MF"),
                                "age": str(rng.randint(60, 95)),
                            }
                        )
                        for service in SERVICES:
                            if rng.random() < 0.04:
                                continue  # not answered
                            needs.append(
                                {
                                    "respondent_id": rid,
                                    "service_code": service,
                                    "need": str(rng.randint(1, 5)),
                                    "received": rng.choice(["true", "false", "true", ""]),
                                }
                            )
    services = [{"service_code": s, "category": "health_education", "name": s} for s in SERVICES]
    deliveries = [
        {
            "region_id": r["region_id"],
            "service_code": rng.choice(SERVICES),
            "delivered_on": f"2024-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}",
            "quantity": "1",
        }
        for r in regions
        if r["level"] == "grid"
    ]
    return {
        "regions": regions,
        "services": services,
        "respondents": respondents,
        "needs": needs,
        "deliveries": deliveries,
    }


def _age_group(age: int) -> str:
    return "60-69" if age < 70 else "70-79" if age < 80 else "80+"


@pytest.fixture(scope="module")
def riverton(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tables = _riverton()
    folder = write_dataset(tmp_path_factory.mktemp("riverton"), tables)
    db = tmp_path_factory.mktemp("riverton-store") / "caregap.duckdb"
    import_dataset(folder, db)
    return db, tables


def _report(db: Path, command: str, level: str, age: str | None, sex: str | None) -> list[dict]:
    args = ["report", command, "--level", level, "--format", "json", "--db", str(db)]
    args += ["--age", age] if age else []
    args += ["--sex", sex] if sex else []
    result = CliRunner().invoke(main, args, env={"CAREGAP_MIN_N": str(K)})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _slices() -> list[tuple[str | None, str | None]]:
    return [(a, s) for a in (None, *AGES) for s in (None, "M", "F")]


@pytest.fixture(scope="module")
def published_rows(
    riverton: tuple[Path, dict],
) -> list[tuple[str, str, str | None, str | None, dict]]:
    """Every row `report gaps` and `report unmet` publish, for every level × age × sex."""
    db, _ = riverton
    rows = []
    for command in ("gaps", "unmet"):
        for level in LEVELS:
            for age, sex in _slices():
                for row in _report(db, command, level, age, sex):
                    rows.append((command, level, age, sex, row))
    return rows


def _counts(row: dict) -> dict[str, object]:
    return {c: v for c, v in row.items() if c.endswith("_n") or c in ("n",)}


def test_no_count_column_of_any_report_row_holds_1_to_k_minus_1(published_rows) -> None:
    small = []
    for command, level, age, sex, row in published_rows:
        for column, value in _counts(row).items():
            if isinstance(value, int | float) and 0 < value < K:
                small.append((command, level, age, sex, row.get("region_id"), column, value))
    assert not small, small[:10]


def _truth(tables: dict) -> tuple[dict, dict, dict]:
    """From the generated rows: each respondent's place and, per service, who answered it and
    who also said whether they received it."""
    parent = {r["region_id"]: r["parent_id"] for r in tables["regions"]}
    person = {
        p["respondent_id"]: (p["region_id"], _age_group(int(p["age"])), p["sex"])
        for p in tables["respondents"]
    }
    answered: dict[str, Counter] = {s: Counter() for s in SERVICES}
    received: dict[str, Counter] = {s: Counter() for s in SERVICES}
    for n in tables["needs"]:
        answered[n["service_code"]][person[n["respondent_id"]]] += 1
        if n["received"]:
            received[n["service_code"]][person[n["respondent_id"]]] += 1
    return parent, answered, received


def _areas_of(grid: str, parent: dict) -> list[str]:
    found = [grid]
    while parent.get(found[-1]):
        found.append(parent[found[-1]])
    return found


def _shows_answers(command: str, row: dict) -> bool:
    return command == "gaps" and not row["suppressed"]


def _shows_receipts(command: str, row: dict) -> bool:
    if command == "gaps":
        return row["received_rate"] is not None
    return not row["suppressed"]  # a 2×2 cell: its base is who said whether they received it


@pytest.mark.parametrize("base", ["answered", "received"])
def test_differencing_every_published_row_isolates_no_group_below_k(
    riverton: tuple[Path, dict], published_rows, base: str
) -> None:
    """Rows showing a service's answers (its demand) in the base of who answered it; rows
    showing receipts (received_rate, the 2×2) in the base of who said whether they received it."""
    _, tables = riverton
    parent, answered, received = _truth(tables)
    counted, shows = (
        (answered, _shows_answers) if base == "answered" else (received, _shows_receipts)
    )
    for service in SERVICES:
        atoms = sorted(a for a, n in counted[service].items() if n > 0)
        index = {a: i for i, a in enumerate(atoms)}
        cell_atoms: dict[tuple, list] = {}
        for atom in atoms:
            grid, age, sex = atom
            for area in _areas_of(grid, parent):
                for a in (age, None):
                    for s in (sex, None):
                        cell_atoms.setdefault((area, a, s), []).append(atom)
        published = {
            (row["region_id"], age, sex)
            for command, _, age, sex, row in published_rows
            if row["service_code"] == service and shows(command, row)
        }
        published &= set(cell_atoms)
        size = {c: sum(counted[service][a] for a in members) for c, members in cell_atoms.items()}
        candidates = {str(c): m for c, m in cell_atoms.items() if 0 < size[c] < K}
        candidates |= {f"atom {a}": [a] for a in atoms if counted[service][a] < K}
        assert candidates, "the dataset has no small group to attack"
        found = exposed(published, candidates, index, cell_atoms)
        assert not found, (service, found[:10])


def test_the_rule_costs_small_areas_not_large_ones(published_rows) -> None:
    """The city, districts and streets (60+ respondents each) keep every all-ages, all-sexes
    row; only communities and grids lose rows."""
    for command, level, age, sex, row in published_rows:
        if command == "gaps" and age is None and sex is None and level in LEVELS[:3]:
            assert not row["suppressed"], row


def test_the_issues_attacks_fail_on_the_demo(demo_con) -> None:
    """All sexes minus men, all ages minus the other age groups, a community minus its other
    grids: wherever the whole is shown and the part is not, what is left is k or more."""
    k = disclosure.effective_k(K)
    for level in ("community", "grid"):
        frames = {
            (age, sex): data.gap_table(demo_con, level, data.Slice(age_group=age, sex=sex))
            for age, sex in _slices()
        }
        whole = frames[(None, None)].set_index(["region_id", "item_code"])
        for (age, sex), frame in frames.items():
            if age is None and sex is None:
                continue
            part = frame.set_index(["region_id", "item_code"])
            hidden = part["suppressed"]
            # a shown part beside its shown whole: the people it leaves out are 0 or ≥ k
            both = ~hidden & ~whole["suppressed"].reindex(part.index)
            left = (whole["respondents_n"].reindex(part.index) - part["respondents_n"])[both]
            assert ((left == 0) | (left >= k)).all(), left[(left > 0) & (left < k)].head()


def test_the_pattern_is_one_for_every_service_threshold_and_period(demo_con) -> None:
    """Thresholds and periods open no path around the rule: the cells shown do not move."""

    def closed(slice_: data.Slice) -> set:
        frame = data.gap_table(demo_con, "grid", slice_)
        return set(frame.loc[frame["suppressed"], "region_id"])

    base = closed(data.Slice(sex="F"))
    assert base
    for threshold in (1, 3, 5):
        assert closed(data.Slice(sex="F", threshold=threshold)) == base
    period = data.Slice(sex="F", start=dt.date(2024, 3, 1))
    assert closed(period) == base


@pytest.mark.parametrize("base", ["people", "answered:", "received:"])
def test_the_rule_holds_on_the_demo_store_for_every_district(demo_con, base: str) -> None:
    """The exact audit over the demo's own cells, in one base (everyone; who answered the first
    service; who also said whether they received it): no small cell or grid × age × sex is
    computable from the cells the pattern publishes in that base."""
    from tests.security.differencing import atoms_of, members

    found = sql.run(demo_con, "disclosure_atoms", {"group": None})
    parents = sql.run(demo_con, "region_parents")
    if base.endswith(":"):
        base = sorted(b for b in set(found["base"]) if b.startswith(base))[0]
    pattern = disclosure.pattern(found, parents, K).in_base(base)
    atoms = atoms_of(found, parents, base)
    cell_atoms = members(parents, atoms)
    size = {cell: sum(atoms[a] for a in inside) for cell, inside in cell_atoms.items()}
    tree = data.region_tree(demo_con)
    district = dict(zip(tree["region_id"], tree["district_id"], strict=True))
    level = dict(zip(tree["region_id"], tree["level"], strict=True))
    # with every city and district cell shown, each district can be audited on its own (the
    # city's cells are sums of the districts'); otherwise the store is audited as one
    split = all(ok for c, ok in pattern.items() if level[c[0]] in ("city", "district"))
    part_of = (lambda region: district.get(region)) if split else (lambda region: "all")
    for d in sorted({part_of(a[0].removeprefix("own:")) for a in atoms}):
        inside = [a for a in atoms if part_of(a[0].removeprefix("own:")) == d]
        index = {a: i for i, a in enumerate(inside)}
        shown = [c for c, ok in pattern.items() if ok and part_of(c[0]) == d and c in cell_atoms]
        candidates = {
            str(c): cell_atoms[c]
            for c, ok in pattern.items()
            if not ok and part_of(c[0]) == d and 0 < size.get(c, 0) < K
        }
        candidates |= {f"atom {a}": [a] for a in inside if 0 < atoms[a] < K}
        assert candidates
        assert not exposed(shown, candidates, index, cell_atoms), d
