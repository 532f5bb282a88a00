-- Respondents of a station's catchment in the slice (age group, sex; NULL: all).
--
-- Parameters
--   $station     a station_id
--   $age_group   NULL or an age group
--   $sex         NULL, 'M' or 'F'
SELECT count(*) AS respondents
FROM catchment_regions m
JOIN respondents p ON p.region_id = m.region_id
WHERE m.station_id = $station
  AND ($age_group IS NULL OR p.age_group = $age_group)
  AND ($sex IS NULL OR p.sex = $sex)
