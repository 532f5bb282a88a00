-- Fragment (included by sql.py where a query says `@include _areas`): the areas asked for, the
-- regions at $level inside $within's subtree ('city' = the root), or with $level 'station' the
-- stations whose region lies there (a station's area is its catchment: catchment_regions).
-- Shared by gaps*, gap_variance* and unmet_2x2, so "which areas" is written once.
areas AS (
    SELECT r.region_id, r.name AS region_name, r.name_en AS region_name_en, r.level
    FROM regions r
    JOIN region_closure w ON w.descendant_id = r.region_id AND w.ancestor_id = $within
    WHERE $level <> 'station'
      AND CASE WHEN $level = 'city' THEN r.parent_id IS NULL ELSE r.level = $level END
    UNION ALL
    SELECT s.station_id, s.name, s.name_en, 'station'
    FROM stations s
    JOIN region_closure w ON w.descendant_id = s.region_id AND w.ancestor_id = $within
    WHERE $level = 'station'
),
-- each area's regions: its subtree, or a station's catchment
area_members AS (
    SELECT a.region_id AS area_id, c.descendant_id AS region_id
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    WHERE $level <> 'station'
    UNION ALL
    SELECT a.region_id, m.region_id
    FROM areas a
    JOIN catchment_regions m ON m.station_id = a.region_id
    WHERE $level = 'station'
),
