"""The demo dataset generator: contract format, determinism, geography, and calibration.

Structural tests use a small dataset (2,000 respondents, 20,000 deliveries, 60 grids); calibration
tests use the defaults, because the published shares are promised at the default size, and compute
every figure straight from the written files with pandas (not through the generator's own code).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely
from shapely.geometry import shape

from dashboard.demo.generate import DEFAULT_BOUNDARIES, write_demo_dataset
from dashboard.stats.scoring import ADL_ITEMS, SF36_ITEMS, score_adl, score_sf36

SMALL = {"respondents": 2_000, "deliveries": 20_000, "grids": 60}
FILES = (
    "regions.csv",
    "services.csv",
    "stations.csv",
    "catchments.csv",
    "targets.csv",
    "respondents.parquet",
    "needs.parquet",
    "deliveries.parquet",
    "boundaries.geojson",
)
LEVELS = ("city", "district", "street", "community", "grid")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    write_demo_dataset(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default")
    write_demo_dataset(out)
    return out


@pytest.fixture(scope="module")
def answers(default: Path) -> pd.DataFrame:
    """Need answers joined to weights and regions, with the contract's threshold applied."""
    respondents = pd.read_parquet(default / "respondents.parquet")
    needs = pd.read_parquet(default / "needs.parquet")
    regions = pd.read_csv(default / "regions.csv", dtype=str, keep_default_na=False)
    tiers = regions.set_index("region_id")["econ_tier"]
    frame = needs.merge(respondents[["respondent_id", "weight", "region_id"]], on="respondent_id")
    frame["tier"] = frame["region_id"].str[:6].map(tiers)
    frame["needs"] = frame["need"] >= 4
    return frame


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def weighted_rates(frame: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """The contract's demand_rate and received_rate (percent) per group, from answers."""
    answered = frame[frame["need"].notna()]
    demand = (answered["needs"] * answered["weight"]).groupby(
        [answered[c] for c in np.atleast_1d(by)]
    ).sum() / answered.groupby(by)["weight"].sum()
    both = answered[answered["received"].notna()]
    received = (both["received"].astype(bool) * both["weight"]).groupby(
        [both[c] for c in np.atleast_1d(by)]
    ).sum() / both.groupby(by)["weight"].sum()
    return pd.DataFrame({"demand": demand * 100, "received": received * 100})


# Format and determinism -------------------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(small: Path, tmp_path: Path) -> None:
    summary = write_demo_dataset(tmp_path, **SMALL)
    assert summary["respondents"] == 2_000 and summary["deliveries"] == 20_000
    assert summary["grids"] == 60 and summary["seconds"] > 0
    for name in FILES:
        assert digest(tmp_path / name) == digest(small / name), name


def test_another_seed_gives_other_data(small: Path, tmp_path: Path) -> None:
    write_demo_dataset(tmp_path, **SMALL, seed=7)
    assert digest(tmp_path / "needs.parquet") != digest(small / "needs.parquet")
    assert digest(tmp_path / "boundaries.geojson") != digest(small / "boundaries.geojson")


def test_every_file_has_the_contract_columns_and_types(small: Path) -> None:
    assert sorted(p.name for p in small.iterdir()) == sorted(FILES)
    regions = pd.read_csv(small / "regions.csv")
    assert list(regions.columns) == [
        "region_id", "parent_id", "level", "name", "name_en", "population", "households",
        "elderly_population", "econ_tier",
    ]  # fmt: skip
    services = pd.read_csv(small / "services.csv")
    assert list(services.columns) == ["service_code", "category", "name", "name_en", "sort_order"]
    assert services["service_code"].str.fullmatch(r"[a-z0-9_]+").all()
    stations = pd.read_csv(small / "stations.csv")
    assert list(stations.columns) == [
        "station_id", "name", "name_en", "region_id", "lon", "lat", "staff",
    ]  # fmt: skip
    assert stations["name_en"].str.endswith(" Health Station").all()

    respondents = pq.read_schema(small / "respondents.parquet")
    expected = {
        "respondent_id": pa.string(), "region_id": pa.string(), "sex": pa.string(),
        "age": pa.int32(), "weight": pa.float64(), "stratum": pa.string(), "psu": pa.string(),
        "surveyed_on": pa.date32(), "occupation": pa.string(), "education": pa.string(),
        "income_band": pa.string(), "living_arrangement": pa.string(),
        "payment_form": pa.string(), "has_spouse": pa.bool_(), "chronic_disease": pa.bool_(),
        "psych_problem": pa.bool_(),
    } | {c: pa.int32() for c in (*ADL_ITEMS, *SF36_ITEMS)}  # fmt: skip
    assert {f.name: f.type for f in respondents} == expected
    assert respondents.names == list(expected)
    needs = pq.read_schema(small / "needs.parquet")
    assert {f.name: f.type for f in needs} == {
        "respondent_id": pa.string(), "service_code": pa.string(), "need": pa.int32(),
        "received": pa.bool_(),
    }  # fmt: skip
    deliveries = pq.read_schema(small / "deliveries.parquet")
    assert {f.name: f.type for f in deliveries} == {
        "station_id": pa.string(), "region_id": pa.string(), "service_code": pa.string(),
        "delivered_on": pa.date32(), "quantity": pa.int32(), "recipient_key": pa.string(),
        "recipient_age": pa.int32(),
    }  # fmt: skip


def test_regions_form_one_tree_whose_grids_all_have_a_district_ancestor(small: Path) -> None:
    regions = pd.read_csv(small / "regions.csv", dtype=str, keep_default_na=False)
    assert regions["region_id"].is_unique
    assert (regions["parent_id"] == "").sum() == 1
    root = regions.loc[regions["parent_id"] == "", "region_id"].item()
    assert root == "140400"
    level = dict(zip(regions["region_id"], regions["level"], strict=True))
    parent = dict(zip(regions["region_id"], regions["parent_id"], strict=True))
    for rid, pid in parent.items():
        if pid:
            assert LEVELS.index(level[pid]) < LEVELS.index(level[rid]), rid
    for gid in regions.loc[regions["level"] == "grid", "region_id"]:
        node, seen = gid, []
        while node:
            seen.append(level[node])
            node = parent[node]
        assert seen == ["grid", "community", "street", "district", "city"], gid
    assert (regions["level"] == "grid").sum() == SMALL["grids"]
    assert (regions["level"] == "district").sum() == 12


def test_populations_add_up_to_the_city_and_district_figures(small: Path) -> None:
    regions = pd.read_csv(small / "regions.csv", dtype={"region_id": str, "parent_id": str})
    city = regions[regions["level"] == "city"].iloc[0]
    assert city["population"] == 3_120_000 and city["elderly_population"] == 340_000
    grids = regions[regions["level"] == "grid"]
    assert grids["population"].sum() == 3_120_000
    assert grids["elderly_population"].sum() == 340_000
    districts = regions[regions["level"] == "district"].set_index("region_id")
    by_district = grids.groupby(grids["region_id"].str[:6])["elderly_population"].sum()
    pd.testing.assert_series_equal(
        by_district.sort_index(), districts["elderly_population"].sort_index(), check_names=False
    )
    assert districts.loc["140403", "econ_tier"] == "high"
    assert set(districts["econ_tier"]) == {"high", "middle", "low"}
    ratio = grids["population"] / grids["households"]
    assert ratio.between(2.3, 3.4).all()


def test_every_grid_polygon_lies_inside_its_district(small: Path) -> None:
    features = json.loads((small / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    given = json.loads(DEFAULT_BOUNDARIES.read_text(encoding="utf-8"))["features"]
    districts = {f["properties"]["region_id"]: f for f in features[:12]}
    assert districts == {f["properties"]["region_id"]: f for f in given}  # copied as given
    shapes = {rid: shape(f["geometry"]) for rid, f in districts.items()}
    grids = features[12:]
    assert len(grids) == SMALL["grids"]
    for feature in grids:
        rid = feature["properties"]["region_id"]
        geom = shape(feature["geometry"])
        district = shapes[rid[:6]]
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid, rid
        assert shapely.area(shapely.intersection(geom, district)) >= 0.99 * geom.area, rid
        assert district.contains(geom.representative_point()), rid
        assert district.buffer(1e-3).contains(geom.centroid), rid
        xy = shapely.get_coordinates(geom)
        np.testing.assert_array_equal(xy, np.round(xy, 5))


def test_stations_sit_in_their_district_and_deliver_to_their_own_grids(small: Path) -> None:
    stations = pd.read_csv(small / "stations.csv", dtype={"region_id": str})
    regions = pd.read_csv(small / "regions.csv", dtype=str, keep_default_na=False)
    level = regions.set_index("region_id")["level"]
    assert (stations["region_id"].map(level) == "community").all()
    assert (stations["staff"] >= 0).all()
    features = json.loads((small / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    shapes = {f["properties"]["region_id"]: shape(f["geometry"]) for f in features[:12]}
    for row in stations.itertuples():
        assert shapes[row.region_id[:6]].buffer(1e-4).contains(shapely.Point(row.lon, row.lat))
    deliveries = pd.read_parquet(small / "deliveries.parquet")
    station_region = stations.set_index("station_id")["region_id"]
    home = deliveries["station_id"].map(station_region)
    assert home.notna().all()
    assert (deliveries["region_id"].map(level) == "grid").all()
    assert (deliveries["region_id"].str.rsplit("-", n=1).str[0] == home).all()


def test_every_grid_lies_in_one_stations_catchment_and_a_few_cross_a_community(
    small: Path,
) -> None:
    catchments = pd.read_csv(small / "catchments.csv", dtype=str)
    assert list(catchments.columns) == ["station_id", "region_id"]
    regions = pd.read_csv(small / "regions.csv", dtype=str, keep_default_na=False)
    grids = regions.loc[regions["level"] == "grid", "region_id"]
    assert catchments["region_id"].is_unique
    assert sorted(catchments["region_id"]) == sorted(grids)
    stations = pd.read_csv(small / "stations.csv", dtype=str)
    assert set(catchments["station_id"]) == set(stations["station_id"])  # none without a grid
    home = catchments["station_id"].map(stations.set_index("station_id")["region_id"])
    community = catchments["region_id"].str.rsplit("-", n=1).str[0]
    crossing = catchments[home != community]
    assert 1 <= len(crossing) <= 0.15 * len(catchments)
    # a grid only ever moves to a station of another community of its own street
    street = crossing["region_id"].str.rsplit("-", n=2).str[0]
    assert (home[crossing.index].str.rsplit("-", n=1).str[0] == street).all()
    # and every station keeps grids of its own community (at least the one it sits in)
    own = catchments[home == community]
    assert set(own["station_id"]) == set(stations["station_id"])


def test_targets_cover_every_station_in_both_years_once(small: Path) -> None:
    targets = pd.read_csv(small / "targets.csv", dtype={"station_id": str})
    assert list(targets.columns) == ["station_id", "service_code", "year", "target", "unit"]
    stations = pd.read_csv(small / "stations.csv", dtype=str)["station_id"]
    assert not targets.duplicated(["station_id", "service_code", "year"]).any()
    assert len(targets) == len(stations) * 4 * 2
    assert set(targets["station_id"]) == set(stations)
    assert set(targets["year"]) == {2008, 2009}
    assert (targets["target"] >= 1).all()
    units = targets.groupby("service_code")["unit"].unique().map(tuple).to_dict()
    assert units == {
        "care_monitoring": ("people",), "exam_periodic": ("people",),
        "edu_disease": ("services",), "care_injection": ("services",),
    }  # fmt: skip
    # people: a share of the catchment's elderly, larger in 2009
    catchments = pd.read_csv(small / "catchments.csv", dtype=str)
    regions = pd.read_csv(small / "regions.csv", dtype={"region_id": str})
    elderly = catchments["region_id"].map(regions.set_index("region_id")["elderly_population"])
    per_station = elderly.groupby(catchments["station_id"]).sum()
    exams = targets[targets["service_code"] == "exam_periodic"].set_index(["year", "station_id"])
    share = exams.loc[2009, "target"] / per_station[exams.loc[2009].index]
    assert share.between(0.6 - 1e-3, 0.7 + 1e-3).all()
    assert (exams.loc[2008, "target"] < exams.loc[2009, "target"]).all()


def test_references_ranges_and_blanks_follow_the_contract(small: Path) -> None:
    regions = pd.read_csv(small / "regions.csv", dtype=str, keep_default_na=False)
    level = regions.set_index("region_id")["level"]
    services = set(pd.read_csv(small / "services.csv")["service_code"])
    respondents = pd.read_parquet(small / "respondents.parquet")
    needs = pd.read_parquet(small / "needs.parquet")
    deliveries = pd.read_parquet(small / "deliveries.parquet")

    assert respondents["respondent_id"].is_unique
    assert (respondents["region_id"].map(level) == "grid").all()
    assert respondents["sex"].isin(["M", "F"]).all()
    assert respondents["age"].between(60, 92).all()
    assert (respondents["weight"] > 0).all()
    assert (respondents["stratum"] == respondents["region_id"].str[:6]).all()
    assert (respondents["psu"] == respondents["region_id"].str.rsplit("-", n=1).str[0]).all()
    surveyed = pd.to_datetime(respondents["surveyed_on"])
    assert surveyed.between("2009-03-01", "2009-12-31").all()
    items = respondents[list(ADL_ITEMS)]
    assert items.isin([1, 2, 3, 4]).all().all()
    assert score_sf36(respondents)["qol_total"].notna().all()  # every SF-36 item in range

    assert set(needs["respondent_id"]) == set(respondents["respondent_id"])
    assert set(needs["service_code"]) == services
    assert not needs.duplicated(["respondent_id", "service_code"]).any()
    assert len(needs) == len(respondents) * len(services)
    assert needs["need"].dropna().isin([1, 2, 3, 4, 5]).all()
    assert 0.005 < needs["need"].isna().mean() < 0.015
    assert 0.02 < needs["received"].isna().mean() < 0.04

    assert set(deliveries["service_code"]) <= services
    dates = pd.to_datetime(deliveries["delivered_on"])
    assert dates.min() >= pd.Timestamp("2008-01-01") and dates.max() <= pd.Timestamp("2009-12-31")
    assert (deliveries["quantity"] >= 1).all() and (deliveries["quantity"] == 1).mean() > 0.8
    assert deliveries["recipient_age"].between(0, 120).all()
    assert deliveries["recipient_age"].between(60, 95).mean() > 0.95
    assert deliveries["recipient_key"].str.fullmatch(r"P[0-9a-f]{12}").all()


def test_weights_reproduce_each_districts_elderly_population(small: Path) -> None:
    respondents = pd.read_parquet(small / "respondents.parquet")
    regions = pd.read_csv(small / "regions.csv", dtype={"region_id": str})
    elderly = regions[regions["level"] == "district"].set_index("region_id")["elderly_population"]
    totals = respondents.groupby("stratum")["weight"].sum()
    np.testing.assert_allclose(totals.sort_index(), elderly.sort_index().astype(float))


def test_fewer_grids_than_districts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 12 grids"):
        write_demo_dataset(tmp_path, respondents=100, deliveries=100, grids=11)


def test_the_smallest_dataset_the_cli_allows_still_writes(tmp_path: Path) -> None:
    summary = write_demo_dataset(tmp_path, respondents=10, deliveries=1, grids=12)
    assert summary["respondents"] == 10 and summary["deliveries"] == 1
    assert len(pd.read_parquet(tmp_path / "needs.parquet")) == 120


# Calibration at the defaults ------------------------------------------------------------------

PUBLISHED_DEMAND = {"edu_disease": 25.38, "edu_medication": 16.64}
PUBLISHED_RECEIVED = {"care_injection": 33.28, "care_monitoring": 24.32, "exam_periodic": 2.03}


def test_weighted_city_rates_hit_the_published_figures_within_one_point(
    answers: pd.DataFrame,
) -> None:
    rates = weighted_rates(answers, "service_code")
    for code, target in PUBLISHED_DEMAND.items():
        assert rates.loc[code, "demand"] == pytest.approx(target, abs=1.0), code
    for code, target in PUBLISHED_RECEIVED.items():
        assert rates.loc[code, "received"] == pytest.approx(target, abs=1.0), code
    demand = rates["demand"].sort_values(ascending=False)
    assert list(demand.index[:2]) == ["edu_disease", "edu_medication"]
    received = rates["received"].sort_values(ascending=False)
    assert received.index[0] == "care_injection" and received.index[-1] == "exam_periodic"
    care = rates.loc[rates.index.str.startswith("care_"), "demand"]
    assert care.max() < rates.loc["exam_periodic", "demand"] < rates.loc["edu_medication", "demand"]


def test_poorer_districts_need_more_and_receive_less(answers: pd.DataFrame) -> None:
    by_tier = weighted_rates(answers, "tier")
    assert (
        by_tier.loc["low", "demand"]
        > by_tier.loc["middle", "demand"]
        > by_tier.loc["high", "demand"]
    )
    assert by_tier.loc["low", "received"] < by_tier.loc["high", "received"]


def test_most_grids_have_ten_respondents_answering_each_service(answers: pd.DataFrame) -> None:
    answered = answers[answers["need"].notna()]
    counts = answered.groupby(["region_id", "service_code"]).size().unstack(fill_value=0)
    assert (counts.min(axis=1) >= 10).mean() >= 0.8


def test_profile_matches_the_published_sample_within_one_point(default: Path) -> None:
    r = pd.read_parquet(default / "respondents.parquet")
    w = r["weight"] / r["weight"].sum()

    def share(mask: pd.Series) -> float:
        return float(w[mask].sum() * 100)

    assert share(r["sex"] == "M") == pytest.approx(100 * 718 / 1328, abs=1.0)
    assert np.average(r["age"], weights=w) == pytest.approx(68.39, abs=0.3)
    assert np.sqrt(np.cov(r["age"], aweights=w)) == pytest.approx(6.94, abs=0.3)
    assert share(r["age"] < 70) == pytest.approx(63.41, abs=1.0)
    assert share(r["age"].between(70, 79)) == pytest.approx(28.46, abs=1.0)
    assert share(r["age"] >= 80) == pytest.approx(8.13, abs=1.0)
    assert share(r["occupation"] == "farmer") == pytest.approx(50.0, abs=1.0)
    assert share(r["education"] == "junior_or_less") == pytest.approx(82.83, abs=1.0)
    assert share(r["income_band"] == "under_1000") == pytest.approx(68.52, abs=1.0)
    assert share(~r["has_spouse"]) == pytest.approx(26.96, abs=1.0)
    assert share(r["chronic_disease"]) == pytest.approx(65.52, abs=1.0)
    assert share(r["psych_problem"]) == pytest.approx(63.1, abs=1.0)


def test_adl_levels_and_qol_grades_match_the_published_shares(default: Path) -> None:
    r = pd.read_parquet(default / "respondents.parquet")
    w = r["weight"] / r["weight"].sum()
    adl = w.groupby(score_adl(r)["adl_level"]).sum() * 100
    published = np.array([76.5, 24.40, 3.47, 3.01])
    expected = dict(
        zip(
            ["normal", "mild", "moderate", "severe"], published / published.sum() * 100, strict=True
        )
    )
    for level, target in expected.items():
        assert adl[level] == pytest.approx(target, abs=1.0), level
    qol = w.groupby(score_sf36(r)["qol_grade"]).sum() * 100
    for grade, target in {"poor": 1.05, "medium": 98.5, "good": 0.45}.items():
        assert qol[grade] == pytest.approx(target, abs=0.3), grade


def test_qol_falls_with_adl_health_education_income_and_payment_form(default: Path) -> None:
    r = pd.read_parquet(default / "respondents.parquet")
    r["qol"] = score_sf36(r)["qol_total"]
    r["adl"] = score_adl(r)["adl_level"]

    def mean(by: str) -> pd.Series:
        return r.groupby(by)["qol"].mean()

    adl = mean("adl")
    assert adl["normal"] > adl["mild"] > adl["moderate"] > adl["severe"]
    assert mean("chronic_disease")[False] > mean("chronic_disease")[True]
    edu = mean("education")
    assert edu["college"] > edu["senior_high"] > edu["junior_or_less"]
    income = mean("income_band")
    assert income["2000_plus"] > income["1000_1999"] > income["under_1000"]
    pay = mean("payment_form")
    assert min(pay["urban_employee"], pay["free_medical"]) > max(pay["ncms"], pay["self_pay"])


def test_need_falls_and_receipt_rises_with_qol(default: Path, answers: pd.DataFrame) -> None:
    r = pd.read_parquet(default / "respondents.parquet")
    qol = score_sf36(r).set_index(r["respondent_id"])["qol_total"]
    per_person = answers.groupby("respondent_id").agg(
        needs=("needs", "sum"), received=("received", "sum")
    )
    per_person["qol"] = qol
    assert per_person["qol"].corr(per_person["needs"]) < -0.1
    assert per_person["qol"].corr(per_person["received"]) > 0.1


def test_service_targets_are_met_by_some_stations_and_missed_by_others(default: Path) -> None:
    targets = pd.read_csv(default / "targets.csv", dtype={"station_id": str})
    deliveries = pd.read_parquet(default / "deliveries.parquet")
    deliveries["year"] = pd.to_datetime(deliveries["delivered_on"]).dt.year
    done = deliveries.groupby(["station_id", "service_code", "year"])["quantity"].sum()
    services = targets[targets["unit"] == "services"].set_index(
        ["station_id", "service_code", "year"]
    )
    reached = done.reindex(services.index, fill_value=0) / services["target"]
    assert reached.between(0.4, 2.5).all()
    for _, met in (reached >= 1).groupby(level="service_code"):
        assert 0.3 < met.mean() < 0.7
    catchments = pd.read_csv(default / "catchments.csv", dtype=str)
    crossing = (
        catchments["station_id"].str[3:] != catchments["region_id"].str.rsplit("-", n=1).str[0]
    )
    assert 0.02 * len(catchments) < crossing.sum() < 0.15 * len(catchments)


def test_stations_mostly_inject_and_monitor(default: Path) -> None:
    deliveries = pd.read_parquet(
        default / "deliveries.parquet", columns=["service_code", "quantity"]
    )
    mix = deliveries.groupby("service_code")["quantity"].sum()
    mix = mix / mix.sum()
    assert mix["care_injection"] + mix["care_monitoring"] > 0.55
    assert mix["exam_periodic"] < 0.03
    assert mix[mix.index.str.startswith("edu_")].sum() < 0.2
