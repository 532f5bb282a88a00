-- The outlines of one station's catchment: every region of it that has a boundary and no
-- region above it in the catchment that has one (simplified GeoJSON text, as drawn).
--
-- Parameters
--   $station   a station_id
SELECT m.region_id, b.geometry_simplified AS geometry, b.min_lon, b.min_lat, b.max_lon, b.max_lat
FROM catchment_regions m
JOIN boundaries b ON b.region_id = m.region_id
WHERE m.station_id = $station
  AND NOT EXISTS (
      SELECT 1
      FROM region_closure c
      JOIN catchment_regions up ON up.region_id = c.ancestor_id AND up.station_id = m.station_id
      JOIN boundaries a ON a.region_id = c.ancestor_id
      WHERE c.descendant_id = m.region_id AND c.depth > 0
  )
ORDER BY m.region_id
