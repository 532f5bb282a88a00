-- The cells of the disclosure pattern stored at import (dashboard/ingest/patterns.py) for floor
-- $k and covariate $grp ('' for none), in the order of their rows in pattern_open's bits.
SELECT region_id, age_group, sex, group_value
FROM pattern_cells
WHERE k = $k AND grp = $grp
ORDER BY i
