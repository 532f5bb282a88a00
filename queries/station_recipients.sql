-- People served: distinct recipient_key per station × service × calendar year, counted from
-- January to the end of the month $m_end in its year (the whole year before it), for the years
-- from $m_start's to $m_end's. Every recipient age group's count beside the all-ages one
-- (age_group NULL, all_ages true: a birthday may move someone into the next group during the
-- year, so the groups need not sum to it); dashboard/data.py withholds them (people).
--
-- Parameters
--   $within, $station   as in provision_months.sql
--   $m_start, $m_end    first days of the first and last months of the period
SELECT r.station_id, r.service_code, r.year, r.all_ages, r.age_group,
       sum(r.new_recipients)::BIGINT AS recipients
FROM station_recipients r
JOIN stations s ON s.station_id = r.station_id
JOIN region_closure w ON w.descendant_id = s.region_id AND w.ancestor_id = $within
WHERE r.year BETWEEN year($m_start) AND year($m_end)
  AND r.first_month <= $m_end
  AND ($station IS NULL OR r.station_id = $station)
GROUP BY ALL
ORDER BY ALL
