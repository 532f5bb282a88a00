-- The whole dataset's study fits stored at import (dashboard/ingest/fits.py, `unpack`), in
-- the order they were stored: fit_correlations.
SELECT * FROM fit_correlations ORDER BY rowid
