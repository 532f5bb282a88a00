-- Fragment (included by sql.py where a query says `@include _areas`): the areas asked for, the
-- regions at $level inside $within's subtree ('city' = the root). Shared by gaps*, gap_variance*
-- and unmet_2x2, so "which areas" is written once.
areas AS (
    SELECT r.region_id, r.name AS region_name, r.name_en AS region_name_en, r.level
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
),
