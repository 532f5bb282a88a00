-- Demand beside provision for every (region at a level, service): the contract's report.
--
-- Parameters
--   $level        city | district | street | community | grid ('city' = the root: the whole dataset)
--   $threshold    need threshold T: needs(i, s) = need >= T
--   $min_n        k: figures resting on fewer than k respondents (unweighted) are suppressed
--   $age_group    NULL or one of '<60', '60-69', '70-79', '80+' (respondents; and deliveries by
--                 recipient age group, where recorded)
--   $sex          NULL, 'M' or 'F' (respondents only: deliveries carry no sex)
--   $d0, $d1      the delivery period, inclusive (NULL-free: the data layer fills open ends)
--   $m0, $m1      the first and last whole months inside [$d0, $d1] (first day of each month);
--                 whole months are read from the rollup, the partial edge months from raw rows.
--
-- Suppression (contract "Small cells", read per figure): the row is suppressed when
-- respondents_n < k; received_rate and gap_pp also go missing when received_n < k, unmet_rate
-- when unmet_n < k. Delivery counts are not suppressed.
WITH areas AS (
    SELECT region_id, name AS region_name, level
    FROM regions
    WHERE CASE WHEN $level = 'city' THEN parent_id IS NULL ELSE level = $level END
),
answers AS (
    SELECT c.ancestor_id AS area_id, n.service_code, p.weight AS w,
           (n.need >= $threshold) AS needs, n.received
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN respondents p ON p.region_id = c.descendant_id
    JOIN needs n ON n.respondent_id = p.respondent_id
    WHERE n.need IS NOT NULL
      AND ($age_group IS NULL OR p.age_group = $age_group)
      AND ($sex IS NULL OR p.sex = $sex)
),
survey AS (
    SELECT area_id, service_code,
           count(*) AS respondents_n,
           sum(w) AS w_answered,
           sum(w) FILTER (WHERE needs) AS w_need,
           count(*) FILTER (WHERE received IS NOT NULL) AS received_n,
           sum(w) FILTER (WHERE received IS NOT NULL) AS w_received_base,
           sum(w) FILTER (WHERE received) AS w_received,
           count(*) FILTER (WHERE needs AND received IS NOT NULL) AS unmet_n,
           sum(w) FILTER (WHERE needs AND received IS NOT NULL) AS w_unmet_base,
           sum(w) FILTER (WHERE needs AND NOT received) AS w_unmet
    FROM answers
    GROUP BY area_id, service_code
),
survey_total AS (
    SELECT area_id, sum(w_need) AS w_need_all FROM survey GROUP BY area_id
),
delivered AS (
    SELECT region_id, service_code, quantity
    FROM delivery_rollup
    WHERE month >= $m0 AND month <= $m1
      AND ($age_group IS NULL OR age_group = $age_group)
    UNION ALL
    SELECT region_id, service_code, quantity
    FROM deliveries
    WHERE delivered_on BETWEEN $d0 AND $d1
      AND (delivered_on < $m0 OR delivered_on > last_day($m1))
      AND ($age_group IS NULL OR age_group = $age_group)
),
provision AS (
    SELECT c.ancestor_id AS area_id, d.service_code, sum(d.quantity)::BIGINT AS provision_count
    FROM areas a
    JOIN region_closure c ON c.ancestor_id = a.region_id
    JOIN delivered d ON d.region_id = c.descendant_id
    GROUP BY ALL
),
provision_total AS (
    SELECT area_id, sum(provision_count) AS provision_all FROM provision GROUP BY area_id
),
cells AS (
    SELECT a.region_id, a.region_name, a.level, s.service_code, s.category,
           COALESCE(v.respondents_n, 0) AS respondents_n,
           COALESCE(v.received_n, 0) AS received_n,
           COALESCE(v.unmet_n, 0) AS unmet_n,
           COALESCE(v.respondents_n, 0) < $min_n AS suppressed,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n
                THEN COALESCE(v.w_need, 0) / v.w_answered END AS demand_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND v.received_n >= $min_n
                THEN COALESCE(v.w_received, 0) / v.w_received_base END AS received_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND v.unmet_n >= $min_n
                THEN COALESCE(v.w_unmet, 0) / v.w_unmet_base END AS unmet_rate,
           CASE WHEN COALESCE(v.respondents_n, 0) >= $min_n AND t.w_need_all > 0
                THEN COALESCE(v.w_need, 0) / t.w_need_all END AS demand_share,
           COALESCE(p.provision_count, 0) AS provision_count,
           CASE WHEN pt.provision_all > 0
                THEN COALESCE(p.provision_count, 0) / pt.provision_all END AS provision_share
    FROM areas a
    CROSS JOIN services s
    LEFT JOIN survey v ON v.area_id = a.region_id AND v.service_code = s.service_code
    LEFT JOIN survey_total t ON t.area_id = a.region_id
    LEFT JOIN provision p ON p.area_id = a.region_id AND p.service_code = s.service_code
    LEFT JOIN provision_total pt ON pt.area_id = a.region_id
)
SELECT region_id, region_name, level, service_code, category, respondents_n,
       demand_rate, received_rate,
       100 * (demand_rate - received_rate) AS gap_pp,
       unmet_rate, demand_share, provision_count, provision_share,
       100 * (demand_share - provision_share) AS mix_gap_pp,
       suppressed, received_n, unmet_n
FROM cells
ORDER BY region_id, service_code
