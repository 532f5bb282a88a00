"""`report gaps` figures on small datasets, checked against figures computed by hand.

The main dataset is drawn and tabulated in `builders.py` (see the comment above `main_tables`).
Short-hand used in the comments below: `w` weight, `Y`/`N` received yes/no, `-` received missing.
Every expected figure is written as the literal fraction of the hand-summed weights.

Contract (DATA_CONTRACT.md, Metrics), threshold T (default 4), k (default 10):
  demand_rate   = Σw[need ≥ T] / Σw                  over respondents who answered s
  received_rate = Σw[received] / Σw                   ... and whose `received` is present
  gap_pp        = 100 × (demand_rate − received_rate)
  unmet_rate    = Σw[need ≥ T ∧ ¬received] / Σw[need ≥ T]  over those whose `received` is present
  demand_share  = Σw[need ≥ T] for s / Σ over all services of Σw[need ≥ T]
  provision_*   = Σ quantity (missing = 1) in the subtree and period; share over all services
  mix_gap_pp    = 100 × (demand_share − provision_share)
"""

from __future__ import annotations

import pytest
from builders import (
    CITY,
    CONTRACT_COLUMNS,
    D1,
    D2,
    D3,
    D4,
    G1,
    G2,
    G3,
    G4,
    G5,
    JSON_COLUMNS,
    M1,
    S1,
    S3,
    SERVICES,
    SURVEY_FIGURES,
    by_key,
    check_row,
    import_ok,
    lakeford_tables,
    main_tables,
    report,
    report_csv,
    write_dataset,
)

K1 = ("--min-n", "1")  # show every figure that has at least one respondent


@pytest.fixture(scope="module")
def main_report(main_db):
    """Memoised `report gaps --format json` on the main database, keyed by (region, service)."""
    cache: dict = {}

    def get(level: str, *opts: str) -> dict:
        key = (level, *opts)
        if key not in cache:
            cache[key] = by_key(report(main_db, level, *opts))
        return cache[key]

    return get


@pytest.fixture(scope="module")
def lakeford_report(lakeford_db):
    cache: dict = {}

    def get(level: str, *opts: str) -> dict:
        key = (level, *opts)
        if key not in cache:
            cache[key] = report(lakeford_db, level, *opts)
        return cache[key]

    return get


def suppressed_row(row: dict) -> None:
    """A suppressed row: every survey figure missing, marked suppressed."""
    check_row(row, suppressed=True, **dict.fromkeys(SURVEY_FIGURES))


# --------------------------------------------------------------------------------------------------
# shape: one row per (region at LEVEL, service), every region and service, sorted
# --------------------------------------------------------------------------------------------------

LEVEL_REGIONS = {
    "city": [CITY],
    "district": [D1, D2, D3, D4],
    "street": [S1, S3],
    "community": [M1],
    "grid": [G1, G2, G3, G4, G5],
}


@pytest.mark.parametrize("level", list(LEVEL_REGIONS))
def test_one_row_per_region_and_service_sorted(main_db, level):
    rows = report(main_db, level, *K1)
    assert [(r["region_id"], r["service_code"]) for r in rows] == [
        (region, service) for region in LEVEL_REGIONS[level] for service in SERVICES
    ]
    tables = main_tables()
    names = {r["region_id"]: (r["name"], r["name_en"]) for r in tables["regions"]}
    categories = {s["service_code"]: s["category"] for s in tables["services"]}
    for row in rows:
        assert list(row) == JSON_COLUMNS
        assert row["level"] == level
        assert row["category"] == categories[row["service_code"]]
        # `region_name`: the contract does not say which of name / name_en; either is a name.
        assert row["region_name"] in names[row["region_id"]]
        assert isinstance(row["suppressed"], bool)
        assert isinstance(row["respondents_n"], int)
        assert isinstance(row["provision_count"], int | float)


# --------------------------------------------------------------------------------------------------
# city level: the whole dataset
# --------------------------------------------------------------------------------------------------


def test_city_all_figures(main_report):
    rows = main_report("city", *K1)
    # edu: all 11 answered. Σw = 2+1+3+1.5+0.5+1+2+1+1+4+1 = 18 (r02, r08 empty weight = 1)
    #   need ≥ 4: r01 2 + r03 3 + r05 0.5 + r06 1 + r08 1 + r09 1 + r11 1 = 9.5
    #   received Y (all 11 present): r01 2 + r04 1.5 + r06 1 + r08 1 + r10 4 + r11 1 = 10.5
    #   needers, not received: r03 3 + r05 0.5 + r09 1 = 4.5 of 9.5 (7 needers)
    # Σ needs over services = 9.5 (edu) + 10.5 (exam) + 7.5 (rehab) + 0 (psy) = 27.5
    # deliveries: edu 1 (d8, qty empty) + 3 + 1 + 2 = 7; exam 1 (d2 empty) + 4 = 5;
    #   rehab 2 + 5 = 7; psy 0; total 19
    check_row(
        rows[(CITY, "edu")],
        region_id=CITY,
        level="city",
        category="health_education",
        respondents_n=11,
        demand_rate=9.5 / 18,
        received_rate=10.5 / 18,
        gap_pp=100 * (9.5 / 18 - 10.5 / 18),
        unmet_rate=4.5 / 9.5,
        demand_share=9.5 / 27.5,
        provision_count=7,
        provision_share=7 / 19,
        mix_gap_pp=100 * (9.5 / 27.5 - 7 / 19),
        suppressed=False,
        received_n=11,
        unmet_n=7,
    )
    # exam: answered by r01 r02 r04 r06 r07 r08 r09 r10 r11 (r03 blank need, r05 no row) = 9
    #   Σw = 2+1+1.5+1+2+1+1+4+1 = 14.5
    #   need ≥ 4: r01 2 + r02 1 + r04 1.5 + r08 1 + r10 4 + r11 1 = 10.5
    #   received present: all but r02 -> Σw 13.5, 8 people; Y: r04 1.5 + r07 2 + r10 4 + r11 1 = 8.5
    #   needers with received: r01 N 2, r04 Y 1.5, r08 N 1, r10 Y 4, r11 Y 1 -> 3 of 9.5 (5)
    check_row(
        rows[(CITY, "exam")],
        category="physical_exam",
        respondents_n=9,
        demand_rate=10.5 / 14.5,
        received_rate=8.5 / 13.5,
        gap_pp=100 * (10.5 / 14.5 - 8.5 / 13.5),
        unmet_rate=3 / 9.5,
        demand_share=10.5 / 27.5,
        provision_count=5,
        provision_share=5 / 19,
        mix_gap_pp=100 * (10.5 / 27.5 - 5 / 19),
        suppressed=False,
        received_n=8,
        unmet_n=5,
    )
    # rehab: all 11 answered, Σw 18
    #   need ≥ 4: r03 3 + r05 0.5 + r07 2 + r08 1 + r11 1 = 7.5
    #   received present: all but r04 (1.5) and r08 (1) -> Σw 15.5, 9 people
    #   Y: r02 1 + r05 0.5 + r09 1 + r11 1 = 3.5
    #   needers with received: r03 N 3, r05 Y 0.5, r07 N 2, r11 Y 1 -> 5 of 6.5 (4)
    check_row(
        rows[(CITY, "rehab")],
        category="rehabilitation",
        respondents_n=11,
        demand_rate=7.5 / 18,
        received_rate=3.5 / 15.5,
        gap_pp=100 * (7.5 / 18 - 3.5 / 15.5),
        unmet_rate=5 / 6.5,
        demand_share=7.5 / 27.5,
        provision_count=7,
        provision_share=7 / 19,
        mix_gap_pp=100 * (7.5 / 27.5 - 7 / 19),
        suppressed=False,
        received_n=9,
        unmet_n=4,
    )
    # psy: nobody answered (r01's row has an empty need), nothing delivered; the slice has
    # deliveries, so its provision share is 0 / 19 = 0.
    check_row(
        rows[(CITY, "psy")],
        category="mental_health",
        respondents_n=0,
        provision_count=0,
        provision_share=0 / 19,
        received_n=0,
        unmet_n=0,
    )
    suppressed_row(rows[(CITY, "psy")])


def test_city_default_k_is_10_with_per_figure_suppression(main_report):
    rows = main_report("city")  # no --min-n: k = 10
    # edu: n 11 ≥ 10 shown; received_n 11 ≥ 10 shown; unmet_n 7 < 10 -> unmet_rate missing.
    # demand_share divides by every service's stated needs, exam's 9 answerers among them: it
    # would give exam's hidden need away, so the differencing rule (v1.1) hides it, and
    # mix_gap_pp with it (v1 showed 9.5 / 27.5)
    check_row(
        rows[(CITY, "edu")],
        respondents_n=11,
        suppressed=False,
        demand_rate=9.5 / 18,
        received_rate=10.5 / 18,
        gap_pp=100 * (9.5 / 18 - 10.5 / 18),
        unmet_rate=None,
        demand_share=None,
        provision_count=7,
        provision_share=7 / 19,
        mix_gap_pp=None,
    )
    # exam: n 9 < 10 -> the row is suppressed, its count withheld ("<10"); deliveries still given
    check_row(rows[(CITY, "exam")], respondents_n="<10", provision_count=5, provision_share=5 / 19)
    suppressed_row(rows[(CITY, "exam")])
    # rehab: n 11 shown; received_n 9 < 10 -> received_rate and gap_pp missing; unmet_n 4 missing.
    # Not suppressed as a row. demand_share still divides by all stated needs (27.5).
    check_row(
        rows[(CITY, "rehab")],
        respondents_n=11,
        suppressed=False,
        demand_rate=7.5 / 18,
        received_rate=None,
        gap_pp=None,
        unmet_rate=None,
        demand_share=None,  # as edu's
        provision_count=7,
        provision_share=7 / 19,
        mix_gap_pp=None,
        received_n="<10",  # 9 and 4: withheld, never printed
        unmet_n="<10",
    )
    suppressed_row(rows[(CITY, "psy")])


def test_threshold_3(main_report):
    rows = main_report("city", "--threshold", "3", *K1)
    # edu need ≥ 3: r01 2 + r02 1 + r03 3 + r05 0.5 + r06 1 + r08 1 + r09 1 + r10 4 + r11 1 = 14.5
    #   not received among them: r02 1 + r03 3 + r05 0.5 + r09 1 = 5.5 (9 needers)
    # exam need ≥ 3: r01 2 + r02 1 + r04 1.5 + r07 2 + r08 1 + r10 4 + r11 1 = 12.5
    #   with received (r02 has none): 12.5 - 1 = 11.5 (6 needers); not received r01 2 + r08 1 = 3
    # rehab need ≥ 3: r03 3 + r04 1.5 + r05 0.5 + r07 2 + r08 1 + r11 1 = 9
    #   with received (not r04, r08): r03 N 3, r05 Y 0.5, r07 N 2, r11 Y 1 -> 5 of 6.5 (4)
    # Σ needs = 14.5 + 12.5 + 9 = 36; received_rate does not depend on T.
    check_row(
        rows[(CITY, "edu")],
        demand_rate=14.5 / 18,
        received_rate=10.5 / 18,
        gap_pp=100 * (14.5 / 18 - 10.5 / 18),
        unmet_rate=5.5 / 14.5,
        demand_share=14.5 / 36,
        mix_gap_pp=100 * (14.5 / 36 - 7 / 19),
        unmet_n=9,
    )
    check_row(
        rows[(CITY, "exam")],
        demand_rate=12.5 / 14.5,
        received_rate=8.5 / 13.5,
        unmet_rate=3 / 11.5,
        demand_share=12.5 / 36,
        mix_gap_pp=100 * (12.5 / 36 - 5 / 19),
        unmet_n=6,
    )
    check_row(
        rows[(CITY, "rehab")],
        demand_rate=9 / 18,
        received_rate=3.5 / 15.5,
        gap_pp=100 * (9 / 18 - 3.5 / 15.5),
        unmet_rate=5 / 6.5,
        demand_share=9 / 36,
        unmet_n=4,
    )


def test_threshold_5(main_report):
    rows = main_report("city", "--threshold", "5", *K1)
    # edu need = 5: r01 2 + r05 0.5 + r08 1 + r11 1 = 4.5; not received: r05 0.5 (4 needers)
    # exam need = 5: r02 1 + r08 1 + r11 1 = 3; with received: r08 N 1, r11 Y 1 -> 1 of 2 (2)
    # rehab need = 5: r03 3 + r08 1 + r11 1 = 5; with received: r03 N 3, r11 Y 1 -> 3 of 4 (2)
    # Σ needs = 4.5 + 3 + 5 = 12.5
    check_row(
        rows[(CITY, "edu")],
        demand_rate=4.5 / 18,
        received_rate=10.5 / 18,
        unmet_rate=0.5 / 4.5,
        demand_share=4.5 / 12.5,
        unmet_n=4,
    )
    check_row(
        rows[(CITY, "exam")],
        demand_rate=3 / 14.5,
        gap_pp=100 * (3 / 14.5 - 8.5 / 13.5),
        unmet_rate=1 / 2,
        demand_share=3 / 12.5,
        unmet_n=2,
    )
    check_row(
        rows[(CITY, "rehab")],
        demand_rate=5 / 18,
        unmet_rate=3 / 4,
        demand_share=5 / 12.5,
        mix_gap_pp=100 * (5 / 12.5 - 7 / 19),
        unmet_n=2,
    )


def test_threshold_1_everyone_who_answered_needs(main_report):
    rows = main_report("city", "--threshold", "1", *K1)
    # every answer is ≥ 1: edu 18/18; exam 14.5/14.5; Σ needs = 18 + 14.5 + 18 = 50.5
    check_row(rows[(CITY, "edu")], demand_rate=18 / 18, demand_share=18 / 50.5)
    check_row(rows[(CITY, "exam")], demand_rate=14.5 / 14.5, demand_share=14.5 / 50.5)


# --------------------------------------------------------------------------------------------------
# districts: full hierarchy, grid right under a district, streets without communities, thin district
# --------------------------------------------------------------------------------------------------


def test_district_figures(main_report):
    rows = main_report("district", *K1)
    # D1 (潞州区): r01 2, r02 1, r03 3 (G1), r04 1.5, r05 0.5 (G2), r06 1 (the district itself)
    # edu: 6 answered, Σw 9; need: r01 2 + r03 3 + r05 0.5 + r06 1 = 6.5
    #   Y: r01 2 + r04 1.5 + r06 1 = 4.5; needers not received: r03 3 + r05 0.5 = 3.5 (4 needers)
    # exam: r01 (4 N 2), r02 (5 - 1), r04 (4 Y 1.5), r06 (1 N 1): 4, Σw 5.5; need 2+1+1.5 = 4.5
    #   with received: r01, r04, r06 -> 4.5, Y 1.5; needers with received: r01 N 2, r04 Y 1.5
    # rehab: 6, Σw 9; need r03 3 + r05 0.5 = 3.5; with received (not r04) 7.5, Y r02 1 + r05 0.5
    #   needers with received: r03 N 3, r05 Y 0.5 -> 3 of 3.5
    # Σ needs = 6.5 + 4.5 + 3.5 = 14.5
    # deliveries: edu d1 3 + d4 1 (district itself) = 4; exam d2 1; rehab d3 2; total 7
    check_row(
        rows[(D1, "edu")],
        level="district",
        respondents_n=6,
        demand_rate=6.5 / 9,
        received_rate=4.5 / 9,
        gap_pp=100 * (6.5 / 9 - 4.5 / 9),
        unmet_rate=3.5 / 6.5,
        demand_share=6.5 / 14.5,
        provision_count=4,
        provision_share=4 / 7,
        mix_gap_pp=100 * (6.5 / 14.5 - 4 / 7),
        suppressed=False,
        received_n=6,
        unmet_n=4,
    )
    check_row(
        rows[(D1, "exam")],
        respondents_n=4,
        demand_rate=4.5 / 5.5,
        received_rate=1.5 / 4.5,
        gap_pp=100 * (4.5 / 5.5 - 1.5 / 4.5),
        unmet_rate=2 / 3.5,
        demand_share=4.5 / 14.5,
        provision_count=1,
        provision_share=1 / 7,
        mix_gap_pp=100 * (4.5 / 14.5 - 1 / 7),
        received_n=3,
        unmet_n=2,
    )
    check_row(
        rows[(D1, "rehab")],
        respondents_n=6,
        demand_rate=3.5 / 9,
        received_rate=1.5 / 7.5,
        gap_pp=100 * (3.5 / 9 - 1.5 / 7.5),
        unmet_rate=3 / 3.5,
        demand_share=3.5 / 14.5,
        provision_count=2,
        provision_share=2 / 7,
        mix_gap_pp=100 * (3.5 / 14.5 - 2 / 7),
        received_n=5,
        unmet_n=2,
    )
    check_row(rows[(D1, "psy")], respondents_n=0, provision_count=0, provision_share=0 / 7)
    suppressed_row(rows[(D1, "psy")])

    # D2 (上党区, grid G3 right under it): r07 w2 (edu 1 N, exam 3 Y, rehab 4 N),
    #   r08 w1 (edu 5 Y, exam 5 N, rehab 5 -). Σw 3 for each service.
    # edu: need r08 1 -> 1/3; Y r08 1 -> 1/3; needers with received: r08 Y -> 0 of 1
    # exam: need r08 1 -> 1/3; Y r07 2 -> 2/3; needers: r08 N -> 1 of 1
    # rehab: need r07 2 + r08 1 = 3 -> 3/3; received only r07 (N) -> 0/2; needers: r07 N -> 2/2
    # Σ needs = 1 + 1 + 3 = 5; deliveries: edu d6 2, exam d5 4, rehab 0; total 6
    check_row(
        rows[(D2, "edu")],
        respondents_n=2,
        demand_rate=1 / 3,
        received_rate=1 / 3,
        gap_pp=0.0,
        unmet_rate=0 / 1,
        demand_share=1 / 5,
        provision_count=2,
        provision_share=2 / 6,
        mix_gap_pp=100 * (1 / 5 - 2 / 6),
        received_n=2,
        unmet_n=1,
    )
    check_row(
        rows[(D2, "exam")],
        demand_rate=1 / 3,
        received_rate=2 / 3,
        gap_pp=100 * (1 / 3 - 2 / 3),
        unmet_rate=1 / 1,
        demand_share=1 / 5,
        provision_count=4,
        provision_share=4 / 6,
        mix_gap_pp=100 * (1 / 5 - 4 / 6),
    )
    check_row(
        rows[(D2, "rehab")],
        respondents_n=2,
        demand_rate=3 / 3,
        received_rate=0 / 2,
        gap_pp=100 * (3 / 3 - 0 / 2),
        unmet_rate=2 / 2,
        demand_share=3 / 5,
        provision_count=0,
        provision_share=0 / 6,
        mix_gap_pp=100 * (3 / 5 - 0 / 6),
        received_n=1,
        unmet_n=1,
    )

    # D3 (屯留区, street S3 without communities): r09 w1 in grid G4 (edu 4 N, exam 2 N, rehab 1 Y),
    #   r10 w4 on the street itself (edu 3 Y, exam 4 Y, rehab 2 N). Σw 5 for each service.
    # edu: need r09 1 -> 1/5; Y r10 4 -> 4/5; needers: r09 N -> 1 of 1
    # exam: need r10 4 -> 4/5; Y r10 4 -> 4/5; needers: r10 Y -> 0 of 4
    # rehab: need nobody -> 0/5; Y r09 1 -> 1/5; no needers -> unmet_rate missing (0/0)
    # Σ needs = 1 + 4 + 0 = 5; no deliveries at all -> counts 0, shares and mix gaps missing
    check_row(
        rows[(D3, "edu")],
        respondents_n=2,
        demand_rate=1 / 5,
        received_rate=4 / 5,
        gap_pp=100 * (1 / 5 - 4 / 5),
        unmet_rate=1 / 1,
        demand_share=1 / 5,
        provision_count=0,
        provision_share=None,
        mix_gap_pp=None,
        suppressed=False,
    )
    check_row(
        rows[(D3, "exam")],
        demand_rate=4 / 5,
        received_rate=4 / 5,
        gap_pp=0.0,
        unmet_rate=0 / 4,
        demand_share=4 / 5,
        provision_count=0,
        provision_share=None,
        mix_gap_pp=None,
    )
    check_row(
        rows[(D3, "rehab")],
        demand_rate=0 / 5,
        received_rate=1 / 5,
        gap_pp=100 * (0 / 5 - 1 / 5),
        unmet_rate=None,
        demand_share=0 / 5,
        provision_count=0,
        provision_share=None,
        mix_gap_pp=None,
        unmet_n=0,
    )
    check_row(rows[(D3, "psy")], provision_count=0, provision_share=None, suppressed=True)

    # D4 (潞城区, thin): r11 w1 answers 5 Y everywhere -> demand 1, received 1, unmet 0 of 1
    # Σ needs = 1 + 1 + 1 = 3
    # deliveries: edu d8 1 (district itself, qty empty), rehab d7 5; total 6
    for service, count, share in (("edu", 1, 1 / 6), ("exam", 0, 0 / 6), ("rehab", 5, 5 / 6)):
        check_row(
            rows[(D4, service)],
            respondents_n=1,
            demand_rate=1 / 1,
            received_rate=1 / 1,
            gap_pp=0.0,
            unmet_rate=0 / 1,
            demand_share=1 / 3,
            provision_count=count,
            provision_share=share,
            mix_gap_pp=100 * (1 / 3 - share),
            suppressed=False,
        )


def test_thin_district_suppressed_but_provision_given(main_report):
    rows = main_report("district", "--min-n", "2")
    # D4 has 1 respondent < 2: suppressed; deliveries edu 1, exam 0, rehab 5 of 6 still given
    for service, count, share in (
        ("edu", 1, 1 / 6),
        ("exam", 0, 0 / 6),
        ("psy", 0, 0 / 6),
        ("rehab", 5, 5 / 6),
    ):
        check_row(rows[(D4, service)], provision_count=count, provision_share=share)
        suppressed_row(rows[(D4, service)])
    # D2 has 2 respondents = k, but only 1 said whether they received rehab: a base of 1…k−1,
    # so the differencing rule (docs/DISCLOSURE.md, rule 1) closes D2's cell for every service
    # (v1 showed edu and hid only rehab's received_rate: docs/DATA_CONTRACT.md v1.1)
    for service in ("edu", "exam", "psy", "rehab"):
        suppressed_row(rows[(D2, service)])
    # D1 exam: n 4, received_n 3, unmet_n 2, all ≥ 2 -> all shown
    check_row(rows[(D1, "exam")], received_rate=1.5 / 4.5, unmet_rate=2 / 3.5, suppressed=False)
    # D3 edu: unmet_n 1 (r09) < 2 -> missing; demand/received shown
    check_row(rows[(D3, "edu")], demand_rate=1 / 5, received_rate=4 / 5, unmet_rate=None)


def test_default_k_suppresses_every_district(main_report):
    rows = main_report("district")
    # the largest district (D1) has 6 respondents < 10: everything suppressed, deliveries remain
    expected_counts = {
        (D1, "edu"): 4,
        (D1, "exam"): 1,
        (D1, "rehab"): 2,
        (D2, "edu"): 2,
        (D2, "exam"): 4,
        (D4, "edu"): 1,
        (D4, "rehab"): 5,
    }
    for key, row in rows.items():
        suppressed_row(row)
        assert row["provision_count"] == expected_counts.get(key, 0), key
    check_row(rows[(D1, "edu")], provision_share=4 / 7)
    check_row(rows[(D3, "edu")], provision_share=None)


# --------------------------------------------------------------------------------------------------
# street, community, grid
# --------------------------------------------------------------------------------------------------


def test_street_and_community(main_report):
    # S1 and M1 hold the same people: r01..r05 (not r06, attached to the district) and the same
    # deliveries d1, d2, d3 (not d4, at the district).
    # edu: Σw 2+1+3+1.5+0.5 = 8; need r01 2 + r03 3 + r05 0.5 = 5.5; Y r01 2 + r04 1.5 = 3.5
    #   needers not received: r03 3 + r05 0.5 = 3.5 of 5.5 (3)
    # exam: r01 r02 r04, Σw 4.5, all need (4, 5, 4) -> 4.5; received r01 N 2, r04 Y 1.5 -> 1.5/3.5
    #   needers with received: r01 N 2, r04 Y 1.5 -> 2 of 3.5
    # rehab: Σw 8; need r03 3 + r05 0.5 = 3.5; received (not r04) 6.5: Y r02 1 + r05 0.5 = 1.5
    #   needers: r03 N 3, r05 Y 0.5 -> 3 of 3.5
    # Σ needs = 5.5 + 4.5 + 3.5 = 13.5; deliveries edu 3, exam 1, rehab 2; total 6
    for level, region in (("street", S1), ("community", M1)):
        rows = main_report(level, *K1)
        check_row(
            rows[(region, "edu")],
            level=level,
            respondents_n=5,
            demand_rate=5.5 / 8,
            received_rate=3.5 / 8,
            gap_pp=100 * (5.5 / 8 - 3.5 / 8),
            unmet_rate=3.5 / 5.5,
            demand_share=5.5 / 13.5,
            provision_count=3,
            provision_share=3 / 6,
            mix_gap_pp=100 * (5.5 / 13.5 - 3 / 6),
            received_n=5,
            unmet_n=3,
        )
        check_row(
            rows[(region, "exam")],
            respondents_n=3,
            demand_rate=4.5 / 4.5,
            received_rate=1.5 / 3.5,
            gap_pp=100 * (4.5 / 4.5 - 1.5 / 3.5),
            unmet_rate=2 / 3.5,
            demand_share=4.5 / 13.5,
            provision_count=1,
            provision_share=1 / 6,
            mix_gap_pp=100 * (4.5 / 13.5 - 1 / 6),
            received_n=2,
            unmet_n=2,
        )
        check_row(
            rows[(region, "rehab")],
            respondents_n=5,
            demand_rate=3.5 / 8,
            received_rate=1.5 / 6.5,
            unmet_rate=3 / 3.5,
            demand_share=3.5 / 13.5,
            provision_count=2,
            provision_share=2 / 6,
            mix_gap_pp=100 * (3.5 / 13.5 - 2 / 6),
            received_n=4,
            unmet_n=2,
        )
    # S3 (street of D3, no communities) = D3: r09 (grid G4) and r10 (the street itself)
    rows = main_report("street", *K1)
    check_row(
        rows[(S3, "edu")],
        level="street",
        respondents_n=2,
        demand_rate=1 / 5,
        received_rate=4 / 5,
        unmet_rate=1 / 1,
        demand_share=1 / 5,
        provision_count=0,
        provision_share=None,
        mix_gap_pp=None,
    )
    check_row(rows[(S3, "exam")], demand_rate=4 / 5, demand_share=4 / 5, unmet_rate=0 / 4)


def test_grid_figures(main_report):
    rows = main_report("grid", *K1)
    # G1: r01 w2 (edu 5 Y, exam 4 N, rehab 1 N), r02 w1 (edu 3 N, exam 5 -, rehab 2 Y),
    #     r03 w3 (edu 4 N, exam blank, rehab 5 N)
    # edu: Σw 6; need r01 2 + r03 3 = 5; Y r01 2; needers not received r03 3 of 5
    # exam: r01 r02, Σw 3, both need -> 3/3; received only r01 (N) -> 0/2; needers: r01 N 2 of 2
    # rehab: Σw 6; need r03 3; Y r02 1; needers: r03 N 3 of 3
    # Σ needs = 5 + 3 + 3 = 11; deliveries: edu d1 3, rehab d3 2; total 5
    check_row(
        rows[(G1, "edu")],
        level="grid",
        respondents_n=3,
        demand_rate=5 / 6,
        received_rate=2 / 6,
        gap_pp=100 * (5 / 6 - 2 / 6),
        unmet_rate=3 / 5,
        demand_share=5 / 11,
        provision_count=3,
        provision_share=3 / 5,
        mix_gap_pp=100 * (5 / 11 - 3 / 5),
        received_n=3,
        unmet_n=2,
    )
    check_row(
        rows[(G1, "exam")],
        respondents_n=2,
        demand_rate=3 / 3,
        received_rate=0 / 2,
        gap_pp=100 * (3 / 3 - 0 / 2),
        unmet_rate=2 / 2,
        demand_share=3 / 11,
        provision_count=0,
        provision_share=0 / 5,
        mix_gap_pp=100 * (3 / 11 - 0 / 5),
        received_n=1,
        unmet_n=1,
    )
    check_row(
        rows[(G1, "rehab")],
        respondents_n=3,
        demand_rate=3 / 6,
        received_rate=1 / 6,
        gap_pp=100 * (3 / 6 - 1 / 6),
        unmet_rate=3 / 3,
        demand_share=3 / 11,
        provision_count=2,
        provision_share=2 / 5,
        mix_gap_pp=100 * (3 / 11 - 2 / 5),
    )
    check_row(rows[(G1, "psy")], respondents_n=0, provision_count=0, provision_share=0 / 5)
    suppressed_row(rows[(G1, "psy")])

    # G2: r04 w1.5 (edu 2 Y, exam 4 Y, rehab 3 -), r05 w0.5 (edu 5 N, no exam row, rehab 4 Y)
    # edu: Σw 2; need r05 0.5; Y r04 1.5; needers: r05 N 0.5 of 0.5
    # exam: r04 only, Σw 1.5: need 1.5, Y 1.5; needers: r04 Y -> 0 of 1.5
    # rehab: Σw 2; need r05 0.5; received only r05 (Y) -> 0.5/0.5; needers: r05 Y -> 0 of 0.5
    # Σ needs = 0.5 + 1.5 + 0.5 = 2.5; deliveries: exam d2 (qty empty = 1); total 1
    check_row(
        rows[(G2, "edu")],
        respondents_n=2,
        demand_rate=0.5 / 2,
        received_rate=1.5 / 2,
        gap_pp=100 * (0.5 / 2 - 1.5 / 2),
        unmet_rate=0.5 / 0.5,
        demand_share=0.5 / 2.5,
        provision_count=0,
        provision_share=0 / 1,
        mix_gap_pp=100 * (0.5 / 2.5 - 0 / 1),
    )
    check_row(
        rows[(G2, "exam")],
        respondents_n=1,
        demand_rate=1.5 / 1.5,
        received_rate=1.5 / 1.5,
        gap_pp=0.0,
        unmet_rate=0 / 1.5,
        demand_share=1.5 / 2.5,
        provision_count=1,
        provision_share=1 / 1,
        mix_gap_pp=100 * (1.5 / 2.5 - 1 / 1),
    )
    check_row(
        rows[(G2, "rehab")],
        respondents_n=2,
        demand_rate=0.5 / 2,
        received_rate=0.5 / 0.5,
        gap_pp=100 * (0.5 / 2 - 0.5 / 0.5),
        unmet_rate=0 / 0.5,
        demand_share=0.5 / 2.5,
        mix_gap_pp=100 * (0.5 / 2.5 - 0 / 1),
        received_n=1,
        unmet_n=1,
    )

    # G3 (directly under district D2) = D2 exactly
    check_row(
        rows[(G3, "rehab")],
        demand_rate=3 / 3,
        received_rate=0 / 2,
        unmet_rate=2 / 2,
        demand_share=3 / 5,
        provision_share=0 / 6,
    )
    check_row(rows[(G3, "exam")], provision_count=4, provision_share=4 / 6)

    # G4 (under street S3): only r09 w1 (edu 4 N, exam 2 N, rehab 1 Y); r10 is on the street
    # Σ needs = 1 (edu) + 0 + 0 = 1; no deliveries
    check_row(
        rows[(G4, "edu")],
        respondents_n=1,
        demand_rate=1 / 1,
        received_rate=0 / 1,
        gap_pp=100 * (1 / 1 - 0 / 1),
        unmet_rate=1 / 1,
        demand_share=1 / 1,
        provision_count=0,
        provision_share=None,
        mix_gap_pp=None,
    )
    check_row(
        rows[(G4, "exam")],
        demand_rate=0 / 1,
        received_rate=0 / 1,
        gap_pp=0.0,
        unmet_rate=None,
        demand_share=0 / 1,
    )
    check_row(
        rows[(G4, "rehab")],
        demand_rate=0 / 1,
        received_rate=1 / 1,
        gap_pp=100 * (0 / 1 - 1 / 1),
        unmet_rate=None,
        demand_share=0 / 1,
    )

    # G5 (under thin district D4): r11; deliveries only d7 rehab 5 (d8 is on the district)
    check_row(
        rows[(G5, "edu")],
        demand_share=1 / 3,
        provision_count=0,
        provision_share=0 / 5,
        mix_gap_pp=100 * (1 / 3 - 0 / 5),
    )
    check_row(
        rows[(G5, "rehab")],
        provision_count=5,
        provision_share=5 / 5,
        mix_gap_pp=100 * (1 / 3 - 5 / 5),
    )


def test_respondent_on_a_district_counts_at_district_and_city_not_below(main_report):
    # r06 (w1, edu 4 Y) is attached to 潞州区 itself: D1 edu has 6 respondents, the grids below
    # it hold 3 + 2 = 5, the street and community 5. City: 11.
    assert main_report("district", *K1)[(D1, "edu")]["respondents_n"] == 6
    grids = main_report("grid", *K1)
    assert grids[(G1, "edu")]["respondents_n"] + grids[(G2, "edu")]["respondents_n"] == 3 + 2
    assert main_report("street", *K1)[(S1, "edu")]["respondents_n"] == 5
    assert main_report("city", *K1)[(CITY, "edu")]["respondents_n"] == 11


# --------------------------------------------------------------------------------------------------
# periods: --from/--to bound delivered_on inclusively, touch only delivery figures
# --------------------------------------------------------------------------------------------------
#   d8 2024-01-01 edu 1 | d1 2024-01-10 edu 3 | d2 2024-01-31 exam 1 | d3 2024-02-01 rehab 2
#   d4 2024-02-15 edu 1 | d5 2024-02-16 exam 4 | d6 2024-03-01 edu 2  | d7 2024-03-31 rehab 5

PERIODS = [
    # --from 2024-02-01: d3 d4 d5 d6 d7 -> edu 1+2 = 3, exam 4, rehab 2+5 = 7; total 14
    (("--from", "2024-02-01"), {"edu": 3, "exam": 4, "rehab": 7}, 14),
    # --to 2024-01-31 (inclusive: d2 on that day counts): d8 d1 d2 -> edu 1+3 = 4, exam 1; total 5
    (("--to", "2024-01-31"), {"edu": 4, "exam": 1, "rehab": 0}, 5),
    # 2024-01-10 .. 2024-02-15 cuts January and February in half; both ends inclusive:
    #   d1 d2 d3 d4 -> edu 3+1 = 4, exam 1, rehab 2; total 7
    (("--from", "2024-01-10", "--to", "2024-02-15"), {"edu": 4, "exam": 1, "rehab": 2}, 7),
    # a single day: d5 -> exam 4; total 4
    (("--from", "2024-02-16", "--to", "2024-02-16"), {"edu": 0, "exam": 4, "rehab": 0}, 4),
    # the last day of the data, inclusive: d7 -> rehab 5; total 5
    (("--from", "2024-03-31", "--to", "2024-03-31"), {"edu": 0, "exam": 0, "rehab": 5}, 5),
    # everything up to and including the last day: 7, 5, 7; total 19
    (("--to", "2024-03-31"), {"edu": 7, "exam": 5, "rehab": 7}, 19),
]


@pytest.mark.parametrize(("opts", "counts", "total"), PERIODS, ids=lambda v: str(v))
def test_period_city(main_report, opts, counts, total):
    rows = main_report("city", *opts, *K1)
    # demand shares (T = 4) do not depend on the period: 9.5, 10.5, 7.5 of 27.5
    shares = {"edu": 9.5 / 27.5, "exam": 10.5 / 27.5, "rehab": 7.5 / 27.5}
    for service, count in counts.items():
        check_row(
            rows[(CITY, service)],
            provision_count=count,
            provision_share=count / total,
            mix_gap_pp=100 * (shares[service] - count / total),
            demand_rate={"edu": 9.5 / 18, "exam": 10.5 / 14.5, "rehab": 7.5 / 18}[service],
            demand_share=shares[service],
        )
    check_row(rows[(CITY, "psy")], provision_count=0, provision_share=0 / total)


@pytest.mark.parametrize(
    "opts",
    [
        ("--from", "2024-04-01"),
        ("--to", "2023-12-31"),
        ("--from", "2024-03-02", "--to", "2024-03-30"),
    ],
)
def test_period_without_deliveries(main_report, opts):
    rows = main_report("city", *opts, *K1)
    for service in SERVICES:
        check_row(rows[(CITY, service)], provision_count=0, provision_share=None, mix_gap_pp=None)
    # survey figures ignore the period
    check_row(
        rows[(CITY, "edu")],
        respondents_n=11,
        demand_rate=9.5 / 18,
        received_rate=10.5 / 18,
        gap_pp=100 * (9.5 / 18 - 10.5 / 18),
        unmet_rate=4.5 / 9.5,
        demand_share=9.5 / 27.5,
        suppressed=False,
    )


def test_period_by_district_and_grid(main_report):
    rows = main_report("district", "--from", "2024-02-01", *K1)
    # D1 from 2024-02-01: d3 rehab 2 (G1), d4 edu 1 (the district) -> edu 1, rehab 2; total 3
    check_row(rows[(D1, "edu")], provision_count=1, provision_share=1 / 3)
    check_row(rows[(D1, "exam")], provision_count=0, provision_share=0 / 3)
    check_row(
        rows[(D1, "rehab")],
        provision_count=2,
        provision_share=2 / 3,
        mix_gap_pp=100 * (3.5 / 14.5 - 2 / 3),
        demand_rate=3.5 / 9,
    )
    # D4 from 2024-02-01: d7 rehab 5 only (d8 on 2024-01-01 falls out)
    check_row(rows[(D4, "edu")], provision_count=0, provision_share=0 / 5)
    check_row(rows[(D4, "rehab")], provision_count=5, provision_share=5 / 5)
    grids = main_report("grid", "--from", "2024-01-10", "--to", "2024-01-10", *K1)
    # G1 on 2024-01-10: d1 edu 3 -> 3 of 3; G2: nothing that day -> shares missing
    check_row(grids[(G1, "edu")], provision_count=3, provision_share=3 / 3)
    check_row(grids[(G1, "rehab")], provision_count=0, provision_share=0 / 3)
    check_row(grids[(G2, "exam")], provision_count=0, provision_share=None, mix_gap_pp=None)


# --------------------------------------------------------------------------------------------------
# a second, independent city: no weights, no `received`, no stations, text ids
# --------------------------------------------------------------------------------------------------


def test_second_city(lakeford_report):
    city = lakeford_report("city", *K1)
    assert [(r["region_id"], r["service_code"]) for r in city] == [
        ("LK", "counseling"),
        ("LK", "home_visit"),
    ]
    assert city[0]["region_name"] in ("湖滨市", "Lakeford")
    assert city[0]["level"] == "city"
    assert city[0]["category"] == "mental_health"
    assert city[1]["category"] == "daily_living_care"
    # no weights: every w = 1. a4 sits on the city itself and counts only here.
    # counseling needs: a1 5, a2 4, a3 1, a4 5 -> 3 of 4
    # home_visit: a1 2, a2 4, a3 5, a4 1 -> 2 of 4. Σ needs 3 + 2 = 5.
    # no `received` column: received_rate, gap_pp, unmet_rate missing; received_n = unmet_n = 0
    # deliveries: counseling 3 + 1 = 4; home_visit 1 (qty empty) + 3 + 2 (city itself) = 6;
    #   total 10
    no_received = dict(received_rate=None, gap_pp=None, unmet_rate=None, received_n=0, unmet_n=0)
    check_row(
        city[0],
        respondents_n=4,
        demand_rate=3 / 4,
        demand_share=3 / 5,
        provision_count=4,
        provision_share=4 / 10,
        mix_gap_pp=100 * (3 / 5 - 4 / 10),
        suppressed=False,
        **no_received,
    )
    check_row(
        city[1],
        respondents_n=4,
        demand_rate=2 / 4,
        demand_share=2 / 5,
        provision_count=6,
        provision_share=6 / 10,
        mix_gap_pp=100 * (2 / 5 - 6 / 10),
        suppressed=False,
        **no_received,
    )


def test_second_city_districts_and_grids(lakeford_report):
    rows = by_key(lakeford_report("district", *K1))
    assert list(rows) == [
        ("LK-E", "counseling"),
        ("LK-E", "home_visit"),
        ("LK-W", "counseling"),
        ("LK-W", "home_visit"),
    ]
    assert rows[("LK-E", "counseling")]["region_name"] in ("东湖区", "East Lake District")
    # a4 and the 2024-06-03 delivery sit on the city itself: in no district.
    # LK-E: a1, a2. counseling 2 of 2 need; home_visit 1 of 2 (a2). Σ needs 3.
    #   deliveries counseling 3, home_visit 1; total 4
    check_row(
        rows[("LK-E", "counseling")],
        respondents_n=2,
        demand_rate=2 / 2,
        demand_share=2 / 3,
        provision_count=3,
        provision_share=3 / 4,
        mix_gap_pp=100 * (2 / 3 - 3 / 4),
    )
    check_row(
        rows[("LK-E", "home_visit")],
        demand_rate=1 / 2,
        demand_share=1 / 3,
        provision_count=1,
        provision_share=1 / 4,
        mix_gap_pp=100 * (1 / 3 - 1 / 4),
    )
    # LK-W: a3. counseling 0 of 1; home_visit 1 of 1. Σ needs 1.
    #   deliveries home_visit 3 (grid), counseling 1 (the district itself); total 4
    check_row(
        rows[("LK-W", "counseling")],
        respondents_n=1,
        demand_rate=0 / 1,
        demand_share=0 / 1,
        provision_count=1,
        provision_share=1 / 4,
        mix_gap_pp=100 * (0 / 1 - 1 / 4),
    )
    check_row(
        rows[("LK-W", "home_visit")],
        demand_rate=1 / 1,
        demand_share=1 / 1,
        provision_count=3,
        provision_share=3 / 4,
        mix_gap_pp=100 * (1 / 1 - 3 / 4),
    )
    grids = by_key(lakeford_report("grid", *K1))
    assert list(grids) == [
        ("LK-E-g01", "counseling"),
        ("LK-E-g01", "home_visit"),
        ("LK-W-g01", "counseling"),
        ("LK-W-g01", "home_visit"),
    ]
    # LK-W-g01: the district-level counseling delivery is not in the grid: 0 and 3 of 3
    check_row(
        grids[("LK-W-g01", "counseling")],
        demand_share=0 / 1,
        provision_count=0,
        provision_share=0 / 3,
        mix_gap_pp=0.0,
    )
    check_row(grids[("LK-W-g01", "home_visit")], provision_count=3, provision_share=3 / 3)
    check_row(grids[("LK-E-g01", "counseling")], provision_share=3 / 4)


def test_second_city_levels_without_regions_and_default_k(lakeford_db, lakeford_report):
    # no streets or communities: no rows (JSON [] and a CSV with only its header)
    assert lakeford_report("street", *K1) == []
    assert lakeford_report("community") == []
    header, rows = report_csv(lakeford_db, "community")
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert rows == []
    # default k = 10 and only 4 respondents: suppressed, deliveries still there (4 and 6 of 10)
    counseling, home_visit = lakeford_report("city")
    for row in (counseling, home_visit):
        suppressed_row(row)
    check_row(counseling, respondents_n="<10", provision_count=4, provision_share=4 / 10)
    check_row(home_visit, respondents_n="<10", provision_count=6, provision_share=6 / 10)


def test_import_replaces_the_dataset(fresh_copy, tmp_path):
    folder = write_dataset(tmp_path / "lakeford", lakeford_tables())
    import_ok(folder, fresh_copy)
    rows = report(fresh_copy, "city", *K1)
    assert [(r["region_id"], r["service_code"]) for r in rows] == [
        ("LK", "counseling"),
        ("LK", "home_visit"),
    ]
    check_row(rows[0], demand_rate=3 / 4, provision_count=4)  # see test_second_city
    assert report(fresh_copy, "street", *K1) == []


# --------------------------------------------------------------------------------------------------
# CSV and JSON say the same thing
# --------------------------------------------------------------------------------------------------


def parse_csv_value(column: str, text: str):
    if column in ("region_id", "region_name", "level", "service_code", "category"):
        return text
    if text == "":
        return None
    if column == "reliability":
        return text
    if column == "suppressed":
        assert text in ("true", "false"), text
        return text == "true"
    if text.startswith("<"):  # a withheld count: "<k" in both formats
        return text
    return float(text)


@pytest.mark.parametrize(
    "args",
    [
        ("city",),
        ("district", "--min-n", "1"),
        ("district", "--min-n", "2", "--from", "2024-02-01"),
        ("grid", "--min-n", "1", "--threshold", "3"),
        ("street", "--to", "2024-01-31", "--min-n", "1"),
    ],
    ids=lambda a: "-".join(a),
)
def test_csv_and_json_agree(main_db, main_report, args):
    json_rows = list(main_report(*args).values())
    header, csv_rows = report_csv(main_db, *args)
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    # extra CSV columns, if any, may only be the JSON output's extra keys
    assert set(header[len(CONTRACT_COLUMNS) :]) <= set(JSON_COLUMNS[len(CONTRACT_COLUMNS) :])
    assert len(csv_rows) == len(json_rows)
    for c_row, j_row in zip(csv_rows, json_rows, strict=True):
        for column in header:
            got = parse_csv_value(column, c_row[column])
            want = j_row[column]
            if isinstance(want, float | int) and not isinstance(want, bool):
                # "full precision": the printed number is the same double
                assert got == pytest.approx(want, rel=1e-15, abs=1e-15), (column, c_row, j_row)
            else:
                assert got == want, (column, c_row, j_row)
