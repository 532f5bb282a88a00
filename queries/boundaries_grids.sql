-- Simplified outlines of the grids inside one district (never more than one district's grids).
--
-- Parameters
--   $district   the region_id of a district
-- geometry: GeoJSON text (Polygon or MultiPolygon), simplified at import for drawing.
SELECT r.region_id, r.name, r.name_en, b.geometry_simplified AS geometry,
       b.min_lon, b.min_lat, b.max_lon, b.max_lat
FROM region_closure c
JOIN regions r ON r.region_id = c.descendant_id AND r.level = 'grid'
JOIN boundaries b USING (region_id)
WHERE c.ancestor_id = $district
  AND EXISTS (SELECT 1 FROM regions d WHERE d.region_id = $district AND d.level = 'district')
ORDER BY r.region_id
