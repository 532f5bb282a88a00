-- The stations whose region lies inside $within's subtree, with their region, district,
-- catchment size and catchment residents aged 60+ (rollups.station_elderly).
--
-- Parameters
--   $within   a region_id (the root for every station)
SELECT s.station_id, s.name, s.name_en, s.region_id, r.name AS region_name, r.name_en AS region_name_en,
       r.level AS region_level, d.ancestor_id AS district_id, s.lon, s.lat, s.staff,
       e.elderly_population,
       (SELECT count(*) FROM catchment_regions m WHERE m.station_id = s.station_id)
           AS catchment_regions,
       EXISTS (SELECT 1 FROM catchments c WHERE c.station_id = s.station_id) AS catchment_listed
FROM stations s
JOIN regions r ON r.region_id = s.region_id
JOIN region_closure w ON w.descendant_id = s.region_id AND w.ancestor_id = $within
LEFT JOIN region_closure d ON d.descendant_id = s.region_id AND d.ancestor_level = 'district'
LEFT JOIN station_elderly e ON e.station_id = s.station_id
ORDER BY s.station_id
