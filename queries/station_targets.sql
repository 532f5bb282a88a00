-- Year to date against the annual targets (contract v1.1, `targets`) of the stations whose
-- region lies in $within ($station NULL: all of them), for the year of $m_end: what was done
-- from January to the end of the month $m_end, in the target's unit: 'services' (Σ quantity
-- of the station's own deliveries, every age) or 'people' (distinct recipient_key, every age).
--
-- The run rate: done so far, at the pace of the months elapsed, for the whole year
-- (projected = done × 12 / months_elapsed); expected_to_date = target × months_elapsed / 12.
-- status: 'met' (done ≥ target), 'on_track' (done ≥ expected_to_date: the projection reaches
-- the target), else 'behind'.
--
-- Parameters
--   $within, $station   as in provision_months.sql
--   $m_end              the first day of the last whole month counted
WITH progress AS (
SELECT t.station_id, t.service_code, t.year, t.unit, t.target,
       month($m_end) AS months_elapsed,
       CASE t.unit
           WHEN 'people' THEN (
               SELECT COALESCE(sum(r.new_recipients), 0)
               FROM station_recipients r
               WHERE r.station_id = t.station_id AND r.service_code = t.service_code
                 AND r.year = t.year AND r.all_ages AND r.first_month <= $m_end)
           ELSE (
               SELECT COALESCE(sum(c.quantity), 0)
               FROM provision_cells c
               WHERE c.area_level = 'station' AND c.area_id = t.station_id
                 AND c.service_code = t.service_code
                 AND c.month BETWEEN make_date(t.year, 1, 1) AND $m_end)
       END::BIGINT AS done
FROM targets t
JOIN stations s ON s.station_id = t.station_id
JOIN region_closure w ON w.descendant_id = s.region_id AND w.ancestor_id = $within
WHERE t.year = year($m_end) AND ($station IS NULL OR t.station_id = $station)
)
SELECT *,
       target * months_elapsed / 12.0 AS expected_to_date,
       done * 12.0 / months_elapsed AS projected,
       CASE WHEN done >= target THEN 'met'
            WHEN done * 12 >= target * months_elapsed THEN 'on_track'
            ELSE 'behind' END AS status
FROM progress
ORDER BY station_id, service_code
