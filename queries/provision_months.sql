-- Deliveries month by month: for the region $within (its subtree's records, $level 'region'),
-- or for each station whose region lies in it (its own records, $level 'station'; $station
-- NULL for every such station, else that one). Every month of the period and every item is
-- present, 0 where nothing was delivered.
--
-- Parameters
--   $level        'region' | 'station'
--   $within       a region_id
--   $station      NULL or a station_id (with $level 'station')
--   $by           'service' | 'category' (as in gaps.sql)
--   $age_group    NULL or an age group: deliveries by recipient age group, where recorded
--   $d0, $d1      the delivery period, inclusive
--   $m0, $m1      the first and last whole months inside it: whole months come from the rollup
--                 (provision_cells), the partial edge months from the records.
-- month: the first day of each month from $d0's to $d1's.
WITH
@include _items
areas AS (
    SELECT region_id AS area_id, level AS area_level
    FROM regions
    WHERE $level = 'region' AND region_id = $within
    UNION ALL
    SELECT s.station_id, 'station'
    FROM stations s
    JOIN region_closure w ON w.descendant_id = s.region_id AND w.ancestor_id = $within
    WHERE $level = 'station' AND ($station IS NULL OR s.station_id = $station)
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM range(CAST(date_trunc('month', $d0) AS TIMESTAMP),
               CAST(date_trunc('month', $d1) AS TIMESTAMP) + INTERVAL 1 MONTH,
               INTERVAL 1 MONTH) t(m)
    WHERE $d1 >= $d0
),
delivered AS (
    SELECT c.area_id, c.service_code, c.month, c.quantity
    FROM provision_cells c
    JOIN areas a ON a.area_id = c.area_id AND a.area_level = c.area_level
    WHERE c.month >= $m0 AND c.month <= $m1
      AND ($age_group IS NULL OR c.age_group = $age_group)
    UNION ALL
    SELECT $within, d.service_code, d.month, d.quantity
    FROM deliveries d
    JOIN region_closure c ON c.descendant_id = d.region_id AND c.ancestor_id = $within
    WHERE $level = 'region'
      AND d.delivered_on BETWEEN $d0 AND $d1
      AND (d.delivered_on < $m0 OR d.delivered_on > last_day($m1))
      AND ($age_group IS NULL OR d.age_group = $age_group)
    UNION ALL
    SELECT d.station_id, d.service_code, d.month, d.quantity
    FROM deliveries d
    JOIN areas a ON a.area_id = d.station_id
    WHERE $level = 'station'
      AND d.delivered_on BETWEEN $d0 AND $d1
      AND (d.delivered_on < $m0 OR d.delivered_on > last_day($m1))
      AND ($age_group IS NULL OR d.age_group = $age_group)
),
sums AS (
    SELECT d.area_id, d.month, si.item_code, sum(d.quantity)::BIGINT AS provision_count
    FROM delivered d
    JOIN service_item si ON si.service_code = d.service_code
    GROUP BY ALL
)
SELECT a.area_id, m.month, i.item_code, i.category,
       COALESCE(s.provision_count, 0)::BIGINT AS provision_count
FROM areas a
CROSS JOIN months m
CROSS JOIN items i
LEFT JOIN sums s ON s.area_id = a.area_id AND s.month = m.month AND s.item_code = i.item_code
ORDER BY a.area_id, m.month, i.item_code
