-- Simplified outlines of every district, for the city map (one row per district with a boundary).
--
-- geometry: GeoJSON text (Polygon or MultiPolygon), simplified at import for drawing.
SELECT r.region_id, r.name, r.name_en, b.geometry_simplified AS geometry,
       b.min_lon, b.min_lat, b.max_lon, b.max_lat
FROM regions r
JOIN boundaries b USING (region_id)
WHERE r.level = 'district'
ORDER BY r.region_id
