"""The baseline: what a data analyst would write without the product's rollups and queries.

The raw tables (regions with their parent links, services, respondents, needs, deliveries) are
loaded once into pandas frames; every request then filters them and runs pandas group-bys over
them, deliveries included. Nothing of the store's derived tables (region_closure, region_depths,
the rollups) is read: the region tree is walked from the parent links instead. The figures are
the contract's (DATA_CONTRACT.md "Metrics"), and :func:`compare` checks them against
``dashboard.data`` so a ratio always compares the same answers.

To time a callback's baseline, :func:`data_layer` swaps these pandas functions in for
dashboard.data's while the view's own callback runs: same page code, same figures and JSON,
only the data layer differs.

Allowances, all in the baseline's favour: ids are held as integer codes (a 100M-row frame of
Python strings would not fit), the store's already-typed and scored columns (SF-36 domains, ADL
level) are read rather than recomputed, and the survey intervals of gap_intervals are not computed
(the views then draw no interval whiskers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import disclosure, store
from dashboard.data import GROUP_COLUMNS, INTERVAL_FIGURES, UNMET_CELLS, Slice
from dashboard.ingest.schema import AGE_GROUPS

BATCH_ROWS = 4_000_000
#: Covariates stored as booleans, shown as 'true'/'false' when grouped by (as gaps.sql does).
BOOL_COVARIATES = ("has_spouse", "chronic_disease", "psych_problem")
#: Respondent columns the baseline reads (the item answers themselves are not needed).
RESPONDENT_SKIP_PREFIXES = ("adl_0", "adl_1", "sf36_")
SURVEY_SUMS = ("w", "w_need", "w_received_base", "w_received", "w_unmet_base", "w_unmet")
#: The default slice (a module constant, so no call sits in an argument default).
EVERYONE = Slice()
#: The group value of people whose covariate is not recorded (NULL in the product's output),
#: kept as text inside the baseline so that group-bys and merges treat it as any other value.
NO_GROUP = "\x00not recorded"
LEVEL_SCALES = {
    "qol_grade": ("poor", "medium", "good"),
    "adl_level": ("normal", "mild", "moderate", "severe"),
}
DOMAINS = ("pf", "rp", "bp", "gh", "vt", "sf", "re", "mh", "qol_total")


@dataclass
class Baseline:
    """The raw tables in memory, with the region tree walked once from the parent links.

    `regions` is indexed by region code (its row position); respondents, needs and deliveries
    refer to regions, services and respondents by those codes.
    """

    regions: pd.DataFrame
    services: pd.DataFrame
    respondents: pd.DataFrame
    needs: pd.DataFrame
    deliveries: pd.DataFrame
    closure: pd.DataFrame  # ancestor, descendant (region codes), itself included
    depth: np.ndarray  # per region code
    cover_depth: np.ndarray  # depth of the nearest strict ancestor with elderly_population
    first_day: dt.date | None
    last_day: dt.date | None

    # -- the region tree ----------------------------------------------------------------------

    @property
    def root(self) -> str:
        return str(self.regions.loc[self.regions["parent_id"].isna(), "region_id"].iloc[0])

    def code(self, region_id: str) -> int:
        return int(self.regions.index[self.regions["region_id"] == region_id][0])

    def subtree(self, region_id: str) -> np.ndarray:
        """Codes of the region and everything below it."""
        rows = self.closure[self.closure["ancestor"] == self.code(region_id)]
        return rows["descendant"].to_numpy()

    def areas(self, level: str, within: str) -> pd.DataFrame:
        """The regions at `level` inside `within`'s subtree ('city': the root), by region_id."""
        inside = self.regions.loc[self.subtree(within)]
        if level == "city":
            chosen = inside[inside["parent_id"].isna()]
        else:
            chosen = inside[inside["level"] == level]
        return chosen.sort_values("region_id")

    def area_of(self, areas: pd.DataFrame) -> np.ndarray:
        """For every region code, the code of the area it lies in (-1: in none of them)."""
        out = np.full(len(self.regions), -1, dtype=np.int64)
        links = self.closure[self.closure["ancestor"].isin(areas.index)]
        out[links["descendant"].to_numpy()] = links["ancestor"].to_numpy()
        return out

    def period(self, slice_: Slice) -> tuple[dt.date, dt.date]:
        """The delivery period of a slice: its bounds, open ends filled from the data."""
        d0 = slice_.start or self.first_day or dt.date(1970, 1, 1)
        d1 = slice_.end or self.last_day or dt.date(1969, 12, 31)
        return d0, d1

    # -- people -------------------------------------------------------------------------------

    def people(self, area_of: np.ndarray, slice_: Slice) -> pd.DataFrame:
        """Respondents of the slice inside the areas, with their area's code."""
        resp = self.respondents
        area = area_of[resp["region"].to_numpy()]
        keep = area >= 0
        if slice_.age_group is not None:
            keep &= (resp["age_group"] == slice_.age_group).to_numpy()
        if slice_.sex is not None:
            keep &= (resp["sex"] == slice_.sex).to_numpy()
        return resp[keep].assign(area=area[keep])

    def answers(
        self, people: pd.DataFrame, group: str | None, question: str = "need"
    ) -> pd.DataFrame:
        """Those people's answers to `question` (need or received), with weight, area and group."""
        cols = people[["rid", "area", "weight"]].assign(group_value=_group_values(people, group))
        answered = self.needs[self.needs[question].notna()]
        return answered.merge(cols, on="rid")

    # -- the contract's gap table ---------------------------------------------------------------

    def gap_table(
        self,
        level: str,
        slice_: Slice = EVERYONE,
        *,
        within: str | None = None,
        by: str = "service",
        group: str | None = None,
    ) -> pd.DataFrame:
        """Every metric per area at `level` × service (or category), as data.gap_table."""
        areas = self.areas(level, within or self.root)
        area_of = self.area_of(areas)
        items = self._items(by)
        answers = self.answers(self.people(area_of, slice_), group)
        answers["item_code"] = self._item_codes(by, answers["service"].to_numpy())
        survey = _survey(answers, slice_.threshold, by)
        groups = answers["group_value"].unique().tolist() if group else [NO_GROUP]
        cells = _cross(areas, items, groups)
        cells = cells.merge(survey, on=["area", "item_code", "group_value"], how="left")
        total = survey.groupby(["area", "group_value"])["w_need"].sum()
        cells = cells.merge(
            total.rename("w_need_all").reset_index(), on=["area", "group_value"], how="left"
        )
        provision = self._provision(area_of, slice_, by)
        cells = cells.merge(provision, on=["area", "item_code"], how="left")
        total = provision.groupby("area")["provision_count"].sum().rename("provision_all")
        cells = cells.merge(total.reset_index(), on="area", how="left")
        cells = cells.merge(self._elderly(areas), on="area", how="left")
        return _finish(cells, slice_.min_n, self.period(slice_))

    def _items(self, by: str) -> pd.DataFrame:
        if by == "category":
            cats = self.services["category"].drop_duplicates()
            return pd.DataFrame({"item_code": cats, "category": cats})
        return self.services[["service_code", "category"]].rename(
            columns={"service_code": "item_code"}
        )

    def _item_codes(self, by: str, services: np.ndarray) -> pd.Categorical:
        """The item (service, or its category) of each row's service code, as a categorical:
        group-bys on it stay as fast as on the integer codes behind it."""
        codes, labels = pd.factorize(
            self.services["category" if by == "category" else "service_code"]
        )
        return pd.Categorical.from_codes(codes[services], categories=labels)

    def _provision(self, area_of: np.ndarray, slice_: Slice, by: str) -> pd.DataFrame:
        """Quantity delivered per area × item in the slice's period (and recipient age group)."""
        d = self.deliveries
        d0, d1 = self.period(slice_)
        area = area_of[d["region"].to_numpy()]
        keep = (
            (area >= 0)
            & (d["delivered_on"] >= pd.Timestamp(d0)).to_numpy()
            & (d["delivered_on"] <= pd.Timestamp(d1)).to_numpy()
        )
        if slice_.age_group is not None:
            keep &= (d["age_group"] == slice_.age_group).to_numpy()
        chosen = pd.DataFrame(
            {
                "area": area[keep],
                "item_code": self._item_codes(by, d["service"].to_numpy()[keep]),
                "quantity": d["quantity"].to_numpy()[keep],
            }
        )
        counts = chosen.groupby(["area", "item_code"], observed=True)["quantity"].sum()
        return _plain_keys(counts.rename("provision_count").reset_index())

    def _elderly(self, areas: pd.DataFrame) -> pd.DataFrame:
        """Population aged 60+ per area: each region with one, unless one above it (inside the
        area) has one already."""
        links = self.closure[self.closure["ancestor"].isin(areas.index)]
        pop = self.regions["elderly_population"].to_numpy()
        desc = links["descendant"].to_numpy()
        anc = links["ancestor"].to_numpy()
        cover = self.cover_depth[desc]
        keep = ~np.isnan(pop[desc]) & (np.isnan(cover) | (cover < self.depth[anc]))
        frame = pd.DataFrame({"area": anc[keep], "elderly_population": pop[desc][keep]})
        return frame.groupby("area", as_index=False)["elderly_population"].sum()

    # -- other figures the views show ----------------------------------------------------------

    def unmet_cells(
        self, level: str, slice_: Slice = EVERYONE, *, within: str | None = None
    ) -> pd.DataFrame:
        """Need × receipt 2×2 per area × service, as data.unmet_cells."""
        areas = self.areas(level, within or self.root)
        answers = self.answers(self.people(self.area_of(areas), slice_), None)
        answers = answers[answers["received"].notna()]
        needs = answers["need"] >= slice_.threshold
        got = answers["received"] == 1
        cell = np.select([needs & got, needs, got], [0, 1, 2], default=3)
        answers = answers.assign(cell=pd.Categorical.from_codes(cell, categories=UNMET_CELLS))
        cells = answers.groupby(["area", "service", "cell"], as_index=False, observed=True).agg(
            n=("rid", "size"), w=("weight", "sum")
        )
        cells["service_code"] = self.services["service_code"].to_numpy()[cells["service"]]
        cells["cell"] = cells["cell"].astype(object)
        bases = cells.groupby(["area", "service_code"], as_index=False).agg(
            base_n=("n", "sum"), base_w=("w", "sum")
        )
        grid = _cross(areas, self.services[["service_code", "category"]], [NO_GROUP])
        grid = grid.drop(columns="group_value").merge(
            pd.DataFrame({"cell": UNMET_CELLS}), how="cross"
        )
        out = grid.merge(bases, on=["area", "service_code"], how="left").merge(
            cells, on=["area", "service_code", "cell"], how="left"
        )
        out[["n", "base_n"]] = out[["n", "base_n"]].fillna(0).astype(int)
        shown = (out["base_n"] >= slice_.min_n) & (out["n"] >= slice_.min_n)
        out["share"] = (out["w"] / out["base_w"]).where(shown)
        out["suppressed"] = ~shown
        return out[list(UNMET_OUTPUT)]

    def slice_counts(self, within: str | None, slice_: Slice = EVERYONE) -> dict[str, int]:
        """Respondents in the slice and the grids they live in, as data.slice_counts."""
        area_of = np.full(len(self.regions), -1)
        area_of[self.subtree(within or self.root)] = 0
        people = self.people(area_of, slice_)
        grid = self.regions["level"].to_numpy()[people["region"].to_numpy()] == "grid"
        return {
            "respondents": len(people),
            "grids_covered": int(people.loc[grid, "region"].nunique()),
        }

    def group_dimensions(self) -> list[str]:
        return [c for c in GROUP_COLUMNS if self.respondents[c].notna().any()]

    def score_levels(self, scale: str, within: str, slice_: Slice) -> pd.DataFrame:
        """Weighted share of each QoL grade or ADL level, as data.score_levels."""
        people = self._slice_people(within, slice_)
        scored = people[people[scale].notna()]
        counts = scored.groupby(scale).agg(respondents_n=("rid", "size"), w=("weight", "sum"))
        counts = counts.reindex(list(LEVEL_SCALES[scale]))
        n = counts["respondents_n"].fillna(0).astype(int)
        return pd.DataFrame(
            {
                "level": counts.index,
                "respondents_n": n.to_numpy(),
                "share": (counts["w"].fillna(0) / scored["weight"].sum()).where(n >= slice_.min_n),
                "suppressed": (n < slice_.min_n).to_numpy(),
                "scored_n": len(scored),
            }
        ).reset_index(drop=True)

    def domain_profile(self, group: str | None, within: str, slice_: Slice) -> pd.DataFrame:
        """Weighted mean SF-36 domain scores per group (None: everybody), as data.domain_profile."""
        people = self._slice_people(within, slice_)
        scored = people[people["qol_total"].notna()]
        weighted = scored[list(DOMAINS)].mul(scored["weight"], axis=0)
        groups = scored[group].astype(object) if group else pd.Series(None, index=scored.index)
        sums = weighted.assign(w=scored["weight"], group_value=groups).groupby(
            "group_value", dropna=False
        )
        means = sums[list(DOMAINS)].sum().div(sums["w"].sum(), axis=0)
        n = sums.size().rename("respondents_n")
        out = pd.concat([n, means], axis=1).reset_index()
        out["suppressed"] = out["respondents_n"] < slice_.min_n
        out.loc[out["suppressed"], list(DOMAINS)] = np.nan
        return out

    def service_demand(self, within: str, slice_: Slice) -> pd.DataFrame:
        """T2: per service, demand rate and the answer shares, as data.service_demand."""
        answers = self.answers(self._slice_people(within, slice_).assign(area=0), None)
        w = answers["weight"]
        needs = answers["need"] >= slice_.threshold
        sums = {f"w{k}": w.where(answers["need"] == k, 0.0) for k in range(1, 6)}
        per = answers.assign(w_need=w.where(needs, 0.0), demand=needs, **sums)
        per = per.groupby("service").agg(
            respondents_n=("rid", "size"),
            demand_n=("demand", "sum"),
            w=("weight", "sum"),
            w_need=("w_need", "sum"),
            **{k: (k, "sum") for k in sums},
        )
        out = self._per_service(per)
        shown = out["respondents_n"] >= slice_.min_n
        out["suppressed"] = ~shown
        out["demand_rate"] = (out["w_need"] / out["w"]).where(shown)
        for k in range(1, 6):
            out[f"share_{k}"] = (out[f"w{k}"] / out["w"]).where(shown)
        columns = ["respondents_n", "demand_n", "suppressed", "demand_rate"]
        return out[["item_code", "category", *columns, *(f"share_{k}" for k in range(1, 6))]]

    def service_received(self, within: str, slice_: Slice) -> pd.DataFrame:
        """T3: per service, the share who received it, as data.service_received."""
        people = self._slice_people(within, slice_).assign(area=0)
        answers = self.answers(people, None, "received")
        got = answers["received"] == 1
        per = answers.assign(got=got, w_got=answers["weight"].where(got, 0.0))
        per = per.groupby("service").agg(
            received_n=("rid", "size"),
            receivers_n=("got", "sum"),
            w=("weight", "sum"),
            w_got=("w_got", "sum"),
        )
        out = self._per_service(per)
        shown = out["received_n"] >= slice_.min_n
        out["suppressed"] = ~shown
        out["received_rate"] = (out["w_got"] / out["w"]).where(shown)
        columns = ["received_n", "receivers_n", "suppressed", "received_rate"]
        return out[["item_code", "category", *columns]]

    def _per_service(self, per: pd.DataFrame) -> pd.DataFrame:
        """Every service in catalogue order with its sums (services nobody answered: n = 0)."""
        order = self.services.sort_values(["sort_order", "service_code"], na_position="last")
        out = per.reindex(order.index)
        counts = [c for c in out if c.endswith("_n")]
        out[counts] = out[counts].fillna(0).astype(np.int64)
        return out.assign(item_code=order["service_code"], category=order["category"])

    def delivery_period(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last delivery day, scanned from the deliveries (as each request would)."""
        days = self.deliveries["delivered_on"]
        if days.empty:
            return None, None
        return days.min().date(), days.max().date()

    def quality_inputs(self, within: str, slice_: Slice) -> pd.DataFrame:
        """Respondent-level inputs of T1/T4/T5, as data.quality_inputs (same columns)."""
        people = self._slice_people(within, slice_).sort_values("rid")
        answers = self.needs[self.needs["rid"].isin(people["rid"])]
        bit = self.service_bits()["bit"].to_numpy()[answers["service"].to_numpy()]
        value = np.where(bit < 62, np.left_shift(1, np.minimum(bit, 62)), 0).astype(np.int64)
        answered = answers["need"].notna()
        needs = (answers["need"] >= slice_.threshold).to_numpy()
        got_answer = answers["received"].notna()
        got = (answers["received"] == 1).to_numpy()
        flags = (
            pd.DataFrame(
                {
                    "rid": answers["rid"].to_numpy(),
                    "need_answered": answered.to_numpy(),
                    "need_count": needs,
                    "received_answered": got_answer.to_numpy(),
                    "received_count": got,
                    "need_answered_bits": value * answered.to_numpy(),
                    "need_bits": value * needs,
                    "received_answered_bits": value * got_answer.to_numpy(),
                    "received_bits": value * got,
                }
            )
            .groupby("rid")
            .sum()
        )
        columns = ["qol_total", "adl_total", "chronic_disease", "education", "income_band"]
        columns += ["payment_form", "age", "sex", "has_spouse", "weight", "stratum", "psu"]
        out = people[["rid", *columns]].merge(flags, on="rid", how="left")
        out[flags.columns] = out[flags.columns].fillna(0).astype(np.int64)
        return out.drop(columns="rid").reset_index(drop=True)

    def service_bits(self) -> pd.DataFrame:
        order = self.services.sort_values(["sort_order", "service_code"], na_position="last")
        bits = pd.Series(np.arange(len(order)), index=order.index)
        return self.services[["service_code", "category"]].assign(bit=bits)

    def _slice_people(self, within: str, slice_: Slice) -> pd.DataFrame:
        area_of = np.full(len(self.regions), -1)
        area_of[self.subtree(within)] = 0
        return self.people(area_of, slice_)

    def table_counts(self) -> dict[str, int]:
        return {
            "regions": len(self.regions),
            "services": len(self.services),
            "respondents": len(self.respondents),
            "needs": len(self.needs),
            "deliveries": len(self.deliveries),
        }


# -- helpers of gap_table -------------------------------------------------------------------------


def _group_values(people: pd.DataFrame, group: str | None) -> pd.Series:
    """The group value of each person as text, NO_GROUP when not recorded (or no grouping)."""
    if group is None:
        return pd.Series(NO_GROUP, index=people.index, dtype="category")
    values = people[group]
    if group in BOOL_COVARIATES:
        values = values.map({True: "true", False: "false"})
    return values.astype(object).where(values.notna(), NO_GROUP).astype("category")


def _survey(answers: pd.DataFrame, threshold: int, by: str) -> pd.DataFrame:
    """Weighted sums and unweighted n per area × item × group (n counts people, not answers)."""
    needs = answers["need"] >= threshold
    present = answers["received"].notna()
    got = answers["received"] == 1
    w = answers["weight"]
    frame = answers[["area", "item_code", "group_value", "rid"]].assign(
        w=w,
        w_need=w.where(needs, 0.0),
        w_received_base=w.where(present, 0.0),
        w_received=w.where(got, 0.0),
        w_unmet_base=w.where(needs & present, 0.0),
        w_unmet=w.where(needs & present & ~got, 0.0),
        has_received=present,
        in_unmet_base=needs & present,
    )
    keys = ["area", "item_code", "group_value"]
    if by == "category":  # one row per person and item first, so n counts people
        frame = frame.groupby([*keys, "rid"], as_index=False, observed=True).agg(
            **{c: (c, "sum") for c in SURVEY_SUMS},
            has_received=("has_received", "any"),
            in_unmet_base=("in_unmet_base", "any"),
        )
    survey = frame.groupby(keys, as_index=False, observed=True).agg(
        respondents_n=("rid", "size"),
        received_n=("has_received", "sum"),
        unmet_n=("in_unmet_base", "sum"),
        **{c: (c, "sum") for c in SURVEY_SUMS},
    )
    return _plain_keys(survey)


def _plain_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical group-by keys back to plain values, so the small results merge as text."""
    for column in ("item_code", "group_value"):
        if column in frame and isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    return frame


def _cross(areas: pd.DataFrame, items: pd.DataFrame, groups: list[object]) -> pd.DataFrame:
    """Every area × item × group value."""
    left = pd.DataFrame(
        {
            "area": areas.index,
            "region_id": areas["region_id"].to_numpy(),
            "region_name": areas["name"].to_numpy(),
            "region_name_en": areas["name_en"].to_numpy(),
            "level": areas["level"].to_numpy(),
        }
    )
    return left.merge(items, how="cross").merge(
        pd.DataFrame({"group_value": pd.Series(groups, dtype=object)}), how="cross"
    )


def _finish(cells: pd.DataFrame, min_n: int, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """The rates, suppression and provision figures of gap_table from the summed cells."""
    out = cells
    for column in ("respondents_n", "received_n", "unmet_n", "provision_count"):
        out[column] = out[column].fillna(0).astype(np.int64)
    shown = out["respondents_n"] >= min_n
    out["suppressed"] = ~shown
    out["demand_rate"] = (out["w_need"] / out["w"]).where(shown)
    out["received_rate"] = (out["w_received"] / out["w_received_base"]).where(
        shown & (out["received_n"] >= min_n)
    )
    out["unmet_rate"] = (out["w_unmet"] / out["w_unmet_base"]).where(
        shown & (out["unmet_n"] >= min_n)
    )
    out["demand_share"] = (out["w_need"].fillna(0) / out["w_need_all"]).where(
        shown & (out["w_need_all"] > 0)
    )
    out["provision_share"] = (out["provision_count"] / out["provision_all"]).where(
        out["provision_all"] > 0
    )
    out["gap_pp"] = 100 * (out["demand_rate"] - out["received_rate"])
    out["mix_gap_pp"] = 100 * (out["demand_share"] - out["provision_share"])
    d0, d1 = period
    years = ((d1 - d0).days + 1) / 365.25
    per_1000 = 1000.0 * out["provision_count"] / out["elderly_population"] / years
    out["provision_per_1000"] = per_1000.where((out["elderly_population"] > 0) & (d1 >= d0))
    out["group_value"] = out["group_value"].where(out["group_value"] != NO_GROUP, None)
    out = out.sort_values(["region_id", "item_code", "group_value"], na_position="last")
    return out[list(GAP_OUTPUT)].reset_index(drop=True)


UNMET_OUTPUT = (
    "region_id",
    "region_name",
    "level",
    "service_code",
    "category",
    "cell",
    "n",
    "base_n",
    "share",
    "suppressed",
)
GAP_OUTPUT = (
    "region_id",
    "region_name",
    "region_name_en",
    "level",
    "item_code",
    "category",
    "group_value",
    "respondents_n",
    "demand_rate",
    "received_rate",
    "gap_pp",
    "unmet_rate",
    "demand_share",
    "provision_count",
    "provision_share",
    "mix_gap_pp",
    "suppressed",
    "received_n",
    "unmet_n",
    "elderly_population",
    "provision_per_1000",
)


# -- loading the raw tables -----------------------------------------------------------------------


def load(db: Path) -> Baseline:
    """Read the raw tables of a store once (the analyst's start-up), ids as integer codes."""
    con = store.open_read_only(db)
    try:
        regions = con.execute("SELECT * FROM regions").df().sort_values("region_id")
        regions = regions.reset_index(drop=True)
        services = con.execute("SELECT * FROM services").df().sort_values("service_code")
        services = services.reset_index(drop=True)
        region_ids = pa.array(regions["region_id"], pa.string())
        service_codes = pa.array(services["service_code"], pa.string())
        respondents = _respondents(con, region_ids)
        respondent_ids = pa.array(respondents.pop("respondent_id"), pa.string())
        needs = _needs(con, respondent_ids, service_codes)
        deliveries = _deliveries(con, region_ids, service_codes)
    finally:
        con.close()
    parent = _codes(pa.array(regions["parent_id"], pa.string()), region_ids)
    closure, depth = _walk_tree(parent)
    cover = _cover_depth(parent, depth, regions["elderly_population"].to_numpy(dtype=float))
    regions["elderly_population"] = regions["elderly_population"].astype(float)
    days = deliveries["delivered_on"]
    return Baseline(
        regions=regions,
        services=services,
        respondents=respondents,
        needs=needs,
        deliveries=deliveries,
        closure=closure,
        depth=depth,
        cover_depth=cover,
        first_day=days.min().date() if len(days) else None,
        last_day=days.max().date() if len(days) else None,
    )


def _codes(values: pa.Array | pa.ChunkedArray, keys: pa.Array) -> np.ndarray:
    """Position of each value in `keys` (-1 for missing values)."""
    return pc.index_in(values, value_set=keys).fill_null(-1).to_numpy().astype(np.int32)


def _age_group(age: pd.Series | np.ndarray) -> pd.Categorical:
    """The contract's age bands, from an age (missing stays missing)."""
    bins = [-np.inf, 60, 70, 80, np.inf]
    return pd.cut(pd.Series(age, dtype=float), bins, right=False, labels=list(AGE_GROUPS)).array


def _respondents(con: duckdb.DuckDBPyConnection, region_ids: pa.Array) -> pd.DataFrame:
    frame = con.execute("SELECT * FROM respondents").df()
    frame = frame.drop(columns=[c for c in frame if c.startswith(RESPONDENT_SKIP_PREFIXES)])
    frame = frame.sort_values("respondent_id").reset_index(drop=True)
    frame["rid"] = np.arange(len(frame))
    frame["region"] = _codes(pa.array(frame["region_id"], pa.string()), region_ids)
    frame["age_group"] = _age_group(frame["age"])
    return frame


def _needs(
    con: duckdb.DuckDBPyConnection, respondent_ids: pa.Array, service_codes: pa.Array
) -> pd.DataFrame:
    parts: dict[str, list[np.ndarray]] = {"rid": [], "service": [], "need": [], "received": []}
    reader = con.sql("SELECT * FROM needs").to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        parts["rid"].append(_codes(batch["respondent_id"], respondent_ids))
        parts["service"].append(_codes(batch["service_code"], service_codes).astype(np.int16))
        parts["need"].append(_floats(batch["need"]))
        parts["received"].append(_floats(batch["received"]))
    return _frame(parts)


def _deliveries(
    con: duckdb.DuckDBPyConnection, region_ids: pa.Array, service_codes: pa.Array
) -> pd.DataFrame:
    names = ("region", "service", "delivered_on", "quantity", "age")
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    reader = con.sql("SELECT * FROM deliveries").to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        parts["region"].append(_codes(batch["region_id"], region_ids))
        parts["service"].append(_codes(batch["service_code"], service_codes).astype(np.int16))
        days = batch["delivered_on"].cast(pa.timestamp("s"))
        parts["delivered_on"].append(days.to_numpy(zero_copy_only=False))
        parts["quantity"].append(batch["quantity"].fill_null(1).to_numpy().astype(np.int32))
        parts["age"].append(_floats(batch["recipient_age"]))
    frame = _frame(parts)
    frame["age_group"] = _age_group(frame.pop("age").to_numpy())
    return frame


def _floats(values: pa.Array) -> np.ndarray:
    """A nullable number or boolean column as float32 with NaN for missing."""
    return values.cast(pa.float32()).to_numpy(zero_copy_only=False).astype(np.float32)


def _frame(parts: dict[str, list[np.ndarray]]) -> pd.DataFrame:
    return pd.DataFrame(
        {name: np.concatenate(chunks) if chunks else [] for name, chunks in parts.items()}
    )


def _walk_tree(parent: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Every (ancestor, descendant) pair from the parent links, and each region's depth."""
    codes = np.arange(len(parent))
    ancestors, descendants = [codes], [codes]
    depth = np.zeros(len(parent), dtype=np.int64)
    current = parent.astype(np.int64)
    while (current >= 0).any():
        has = current >= 0
        ancestors.append(current[has])
        descendants.append(codes[has])
        depth += has
        current = np.where(has, parent[np.maximum(current, 0)], -1)
    closure = pd.DataFrame(
        {"ancestor": np.concatenate(ancestors), "descendant": np.concatenate(descendants)}
    )
    return closure, depth


def _cover_depth(parent: np.ndarray, depth: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Depth of each region's nearest strict ancestor with an elderly population (NaN: none)."""
    cover = np.full(len(parent), np.nan)
    current = parent.astype(np.int64)
    while (current >= 0).any():
        has = current >= 0
        found = has & np.isnan(cover) & ~np.isnan(population[np.maximum(current, 0)])
        cover[found] = depth[current[found]]
        current = np.where(has, parent[np.maximum(current, 0)], -1)
    return cover


# -- the baseline as the views' data layer ---------------------------------------------------


class PandasData:
    """dashboard.data's figure functions (same signatures) answered by a Baseline.

    Swapped in by :func:`data_layer`, it lets the views' own code run on the baseline: the same
    callbacks draw the same figures, and only where the numbers come from differs. Functions
    that read small reference tables (names, the region list, boundaries, metadata) stay the
    product's. Intervals are not computed: an empty frame leaves every interval missing.
    """

    def __init__(self, b: Baseline) -> None:
        self.b = b

    def gap_table(
        self,
        con: object,
        level: str,
        slice_: Slice = EVERYONE,
        *,
        within: str | None = None,
        by: str = "service",
        group: str | None = None,
    ) -> pd.DataFrame:
        return self.b.gap_table(level, slice_, within=within, by=by, group=group)

    def gap_intervals(
        self, con: object, level: str, *args: object, **kwargs: object
    ) -> pd.DataFrame:
        columns = {"region_id": "str", "item_code": "str", "group_value": "object"}
        for figure, rate in INTERVAL_FIGURES:
            columns |= {f"{rate}_lo": "float", f"{rate}_hi": "float"}
            columns |= {f"{figure}_{x}": "float" for x in ("se", "n_eff", "df")}
            columns[f"{figure}_reliability"] = "object"
        columns["reliability"] = "object"
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})

    def unmet_cells(
        self, con: object, level: str, slice_: Slice = EVERYONE, *, within: str | None = None
    ) -> pd.DataFrame:
        return self.b.unmet_cells(level, slice_, within=within)

    def slice_counts(self, con: object, within: str | None, slice_: Slice = EVERYONE) -> dict:
        return self.b.slice_counts(within, slice_)

    def delivery_period(self, con: object) -> tuple[dt.date | None, dt.date | None]:
        return self.b.delivery_period()

    def group_dimensions(self, con: object) -> list[str]:
        return self.b.group_dimensions()

    def score_levels(
        self, con: object, scale: str, within: str | None = None, slice_: Slice = EVERYONE
    ) -> pd.DataFrame:
        return self.b.score_levels(scale, within or self.b.root, slice_)

    def domain_profile(
        self,
        con: object,
        group: str | None = None,
        within: str | None = None,
        slice_: Slice = EVERYONE,
    ) -> pd.DataFrame:
        return self.b.domain_profile(group, within or self.b.root, slice_)

    def service_demand(
        self, con: object, within: str | None = None, slice_: Slice = EVERYONE
    ) -> pd.DataFrame:
        return self.b.service_demand(within or self.b.root, slice_)

    def service_received(
        self, con: object, within: str | None = None, slice_: Slice = EVERYONE
    ) -> pd.DataFrame:
        return self.b.service_received(within or self.b.root, slice_)

    def quality_inputs(
        self, con: object, within: str | None = None, slice_: Slice = EVERYONE
    ) -> pd.DataFrame:
        return self.b.quality_inputs(within or self.b.root, slice_)


#: The dashboard.data functions PandasData replaces.
REPLACED = tuple(
    name
    for name in vars(PandasData)
    if not name.startswith("_") and callable(vars(PandasData)[name])
)


@contextlib.contextmanager
def data_layer(b: Baseline) -> Iterator[None]:
    """Inside: dashboard.data's figure functions are the baseline's (restored on leaving).

    The views call them as ``data.gap_table(...)``, so replacing the module's attributes is
    enough. Not thread-safe: the benchmark calls one callback at a time.
    """
    from dashboard import data

    pandas_data = PandasData(b)
    saved = {name: getattr(data, name) for name in REPLACED}
    try:
        for name in REPLACED:
            setattr(data, name, getattr(pandas_data, name))
        yield
    finally:
        for name, function in saved.items():
            setattr(data, name, function)


# -- the same numbers as the product -----------------------------------------------------------

GAP_KEYS = ("region_id", "item_code", "group_value")
#: Columns compared as numbers (to 1e-9) and as whole numbers, beyond the gap table's.
FRACTIONS = ("share", "received_rate", *DOMAINS, *(f"share_{k}" for k in range(1, 6)))
COUNTS = (
    "respondents_n",
    "received_n",
    "unmet_n",
    "provision_count",
    "n",
    "base_n",
    "scored_n",
    "demand_n",
    "receivers_n",
    "suppressed",
)
FLOAT_COLUMNS = (
    "demand_rate",
    "received_rate",
    "gap_pp",
    "unmet_rate",
    "demand_share",
    "provision_share",
    "mix_gap_pp",
    "elderly_population",
    "provision_per_1000",
)


def compare_cases(b: Baseline) -> list[tuple[str, Slice, str | None, str, str | None]]:
    """(level, slice, within, by, group) cases covering every branch of the gap table."""
    district = str(b.regions.loc[b.regions["level"] == "district", "region_id"].iloc[0])
    first, last = b.first_day, b.last_day
    period = (
        Slice(start=first + dt.timedelta(days=40), end=last - dt.timedelta(days=50))
        if first and last and (last - first).days > 120
        else Slice()
    )
    return [
        ("city", EVERYONE, None, "service", None),
        ("district", EVERYONE, None, "service", None),
        ("grid", period, None, "service", None),
        (
            "grid",
            Slice(threshold=3, min_n=3, age_group="70-79", sex="F"),
            district,
            "service",
            None,
        ),
        ("district", Slice(age_group="60-69"), None, "category", None),
        ("district", Slice(min_n=5), None, "service", "education"),
        ("city", EVERYONE, None, "category", "has_spouse"),
        ("street", period, district, "service", None),
        ("community", EVERYONE, None, "category", "age_group"),
    ]


def compare(db: Path) -> list[str]:
    """Differences between the baseline's figures and dashboard.data's on the store (none: [])."""
    from dashboard import data

    b = load(db)
    con = store.open_read_only(db)
    problems: list[str] = []
    try:
        for level, sl, within, by, group in compare_cases(b):
            case = f"gap_table({level}, {sl}, within={within}, by={by}, group={group})"
            ours = b.gap_table(level, sl, within=within, by=by, group=group)
            ours = as_published(ours, disclosure.GAPS, sl.min_n)
            theirs = data.gap_table(con, level, sl, within=within, by=by, group=group)
            problems += [f"{case}: {p}" for p in _frame_differences(ours, theirs, GAP_KEYS)]
        for level in ("city", "district"):
            ours = as_published(b.unmet_cells(level), disclosure.UNMET_CELLS, Slice().min_n)
            theirs = data.unmet_cells(con, level)
            keys = ("region_id", "service_code", "cell")
            problems += [
                f"unmet_cells({level}): {p}" for p in _frame_differences(ours, theirs, keys)
            ]
        for region in (b.root, str(b.regions["region_id"].iloc[-1])):
            if b.slice_counts(region) != data.slice_counts(con, region):
                problems.append(f"slice_counts({region}) differ")
        problems += _quality_differences(b, con)
    finally:
        con.close()
    return problems


def _quality_differences(b: Baseline, con: duckdb.DuckDBPyConnection) -> list[str]:
    """The quality view's inputs, levels and profile against dashboard.data's."""
    from dashboard import data

    problems = []
    sl = Slice(min_n=3, sex="F")
    ours, theirs = b.quality_inputs(b.root, sl), data.quality_inputs(con, b.root, sl)
    if not ours.astype(str).equals(theirs.astype(str)):
        problems.append("quality_inputs differ")
    for scale in LEVEL_SCALES:
        ours = as_published(b.score_levels(scale, b.root, sl), disclosure.SCORE_LEVELS, sl.min_n)
        theirs = data.score_levels(con, scale, b.root, sl)
        problems += [
            f"score_levels({scale}): {p}" for p in _frame_differences(ours, theirs, ("level",))
        ]
    ours, theirs = (
        as_published(
            b.domain_profile("adl_level", b.root, sl), disclosure.DOMAIN_PROFILE, sl.min_n
        ),
        data.domain_profile(con, "adl_level", b.root, sl),
    )
    keys = ("group_value",)
    problems += [f"domain_profile: {p}" for p in _frame_differences(ours, theirs, keys)]
    rules = {
        "service_demand": disclosure.SERVICE_DEMAND,
        "service_received": disclosure.SERVICE_RECEIVED,
    }
    for name in ("service_demand", "service_received"):
        ours = as_published(getattr(b, name)(b.root, sl), rules[name], sl.min_n)
        theirs = getattr(data, name)(con, b.root, sl)
        problems += [f"{name}: {p}" for p in _frame_differences(ours, theirs, ("item_code",))]
    return problems


def as_published(frame: pd.DataFrame, rules: disclosure.Rules, min_n: int) -> pd.DataFrame:
    """The baseline's frame with its counts withheld as the product publishes them (missing
    where 1…k−1 and on a suppressed row unless 0), so counts compare like for like; the baseline
    itself keeps every count (an analyst's frame, timed as such)."""
    k = disclosure.effective_k(min_n)
    out = frame.copy()
    flagged = out["suppressed"].fillna(False).astype(bool).to_numpy()
    for column in (c for c in rules.counts if c in out):
        values = out[column].to_numpy(dtype=float, na_value=np.nan)
        hide = disclosure.withheld(values, k) | (flagged & (values != 0))
        out[column] = np.where(hide, np.nan, values)
    return out


def _frame_differences(
    ours: pd.DataFrame, theirs: pd.DataFrame, keys: tuple[str, ...]
) -> list[str]:
    """Rows or values that differ (numbers to 1e-9 relative; missing equals missing).

    The product may hide more than the baseline, never less: the baseline applies the floor
    only, the product also the differencing rule (docs/DISCLOSURE.md), so a value the product
    withholds (or a row it marks suppressed) that the baseline shows is not a difference.
    """
    if len(ours) != len(theirs):
        return [f"{len(ours)} rows, the product has {len(theirs)}"]
    left, right = (_keyed(f, keys) for f in (ours, theirs))
    if not left.index.equals(right.index):
        return ["different rows"]
    problems = []
    for column in (c for c in left.columns if c in right.columns):
        a, b = left[column], right[column]
        if column == "suppressed":
            x, y = (f.fillna(False).astype(bool).to_numpy() for f in (a, b))
            same = (x == y) | y
        elif column in FLOAT_COLUMNS or column in FRACTIONS:
            x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            same = np.isclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True) | np.isnan(y)
        elif column in COUNTS:  # whole numbers; a withheld count (missing) equals missing
            x, y = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            same = (x == y) | np.isnan(y)
        else:
            same = (a.fillna("").astype(str) == b.fillna("").astype(str)).to_numpy()
        if not same.all():
            problems.append(f"{column} differs in {int((~same).sum())} rows")
    return problems


def _keyed(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    index = [frame[k].astype(object).where(frame[k].notna(), "<null>").astype(str) for k in keys]
    return frame.set_index(index).sort_index()
