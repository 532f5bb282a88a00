"""The import fits the study's T1/T4/T5 for the whole dataset (dashboard/ingest/fits.py); what
the data layer reads back is exactly a fresh fit, and any other slice is fitted as before."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import cache, data
from dashboard.stats import tables as st


def _fresh(con, slice_: data.Slice | None = None):
    inputs = data.quality_inputs(con, None, slice_ or data.Slice())
    services = data.service_bits(con)
    return (
        st.fit_regression(inputs),
        st.correlation_rows(inputs, services, "need"),
        st.correlation_rows(inputs, services, "received"),
    )


def test_the_stored_whole_dataset_fits_are_exactly_a_fresh_fit(demo_con) -> None:
    stored = data._stored_fits(demo_con)
    assert stored is not None
    params, fit, need, received = stored
    assert params == data._survey_params(demo_con, None, data.Slice())
    fresh_fit, fresh_need, fresh_received = _fresh(demo_con)
    assert not fit.suppressed and fit.n == fresh_fit.n > 1000
    assert (fit.se_method, fit.models) == (fresh_fit.se_method, fresh_fit.models)
    pd.testing.assert_frame_equal(fit.table, fresh_fit.table, check_dtype=False)
    pd.testing.assert_frame_equal(need, fresh_need, check_dtype=False)
    pd.testing.assert_frame_equal(received, fresh_received, check_dtype=False)


def test_the_whole_dataset_is_read_and_a_slice_is_fitted(demo_con, monkeypatch) -> None:
    cache.clear_all()
    data._stored_fits(demo_con)  # read before fitting is forbidden below
    fitted = []
    real = st.fit_regression
    monkeypatch.setattr(st, "fit_regression", lambda *a, **kw: fitted.append(1) or real(*a, **kw))
    whole = data.quality_fits(demo_con)
    assert fitted == [] and whole[0].n > 1000
    women = data.quality_fits(demo_con, None, data.Slice(sex="F"))
    assert 0 < women[0].n < whole[0].n
    lower = data.quality_fits(demo_con, None, data.Slice(threshold=3))  # T4 counts more needs
    assert not lower[1]["r"].equals(whole[1]["r"])
    assert len(fitted) == 2


@pytest.mark.parametrize("min_n", [10, 10**4])
def test_a_stored_fit_is_published_through_the_floor(demo_con, min_n) -> None:
    fit, need, _ = data.quality_fits(demo_con)
    shown = st.publish_regression(fit, min_n=min_n)
    assert shown.suppressed == (fit.n < min_n)
    assert shown.n == (fit.n if not shown.suppressed else 0)
    rows = st.publish_correlations(need, min_n=min_n)
    assert rows["r"].isna().all() == (need["respondents_n"] < min_n).all()
