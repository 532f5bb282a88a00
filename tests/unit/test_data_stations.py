"""The stations' data functions on the demo store: a station is an area to the queries (its
catchment's answers, its own deliveries), computed the same way by the rollup route and from
the respondents themselves."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import data, disclosure, sql


def _params(con, slice_: data.Slice, by: str) -> dict:
    params = data._table_params(con, data.STATION, slice_, None, by, None)
    params.update(data.period_params(con, slice_.start, slice_.end))
    return params


@pytest.mark.parametrize("by", ["service", "category"])
@pytest.mark.parametrize(
    "slice_",
    [data.Slice(), data.Slice(age_group="70-79", sex="F"), data.Slice(start=dt.date(2008, 3, 9))],
)
def test_station_rows_of_the_rollups_agree_with_the_respondents(demo_con, by, slice_) -> None:
    rolled = sql.run(demo_con, "gaps", _params(demo_con, slice_, by))
    people = sql.run(demo_con, "gaps_people", _params(demo_con, slice_, by))
    assert len(rolled) == len(people) > 0
    merged = rolled.merge(people, on=["region_id", "item_code"], suffixes=("", "_p"))
    assert len(merged) == len(rolled)
    for column in (
        "respondents_n",
        "received_n",
        "demand_rate",
        "received_rate",
        "unmet_rate",
        "demand_share",
        "provision_count",
        "provision_share",
        "elderly_population",
        "provision_per_1000",
    ):
        a = merged[column].astype(float).to_numpy()
        b = merged[f"{column}_p"].astype(float).to_numpy()
        assert np.allclose(a, b, rtol=1e-9, equal_nan=True), column


def test_a_stations_deliveries_are_its_own_records(demo_con) -> None:
    frame = data.gap_table(demo_con, data.STATION)
    own = demo_con.execute(
        "SELECT station_id, service_code, sum(quantity) FROM deliveries "
        "WHERE station_id IS NOT NULL GROUP BY ALL"
    ).fetchall()
    expected = {(s, v): int(q) for s, v, q in own}
    got = {
        (r.region_id, r.item_code): int(r.provision_count)
        for r in frame.itertuples()
        if r.provision_count
    }
    assert got == expected


def test_station_figures_refuse_group_breakdowns(demo_con) -> None:
    with pytest.raises(ValueError, match="groups"):
        data.gap_table(demo_con, data.STATION, group="education")


def test_every_station_has_a_catchment_built_of_whole_regions(demo_con) -> None:
    covers = data.catchment_cover(demo_con)
    stations = data.stations(demo_con)
    assert set(covers) == set(stations["station_id"])
    assert all(cover for cover in covers.values())
    regions = set(data.region_tree(demo_con)["region_id"])
    assert all(set(cover) <= regions for cover in covers.values())


def test_monthly_deliveries_have_every_month_and_item_and_sum_to_the_records(demo_con) -> None:
    station = str(data.stations(demo_con)["station_id"].iloc[0])
    frame = data.provision_months(demo_con, station=station, by="category")
    first, last = data.delivery_period(demo_con)
    months = pd.date_range(first.replace(day=1), last, freq="MS").date
    assert sorted(set(pd.to_datetime(frame["month"]).dt.date)) == list(months)
    assert len(frame) == len(months) * len(data.categories(demo_con))
    (total,) = demo_con.execute(
        "SELECT sum(quantity) FROM deliveries WHERE station_id = ?", [station]
    ).fetchone()
    assert int(frame["provision_count"].sum()) == int(total)


def test_monthly_deliveries_of_a_cut_period_count_its_days_only(demo_con) -> None:
    start, end = dt.date(2008, 2, 10), dt.date(2008, 4, 20)
    region = data.root_region(demo_con)
    frame = data.provision_months(demo_con, data.Slice(start=start, end=end), within=region)
    assert sorted({f"{m:%Y-%m-%d}" for m in frame["month"]}) == [
        "2008-02-01",
        "2008-03-01",
        "2008-04-01",
    ]
    (total,) = demo_con.execute(
        "SELECT sum(quantity) FROM deliveries WHERE delivered_on BETWEEN ? AND ?", [start, end]
    ).fetchone()
    assert int(frame["provision_count"].sum()) == int(total)


def test_an_empty_period_gives_no_months(demo_con) -> None:
    frame = data.provision_months(
        demo_con, data.Slice(start=dt.date(2030, 1, 1), end=dt.date(2030, 2, 1))
    )
    assert int(frame["provision_count"].sum()) == 0


def test_people_served_are_distinct_recipients_per_year_withheld_below_k(demo_con) -> None:
    frame = data.station_people(demo_con)
    raw = demo_con.execute(
        "SELECT station_id, service_code, year(delivered_on), count(DISTINCT recipient_key) "
        "FROM deliveries WHERE station_id IS NOT NULL AND recipient_key IS NOT NULL GROUP BY ALL"
    ).fetchall()
    truth = {(s, v, int(y)): int(n) for s, v, y, n in raw}
    got = {(r.station_id, r.service_code, int(r.year)): r.recipients for r in frame.itertuples()}
    assert set(got) == set(truth)
    k = disclosure.effective_k(data.DEFAULT_MIN_N)
    for key, n in truth.items():
        if 0 < n < k:
            assert np.isnan(got[key]), key
        else:
            assert got[key] == n, key


def test_people_served_by_age_group_cannot_be_had_by_subtraction(demo_con) -> None:
    """Per (station, service, year), the age groups shown leave out either nobody or at
    least k people of the all-ages count (or at least two groups)."""
    k = disclosure.effective_k(data.DEFAULT_MIN_N)
    every = data.station_people(demo_con).set_index(["station_id", "service_code", "year"])
    groups = {
        age: data.station_people(demo_con, data.Slice(age_group=age)).set_index(
            ["station_id", "service_code", "year"]
        )["recipients"]
        for age in ("<60", "60-69", "70-79", "80+")
    }
    table = pd.DataFrame(groups).reindex(every.index)
    raw = demo_con.execute(
        "SELECT station_id, service_code, year, age_group, sum(new_recipients) "
        "FROM station_recipients WHERE NOT all_ages GROUP BY ALL"
    ).df()
    truth = raw.pivot_table(
        index=["station_id", "service_code", "year"], columns="age_group", values=raw.columns[-1]
    ).reindex(every.index)
    hidden = table.isna() & truth.fillna(0).gt(0)
    assert (truth.where(truth > 0).lt(k) <= hidden).all().all()  # every small group is hidden
    # one hidden group among others that hold people would be the whole minus the rest (a
    # group alone in its split is the all-ages count itself, withheld with it)
    lone = (hidden.sum(axis=1) == 1) & (truth.fillna(0).gt(0).sum(axis=1) > 1)
    assert not lone.any(), table[lone].head()


def test_year_to_date_is_empty_without_a_whole_month(demo_con) -> None:
    slice_ = data.Slice(start=dt.date(2009, 3, 5), end=dt.date(2009, 3, 20))
    assert data.targets_reference_month(demo_con, slice_) is None
    assert data.station_targets(demo_con, slice_).empty


def test_catchment_respondents_are_withheld_like_any_count(demo_con) -> None:
    station = str(data.stations(demo_con)["station_id"].iloc[0])
    n = data.station_respondents(demo_con, station)
    (truth,) = demo_con.execute(
        "SELECT count(*) FROM catchment_regions m JOIN respondents p USING (region_id) "
        "WHERE m.station_id = ?",
        [station],
    ).fetchone()
    assert n == truth
    assert np.isnan(data.station_respondents(demo_con, station, data.Slice(min_n=truth + 1)))


def test_year_to_date_counts_january_to_the_periods_last_whole_month(demo_con) -> None:
    """Against every demo target of 2008, with the period ending 2008-06-20: done is the
    station's own deliveries (services) or distinct recipients (people) from 1 January to the
    end of May; expected is 5/12 of the target; the status follows."""
    slice_ = data.Slice(end=dt.date(2008, 6, 20))
    assert data.targets_reference_month(demo_con, slice_) == dt.date(2008, 5, 1)
    frame = data.station_targets(demo_con, slice_)
    assert len(frame) and set(frame["year"]) == {2008}
    assert (frame["months_elapsed"] == 5).all()
    for row in frame.head(40).itertuples():
        measure = "sum(quantity)" if row.unit == "services" else "count(DISTINCT recipient_key)"
        (done,) = demo_con.execute(
            f"SELECT COALESCE({measure}, 0) FROM deliveries WHERE station_id = ? "
            "AND service_code = ? AND delivered_on BETWEEN '2008-01-01' AND '2008-05-31'",
            [row.station_id, row.service_code],
        ).fetchone()
        assert row.done == done, row
        assert row.expected_to_date == pytest.approx(row.target * 5 / 12)
        assert row.projected == pytest.approx(row.done * 12 / 5)
        status = (
            "met" if done >= row.target else "on_track" if done * 12 >= row.target * 5 else "behind"
        )
        assert row.status == status
