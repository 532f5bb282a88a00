"""The study's T1, T4 and T5 of the whole dataset, fitted once at import (issue 15).

/quality opens on the whole dataset, and its tables are models fitted to respondent rows: the
stepwise regression of T1 and the correlations of T4/T5 read every respondent (a million at
tier L: seconds per process, each time a worker's cache is empty). Their whole-dataset fits
depend only on the data, so the import fits them at the default need threshold and stores them
unsuppressed, with the parameters they were fitted for; dashboard.data reads them back when a
view asks for exactly those parameters (any other slice is fitted as before) and the view
publishes them through the floor and the differencing rule like a fresh fit.

The stored rows are aggregates (coefficients, correlations and their n); like every figure they
leave the server only through the gate.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import sql
from dashboard.ingest.schema import DEFAULT_THRESHOLD
from dashboard.stats import tables as st

#: The stored tables besides fit_summary, in the order `unpack` takes them.
STORED_PARTS = ("models", "coefficients", "correlations")


def whole_dataset_params(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """queries/quality_inputs.sql's parameters for everyone at the default threshold."""
    root = str(sql.run(con, "root_region", cached=False).iloc[0, 0])
    return {"within": root, "age_group": None, "sex": None, "threshold": DEFAULT_THRESHOLD}


def create_quality_fits(con: duckdb.DuckDBPyConnection) -> None:
    """Fit and store T1 (fit_summary, fit_models, fit_coefficients) and T4/T5
    (fit_correlations) of the whole dataset."""
    params = whole_dataset_params(con)
    inputs = sql.run(con, "quality_inputs", params, cached=False)
    services = sql.run(con, "service_bits", cached=False)
    fit = st.fit_regression(inputs)
    summary = pd.DataFrame(
        [{**params, "se_method": fit.se_method, "n": fit.n, "suppressed": fit.suppressed}]
    )
    models = pd.DataFrame(
        [
            {"model": name, "terms": list(m.terms), "n": m.n, "r2": m.r2, "adj_r2": m.adj_r2}
            for name, m in fit.models.items()
        ],
        columns=["model", "terms", "n", "r2", "adj_r2"],
    )
    correlations = pd.concat(
        [
            st.correlation_rows(inputs, services, indicator).assign(indicator=indicator)
            for indicator in st.BITS
        ],
        ignore_index=True,
    )
    _create(con, "fit_summary", summary.astype({"age_group": "string", "sex": "string"}))
    _create(con, "fit_models", models.astype({"terms": object}))
    _create(con, "fit_coefficients", fit.table.astype({"level": "string"}))
    _create(con, "fit_correlations", correlations.astype({"category": "string"}))


def _create(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("fit_frame", frame)
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM fit_frame")  # table: a name above
    con.unregister("fit_frame")


def unpack(
    summary: pd.DataFrame,
    models: pd.DataFrame,
    coefficients: pd.DataFrame,
    correlations: pd.DataFrame,
) -> tuple[dict[str, object], st.Regression, pd.DataFrame, pd.DataFrame]:
    """The stored fits back (queries/fit_*.sql): the parameters they were fitted for, T1, and
    the T4 and T5 rows, all before the floor."""
    row = summary.iloc[0]
    params = {c: (None if pd.isna(row[c]) else row[c]) for c in ("within", "age_group", "sex")}
    params["threshold"] = int(row["threshold"])
    fit = st.Regression(
        table=coefficients.reset_index(drop=True),
        models={
            m.model: st.ModelFit(tuple(m.terms), int(m.n), float(m.r2), float(m.adj_r2))
            for m in models.itertuples()
        },
        se_method=str(row["se_method"]),
        suppressed=bool(row["suppressed"]),
        n=int(row["n"]),
    )
    by = {
        indicator: rows.drop(columns="indicator").reset_index(drop=True)
        for indicator, rows in correlations.groupby("indicator", sort=False)
    }
    return params, fit, by["need"], by["received"]
