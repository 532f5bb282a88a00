-- The whole dataset's study fits stored at import (dashboard/ingest/fits.py, `unpack`), in
-- the order they were stored: fit_models.
SELECT * FROM fit_models ORDER BY rowid
