-- The whole dataset's study fits stored at import (dashboard/ingest/fits.py, `unpack`), in
-- the order they were stored: fit_summary.
SELECT * FROM fit_summary ORDER BY rowid
