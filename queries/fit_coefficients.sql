-- The whole dataset's study fits stored at import (dashboard/ingest/fits.py, `unpack`), in
-- the order they were stored: fit_coefficients.
SELECT * FROM fit_coefficients ORDER BY rowid
