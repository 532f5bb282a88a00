-- Where to draw a point for a region: the outlines of its own boundary, or else of the regions
-- below it that have one, or else of its nearest region above that has one (simplified GeoJSON
-- text). A station without lon/lat is drawn at its region's place (data.station_places).
--
-- Parameters
--   $region   a region_id
WITH
own AS (
    SELECT b.geometry_simplified AS geometry
    FROM region_closure c JOIN boundaries b ON b.region_id = c.descendant_id
    WHERE c.ancestor_id = $region
),
above AS (
    SELECT b.geometry_simplified AS geometry
    FROM region_closure c JOIN boundaries b ON b.region_id = c.ancestor_id
    WHERE c.descendant_id = $region AND c.depth > 0
    ORDER BY c.depth
    LIMIT 1
)
SELECT geometry FROM own
UNION ALL
SELECT geometry FROM above WHERE NOT EXISTS (SELECT 1 FROM own)
